package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/batch/batchtest"
	"caiji/backend/catalog"
	"caiji/backend/store"
)

var clerk = batch.Actor{UserID: 1, OrgUnitID: 1}

type env struct {
	cat   *catalog.Catalog
	d     catalog.Dataset
	svc   *batch.Service
	st    *store.Store
	batch int64
}

// newEnv opens a database with org unit 1's project MSJ-2026-001 (county
// 410102) and an empty November 2026 roster batch.
func newEnv(t testing.TB, path string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	batchtest.SeedUsers(t, st)
	cat, d := roster(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	svc := batch.New(st.DB(), cat, func() time.Time { return now })
	proj, err := svc.Open(ctx, clerk, "msj_project", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if proj.Rows == 0 {
		if _, err := svc.Save(ctx, clerk, proj.ID, batch.Edit{Revision: proj.Revision, Add: []map[string]string{batchtest.Project("MSJ-2026-001")}}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := svc.Open(ctx, clerk, "msj_roster", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	return &env{cat: cat, d: d, svc: svc, st: st, batch: b.ID}
}

func (e *env) req(path string) Request {
	return Request{Path: path, Dataset: e.d, Catalog: e.cat, Batches: e.svc, Actor: clerk, BatchID: e.batch,
		Mode: batch.Append, Revision: -1}
}

func (e *env) rows(t testing.TB) []batch.Row {
	t.Helper()
	p, err := e.svc.Rows(context.Background(), clerk, e.batch, 0, batch.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	return p.Rows
}

func TestCommitAllOrNothing(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "c.db"))
	ctx := context.Background()

	// A file with error rows commits nothing unless the clerk asks for
	// the valid rows only.
	r := e.req("testdata/sheetjs_errors.xlsx")
	r.Commit = true
	res, err := Run(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Committed || res.NotCommitted == "" || len(e.rows(t)) != 0 {
		t.Fatalf("committed a file with errors: %+v", res)
	}
	r.ValidOnly = true
	res, err = Run(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Committed || res.Imported != 1 || len(e.rows(t)) != 1 {
		t.Fatalf("valid only: %+v, %d rows", res, len(e.rows(t)))
	}

	// Appending the good file: its 8 rows join the one already there.
	r = e.req("testdata/exceljs_title_merged.xlsx")
	r.Commit = true
	res, err = Run(ctx, r)
	if err != nil || !res.Committed || res.BatchRows != 9 {
		t.Fatalf("append: %+v %v", res, err)
	}
	// Appending it again: every row is now a duplicate of a stored one.
	res, err = Run(ctx, r)
	if err != nil || res.Committed || res.ErrorRows != 8 || len(e.rows(t)) != 9 {
		t.Fatalf("re-append: %+v %v", res, err)
	}
	if msg := res.Issues[0].Message; !strings.Contains(msg, "与批次中已有的第 2 行重复") {
		t.Fatalf("duplicate of a stored row: %s", msg)
	}
	// Replacing: the batch holds exactly the file.
	r.Mode = batch.Replace
	res, err = Run(ctx, r)
	if err != nil || !res.Committed || res.BatchRows != 8 || len(e.rows(t)) != 8 {
		t.Fatalf("replace: %+v %v", res, err)
	}
	got := e.rows(t)
	if got[0].Cells["name"] == "" || got[7].Cells["amount"] == "" || got[0].Cells["id_number"] == "" {
		t.Fatalf("stored cells: %v", got[0].Cells)
	}
}

func TestCommitRefusesAChangedBatch(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "c.db"))
	ctx := context.Background()
	dry, err := Run(ctx, e.req("testdata/roster_gbk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The grid saves something between the dry run and the commit.
	if _, err := e.svc.Save(ctx, clerk, e.batch, batch.Edit{Revision: dry.Revision, Add: []map[string]string{{"name": "新增"}}}); err != nil {
		t.Fatal(err)
	}
	r := e.req("testdata/roster_gbk.csv")
	r.Commit, r.Revision = true, dry.Revision
	if _, err := Run(ctx, r); !apperr.Is(err, apperr.StaleEdit) {
		t.Fatalf("commit over a changed batch: %v", err)
	}
	if n := len(e.rows(t)); n != 1 {
		t.Fatalf("%d rows after a refused commit", n)
	}
	// Another org unit's batch is not found, whatever the file.
	r.Actor = batch.Actor{UserID: 2, OrgUnitID: 2}
	if _, err := Run(ctx, r); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("foreign batch: %v", err)
	}
}

func TestCancelChangesNothing(t *testing.T) {
	e := newEnv(t, filepath.Join(t.TempDir(), "c.db"))
	path := writeRoster(t, t.TempDir(), 2500, nil) // two chunks
	for _, phase := range []string{"read", "check", "commit"} {
		ctx, cancel := context.WithCancel(context.Background())
		r := e.req(path)
		r.Commit = true
		r.Progress = func(p Progress) {
			if p.Phase == phase {
				cancel()
			}
		}
		_, err := Run(ctx, r)
		cancel()
		if !apperr.Is(err, apperr.Canceled) {
			t.Fatalf("cancel in %s: %v", phase, err)
		}
		if n := len(e.rows(t)); n != 0 {
			t.Fatalf("cancel in %s left %d rows", phase, n)
		}
	}
}

// TestTemplateRoundTrip: every dataset's template is read back by the
// importer with every column mapped; a filled roster template imports.
func TestTemplateRoundTrip(t *testing.T) {
	cat, _ := roster(t)
	dir := t.TempDir()
	for _, d := range cat.Datasets() {
		var buf bytes.Buffer
		if err := Template(&buf, d, TemplateOptions{}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, d.Code+".xlsx")
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), Request{Path: path, Dataset: d, Catalog: cat})
		if !apperr.Is(err, apperr.ImportEmpty) {
			t.Fatalf("%s: empty template gives %v, want import_empty", d.Code, err)
		}
	}
}

func TestTemplateLayout(t *testing.T) {
	cat, d := roster(t)
	l := villages(t)
	var buf bytes.Buffer
	if err := Template(&buf, d, TemplateOptions{Villages: l}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if sheet != d.Name {
		t.Fatalf("sheet %q", sheet)
	}
	if v, _ := f.GetCellValue(sheet, "B1"); v != "*身份证号" {
		t.Errorf("B1 = %q", v)
	}
	if v, _ := f.GetCellValue(sheet, "B2"); v != "id_number" {
		t.Errorf("code row B2 = %q", v)
	}
	if vis, _ := f.GetRowVisible(sheet, 2); vis {
		t.Error("code row visible")
	}
	// Text format on the ID and account columns, so Excel keeps 18 digits.
	for _, col := range []string{"B", "C"} {
		sid, _ := f.GetColStyle(sheet, col)
		st, _ := f.GetStyle(sid)
		if st.NumFmt != 49 {
			t.Errorf("column %s number format %d, want 49 (text)", col, st.NumFmt)
		}
	}
	comments, _ := f.GetComments(sheet)
	if len(comments) != len(d.Fields) {
		t.Errorf("%d header notes for %d fields", len(comments), len(d.Fields))
	}
	dvs, _ := f.GetDataValidations(sheet)
	var villageList bool
	for _, dv := range dvs {
		if dv.Sqref == "F3:F20002" && dv.Type == "list" {
			villageList = true
		}
	}
	if !villageList {
		t.Errorf("no village drop-down on F: %+v", dvs)
	}
	if vis, _ := f.GetSheetVisible(listSheet); vis {
		t.Error("list sheet visible")
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes %+v", panes)
	}

	// Fill two rows the way a clerk would (the drop-down value carries
	// the village name) and import.
	rows := [][]any{
		{"王芳", "41010219800101019X", "6217002430012345678", "城关信用社", 350.5, l[0].Code + " " + l[0].Name, "MSJ-2026-001"},
		{"李娜", "410102198001010093", "6217002430012345686", "城关信用社", 420, l[1].Code + " " + l[1].Name, "MSJ-2026-001"},
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sheet, "A"+itoa(i+3), &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "filled.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Request{Path: path, Dataset: d, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 2 || res.Valid != 2 || res.Skipped[0] != 2 {
		t.Fatalf("filled template: %+v", res)
	}
	p, _ := read(context.Background(), path, d, nil)
	if p.rows[0]["village_code"] != l[0].Code || p.rows[0]["amount"] != "350.50" {
		t.Fatalf("cells %v", p.rows[0])
	}
}

// TestTooManyRowsIsRefusedWhileReading: reading stops at the bound, so
// a huge file costs neither the memory nor the wait.
func TestTooManyRowsIsRefusedWhileReading(t *testing.T) {
	cat, d := roster(t)
	old := maxRows
	maxRows = 2500
	defer func() { maxRows = old }()
	path := writeRosterCSV(t, t.TempDir(), 9000)
	var read int64
	_, err := Run(context.Background(), Request{Path: path, Dataset: d, Catalog: cat,
		Progress: func(p Progress) { read = max(read, p.Rows) }})
	if !apperr.Is(err, apperr.ImportTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if read > 6000 {
		t.Fatalf("read %d rows before refusing", read)
	}
}
