package batch

import (
	"context"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
)

// approvedRoster is rosterReady submitted by the clerk and approved by
// the reviewer.
func approvedRoster(t *testing.T, f *fixture) Batch {
	t.Helper()
	ctx := context.Background()
	b := rosterReady(t, f, "300")
	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}))
	return must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, approveStep(t, b)))
}

func firstRow(t *testing.T, f *fixture, batchID int64) Row {
	t.Helper()
	page := must[RowPage](t)(f.svc.Rows(context.Background(), f.clerk, batchID, 0, 10))
	if len(page.Rows) == 0 {
		t.Fatal("no rows")
	}
	return page.Rows[0]
}

func TestCorrectionLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1 := approvedRoster(t, f)
	row1 := firstRow(t, f, v1.ID)

	v2 := must[Batch](t)(f.svc.Correct(ctx, f.clerk, v1.ID, ""))
	if v2.Version != 2 || v2.Replaces != v1.ID || v2.Status != Draft || !v2.Editable || v2.Rows != 1 {
		t.Fatalf("correction: %+v", v2)
	}
	v1 = must[Batch](t)(f.svc.Get(ctx, f.clerk, v1.ID))
	if v1.SupersededBy != v2.ID || v1.Editable || v1.Status != Approved {
		t.Fatalf("replaced version: %+v", v1)
	}
	// Opening the dataset and period now gives the correction.
	if open := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10")); open.ID != v2.ID {
		t.Fatalf("open gave batch %d, want the correction %d", open.ID, v2.ID)
	}
	// Nothing changed yet: there is nothing to submit.
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, v2.ID, Step{Action: Submit, Revision: v2.Revision}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("submit of an unchanged correction: %v", err)
	}

	row2 := firstRow(t, f, v2.ID)
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, v2.ID, Edit{Revision: v2.Revision,
		Cells: []CellEdit{{RowID: row2.ID, Field: "amount", Value: "350"}},
		Add: []map[string]string{{"name": "李雷", "id_number": "110105198001010016", "account": "6228480402564890026",
			"bank": "某县农村信用社", "amount": "120", "village_code": "410102001002", "project_code": "P1"}}}))
	ch := must[Changes](t)(f.svc.Changes(ctx, f.clerk, v2.ID))
	if ch.BaseID != v1.ID || ch.BaseVersion != 1 || len(ch.Rows) != 2 || ch.Missing != 2 {
		t.Fatalf("changes: %+v", ch)
	}
	changed := ch.Rows[0]
	if changed.Kind != Changed || changed.Origin != row1.ID || len(changed.Fields) != 1 ||
		changed.Fields[0].Field != "amount" || changed.Fields[0].Before != "300" || changed.Fields[0].After != "350" {
		t.Fatalf("changed row: %+v", changed)
	}
	if added := ch.Rows[1]; added.Kind != Added || added.RowID != res.Added[0] || added.Origin != 0 {
		t.Fatalf("added row: %+v", added)
	}
	// Personal fields are masked in the diff, as on screen.
	for _, fc := range ch.Rows[1].Fields {
		if fc.Field == "id_number" && fc.After == "110105198001010016" {
			t.Fatal("ID number in clear in the diff")
		}
	}
	v2 = must[Batch](t)(f.svc.Get(ctx, f.clerk, v2.ID))
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, v2.ID, Step{Action: Submit, Revision: v2.Revision}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("submit with reasons missing: %v", err)
	}
	if err := f.svc.SetReason(ctx, f.clerk, v2.ID, Reason{RowID: row2.ID, Text: "银行回单金额为 350 元"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetReason(ctx, f.clerk, v2.ID, Reason{RowID: res.Added[0], Text: "漏报，补录"}); err != nil {
		t.Fatal(err)
	}
	// Reasons are notes, not data: the grid's revision does not move.
	if again := must[Batch](t)(f.svc.Get(ctx, f.clerk, v2.ID)); again.Revision != v2.Revision {
		t.Fatalf("revision moved from %d to %d on a reason", v2.Revision, again.Revision)
	}
	v2 = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, v2.ID, Step{Action: Submit, Revision: v2.Revision}))
	// Submitted: the reasons are frozen with the rows.
	if err := f.svc.SetReason(ctx, f.clerk, v2.ID, Reason{RowID: row2.ID, Text: "改口"}); !apperr.Is(err, apperr.BatchNotEditable) {
		t.Fatalf("reason on a submitted correction: %v", err)
	}
	v2 = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, v2.ID, approveStep(t, v2)))
	if v2.Status != Approved {
		t.Fatalf("correction after approval: %s", v2.Status)
	}
	// The signed content carries the changes and their reasons.
	content := string(must[[]byte](t)(f.svc.Content(ctx, f.clerk, v2.ID)))
	if !strings.Contains(content, `"changes":[{"base":0,"reason":"银行回单金额为 350 元","row":0},{"base":null,"reason":"漏报，补录","row":1}]`) ||
		!strings.Contains(content, `"replaces":1,"version":2`) {
		t.Fatalf("signed content of the correction: %s", content)
	}
	if s := seal(t, f, v2.ID); s.State != SealValid {
		t.Fatalf("seal of the correction: %+v", s)
	}
	// A reason changed behind the program's back breaks the seal.
	tamper(t, f.st.DB(), "UPDATE batch_rows SET reason = '改了' WHERE id = ?", row2.ID)
	if s := seal(t, f, v2.ID); s.State != SealBroken {
		t.Fatalf("seal after a reason changed: %+v", s)
	}
	tamper(t, f.st.DB(), "UPDATE batch_rows SET reason = '银行回单金额为 350 元' WHERE id = ?", row2.ID)

	// The history of the record, from either version, shows both.
	for _, from := range []struct{ batch, row int64 }{{v1.ID, row1.ID}, {v2.ID, row2.ID}} {
		h := must[[]RowVersion](t)(f.svc.History(ctx, f.clerk, from.batch, from.row))
		if len(h) != 2 || h[0].Version != 1 || h[1].Version != 2 || h[0].Cells["amount"] != "300" ||
			h[1].Cells["amount"] != "350" || h[1].Reason != "银行回单金额为 350 元" ||
			len(h[1].Changed) != 1 || h[1].Changed[0] != "amount" || len(h[0].Changed) != 0 {
			t.Fatalf("history from batch %d: %+v", from.batch, h)
		}
		if h[0].Cells["id_number"] == "11010519491231002X" {
			t.Fatal("ID number in clear in the history")
		}
	}

	// Every step of the correction is in the audit log, in order.
	rows, err := f.st.DB().Query("SELECT action FROM audit_log WHERE object = ? ORDER BY id", batchObject(v2.ID))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		got = append(got, a)
	}
	rows.Close()
	want := "batch.correct batch.save batch.reason batch.reason batch.submit batch.approve"
	if strings.Join(got, " ") != want {
		t.Fatalf("audit trail of the correction: %v, want %s", got, want)
	}
	if rep, err := audit.Verify(ctx, f.st.DB(), nil); err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

func TestCorrectionRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	draft := rosterReady(t, f, "300")
	if _, err := f.svc.Correct(ctx, f.clerk, draft.ID, ""); !apperr.Is(err, apperr.BatchNotEditable) {
		t.Fatalf("correction of a draft: %v", err)
	}
	v1 := must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, draft.ID, Step{Action: Submit, Revision: draft.Revision}))
	if _, err := f.svc.Correct(ctx, f.clerk, v1.ID, ""); !apperr.Is(err, apperr.BatchNotEditable) {
		t.Fatalf("correction of a submitted batch: %v", err)
	}
	v1 = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, v1.ID, approveStep(t, v1)))
	if _, err := f.svc.Correct(ctx, f.other, v1.ID, ""); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("correction by another org unit: %v", err)
	}
	must[Batch](t)(f.svc.Correct(ctx, f.clerk, v1.ID, ""))
	// A correction based on a version that was corrected since is stale.
	if _, err := f.svc.Correct(ctx, f.clerk, v1.ID, ""); !apperr.Is(err, apperr.StaleEdit) {
		t.Fatalf("second correction of version 1: %v", err)
	}
	// First versions have no reasons to give.
	if err := f.svc.SetReason(ctx, f.clerk, mustOpenProject(t, f), Reason{RowID: 1, Text: "x"}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("reason on a first version: %v", err)
	}
	// Rows past review are frozen even for a writer that skips the code.
	if _, err := f.st.DB().Exec("UPDATE batch_rows SET cells = '{}' WHERE batch_id = ?", v1.ID); err == nil {
		t.Fatal("rows of an approved batch were updated")
	}
	if _, err := f.st.DB().Exec("DELETE FROM batch_rows WHERE batch_id = ?", v1.ID); err == nil {
		t.Fatal("rows of an approved batch were deleted")
	}
	if _, err := f.st.DB().Exec("INSERT INTO batch_rows (batch_id, seq, cells, updated_at) VALUES (?, 99, '{}', 'x')", v1.ID); err == nil {
		t.Fatal("a row was added to an approved batch")
	}
}

