package batch

import (
	"context"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
)

const (
	goodID   = "11010519491231002X" // the GB 11643 sample number
	village  = "410102001002"       // 郑州市中原区 碧沙岗社区
	rosterDS = "msj_roster"
)

func rosterRow(id, amount string) map[string]string {
	return map[string]string{
		"name": "王芳", "id_number": id, "account": "6228480402564890018", "bank": "某县农村信用社",
		"amount": amount, "village_code": village, "project_code": "P2026001",
	}
}

func TestOpenCreatesOneDraftPerDatasetOrgAndPeriod(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	if b.Status != Draft || !b.Editable || b.Rows != 0 || b.DatasetName != "个人补助资金发放表" {
		t.Fatalf("new batch = %+v", b)
	}
	if b.PeriodLabel != "2026年10月" || b.Deadline != "2026-11-30" || b.DaysLeft != 7 || b.PeriodStatus != "due" {
		t.Fatalf("period facts = %q %q %d %q", b.PeriodLabel, b.Deadline, b.DaysLeft, b.PeriodStatus)
	}
	again := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	if again.ID != b.ID {
		t.Fatalf("second Open made batch %d, want %d", again.ID, b.ID)
	}
	otherOrg := must[Batch](t)(f.svc.Open(ctx, f.other, rosterDS, "2026-10"))
	if otherOrg.ID == b.ID {
		t.Fatal("two org units share a batch")
	}
	if _, err := f.svc.Get(ctx, f.other, b.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other org unit reads the batch: %v", err)
	}
}

func TestOpenRefusesBadPeriods(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cases := []struct {
		dataset, period string
		code            apperr.Code
	}{
		{rosterDS, "2026Q3", apperr.BadInput},       // roster is monthly
		{"cwgk_income", "2026-10", apperr.BadInput}, // village finance is quarterly
		{rosterDS, "2026-12", apperr.PeriodNotOpen}, // has not started
		{rosterDS, "2024-12", apperr.PeriodClosed},  // closed on 1 April 2025
		{rosterDS, "２０２６-10", apperr.BadInput},      // full width
		{"no_such_table", "2026-10", apperr.BadInput},
	}
	for _, c := range cases {
		_, err := f.svc.Open(ctx, f.clerk, c.dataset, c.period)
		if !apperr.Is(err, c.code) {
			t.Errorf("Open(%s, %s) = %v, want %s", c.dataset, c.period, err, c.code)
		}
	}
	// The current month may be started as a draft before it ends.
	if _, err := f.svc.Open(ctx, f.clerk, rosterDS, "2026-11"); err != nil {
		t.Fatalf("current month: %v", err)
	}
}

func TestSaveAddsEditsAndDeletesInOneRevision(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: 0,
		Add: []map[string]string{rosterRow(goodID, "100"), rosterRow("440524188001010014", "200.5"), {"name": "  "}}}))
	if res.Revision != 1 || len(res.Added) != 3 || res.Rows != 3 {
		t.Fatalf("save = %+v", res)
	}
	res = must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: 1,
		Cells:  []CellEdit{{RowID: res.Added[1], Field: "amount", Value: "300"}, {RowID: res.Added[1], Field: "remark", Value: "补发"}},
		Delete: []int64{res.Added[2]}}))
	if res.Revision != 2 || res.Rows != 2 {
		t.Fatalf("second save = %+v", res)
	}
	page := must[RowPage](t)(f.svc.Rows(ctx, f.clerk, b.ID, 0, 100))
	if page.Total != 2 || len(page.Rows) != 2 {
		t.Fatalf("page = %+v", page)
	}
	if got := page.Rows[1].Cells; got["amount"] != "300" || got["remark"] != "补发" {
		t.Fatalf("edited row = %v", got)
	}
}

func TestSaveIsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: []map[string]string{rosterRow(goodID, "100")}}))
	row := res.Added[0]
	bad := []struct {
		name string
		edit Edit
		code apperr.Code
	}{
		{"stale revision", Edit{Revision: 0, Cells: []CellEdit{{row, "amount", "1"}}}, apperr.StaleEdit},
		{"unknown field after a good edit", Edit{Revision: 1, Cells: []CellEdit{{row, "amount", "1"}, {row, "salary", "9"}}}, apperr.BadInput},
		{"masked id pasted back", Edit{Revision: 1, Cells: []CellEdit{{row, "id_number", "110***********002X"}}}, apperr.BadInput},
		{"row of another batch", Edit{Revision: 1, Cells: []CellEdit{{row + 999, "amount", "1"}}}, apperr.StaleEdit},
		{"delete a missing row after adding one", Edit{Revision: 1, Add: []map[string]string{rosterRow(goodID, "5")}, Delete: []int64{row + 999}}, apperr.StaleEdit},
		{"overlong cell", Edit{Revision: 1, Cells: []CellEdit{{row, "remark", strings.Repeat("字", MaxCellRunes+1)}}}, apperr.BadInput},
		{"NUL byte", Edit{Revision: 1, Cells: []CellEdit{{row, "name", "a\x00b"}}}, apperr.BadInput},
	}
	for _, c := range bad {
		if _, err := f.svc.Save(ctx, f.clerk, b.ID, c.edit); !apperr.Is(err, c.code) {
			t.Errorf("%s: err = %v, want %s", c.name, err, c.code)
		}
	}
	after := must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
	page := must[RowPage](t)(f.svc.Rows(ctx, f.clerk, b.ID, 0, 10))
	if after.Revision != 1 || after.Rows != 1 || page.Rows[0].Cells["amount"] != "100" {
		t.Fatalf("a refused save changed the batch: rev %d rows %d cells %v", after.Revision, after.Rows, page.Rows[0].Cells)
	}
	if _, err := f.svc.Save(ctx, f.other, b.ID, Edit{Revision: 1}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("another org unit saved: %v", err)
	}
}

