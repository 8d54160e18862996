package app

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/batch/batchtest"
	"caiji/backend/catalog"
	"caiji/backend/session"
)

const importFixtures = "../backend/importer/testdata/"

// upload sends a file through Begin and Append in 4 KiB chunks, as the
// page does (in 1 MiB ones).
func upload(t *testing.T, a *App, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Imports.Begin(filepath.Base(path), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 4096 {
		end := min(off+4096, len(data))
		got, err := a.Imports.Append(id, base64.StdEncoding.EncodeToString(data[off:end]))
		if err != nil || got != int64(end) {
			t.Fatalf("Append at %d: %d, %v", off, got, err)
		}
	}
	return id
}

// wangFang is a valid roster row of project MSJ-2026-001 (projectAndRoster).
func wangFang() map[string]string {
	return map[string]string{"name": "王芳", "id_number": "11010519491231002X", "account": "6228480402564890018",
		"bank": "某县农村信用社", "amount": "300", "village_code": "410102001002", "project_code": "MSJ-2026-001"}
}

// projectAndRoster enters project MSJ-2026-001 as the logged-in clerk and
// opens the roster batch of the period being collected, which names it.
func projectAndRoster(t *testing.T, a *App) batch.Batch {
	t.Helper()
	cat, _ := catalog.Load()
	proj, _ := cat.Get("msj_project")
	pb, err := a.Entry.OpenBatch("msj_project", collecting(proj))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Entry.Save(pb.ID, batch.Edit{Revision: pb.Revision, Add: []map[string]string{batchtest.Project("MSJ-2026-001")}}); err != nil {
		t.Fatal(err)
	}
	d, _ := cat.Get("msj_roster")
	b, err := a.Entry.OpenBatch("msj_roster", collecting(d))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportThroughTheBoundMethods(t *testing.T) {
	a := demoApp(t)
	var mu sync.Mutex
	var events []ImportProgress
	a.emit = func(name string, data ...any) {
		if name == importEvent {
			mu.Lock()
			events = append(events, data[0].(ImportProgress))
			mu.Unlock()
		}
	}
	// Reviewers approve; they do not import.
	loginAs(t, a, session.Reviewer)
	if _, err := a.Imports.Begin("x.xlsx", 10); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("reviewer Begin: %v", err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Clerk)
	b := projectAndRoster(t, a)

	// A file with errors: the dry run counts, the commit refuses, the
	// error report is saved where the page can offer it.
	id := upload(t, a, importFixtures+"sheetjs_errors.xlsx")
	pre, err := a.Imports.Check(id, b.ID, "append")
	if err != nil {
		t.Fatal(err)
	}
	if pre.Result.Rows != 6 || pre.Result.Valid != 1 || pre.Result.ErrorRows != 5 || pre.IssuesTotal != len(pre.Result.Issues) || pre.UploadID != id {
		t.Fatalf("preview %+v", pre)
	}
	res, err := a.Imports.Commit(id, b.ID, "append", false, pre.Result.Revision)
	if err != nil || res.Result.Committed || res.Result.NotCommitted == "" {
		t.Fatalf("commit with errors: %+v %v", res, err)
	}
	rep, err := a.Imports.ErrorReport(id)
	if err != nil || !strings.HasSuffix(rep.Name, ".xlsx") || !strings.Contains(rep.Name, "sheetjs_errors-错误报告") || rep.Size == 0 {
		t.Fatalf("error report %+v %v", rep, err)
	}
	if _, err := os.Stat(rep.Path); err != nil {
		t.Fatal(err)
	}
	if err := a.Imports.Discard(id); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Imports.Check(id, b.ID, "append"); jsCode(t, err).Code != apperr.NotFound {
		t.Fatalf("discarded upload: %v", err)
	}

	// A good file commits; the grid then shows its rows.
	id = upload(t, a, importFixtures+"exceljs_title_merged.xlsx")
	pre, err = a.Imports.Check(id, b.ID, "append")
	if err != nil || pre.Result.Valid != 8 {
		t.Fatalf("check %+v %v", pre, err)
	}
	res, err = a.Imports.Commit(id, b.ID, "append", false, pre.Result.Revision)
	if err != nil || !res.Result.Committed || res.Result.Imported != 8 {
		t.Fatalf("commit %+v %v", res, err)
	}
	page, err := a.Entry.Rows(b.ID, 0, 100)
	if err != nil || page.Total != 8 || !strings.Contains(page.Rows[0].Cells["id_number"], "*") {
		t.Fatalf("rows after import: %+v %v", page.Total, err)
	}
	mu.Lock()
	phases := map[string]bool{}
	for _, e := range events {
		phases[e.Phase] = e.UploadID == id || phases[e.Phase]
	}
	mu.Unlock()
	if !phases["read"] || !phases["check"] || !phases["commit"] {
		t.Fatalf("progress events: %v", phases)
	}

	// An upload that claims more bytes than declared is refused.
	small, _ := a.Imports.Begin("a.csv", 3)
	if _, err := a.Imports.Append(small, base64.StdEncoding.EncodeToString([]byte("abcd"))); jsCode(t, err).Code != apperr.BadInput {
		t.Fatalf("oversized chunk: %v", err)
	}
}

func TestExportsThroughTheBoundMethods(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	cat, _ := catalog.Load()
	d, _ := cat.Get("msj_roster")
	b, err := a.Entry.OpenBatch("msj_roster", collecting(d))
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for _, f := range d.Fields {
		row[f.Code] = validCell(f)
	}
	if _, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: []map[string]string{row}}); err != nil {
		t.Fatal(err)
	}
	tpl, err := a.Exports.Template("msj_roster")
	if err != nil || filepath.Dir(tpl.Path) != a.exportsDir() {
		t.Fatalf("template %+v %v", tpl, err)
	}
	for _, kind := range []string{"table", "payroll", "cards", "summary_project", "summary_region", "summary_month"} {
		f, err := a.Exports.Batch(b.ID, kind, false)
		if err != nil || f.Size == 0 {
			t.Fatalf("%s: %+v %v", kind, f, err)
		}
	}
	if _, err := a.Exports.Batch(b.ID, "payroll", true); err != nil {
		t.Fatal(err)
	}
	var n int
	a.store.DB().QueryRow("SELECT COUNT(*) FROM reveals WHERE field = 'export:payroll'").Scan(&n)
	if n != 1 {
		t.Fatalf("full export recorded %d times", n)
	}
	// The page may only open what the app saved; in a browser there is
	// no save dialog.
	if _, err := a.Exports.SaveAs("/etc/passwd"); jsCode(t, err).Code != apperr.BadInput {
		t.Fatalf("SaveAs outside: %v", err)
	}
	if _, err := a.Exports.SaveAs(tpl.Path); jsCode(t, err).Code != apperr.NotAvailable {
		t.Fatalf("SaveAs without a window: %v", err)
	}
	a.SetDesktop(Desktop{SaveFileDialog: func(name string) (string, error) { return filepath.Join(t.TempDir(), name), nil }})
	if dst, err := a.Exports.SaveAs(tpl.Path); err != nil || dst == "" {
		t.Fatalf("SaveAs: %q %v", dst, err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Auditor)
	if _, err := a.Exports.Batch(b.ID, "table", false); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("auditor export: %v", err)
	}
}