// mustOpenProject returns the editable project batch rosterReady made.
func mustOpenProject(t *testing.T, f *fixture) int64 {
	t.Helper()
	return must[Batch](t)(f.svc.Open(context.Background(), f.clerk, "msj_project", "2026-10")).ID
}

func TestCorrectionRemovesRowWithReason(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1 := approvedRoster(t, f)
	row1 := firstRow(t, f, v1.ID)
	v2 := must[Batch](t)(f.svc.Correct(ctx, f.clerk, v1.ID, ""))
	row2 := firstRow(t, f, v2.ID)
	// A reason for a row the correction still holds is not a removal.
	if err := f.svc.SetReason(ctx, f.clerk, v2.ID, Reason{Origin: row1.ID, Text: "重复发放"}); !apperr.Is(err, apperr.StaleEdit) {
		t.Fatalf("removal reason for a kept row: %v", err)
	}
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, v2.ID, Edit{Revision: v2.Revision, Delete: []int64{row2.ID}}))
	if err := f.svc.SetReason(ctx, f.clerk, v2.ID, Reason{Origin: row1.ID, Text: "重复发放"}); err != nil {
		t.Fatal(err)
	}
	ch := must[Changes](t)(f.svc.Changes(ctx, f.clerk, v2.ID))
	if len(ch.Rows) != 1 || ch.Rows[0].Kind != Removed || ch.Rows[0].Origin != row1.ID || ch.Rows[0].Reason != "重复发放" || ch.Missing != 0 {
		t.Fatalf("changes: %+v", ch)
	}
	h := must[[]RowVersion](t)(f.svc.History(ctx, f.clerk, v1.ID, row1.ID))
	if len(h) != 2 || h[1].RowID != 0 || h[1].Version != 2 || h[1].Reason != "重复发放" {
		t.Fatalf("history of a removed row: %+v", h)
	}
}

func TestCorrectionOfClosedPeriodNeedsRectification(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v1 := approvedRoster(t, f)
	f.clock.Set(cst(2027, time.April, 2, 9)) // 2026 closed on 1 April 2027
	if _, err := f.svc.Correct(ctx, f.clerk, v1.ID, "  "); !apperr.Is(err, apperr.PeriodClosed) {
		t.Fatalf("correction of a closed period without 整改: %v", err)
	}
	v2 := must[Batch](t)(f.svc.Correct(ctx, f.clerk, v1.ID, "豫审整〔2027〕3号"))
	if !v2.Editable || v2.Rectification != "豫审整〔2027〕3号" {
		t.Fatalf("correction with 整改: editable=%v %q (%s)", v2.Editable, v2.Rectification, v2.ReadOnlyReason)
	}
	row := firstRow(t, f, v2.ID)
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, v2.ID, Edit{Revision: v2.Revision, Cells: []CellEdit{{RowID: row.ID, Field: "amount", Value: "310"}}}))
}
