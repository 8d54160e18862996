package importer

import (
	"errors"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
)

// source yields a file's rows as text, one at a time, so memory does not
// grow with the file.
type source interface {
	Next() bool
	Row() []string // the current row's cells, as the spreadsheet shows them
	Line() int     // the current row's number in the file, from 1
	Progress() (done, total int64)
	Err() error
	Close() error
}

// excelOptions apply to every workbook we open: the unzip limits stop a
// zip bomb inside excelize as well (sniff refuses most before), and the
// zh-CN culture renders built-in date formats the way a clerk's Excel
// does (2026/11/23, not 11-23-26).
func excelOptions() excelize.Options {
	return excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: 16 << 20,
		CultureInfo:       excelize.CultureNameZhCN,
	}
}

func openWorkbook(path string) (*excelize.File, error) {
	f, err := excelize.OpenFile(path, excelOptions())
	if err != nil {
		return nil, workbookError(err)
	}
	return f, nil
}

func workbookError(err error) error {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return apperr.Wrap(apperr.ImportNotSpreadsheet, "无法识别的文件格式，请选择 .xlsx 文件。", err)
	case errors.Is(err, excelize.ErrMaxRows):
		return apperr.Wrap(apperr.ImportTooLarge, "工作表超过 Excel 的最大行数 1,048,576，文件可能已损坏。", err)
	case err.Error() == excelize.ErrOptionsUnzipSizeLimit.Error() || errors.Is(err, excelize.ErrOptionsUnzipSizeLimit):
		return apperr.Wrap(apperr.ImportTooLarge, "文件解压后超过可导入的大小，请拆分后再导入。", err)
	}
	return apperr.Wrap(apperr.ImportCorrupt, "文件已损坏，无法读取。请用 Excel 或 WPS 打开确认，另存为 .xlsx 后再导入。", err)
}

// sheetCandidates lists the sheets to look for a header in: the active
// sheet first (where the clerk left off), then the other visible ones.
func sheetCandidates(f *excelize.File) []string {
	list := f.GetSheetList()
	var out []string
	if i := f.GetActiveSheetIndex(); i >= 0 && i < len(list) {
		if v, _ := f.GetSheetVisible(list[i]); v {
			out = append(out, list[i])
		}
	}
	for _, name := range list {
		if len(out) > 0 && name == out[0] {
			continue
		}
		if v, _ := f.GetSheetVisible(name); v {
			out = append(out, name)
		}
	}
	return out
}

// xlsxSource iterates one worksheet with excelize's streaming reader.
type xlsxSource struct {
	rows  *excelize.Rows
	line  int
	cells []string
	total int64
	err   error
}

func newXLSXSource(f *excelize.File, sheet string) (*xlsxSource, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, workbookError(err)
	}
	s := &xlsxSource{rows: rows}
	// The dimension element comes before the data; reading it is cheap
	// and gives the progress bar its end. Some writers omit it.
	if ref, err := f.GetSheetDimension(sheet); err == nil {
		s.total = int64(lastRow(ref))
	}
	return s, nil
}

func (s *xlsxSource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		if err := s.rows.Error(); err != nil && s.err == nil {
			s.err = workbookError(err)
		}
		return false
	}
	s.line++
	s.cells, s.err = s.rows.Columns()
	if s.err != nil {
		s.err = workbookError(s.err)
		return false
	}
	return true
}

func (s *xlsxSource) Row() []string { return s.cells }
func (s *xlsxSource) Line() int     { return s.line }
func (s *xlsxSource) Progress() (int64, int64) {
	total := s.total
	if int64(s.line) > total {
		total = 0 // the dimension lied; show an indeterminate bar
	}
	return int64(s.line), total
}
func (s *xlsxSource) Err() error   { return s.err }
func (s *xlsxSource) Close() error { return s.rows.Close() }

// lastRow reads the row of the bottom-right cell of a dimension such as
// "A1:L100001"; 0 when it cannot tell.
func lastRow(ref string) int {
	end := ref
	for i := len(ref) - 1; i >= 0; i-- {
		if ref[i] == ':' {
			end = ref[i+1:]
			break
		}
	}
	i := 0
	for i < len(end) && (end[i] < '0' || end[i] > '9') {
		i++
	}
	n, _ := strconv.Atoi(end[i:])
	return n
}

// fileSize is for progress over byte streams.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}
