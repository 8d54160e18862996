package report

import (
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTableRoster(t *testing.T) {
	d := dataset(t, "msj_roster")
	rows := []map[string]string{
		rosterRow(1, "0.1"),
		rosterRow(2, "0.2"),
		rosterRow(3, "1,200.50"),
		rosterRow(4, "一百元"), // does not parse: shown as typed, not summed
		rosterRow(5, ""),    // blank: nothing
	}
	rows[0]["village_code"] = "110105001024"
	rows[1]["village_code"] = "999999999999" // unknown: the code alone
	for _, c := range []struct {
		name          string
		o             Options
		id, acc, note string
	}{
		{"masked", Options{}, "410***********" + idNumber(1)[14:], "6222***********" + account(1)[15:], ""},
		{"full", Options{Full: true}, idNumber(1), account(1), fullWarning},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := export(t, func(w io.Writer) error { return Table(w, d, seq(rows...), testMeta, c.o) })
			f := open(t, data)
			sheet := "个人补助资金发放表"
			if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
				t.Fatalf("sheets %v", got)
			}
			all := rowsOf(t, f, sheet)
			var labels []string
			for _, fd := range d.Fields {
				labels = append(labels, fd.Label)
			}
			if strings.Join(all[0], "|") != strings.Join(labels, "|") {
				t.Errorf("header %v, want %v", all[0], labels)
			}
			wantCell(t, f, sheet, "A2", "张1")
			wantCell(t, f, sheet, "B2", c.id)
			wantCell(t, f, sheet, "C2", c.acc)
			wantCell(t, f, sheet, "F2", "110105001024 南郎家园社区居委会")
			wantCell(t, f, sheet, "F3", "999999999999")
			// Money: numbers with #,##0.00, exact.
			for ref, fen := range map[string]int64{"E2": 10, "E3": 20, "E4": 120050} {
				if got := fenAt(t, f, sheet, ref); got != fen {
					t.Errorf("%s = %d fen, want %d", ref, got, fen)
				}
			}
			wantCell(t, f, sheet, "E4", "1,200.50")
			wantCell(t, f, sheet, "E5", "一百元")
			if typ, _ := f.GetCellType(sheet, "E5"); typ != excelize.CellTypeInlineString {
				t.Errorf("unparsed amount has type %v, want a string", typ)
			}
			wantCell(t, f, sheet, "E6", "")
			// 合计: 0.1 + 0.2 + 1200.50, exact in fen.
			wantCell(t, f, sheet, "A7", "合计")
			if got := fenAt(t, f, sheet, "E7"); got != 120080 {
				t.Errorf("合计 = %d fen, want 120080", got)
			}
			if got := raw(t, f, sheet, "E7"); got != "1200.8" {
				t.Errorf("合计 stored as %q, want 1200.8", got)
			}
			if len(all) != 7 {
				t.Errorf("%d rows, want header + 5 + 合计", len(all))
			}
			// Frozen header, filter over header and data, widths, print titles.
			panes, err := f.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
				t.Errorf("panes %+v, %v: want the header frozen", panes, err)
			}
			var filter string
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" {
					filter = dn.RefersTo
				}
			}
			if !strings.HasSuffix(filter, "$A$1:$I$6") {
				t.Errorf("autofilter %q, want A1:I6", filter)
			}
			if w, _ := f.GetColWidth(sheet, "B"); w < 20 {
				t.Errorf("身份证号 column %v wide, want room for 18 digits", w)
			}
			if pt := printTitles(f, sheet); !strings.HasSuffix(pt, "$1:$1") {
				t.Errorf("print titles %q", pt)
			}
			hf, _ := f.GetHeaderFooter(sheet)
			if c.note != "" && !strings.Contains(hf.OddHeader, c.note) {
				t.Errorf("unmasked export without warning in the header: %q", hf.OddHeader)
			}
			if c.note == "" && hf.OddHeader != "" {
				t.Errorf("masked export has header %q", hf.OddHeader)
			}
		})
	}
}

func TestTableEnumAndNoMoney(t *testing.T) {
	d := dataset(t, "msj_project")
	rows := []map[string]string{
		{"project_code": "MS2026001", "project_name": "城乡低保", "fund_category": "social_assistance",
			"county_code": "410102", "department": "民政局", "total_amount": "1000000", "start_date": "2026-01-01"},
		{"project_code": "MS2026002", "project_name": "高龄津贴", "fund_category": "养老保障",
			"county_code": "410102", "department": "民政局", "total_amount": "20,000.05", "start_date": "2026-01-01"},
	}
	f := open(t, export(t, func(w io.Writer) error { return Table(w, d, seq(rows...), testMeta, Options{}) }))
	sheet := "民生资金项目主表"
	wantCell(t, f, sheet, "C2", "社会救助") // code → label
	wantCell(t, f, sheet, "C3", "养老保障") // label stays
	wantCell(t, f, sheet, "D2", "410102 中原区")
	wantCell(t, f, sheet, "A4", "合计")
	if got := fenAt(t, f, sheet, "F4"); got != 100000000+2000005 {
		t.Errorf("合计 %d", got)
	}

	// No money field: no 合计 row. Zero rows: the header alone.
	pub := dataset(t, "msj_publicity")
	f = open(t, export(t, func(w io.Writer) error {
		return Table(w, pub, seq[map[string]string](), testMeta, Options{})
	}))
	all := rowsOf(t, f, pub.Name)
	if len(all) != 1 {
		t.Errorf("empty table without money has %d rows, want the header only", len(all))
	}
}

// TestTablePersonalFieldsFollowBatchRule: every field batch.Personal names
// is masked, and only those.
func TestTablePersonalFieldsFollowBatchRule(t *testing.T) {
	d := dataset(t, "fp_household")
	row := map[string]string{}
	for _, fd := range d.Fields {
		row[fd.Code] = "410102195001010010"
	}
	f := open(t, export(t, func(w io.Writer) error { return Table(w, d, seq(row), testMeta, Options{}) }))
	for i, fd := range d.Fields {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		got := cell(t, f, d.Name, ref)
		masked := strings.Contains(got, "*")
		if personal := fd.Type == "idcard" || fd.Type == "account"; masked != personal {
			t.Errorf("%s (%s) = %q: masked %v", fd.Code, fd.Type, got, masked)
		}
	}
}
