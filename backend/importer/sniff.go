package importer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"unicode/utf16"

	"caiji/backend/apperr"
)

// kind is what a file really is, judged by its bytes, never by its name:
// clerks rename files, and government systems export web pages as ".xls".
type kind int

const (
	kindXLSX kind = iota
	kindCSV
)

// Limits on what an import may unpack. A 1,048,576-row sheet of twelve
// columns is about 600 MB of XML, so 1 GiB admits any real workbook while
// a zip bomb is refused before it is inflated.
const (
	maxUnzipped   = 1 << 30
	maxRatio      = 400     // deflate reaches ~1030:1 on padding; real sheet XML stays well under 100:1
	ratioFloor    = 8 << 20 // small parts may compress far (a blank styles.xml); only big ones are judged
	maxEntries    = 10000
	maxInputBytes = 512 << 20
)

var (
	magicZip = []byte("PK\x03\x04")
	magicCFB = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// sniff decides how to read path, or refuses the file as a whole with the
// reason and what the clerk should do about it.
func sniff(path string) (kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, apperr.Wrap(apperr.BadInput, "无法打开所选文件，请确认文件存在且没有被其他程序占用。", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, apperr.Wrap(apperr.BadInput, "无法读取所选文件。", err)
	}
	if st.Size() == 0 {
		return 0, apperr.New(apperr.ImportEmpty, "文件是空的（0 字节），请确认选择了正确的文件。")
	}
	if st.Size() > maxInputBytes {
		return 0, apperr.New(apperr.ImportTooLarge, "文件超过 512 MB，请按村或按月拆分后分别导入。")
	}
	head := make([]byte, 8192)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, magicZip):
		return kindXLSX, checkZip(f, st.Size())
	case bytes.HasPrefix(head, magicCFB):
		return 0, compoundFile(io.NewSectionReader(f, 0, st.Size()))
	case looksLikeHTML(head):
		return 0, apperr.New(apperr.ImportLegacyXLS, "这个文件实际是网页格式（常见于其他系统导出的“.xls”），不是真正的 Excel 表格。请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入。")
	case looksLikeText(head):
		return kindCSV, nil
	}
	return 0, apperr.New(apperr.ImportNotSpreadsheet, "这不是 Excel 表格或 CSV 文件，请选择 .xlsx 或 .csv 文件。")
}

// checkZip reads the zip's directory (not the contents) and refuses what
// is not a workbook or would unpack to more than we allow.
func checkZip(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return apperr.Wrap(apperr.ImportCorrupt, "文件已损坏或不完整（可能没有下载或复制完），请重新获取文件后再导入。", err)
	}
	if len(zr.File) > maxEntries {
		return apperr.New(apperr.ImportTooLarge, "文件内部结构异常（包含的部件过多），已拒绝导入。")
	}
	var total uint64
	workbook := false
	for _, zf := range zr.File {
		name := zf.Name
		switch {
		case name == "xl/workbook.xml":
			workbook = true
		case name == "content.xml" || strings.HasPrefix(name, "word/") || strings.HasPrefix(name, "ppt/"):
			return notWorkbook(name)
		}
		total += zf.UncompressedSize64
		if total > maxUnzipped {
			return apperr.New(apperr.ImportTooLarge, "文件解压后超过 1 GB，超出可导入的大小，请拆分后再导入。")
		}
		if zf.UncompressedSize64 > ratioFloor && zf.CompressedSize64 > 0 &&
			zf.UncompressedSize64/zf.CompressedSize64 > maxRatio {
			return apperr.New(apperr.ImportTooLarge, "文件压缩比异常（疑似“压缩炸弹”），已拒绝导入。请确认文件来源。")
		}
	}
	if !workbook {
		return apperr.New(apperr.ImportNotSpreadsheet, "这是一个压缩包，不是 Excel 表格，请选择 .xlsx 文件。")
	}
	return nil
}

func notWorkbook(part string) error {
	switch {
	case part == "content.xml":
		return apperr.New(apperr.ImportNotSpreadsheet, "这是 OpenDocument（.ods，WPS/LibreOffice）格式，请另存为 .xlsx 后再导入。")
	case strings.HasPrefix(part, "word/"):
		return apperr.New(apperr.ImportNotSpreadsheet, "这是 Word 文档，不是 Excel 表格，请选择 .xlsx 文件。")
	}
	return apperr.New(apperr.ImportNotSpreadsheet, "这是演示文稿，不是 Excel 表格，请选择 .xlsx 文件。")
}

// compoundFile tells an encrypted .xlsx (OOXML inside an OLE container,
// with an EncryptionInfo stream) from a legacy .xls or a Word .doc. The
// stream names sit in the directory sectors as UTF-16; scanning the first
// megabyte for them is enough for every file Office or WPS writes.
func compoundFile(r io.Reader) error {
	buf := make([]byte, 1<<20)
	n, _ := io.ReadFull(r, buf)
	buf = buf[:n]
	switch {
	case bytes.Contains(buf, utf16le("EncryptionInfo")) || bytes.Contains(buf, utf16le("EncryptedPackage")):
		return apperr.New(apperr.ImportEncrypted, "这个工作簿设置了打开密码，无法读取。请在 Excel 或 WPS 中打开，取消密码（文件→信息→保护工作簿）后另存，再导入。")
	case bytes.Contains(buf, utf16le("WordDocument")):
		return apperr.New(apperr.ImportNotSpreadsheet, "这是 Word 文档，不是 Excel 表格，请选择 .xlsx 文件。")
	}
	return apperr.New(apperr.ImportLegacyXLS, "这是旧版 Excel 97–2003 格式（.xls），本系统只读取 .xlsx。请用 Excel 或 WPS 打开，选择“另存为”→“Excel 工作簿（*.xlsx）”，再导入新文件。")
}

func utf16le(s string) []byte {
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.Bytes()
}

func looksLikeHTML(head []byte) bool {
	h := strings.ToLower(strings.TrimSpace(string(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")))))
	return strings.HasPrefix(h, "<html") || strings.HasPrefix(h, "<!doctype html") ||
		strings.HasPrefix(h, "<table") || (strings.HasPrefix(h, "<?xml") && strings.Contains(h, "urn:schemas-microsoft-com:office:spreadsheet"))
}

// looksLikeText accepts UTF-16 with a BOM and any byte text without NULs
// or other control bytes (GBK and GB18030 use only bytes ≥ 0x40 after a
// lead byte, so they pass).
func looksLikeText(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return true
	}
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			return false
		}
	}
	return true
}
