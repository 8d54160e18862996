package importer

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/batch"
)

// TestErrorReportMarksBadCells: the report is the input with the bad
// cells filled, an 错误说明 column, and a list of issues; fixing the
// marked cells in the report and importing it again succeeds.
func TestErrorReportMarksBadCells(t *testing.T) {
	cat, d := roster(t)
	ctx := context.Background()
	path := "testdata/sheetjs_errors.xlsx"
	res, err := Run(ctx, Request{Path: path, Dataset: d, Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteErrorReport(ctx, path, d, res, &buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const s = "错误报告"
	if v, _ := f.GetCellValue(s, "J1"); v != "错误说明" {
		t.Fatalf("J1 = %q", v)
	}
	if v, _ := f.GetCellValue(s, "B3"); v != "410102198001010262" {
		t.Fatalf("input not copied: B3 = %q", v)
	}
	for cell, want := range map[string]bool{"B3": true, "A4": true, "E5": true, "F6": true, "B7": true, "B2": false, "A3": false} {
		sid, _ := f.GetCellStyle(s, cell)
		st, _ := f.GetStyle(sid)
		red := st != nil && len(st.Fill.Color) > 0 && st.Fill.Color[0] == "FFC7CE"
		if red != want {
			t.Errorf("%s highlighted = %v, want %v", cell, red, want)
		}
	}
	note, _ := f.GetCellValue(s, "J3")
	if !strings.Contains(note, "B 列") || !strings.Contains(note, "校验位") {
		t.Errorf("J3 note %q", note)
	}
	if v, _ := f.GetCellValue(s, "J2"); v != "" {
		t.Errorf("a good row has a note: %q", v)
	}
	list, _ := f.GetRows("问题清单")
	if len(list) != 1+len(res.Issues) {
		t.Errorf("issue list has %d lines for %d issues", len(list)-1, len(res.Issues))
	}

	// The clerk fixes the file from the report: drop the bad rows 3–7.
	for _, row := range []int{7, 6, 5, 4, 3} {
		if err := f.RemoveRow(s, row); err != nil {
			t.Fatal(err)
		}
	}
	fixed := filepath.Join(t.TempDir(), "fixed.xlsx")
	if err := f.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	again, err := Run(ctx, Request{Path: fixed, Dataset: d, Catalog: cat})
	if err != nil || again.Rows != 1 || again.Valid != 1 || len(again.Ignored) != 1 || again.Ignored[0] != "错误说明" {
		t.Fatalf("re-import of the report: %+v %v", again, err)
	}
}

// TestKilledImportLeavesTheBatchAsItWas SIGKILLs a child process while it
// commits a 30,000-row import (CSV, so the child reaches the commit quickly), then checks the batch holds exactly the
// rows it had before, at the same revision.
func TestKilledImportLeavesTheBatchAsItWas(t *testing.T) {
	if os.Getenv("CAIJI_IMPORT_CHILD") != "" {
		t.Skip("parent only")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "k.db")
	e := newEnv(t, dbPath)
	r := e.req("testdata/roster_gbk.csv")
	r.Commit = true
	before, err := Run(context.Background(), r)
	if err != nil || !before.Committed {
		t.Fatalf("setup import: %+v %v", before, err)
	}
	rowsBefore := e.rows(t)
	e.st.Close()
	big := writeRosterCSV(t, dir, 30000)

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CAIJI_IMPORT_CHILD="+dbPath, "CAIJI_IMPORT_FILE="+big)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	committing := false
	for sc.Scan() {
		if sc.Text() == "committing" {
			committing = true
			break
		}
	}
	// Kill once the transaction has written into the WAL: rows are on
	// disk, uncommitted. That is the moment a torn import would show.
	wal := dbPath + "-wal"
	start := fileSize(wal)
	deadline := time.Now().Add(20 * time.Second)
	for fileSize(wal) < start+512<<10 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	grew := fileSize(wal) - start
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if !committing || grew < 512<<10 {
		t.Fatalf("child never reached the commit's writes (committing %v, WAL grew %d bytes)", committing, grew)
	}

	e2 := newEnv(t, dbPath)
	after := e2.rows(t)
	if fmt.Sprint(after) != fmt.Sprint(rowsBefore) {
		t.Fatalf("batch changed by a killed import: %d rows before, %d after", len(rowsBefore), len(after))
	}
	b, err := e2.svc.Get(context.Background(), clerk, e2.batch)
	if err != nil || b.Revision != before.Revision {
		t.Fatalf("revision %d, want %d (%v)", b.Revision, before.Revision, err)
	}
}

// TestImportChild is the process the kill test kills.
func TestImportChild(t *testing.T) {
	dbPath := os.Getenv("CAIJI_IMPORT_CHILD")
	if dbPath == "" {
		t.Skip("child only")
	}
	e := newEnv(t, dbPath)
	r := e.req(os.Getenv("CAIJI_IMPORT_FILE"))
	r.Commit, r.Mode = true, batch.Replace
	r.Progress = func(p Progress) {
		if p.Phase == "commit" && p.Percent < 0 {
			fmt.Println("committing")
			os.Stdout.Sync()
		}
	}
	if _, err := Run(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	fmt.Println("committed") // the parent should have killed us before this
	time.Sleep(time.Minute)
}
