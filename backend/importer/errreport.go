package importer

import (
	"context"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
)

// WriteErrorReport writes a copy of the imported file's first table with
// the bad cells filled red (warnings yellow) and an 错误说明 column at the
// end of each row with problems, plus a sheet listing every issue. The
// clerk fixes the copy and imports it again: the header, title rows and
// column order are kept, so the file maps as the original did. Rows are
// streamed, so the report of a large file costs no more memory than the
// file's issues.
func WriteErrorReport(ctx context.Context, path string, d catalog.Dataset, res Result, w io.Writer, progress func(Progress)) error {
	k, err := sniff(path)
	if err != nil {
		return err
	}
	var src source
	switch k {
	case kindCSV:
		s, err := newCSVSource(path)
		if err != nil {
			return err
		}
		src = s
	default:
		in, err := openWorkbook(path)
		if err != nil {
			return err
		}
		defer in.Close()
		sheet := res.Sheet
		if sheet == "" {
			sheet = in.GetSheetList()[0]
		}
		s, err := newXLSXSource(in, sheet)
		if err != nil {
			return err
		}
		src = s
	}
	defer src.Close()

	out := excelize.NewFile()
	defer out.Close()
	const reportSheet = "错误报告"
	if err := out.SetSheetName("Sheet1", reportSheet); err != nil {
		return reportErr(err)
	}
	sw, err := out.NewStreamWriter(reportSheet)
	if err != nil {
		return reportErr(err)
	}
	st, err := newReportStyles(out)
	if err != nil {
		return reportErr(err)
	}
	byLine := map[int][]Issue{}
	for _, is := range res.Issues {
		byLine[is.Row] = append(byLine[is.Row], is)
	}
	errCol := len(res.Columns) // after the header's last column
	if err := sw.SetColWidth(errCol+1, errCol+1, 60); err != nil {
		return reportErr(err)
	}
	if res.HeaderRow > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: res.HeaderRow, TopLeftCell: "A" + itoa(res.HeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
			return reportErr(err)
		}
	}
	colOf := map[string]int{}
	for _, c := range res.Columns {
		colOf[c.Letter] = c.Index
	}
	var row []any
	for n := 0; src.Next(); n++ {
		if n%cancelEvery == 0 && ctx.Err() != nil {
			return batch.Canceled()
		}
		if progress != nil && n%progressEvery == 0 {
			done, total := src.Progress()
			progress(Progress{Phase: "report", Rows: int64(n), Percent: percent(done, total)})
		}
		line := src.Line()
		cells := src.Row()
		width := len(cells)
		if width < errCol+1 {
			width = errCol + 1
		}
		row = row[:0]
		for i := 0; i < width; i++ {
			v := ""
			if i < len(cells) {
				v = cells[i]
			}
			row = append(row, excelize.Cell{Value: v})
		}
		issues := byLine[line]
		switch {
		case line == res.HeaderRow:
			row[errCol] = excelize.Cell{StyleID: st.head, Value: "错误说明"}
		case len(issues) > 0:
			row[errCol] = excelize.Cell{StyleID: st.note, Value: describe(issues)}
			for _, is := range issues {
				ci, ok := colOf[is.Column]
				if !ok || ci >= len(row) {
					continue
				}
				c := row[ci].(excelize.Cell)
				if is.Severity == "error" {
					c.StyleID = st.bad
				} else if c.StyleID != st.bad {
					c.StyleID = st.warn
				}
				row[ci] = c
			}
		}
		if err := sw.SetRow("A"+itoa(line), row); err != nil {
			return reportErr(err)
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return reportErr(err)
	}
	if err := issueList(out, res, st); err != nil {
		return reportErr(err)
	}
	if err := out.Write(w); err != nil {
		return apperr.Wrap(apperr.Internal, "无法写出错误报告。", err)
	}
	return nil
}

type reportStyles struct{ head, bad, warn, note int }

func newReportStyles(f *excelize.File) (reportStyles, error) {
	var st reportStyles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	st.head = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}})
	st.bad = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}, Font: &excelize.Font{Color: "9C0006"}})
	st.warn = mk(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}}})
	st.note = mk(&excelize.Style{Font: &excelize.Font{Color: "C00000"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return st, err
}

// describe joins a row's issues: "B 列 身份证号：…；E 列 …".
func describe(issues []Issue) string {
	parts := make([]string, 0, len(issues))
	for _, is := range issues {
		var b strings.Builder
		if is.Severity != "error" {
			b.WriteString("【提醒】")
		}
		if is.Column != "" {
			b.WriteString(is.Column + " 列")
		}
		if is.Label != "" {
			b.WriteString("「" + is.Label + "」")
		}
		if b.Len() > 0 {
			b.WriteString("：")
		}
		b.WriteString(strings.TrimPrefix(is.Message, "「"+is.Label+"」："))
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "；")
}

// issueList is the second sheet: one line per issue, for long files.
func issueList(f *excelize.File, res Result, st reportStyles) error {
	const name = "问题清单"
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(5, 5, 80); err != nil {
		return err
	}
	head := []any{"行号", "列", "字段", "级别", "问题"}
	for i := range head {
		head[i] = excelize.Cell{StyleID: st.head, Value: head[i]}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, is := range res.Issues {
		level := "错误"
		if is.Severity != "error" {
			level = "提醒"
		}
		if err := sw.SetRow("A"+itoa(i+2), []any{is.Row, is.Column, is.Label, level, is.Message}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func reportErr(err error) error {
	return apperr.Wrap(apperr.Internal, "无法生成错误报告。", err)
}