func TestOnlyDraftsAndReturnedBatchesAreEditable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	for _, st := range []Status{Submitted, Approved, Queued, Accepted, Rejected, Returned, Draft} {
		if _, err := f.st.DB().Exec("UPDATE batches SET status = ? WHERE id = ?", st, b.ID); err != nil {
			t.Fatal(err)
		}
		cur := must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
		_, err := f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: cur.Revision, Add: []map[string]string{{"name": "甲"}}})
		if st.Editable() != (err == nil) || cur.Editable != st.Editable() {
			t.Errorf("status %s: editable %v, save err %v", st, cur.Editable, err)
		}
		if !st.Editable() && (!apperr.Is(err, apperr.BatchNotEditable) || cur.ReadOnlyReason == "") {
			t.Errorf("status %s: err %v, reason %q", st, err, cur.ReadOnlyReason)
		}
	}
}

func TestPreviousYearClosesOnFirstAprilUntilALockException(t *testing.T) {
	path := t.TempDir() + "/caiji.db"
	f := openFixture(t, path, cst(2026, time.March, 31, 23))
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2025-12"))
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: []map[string]string{rosterRow(goodID, "1")}}))

	f.clock.Set(cst(2026, time.April, 1, 0))
	b = must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
	if b.Editable || !strings.Contains(b.ReadOnlyReason, "整改") {
		t.Fatalf("closed batch editable=%v reason=%q", b.Editable, b.ReadOnlyReason)
	}
	if _, err := f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: 1, Add: []map[string]string{{"name": "甲"}}}); !apperr.Is(err, apperr.PeriodClosed) {
		t.Fatalf("save in closed period: %v", err)
	}
	if _, err := f.svc.GrantLockException(ctx, f.clerk, rosterDS, "2025-12", "短", "整改〔2026〕1号"); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("short reason accepted: %v", err)
	}
	if _, err := f.svc.GrantLockException(ctx, f.clerk, rosterDS, "2026-10", "核实后更正金额", "整改〔2026〕1号"); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("exception for an open period accepted: %v", err)
	}
	ex := must[LockException](t)(f.svc.GrantLockException(ctx, f.clerk, rosterDS, "2025-12", "县纪委反馈金额有误，核实后更正", "整改〔2026〕1号"))
	b = must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
	if !b.Editable || b.LockException == nil || b.LockException.ID != ex.ID {
		t.Fatalf("after exception: %+v", b)
	}
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: 1, Cells: []CellEdit{}}))
	// The exception is per org unit: the other unit's batch stays closed.
	if _, err := f.svc.Open(ctx, f.other, rosterDS, "2025-12"); !apperr.Is(err, apperr.PeriodClosed) {
		t.Fatalf("other org unit opened a closed period: %v", err)
	}
}

func TestRowsAreMaskedAndRevealIsRecorded(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: []map[string]string{rosterRow(goodID, "100")}}))
	page := must[RowPage](t)(f.svc.Rows(ctx, f.clerk, b.ID, 0, 10))
	cells := page.Rows[0].Cells
	if cells["id_number"] != "110***********002X" || cells["account"] != "6228***********0018" || cells["name"] != "王芳" {
		t.Fatalf("masked cells = %v", cells)
	}
	if _, err := f.svc.Reveal(ctx, f.clerk, b.ID, res.Added[0], "name"); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("reveal of a non-personal field: %v", err)
	}
	if _, err := f.svc.Reveal(ctx, f.other, b.ID, res.Added[0], "id_number"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("reveal by another org unit: %v", err)
	}
	v := must[string](t)(f.svc.Reveal(ctx, f.clerk, b.ID, res.Added[0], "id_number"))
	if v != goodID {
		t.Fatalf("revealed %q", v)
	}
	log := must[[]RevealRecord](t)(f.svc.Reveals(ctx, 10))
	if len(log) != 1 || log[0].UserID != 1 || log[0].RowID != res.Added[0] || log[0].Field != "id_number" {
		t.Fatalf("reveal log = %+v", log)
	}
	for _, q := range []string{"UPDATE reveals SET user_id = 2", "DELETE FROM reveals"} {
		if _, err := f.st.DB().Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestValidateReportsIssuesByRowID(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: []map[string]string{
		rosterRow(goodID, "100"),
		rosterRow("110105194912310021", "100"), // wrong check digit
		rosterRow(goodID, "12.345"),            // duplicate, and 3 decimals
	}}))
	rep := must[Report](t)(f.svc.Validate(ctx, f.clerk, b.ID))
	want := map[string]int64{"id_checksum": res.Added[1], "duplicate": res.Added[2], "money_decimals": res.Added[2]}
	got := map[string]int64{}
	for _, is := range rep.Issues {
		got[is.Code] = is.RowID
		if strings.Contains(is.Message, goodID) {
			t.Errorf("message leaks the ID number: %q", is.Message)
		}
	}
	for code, row := range want {
		if got[code] != row {
			t.Errorf("issue %s on row %d, want %d (all: %+v)", code, got[code], row, rep.Issues)
		}
	}
	if rep.Errors < 3 || rep.Rows != 3 || rep.Revision != 1 {
		t.Fatalf("report = %+v", rep)
	}
}

