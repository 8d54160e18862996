package app

import (
	"io"
	"os"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/session"
)

// approvedRoster leaves a roster batch of one row submitted by the demo
// clerk and approved by the demo reviewer, and the clerk logged in.
func approvedRoster(t *testing.T, a *App) (batch.Batch, int64) {
	t.Helper()
	loginAs(t, a, session.Clerk)
	b := projectAndRoster(t, a)
	saved, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: []map[string]string{wangFang()}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err = a.Review.Submit(b.ID, saved.Revision, false, ""); err != nil {
		t.Fatal(err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Reviewer)
	if b, err = a.Review.Approve(b.ID, b.Revision); err != nil {
		t.Fatal(err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Clerk)
	return b, saved.Added[0]
}

func TestCorrectionThroughTheBoundMethods(t *testing.T) {
	a := demoApp(t)
	v1, row1 := approvedRoster(t, a)

	v2, err := a.Corrections.Correct(v1.ID, "")
	if err != nil || v2.Version != 2 || v2.Replaces != v1.ID {
		t.Fatalf("correct: %+v %v", v2, err)
	}
	page, err := a.Entry.Rows(v2.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	row2 := page.Rows[0].ID
	if _, err := a.Entry.Save(v2.ID, batch.Edit{Revision: v2.Revision, Cells: []batch.CellEdit{{RowID: row2, Field: "amount", Value: "350"}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Corrections.SetReason(v2.ID, batch.Reason{RowID: row2, Text: "按银行回单更正"}); err != nil {
		t.Fatal(err)
	}
	ch, err := a.Corrections.Changes(v2.ID)
	if err != nil || len(ch.Rows) != 1 || ch.Missing != 0 || ch.Rows[0].Fields[0].After != "350" {
		t.Fatalf("changes %+v %v", ch, err)
	}
	h, err := a.Corrections.History(v1.ID, row1)
	if err != nil || len(h) != 2 || h[1].Cells["amount"] != "350" {
		t.Fatalf("history %+v %v", h, err)
	}
	saved, err := a.Corrections.ExportHistory(v2.ID, row2)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(saved.Path); err != nil || st.Size() == 0 {
		t.Fatalf("history file %s: %v", saved.Path, err)
	}
	a.Session.Logout()

	// Only a clerk corrects; the reviewer reads the diff; the auditor
	// reads neither (their page is the audit log).
	loginAs(t, a, session.Reviewer)
	if _, err := a.Corrections.Correct(v2.ID, ""); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("reviewer corrects: %v", err)
	}
	if _, err := a.Corrections.Changes(v2.ID); err != nil {
		t.Fatalf("reviewer reads the diff: %v", err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Auditor)
	if _, err := a.Corrections.Changes(v2.ID); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("auditor reads the diff: %v", err)
	}
}

// Two exports within one second keep both files.
func TestExportFileNamesNeverCollide(t *testing.T) {
	a := demoApp(t)
	write := func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }
	first, err := a.exportFile("更正记录", write)
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.exportFile("更正记录", write)
	if err != nil {
		t.Fatal(err)
	}
	if first.Path == second.Path {
		t.Fatalf("both saved as %s", first.Path)
	}
	for _, f := range []SavedFile{first, second} {
		if _, err := os.Stat(f.Path); err != nil {
			t.Fatal(err)
		}
	}
}
