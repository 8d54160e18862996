package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"caiji/backend/apperr"
)

// csvSource reads a CSV (or tab-separated "Unicode text" as Excel saves
// it) in UTF-8, UTF-16 or GB18030, which includes GBK and GB2312: what
// Chinese Excel and WPS write when a clerk picks "CSV".
type csvSource struct {
	f     *os.File
	count *countingReader
	r     *csv.Reader
	line  int
	cells []string
	total int64
	err   error
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newCSVSource(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(apperr.BadInput, "无法打开所选文件。", err)
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	enc, name := detectEncoding(head)
	text, err := decodePrefix(enc, head)
	if err != nil || strings.ContainsRune(text, utf8.RuneError) {
		f.Close()
		return nil, apperr.New(apperr.ImportEncoding, "无法识别 CSV 文件的文字编码（识别为 "+name+" 时出现乱码）。请用 Excel 或 WPS 打开确认文字正常，再另存为 .xlsx 导入。")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, apperr.Wrap(apperr.BadInput, "无法读取所选文件。", err)
	}
	count := &countingReader{r: f}
	var in io.Reader = bufio.NewReaderSize(count, 64<<10)
	if enc != nil {
		in = transform.NewReader(in, unicode.BOMOverride(enc.NewDecoder()))
	} else {
		in = transform.NewReader(in, unicode.BOMOverride(transform.Nop))
	}
	r := csv.NewReader(in)
	r.Comma = delimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return &csvSource{f: f, count: count, r: r, total: fileSize(path)}, nil
}

// detectEncoding: a BOM decides; otherwise valid UTF-8 is UTF-8 and
// anything else is taken as GB18030 (a superset of GBK and GB2312). A nil
// encoding means UTF-8.
func detectEncoding(head []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return nil, "UTF-8"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "UTF-16"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "UTF-16"
	}
	if validUTF8Prefix(head) {
		return nil, "UTF-8"
	}
	return simplifiedchinese.GB18030, "GB18030/GBK"
}

// validUTF8Prefix allows the 64 KB window to cut the last character.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
			return false
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func decodePrefix(enc encoding.Encoding, head []byte) (string, error) {
	if enc == nil {
		if !validUTF8Prefix(head) {
			return "", errors.New("invalid utf-8")
		}
		s := string(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}))
		// Drop a character the window may have cut in half.
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		return s, nil
	}
	// Cut the window at the last newline so a multi-byte character is
	// never split (GB18030 and UTF-16 never use 0x0A inside a character
	// except UTF-16's own newline, which is aligned).
	if i := bytes.LastIndexByte(head, '\n'); i > 0 && len(head) == 64<<10 {
		head = head[:i+1]
		if head[0] == 0xFF || head[0] == 0xFE { // UTF-16: keep an even length
			if len(head)%2 == 1 {
				head = head[:len(head)+1]
			}
		}
	}
	out, _, err := transform.Bytes(unicode.BOMOverride(enc.NewDecoder()), head)
	return string(out), err
}

// delimiter picks comma, tab or semicolon by which occurs most in the
// first line (outside quotes is close enough for headers).
func delimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, bestN := ',', strings.Count(first, ",")
	for _, c := range []rune{'\t', ';'} {
		if n := strings.Count(first, string(c)); n > bestN {
			best, bestN = c, n
		}
	}
	return best
}

func (s *csvSource) Next() bool {
	if s.err != nil {
		return false
	}
	rec, err := s.r.Read()
	if err == io.EOF {
		return false
	}
	if err != nil {
		s.err = apperr.Wrap(apperr.ImportCorrupt, "CSV 文件第 "+itoa(s.line+1)+" 行格式错误（引号不配对等），请用 Excel 打开检查后另存为 .xlsx 再导入。", err)
		return false
	}
	s.line++
	s.cells = rec
	return true
}

func (s *csvSource) Row() []string { return s.cells }
func (s *csvSource) Line() int     { return s.line }
func (s *csvSource) Progress() (int64, int64) {
	return s.count.n, s.total
}
func (s *csvSource) Err() error   { return s.err }
func (s *csvSource) Close() error { return s.f.Close() }