func TestWorkbenchListsDueOverdueAndReturned(t *testing.T) {
	f := newFixture(t) // 23 November 2026
	ctx := context.Background()
	done := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	if _, err := f.st.DB().Exec("UPDATE batches SET status = 'submitted' WHERE id = ?", done.ID); err != nil {
		t.Fatal(err)
	}
	back := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-06"))
	if _, err := f.st.DB().Exec("UPDATE batches SET status = 'returned' WHERE id = ?", back.ID); err != nil {
		t.Fatal(err)
	}
	w := must[Workbench](t)(f.svc.Workbench(ctx, f.clerk))
	items := map[string]WorkItem{}
	for _, it := range w.Items {
		items[it.Dataset+"@"+it.Period] = it
	}
	if _, ok := items["msj_roster@2026-10"]; ok {
		t.Error("a submitted batch is still listed as to do")
	}
	if it := items["msj_roster@2026-06"]; it.State != "returned" || it.BatchID != back.ID {
		t.Errorf("returned batch = %+v", it)
	}
	if it := items["msj_project@2026-10"]; it.State != "due" || it.Deadline != "2026-11-30" || it.DaysLeft != 7 || it.BatchID != 0 {
		t.Errorf("due item = %+v", it)
	}
	if it := items["msj_project@2026-09"]; it.State != "overdue" || it.DaysLeft >= 0 {
		t.Errorf("overdue item = %+v", it)
	}
	if it := items["cwgk_income@2026Q3"]; it.State != "overdue" {
		// 2026Q3 was due by 31 October.
		t.Errorf("quarterly item = %+v", it)
	}
	if w.Due == 0 || w.Overdue == 0 || w.Returned != 1 || w.Year != 2026 {
		t.Errorf("counts = %d/%d/%d", w.Due, w.Overdue, w.Returned)
	}
	if len(w.Months) != 11 || w.Months[9].Month != "2026-10" || w.Months[9].Submitted != 1 || w.Months[0].Overdue == 0 {
		t.Errorf("months = %+v", w.Months)
	}
	if len(must[Workbench](t)(f.svc.Workbench(ctx, f.other)).Items) == len(w.Items) {
		t.Error("workbench of another org unit sees this unit's batches")
	}
}

// Empty lists reach the UI as [] rather than null.
func TestEmptyListsAreNotNil(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if l := must[[]Batch](t)(f.svc.List(ctx, f.clerk, "")); l == nil {
		t.Error("List returned nil")
	}
	f.clock.Set(cst(2026, time.January, 5, 10))
	w := must[Workbench](t)(f.svc.Workbench(ctx, f.clerk))
	if w.Items == nil || w.Months == nil {
		t.Errorf("workbench has nil lists: %+v", w)
	}
}

func TestAttachmentCellsMustNameStoredFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	stored := strings.Repeat("ab", 32)
	if _, err := f.st.DB().Exec(`INSERT INTO attachments (sha256, size, mime, original_name, created_by, created_at)
		VALUES (?, 10, 'application/pdf', '收据.pdf', 1, '2026-11-01T00:00:00.000000Z')`, stored); err != nil {
		t.Fatal(err)
	}
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, "cwgk_expense", "2026Q3"))
	row := func(voucher string) map[string]string {
		return map[string]string{"village_code": village, "voucher_no": "记-" + voucher[:3], "entry_date": "2026-08-01",
			"category": "1", "summary": "购买办公用品", "payee": "某文具店", "amount": "120", "approver": "村主任", "voucher": voucher}
	}
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: []map[string]string{
		row(stored), row(strings.Repeat("cd", 32)), row("手工填的票据号"),
	}}))
	rep := must[Report](t)(f.svc.Validate(ctx, f.clerk, b.ID))
	got := map[int64]string{}
	for _, is := range rep.Issues {
		if is.Field == "voucher" {
			got[is.RowID] = is.Code
		}
	}
	want := map[int64]string{res.Added[1]: CodeAttachmentMissing, res.Added[2]: CodeAttachmentRef}
	if len(got) != len(want) || got[res.Added[1]] != want[res.Added[1]] || got[res.Added[2]] != want[res.Added[2]] {
		t.Fatalf("voucher issues = %v, want %v (all: %+v)", got, want, rep.Issues)
	}
}
