package report

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

var injections = []string{
	"=1+1", "=HYPERLINK(\"http://example.com\",\"点我\")", "+86 138", "-5", "@SUM(A1:A9)",
	"  =1+1", "\t=cmd|' /C calc'!A0", "\u3000＝1+1", "＋1", "－1", "＠SUM(1)",
	"=", "-", "张三", "a=b", "1-2", "13812345678",
}

// checkText proves a cell holds s as text that can never run: the value is
// s, there is no formula, the cell is a string, and its style has
// quotePrefix exactly when s looks like a formula.
func checkText(t *testing.T, data []byte, f *excelize.File, sheet, ref, s string) {
	t.Helper()
	if got := cell(t, f, sheet, ref); got != s {
		t.Errorf("%s!%s = %q, want %q", sheet, ref, got, s)
	}
	if fm, err := f.GetCellFormula(sheet, ref); err != nil || fm != "" {
		t.Errorf("%s!%s has formula %q (%v)", sheet, ref, fm, err)
	}
	if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: cell type %v, want a string", sheet, ref, typ)
	}
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	qp := quotePrefixed(t, data)
	if id >= len(qp) {
		t.Fatalf("%s!%s: style %d not in the style sheet", sheet, ref, id)
	}
	if qp[id] != formulaLike(s) {
		t.Errorf("%s!%s = %q: quotePrefix %v", sheet, ref, s, qp[id])
	}
}

// noFormulas checks that no sheet of the workbook contains a formula.
func noFormulas(t *testing.T, data []byte, sheets int) {
	t.Helper()
	for i := 1; i <= sheets; i++ {
		x := part(t, data, fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		if bytes.Contains(x, []byte("<f>")) || bytes.Contains(x, []byte("<f ")) {
			t.Errorf("sheet %d contains a formula", i)
		}
	}
}

func TestFormulaGuardTable(t *testing.T) {
	d := dataset(t, "msj_roster")
	var rows []map[string]string
	for i, s := range injections {
		r := rosterRow(i, s) // as amount too: does not parse, so text
		r["name"], r["bank"], r["remark"] = s, s, s
		rows = append(rows, r)
	}
	data := export(t, func(w io.Writer) error { return Table(w, d, seq(rows...), testMeta, Options{}) })
	f := open(t, data)
	for i, s := range injections {
		for _, col := range []string{"A", "D", "I"} { // 姓名, 开户行, 备注
			checkText(t, data, f, d.Name, col+fmt.Sprint(i+2), s)
		}
		if _, ok := parseFen(s); !ok {
			checkText(t, data, f, d.Name, fmt.Sprint("E", i+2), s)
		}
	}
	noFormulas(t, data, 1)
}

func TestFormulaGuardDocuments(t *testing.T) {
	roster := dataset(t, "msj_roster")
	project := dataset(t, "msj_project")
	evil := "=HYPERLINK(\"http://example.com\")"
	m := testMeta
	m.OrgUnit, m.Preparer = evil, "@李"
	var rows []map[string]string
	var rr []RosterRow
	for i, s := range injections {
		r := rosterRow(i, "1")
		r["name"], r["bank"] = s, s
		rows = append(rows, r)
		rr = append(rr, RosterRow{Period: "2026-11", Cells: r})
	}
	projects := map[string]map[string]string{"MS2026001": {"project_name": "-低保", "policy_basis": "+政策"}}

	data := export(t, func(w io.Writer) error { return Payroll(w, roster, seq(rows...), projects, m, Options{}) })
	f := open(t, data)
	checkText(t, data, f, "发放清册", "A1", evil+"2026年11月-低保发放清册")
	for i, s := range injections {
		checkText(t, data, f, "发放清册", fmt.Sprint("B", i+4), s)
		checkText(t, data, f, "发放清册", fmt.Sprint("E", i+4), s)
	}
	noFormulas(t, data, 1)

	data = export(t, func(w io.Writer) error { return Cards(w, roster, seq(rr...), projects, project, m) })
	f = open(t, data)
	checkText(t, data, f, "明白卡", "B2", injections[0]) // first card's 姓名
	checkText(t, data, f, "明白卡", "A5", "-低保")         // 项目名称
	noFormulas(t, data, 1)

	data = export(t, func(w io.Writer) error { return Summary(w, roster, seq(rr...), ByProject, projects, m) })
	f = open(t, data)
	checkText(t, data, f, "汇总", "A1", evil+"2026年11月补助资金发放汇总表（按项目）")
	checkText(t, data, f, "汇总", "B4", "-低保")
	noFormulas(t, data, 1)
}
