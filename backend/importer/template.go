package importer

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/regions"
)

// TemplateOptions narrow a template to one place.
type TemplateOptions struct {
	// Villages, when set, become the drop-down of village-code columns
	// (the villages of the clerk's county, "code 名称"); without them the
	// column only checks for 12 digits.
	Villages []regions.Entry
}

// templateRows is how far down validations and formats reach: more than
// any county's roster, and far less work for Excel than whole columns.
const templateRows = 20000

const (
	headerRow = 1 // Chinese labels, * marks required
	codeRow   = 2 // field codes, hidden: the importer maps by them too
	firstData = 3
	listSheet = "代码表"
	helpSheet = "填写说明"
)

// Template writes an empty .xlsx for a dataset that the importer reads
// back exactly: labelled header with notes, hidden code row, drop-downs
// for enumerations and villages, text format for 身份证号 and accounts
// (so Excel cannot turn them into 4.10102E+17), frozen and protected
// header rows, and a sheet explaining every column.
func Template(w io.Writer, d catalog.Dataset, opt TemplateOptions) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetName(d.Name)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return internalErr(err)
	}
	t := &tmpl{f: f, sheet: sheet, d: d}
	if err := t.build(opt); err != nil {
		return internalErr(err)
	}
	f.SetDocProps(&excelize.DocProperties{Title: d.Name + "导入模板", Creator: "Caiji", Description: d.Code})
	if err := f.Write(w); err != nil {
		return apperr.Wrap(apperr.Internal, "无法写出模板文件。", err)
	}
	return nil
}

type tmpl struct {
	f     *excelize.File
	sheet string
	d     catalog.Dataset
	lists int // columns used in the hidden list sheet
}

func (t *tmpl) build(opt TemplateOptions) error {
	f, sheet := t.f, t.sheet
	head, err := f.NewStyle(&excelize.Style{
		Font:       &excelize.Font{Bold: true, Size: 11},
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment:  &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:     borders(),
		Protection: &excelize.Protection{Locked: true},
	})
	if err != nil {
		return err
	}
	for i := range t.d.Fields {
		fd := &t.d.Fields[i]
		col, _ := excelize.ColumnNumberToName(i + 1)
		label := fd.Label
		if fd.Required {
			label = "*" + label
		}
		if err := f.SetCellStr(sheet, col+"1", label); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, col+"2", fd.Code); err != nil {
			return err
		}
		if err := f.AddComment(sheet, excelize.Comment{Cell: col + "1", Author: "Caiji",
			Paragraph: []excelize.RichTextRun{{Text: note(fd)}}}); err != nil {
			return err
		}
		body, err := f.NewStyle(bodyStyle(fd))
		if err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, col, body); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, colWidth(fd)); err != nil {
			return err
		}
		if err := t.validate(fd, col, opt); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(t.d.Fields))
	if err := f.SetCellStyle(sheet, "A1", last+"2", head); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, headerRow, 32); err != nil {
		return err
	}
	if err := f.SetRowVisible(sheet, codeRow, false); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// No password: the header is guarded against slips, not against a
	// clerk who means to change it (the importer maps columns anyway).
	if err := f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
		InsertRows: true, DeleteRows: true, Sort: true, AutoFilter: true,
	}); err != nil {
		return err
	}
	return t.help()
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "9BA7B4", Style: 1})
	}
	return b
}

// bodyStyle: data cells are unlocked (the sheet is protected) and typed
// so that Excel keeps what the clerk types.
func bodyStyle(fd *catalog.Field) *excelize.Style {
	s := &excelize.Style{Protection: &excelize.Protection{Locked: false}}
	switch fd.Type {
	case catalog.IDCard, catalog.Account, catalog.Region6, catalog.Region12, catalog.Phone, catalog.Text:
		s.NumFmt = 49 // "@": text, never a number
	case catalog.Money:
		fmtCode := "0.00"
		s.CustomNumFmt = &fmtCode
	case catalog.Date:
		fmtCode := "yyyy-mm-dd"
		s.CustomNumFmt = &fmtCode
	}
	return s
}

func colWidth(fd *catalog.Field) float64 {
	switch fd.Type {
	case catalog.IDCard, catalog.Account:
		return 22
	case catalog.Region12:
		return 26
	case catalog.Date, catalog.Money, catalog.Phone:
		return 14
	}
	w := float64(utf8.RuneCountInString(fd.Label))*2.2 + 2
	if w < 10 {
		w = 10
	}
	return w
}

// note is the header cell's comment: the field's help and what it takes.
func note(fd *catalog.Field) string {
	var b strings.Builder
	if fd.Required {
		b.WriteString("必填。")
	} else {
		b.WriteString("选填。")
	}
	b.WriteString(fd.Help)
	if len(fd.Values) > 0 {
		b.WriteString("\n可选：")
		b.WriteString(strings.Join(enumLabels(fd), "、"))
	}
	return b.String()
}

