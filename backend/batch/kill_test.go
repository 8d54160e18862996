package batch

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKilledProcessKeepsEverySavedEdit kills (SIGKILL, no cleanup) a child
// process that saves one row per transaction, then reopens the database:
// every save the child reported is there, and no save is half there.
func TestKilledProcessKeepsEverySavedEdit(t *testing.T) {
	if os.Getenv("CAIJI_KILL_CHILD_DB") != "" {
		t.Skip("parent only")
	}
	path := t.TempDir() + "/caiji.db"
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CAIJI_KILL_CHILD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var batchID int64
	reported := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if _, err := fmt.Sscanf(line, "saved batch=%d revision=%d", &batchID, &reported); err == nil && reported >= 25 {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if reported < 25 {
		t.Fatalf("child reported only %d saves", reported)
	}

	f := openFixture(t, path, cst(2026, time.November, 23, 10))
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Get(ctx, f.clerk, batchID))
	if b.Revision < int64(reported) {
		t.Fatalf("revision %d after the child reported %d saves", b.Revision, reported)
	}
	// Each save added one row and bumped the revision together.
	if int64(b.Rows) != b.Revision {
		t.Fatalf("%d rows for revision %d: a save was torn", b.Rows, b.Revision)
	}
	page := must[RowPage](t)(f.svc.Rows(ctx, f.clerk, batchID, 0, MaxPage))
	for i, r := range page.Rows {
		if r.Cells["remark"] != "第"+strconv.Itoa(i+1)+"次保存" {
			t.Fatalf("row %d = %v", i+1, r.Cells)
		}
	}
}

// TestKillChild is the child of the test above; it saves until killed.
func TestKillChild(t *testing.T) {
	path := os.Getenv("CAIJI_KILL_CHILD_DB")
	if path == "" {
		t.Skip("child only")
	}
	f := openFixture(t, path, cst(2026, time.November, 23, 10))
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	for rev := int64(0); rev < 100000; rev++ {
		row := rosterRow(goodID, "1")
		row["remark"] = "第" + strconv.FormatInt(rev+1, 10) + "次保存"
		row["name"] = strings.Repeat("王", 1+int(rev%3))
		if _, err := f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: rev, Add: []map[string]string{row}}); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("saved batch=%d revision=%d\n", b.ID, rev+1)
	}
}
