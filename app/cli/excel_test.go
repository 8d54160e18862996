package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"caiji/backend/batch"
	"caiji/backend/batch/batchtest"
	"caiji/backend/store"
)

const fixtures = "../../backend/importer/testdata/"

// dataDirWithProject is a data dir with org unit ou1, its clerk 张敏 and
// the project MSJ-2026-001 that the fixture rosters name.
func dataDirWithProject(t *testing.T) string {
	t.Helper()
	return seededDir(t, func(ctx context.Context, _ *store.Store, svc *batch.Service) {
		b, err := svc.Open(ctx, clerkOfOU1, "msj_project", "2026-01")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Save(ctx, clerkOfOU1, b.ID, batch.Edit{Add: []map[string]string{batchtest.Project("MSJ-2026-001")}}); err != nil {
			t.Fatal(err)
		}
	})
}

func decodeImport(t *testing.T, stdout string) importJSON {
	t.Helper()
	return decodeStrict[importJSON](t, stdout)
}

func TestImportChecksAFileOnItsOwn(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := run("import", "--data-dir", dir, "--dataset", "msj_roster", "--file", fixtures+"sheetjs_errors.xlsx", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d for a readable file with bad rows; stderr %q", code, stderr)
	}
	got := decodeImport(t, stdout)
	if got.Rows != 6 || got.Valid != 1 || len(got.Errors) != 5 || got.Committed {
		t.Fatalf("%+v", got)
	}
	if e := got.Errors[0]; e.Row != 3 || e.Column != "B" || e.Field != "id_number" || e.Code != "id_checksum" || e.Message == "" {
		t.Fatalf("first error %+v", e)
	}
	if strings.Contains(stdout, "410102198001010262") {
		t.Fatal("an ID number reached the output")
	}
}

func TestImportRefusesAWholeFile(t *testing.T) {
	for file, want := range map[string]string{"sheetjs_legacy.xls": "import_legacy_xls", "zipbomb.xlsx": "import_too_large", "encrypted.xlsx": "import_encrypted"} {
		code, stdout, _ := run("import", "--data-dir", t.TempDir(), "--dataset", "msj_roster", "--file", fixtures+file, "--json")
		var got struct{ Error, Message string }
		if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitRefused || got.Error != want || got.Message == "" {
			t.Fatalf("%s: exit %d, %s", file, code, stdout)
		}
	}
	if code, _, _ := run("import", "--dataset", "msj_roster", "--file", "x.xlsx", "--org", "ou1"); code != ExitUsage {
		t.Fatalf("--org without --period and --user: exit %d", code)
	}
}

func TestImportCommitsIntoABatchAndExports(t *testing.T) {
	dir := dataDirWithProject(t)
	into := []string{"import", "--data-dir", dir, "--dataset", "msj_roster", "--org", "ou1", "--period", "2026-01", "--user", "张敏", "--json"}

	// A file with errors is not imported unless --valid-only; the report
	// is written on request.
	reportPath := filepath.Join(t.TempDir(), "report.xlsx")
	code, stdout, stderr := run(append(into, "--file", fixtures+"sheetjs_errors.xlsx", "--report", reportPath)...)
	got := decodeImport(t, stdout)
	if code != ExitOK || got.Committed || got.Reason == "" || got.Report != reportPath {
		t.Fatalf("exit %d %+v %s", code, got, stderr)
	}
	if b, err := os.ReadFile(reportPath); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Fatalf("report not written: %v", err)
	}
	code, stdout, _ = run(append(into, "--file", fixtures+"sheetjs_errors.xlsx", "--valid-only")...)
	if got = decodeImport(t, stdout); code != ExitOK || !got.Committed || got.Imported != 1 {
		t.Fatalf("valid only: %+v", got)
	}
	code, stdout, _ = run(append(into, "--file", fixtures+"exceljs_title_merged.xlsx", "--mode", "replace")...)
	if got = decodeImport(t, stdout); code != ExitOK || !got.Committed || got.Imported != 8 {
		t.Fatalf("replace: %+v", got)
	}
	id := strconv.FormatInt(got.Batch, 10)
	code, stdout, _ = run("validate", "--data-dir", dir, "--dataset", "msj_roster", "--batch", id, "--json")
	if code != ExitOK || !strings.Contains(stdout, `"rows": 8`) {
		t.Fatalf("validate after import: exit %d %s", code, stdout)
	}

	// Exports: masked by default; --full needs --user and is recorded.
	out := filepath.Join(t.TempDir(), "payroll.xlsx")
	if code, stdout, stderr := run("export", "--data-dir", dir, "--batch", id, "--kind", "payroll", "-o", out, "--json"); code != ExitOK {
		t.Fatalf("export: %d %s %s", code, stdout, stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Fatalf("payroll not written: %v", err)
	}
	if code, _, _ := run("export", "--data-dir", dir, "--batch", id, "--kind", "payroll", "-o", out, "--full"); code != ExitUsage {
		t.Fatalf("--full without --user: exit %d", code)
	}
	if code, _, stderr := run("export", "--data-dir", dir, "--batch", id, "--kind", "payroll", "-o", out, "--full", "--user", "张敏"); code != ExitOK {
		t.Fatalf("full export: %d %s", code, stderr)
	}
	if code, stdout, _ := run("export", "--data-dir", dir, "--batch", id, "--kind", "nonsense", "-o", out, "--json"); code != ExitRefused || !strings.Contains(stdout, "bad_input") {
		t.Fatalf("unknown kind: %d %s", code, stdout)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	st.DB().QueryRow("SELECT COUNT(*) FROM reveals WHERE field = 'export:payroll' AND user_id = 1").Scan(&n)
	if n != 1 {
		t.Fatalf("%d recorded full exports, want 1", n)
	}
}

func TestTemplateCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "t.xlsx")
	if code, _, stderr := run("template", "--dataset", "msj_roster", "-o", out, "--county", "410102"); code != ExitOK {
		t.Fatalf("template: %d %s", code, stderr)
	}
	// The empty template is read back: header found, no rows.
	code, stdout, _ := run("import", "--data-dir", t.TempDir(), "--dataset", "msj_roster", "--file", out, "--json")
	if code != ExitRefused || !strings.Contains(stdout, "import_empty") {
		t.Fatalf("empty template import: %d %s", code, stdout)
	}
	if code, _, _ := run("template", "--dataset", "msj_roster", "-o", out, "--county", "999999"); code != ExitRefused {
		t.Fatalf("bad county: exit %d", code)
	}
}