func enumLabels(fd *catalog.Field) []string {
	out := make([]string, len(fd.Values))
	for i, v := range fd.Values {
		out[i] = v.Label
	}
	return out
}

// validate adds the column's data validation over the data rows.
func (t *tmpl) validate(fd *catalog.Field, col string, opt TemplateOptions) error {
	sqref := col + "3:" + col + itoa(templateRows+firstData-1)
	dv := excelize.NewDataValidation(!fd.Required)
	dv.SetSqref(sqref)
	dv.SetInput(clip(fd.Label, 32), clip(fd.Help, 250))
	switch fd.Type {
	case catalog.Enum:
		labels := enumLabels(fd)
		if err := dv.SetDropList(labels); err != nil {
			ref, err := t.list(fd.Label, labels)
			if err != nil {
				return err
			}
			dv.SetSqrefDropList(ref)
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "请从下拉列表中选择", "「"+fd.Label+"」只能填写："+clip(strings.Join(labels, "、"), 200))
	case catalog.Region12:
		if len(opt.Villages) > 0 {
			items := make([]string, len(opt.Villages))
			for i, v := range opt.Villages {
				items[i] = v.Code + " " + v.Name
			}
			ref, err := t.list(fd.Label, items)
			if err != nil {
				return err
			}
			dv.SetSqrefDropList(ref)
			// A warning, not a stop: a village newer than the list must
			// still be enterable; the importer warns about it again.
			dv.SetError(excelize.DataValidationErrorStyleWarning, "村代码不在本县列表中", "请核对 12 位村代码；确属新设村的可以继续。")
		} else if err := t.length(dv, fd, 12, 12); err != nil {
			return err
		}
	case catalog.Region6:
		if err := t.length(dv, fd, 6, 6); err != nil {
			return err
		}
	case catalog.IDCard:
		if err := t.length(dv, fd, 15, 18); err != nil {
			return err
		}
	case catalog.Account:
		if err := t.length(dv, fd, 12, 19); err != nil {
			return err
		}
	case catalog.Money:
		if err := dv.SetRange(0, 1e12, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "金额不正确", "请填写以元为单位的数字，最多两位小数，不能为负数。")
	}
	return t.f.AddDataValidation(t.sheet, dv)
}

func (t *tmpl) length(dv *excelize.DataValidation, fd *catalog.Field, lo, hi int) error {
	if err := dv.SetRange(lo, hi, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	msg := "「" + fd.Label + "」应为 " + itoa(lo) + " 位。"
	if lo != hi {
		msg = "「" + fd.Label + "」应为 " + itoa(lo) + "–" + itoa(hi) + " 位。"
	}
	dv.SetError(excelize.DataValidationErrorStyleWarning, "位数不对", msg)
	return nil
}

// list writes items into a column of the hidden list sheet and returns
// the absolute reference a drop-down can use.
func (t *tmpl) list(title string, items []string) (string, error) {
	if t.lists == 0 {
		if _, err := t.f.NewSheet(listSheet); err != nil {
			return "", err
		}
		if err := t.f.SetSheetVisible(listSheet, false); err != nil {
			return "", err
		}
	}
	t.lists++
	col, _ := excelize.ColumnNumberToName(t.lists)
	if err := t.f.SetCellStr(listSheet, col+"1", title); err != nil {
		return "", err
	}
	for i, it := range items {
		if err := t.f.SetCellStr(listSheet, col+itoa(i+2), it); err != nil {
			return "", err
		}
	}
	return listSheet + "!$" + col + "$2:$" + col + "$" + itoa(len(items)+1), nil
}

// help writes the 填写说明 sheet: one line per column.
func (t *tmpl) help() error {
	f := t.f
	if _, err := f.NewSheet(helpSheet); err != nil {
		return err
	}
	rows := [][]any{{"列", "字段", "是否必填", "说明", "可选值"}}
	for i := range t.d.Fields {
		fd := &t.d.Fields[i]
		col, _ := excelize.ColumnNumberToName(i + 1)
		req := "选填"
		if fd.Required {
			req = "必填"
		}
		rows = append(rows, []any{col, fd.Label, req, fd.Help, strings.Join(enumLabels(fd), "、")})
	}
	rows = append(rows, []any{}, []any{"", "提示", "", "第 1 行是表头，请勿修改；从第 3 行起填写数据（第 2 行为系统使用的隐藏行）。身份证号、账号列已设为文本格式，请直接输入或粘贴为“值”。", ""})
	for i, r := range rows {
		if err := f.SetSheetRow(helpSheet, "A"+itoa(i+1), &r); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(helpSheet, "D", "D", 70); err != nil {
		return err
	}
	if err := f.SetColWidth(helpSheet, "B", "B", 18); err != nil {
		return err
	}
	if err := f.SetColWidth(helpSheet, "E", "E", 40); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return nil
}

// sheetName makes a dataset name a legal sheet name (31 characters, no
// []:*?/\).
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	return name
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func internalErr(err error) error {
	return apperr.Wrap(apperr.Internal, "无法生成模板文件。", err)
}
