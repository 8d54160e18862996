package report

import (
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"caiji/backend/batch"
	"caiji/backend/fields"
)

func TestHistory(t *testing.T) {
	d := dataset(t, "msj_roster")
	v1 := rosterRow(1, "300")
	v1["id_number"] = fields.MaskID(v1["id_number"])
	v2 := map[string]string{}
	for k, v := range v1 {
		v2[k] = v
	}
	v2["amount"], v2["village_code"] = "350", "410102001001"
	versions := []batch.RowVersion{
		{Version: 1, Status: batch.Accepted, RowID: 7, Cells: v1, UpdatedAt: "2026-11-23T02:00:00.000000Z"},
		{Version: 2, Status: batch.Approved, RowID: 9, Cells: v2, Reason: "=HYPERLINK(\"http://x\")",
			Rectification: "豫审整〔2027〕3号", Changed: []string{"amount", "village_code"}, UpdatedAt: "2026-11-24T03:30:00.000000Z"},
		{Version: 3, Status: batch.Draft, Reason: "重复发放", Cells: map[string]string{}},
	}
	data := export(t, func(w io.Writer) error { return History(w, d, versions, testMeta) })
	f := open(t, data)
	rows := rowsOf(t, f, "更正记录")
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	wantCell(t, f, "更正记录", "A1", "版本")
	wantCell(t, f, "更正记录", "B2", "平台已接收")
	wantCell(t, f, "更正记录", "C3", "豫审整〔2027〕3号")
	wantCell(t, f, "更正记录", "E3", "补助金额（元）、所在村")
	wantCell(t, f, "更正记录", "F3", "2026年11月24日 11:30")
	wantCell(t, f, "更正记录", "B4", "草稿（本版本删除了此行）")
	// A reason that looks like a formula stays text that never runs.
	checkText(t, data, f, "更正记录", "D3", "=HYPERLINK(\"http://x\")")
	noFormulas(t, data, 1)
	// The ID arrives masked and stays masked (not masked twice, not revealed).
	col := 0
	for i, h := range rows[0] {
		if h == "身份证号" {
			col = i
		}
	}
	if rows[1][col] != v1["id_number"] {
		t.Fatalf("id cell %q, want %q", rows[1][col], v1["id_number"])
	}
	// Changed cells are highlighted; unchanged ones are not.
	amountCol := 0
	for i, h := range rows[0] {
		if h == "补助金额（元）" {
			amountCol = i
		}
	}
	changed, _ := excelize.CoordinatesToCellName(amountCol+1, 3)
	same, _ := excelize.CoordinatesToCellName(amountCol+1, 2)
	if fill(t, f, changed) != "FFF2CC" || fill(t, f, same) == "FFF2CC" {
		t.Fatalf("highlight: changed %q, unchanged %q", fill(t, f, changed), fill(t, f, same))
	}
}

// fill is the pattern fill colour of a cell's style, "" if none.
func fill(t *testing.T, f *excelize.File, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle("更正记录", ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return st.Fill.Color[0]
}
