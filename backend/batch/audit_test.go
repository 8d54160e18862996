package batch

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/audit/audittest"
)

// auditEntries returns the entries with action, newest first.
func auditEntries(t *testing.T, f *fixture, action string) []audit.Item {
	return audittest.Entries(t, f.st.DB(), action)
}

// wholeAuditLog is every text column of every entry, for searching.
func wholeAuditLog(t *testing.T, f *fixture) string {
	t.Helper()
	var s string
	if err := f.st.DB().QueryRow(`SELECT COALESCE(group_concat(action || ' ' || object || ' ' || COALESCE("before", '') || ' ' ||
		COALESCE("after", '') || ' ' || cert_fingerprint, char(10)), '') FROM audit_log`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// Each batch event appends exactly one entry, by the actor and its
// certificate, on batch:ID; nothing personal is in the log in clear.
func TestBatchEventsAreAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clerk := f.clerk
	clerk.CertFingerprint = "fp-clerk"
	const (
		otherID      = "110101199003077578"
		account      = "6228480402564890018"
		otherAccount = "6217000010012345678"
	)
	one := func(action string) audit.Item {
		t.Helper()
		es := auditEntries(t, f, action)
		if len(es) != 1 {
			t.Fatalf("%s entries = %+v, want exactly one", action, es)
		}
		e := es[0]
		if e.UserID != clerk.UserID || e.CertFingerprint != "fp-clerk" {
			t.Errorf("%s by user %d with %q", action, e.UserID, e.CertFingerprint)
		}
		return e
	}
	b := must[Batch](t)(f.svc.Open(ctx, clerk, rosterDS, "2026-10"))
	obj := "batch:" + strconv.FormatInt(b.ID, 10)

	// Save: two rows added.
	res := must[SaveResult](t)(f.svc.Save(ctx, clerk, b.ID, Edit{Add: []map[string]string{
		rosterRow(goodID, "100"), rosterRow(otherID, "200")}}))
	e := one(audit.ActBatchSave)
	if e.Object != obj || !strings.Contains(e.After, `"rows_added":2`) || !strings.Contains(e.After, "110***********002X") ||
		!strings.Contains(e.After, "王*") || !strings.Contains(e.After, `"amount":"100"`) {
		t.Errorf("save (add) = %+v", e)
	}
	// A refused save (stale revision) records nothing.
	if _, err := f.svc.Save(ctx, clerk, b.ID, Edit{Revision: 0, Cells: []CellEdit{{RowID: res.Added[0], Field: "amount", Value: "1"}}}); !apperr.Is(err, apperr.StaleEdit) {
		t.Fatalf("stale save: %v", err)
	}
	// Save: cells changed (amount, 身份证号, account, name), one unchanged, a row deleted.
	must[SaveResult](t)(f.svc.Save(ctx, clerk, b.ID, Edit{Revision: res.Revision, Cells: []CellEdit{
		{RowID: res.Added[0], Field: "amount", Value: "150"},
		{RowID: res.Added[0], Field: "id_number", Value: otherID},
		{RowID: res.Added[0], Field: "account", Value: otherAccount},
		{RowID: res.Added[0], Field: "name", Value: "欧阳娜娜"},
		{RowID: res.Added[0], Field: "bank", Value: "某县农村信用社"}, // as it was
	}, Delete: []int64{res.Added[1]}}))
	saves := auditEntries(t, f, audit.ActBatchSave)
	if len(saves) != 2 {
		t.Fatalf("save entries = %d, want 2", len(saves))
	}
	var before, after struct {
		Revision int64
		Cells    []cellChange
		Deleted  []rowChange
		Changed  int `json:"cells_changed"`
		Removed  int `json:"rows_deleted"`
	}
	if err := json.Unmarshal([]byte(saves[0].Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(saves[0].After), &after); err != nil {
		t.Fatal(err)
	}
	if before.Revision != 1 || after.Revision != 2 || after.Changed != 4 || len(after.Cells) != 4 || after.Removed != 1 ||
		len(before.Deleted) != 1 || before.Deleted[0].Row != res.Added[1] {
		t.Fatalf("save (edit): before %s, after %s", saves[0].Before, saves[0].After)
	}
	if c := after.Cells[0]; c.Row != res.Added[0] || c.Field != "amount" || c.Value != "150" || before.Cells[0].Value != "100" {
		t.Errorf("amount change = %+v ← %+v", c, before.Cells[0])
	}
	if c := after.Cells[1]; c.Field != "id_number" || c.Value != "110***********7578" || before.Cells[1].Value != "110***********002X" {
		t.Errorf("ID change = %+v ← %+v", c, before.Cells[1])
	}
	if c := after.Cells[3]; c.Value != "欧阳**" || before.Cells[3].Value != "王*" {
		t.Errorf("name change = %+v ← %+v", c, before.Cells[3])
	}

	// Import, replacing the rows, from a named file.
	cur := must[Batch](t)(f.svc.Get(ctx, clerk, b.ID))
	must[SaveResult](t)(f.svc.Import(WithImportFile(ctx, `C:\Users\zhangmin\桌面\十月发放.xlsx`), clerk, b.ID, cur.Revision,
		[]map[string]string{rosterRow(goodID, "300")}, Replace))
	e = one(audit.ActBatchImport)
	if e.Object != obj || !strings.Contains(e.After, `"file":"十月发放.xlsx"`) || !strings.Contains(e.After, `"mode":"replace"`) ||
		!strings.Contains(e.After, `"rows_imported":1`) || !strings.Contains(e.Before, `"rows":1`) {
		t.Errorf("import = %+v", e)
	}

	// Exports: one masked, one full.
	if err := f.svc.RecordExport(ctx, clerk, b.ID, "payroll", false); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RecordExport(ctx, clerk, b.ID, "table", true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RecordExport(ctx, f.other, b.ID, "table", true); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("export of another unit's batch: %v", err)
	}
	exports := auditEntries(t, f, audit.ActBatchExport)
	if len(exports) != 2 || !strings.Contains(exports[0].After, `"full":true`) || !strings.Contains(exports[0].After, `"kind":"table"`) ||
		!strings.Contains(exports[1].After, `"full":false`) || exports[1].Object != obj {
		t.Errorf("exports = %+v", exports)
	}
	if log := must[[]RevealRecord](t)(f.svc.Reveals(ctx, 10)); len(log) != 1 || log[0].Field != "export:table" {
		t.Errorf("reveals table = %+v (full exports only)", log)
	}

	// Reveal: row and field, never the value.
	rows := must[RowPage](t)(f.svc.Rows(ctx, clerk, b.ID, 0, 10))
	if v := must[string](t)(f.svc.Reveal(ctx, clerk, b.ID, rows.Rows[0].ID, "id_number")); v != goodID {
		t.Fatalf("revealed %q", v)
	}
	e = one(audit.ActBatchReveal)
	if e.Object != obj || e.After != `{"field":"id_number","row":`+strconv.FormatInt(rows.Rows[0].ID, 10)+`}` {
		t.Errorf("reveal = %+v", e)
	}

	// Lock exception.
	ex := must[LockException](t)(f.svc.GrantLockException(ctx, clerk, rosterDS, "2025-12", "县纪委反馈王芳金额有误", "整改〔2026〕1号"))
	e = one(audit.ActLockException)
	if e.Object != "period:msj_roster/1/2025-12" || !strings.Contains(e.After, `"exception":`+strconv.FormatInt(ex.ID, 10)) ||
		!strings.Contains(e.After, "整改〔2026〕1号") || strings.Contains(e.After, "县纪委") {
		t.Errorf("lock exception = %+v", e)
	}

	log := wholeAuditLog(t, f)
	for _, secret := range []string{goodID, otherID, account, otherAccount, "王芳", "欧阳娜娜", "zhangmin"} {
		if strings.Contains(log, secret) {
			t.Errorf("audit log holds %q in clear", secret)
		}
	}
	if rep, err := audit.Verify(ctx, f.st.DB(), nil); err != nil || !rep.OK || rep.Entries != 7 {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// A save of many cells keeps the entry small: the first cells and the count.
func TestSaveEntryIsCapped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	add := make([]map[string]string, 300)
	for i := range add {
		add[i] = rosterRow(goodID, "100")
	}
	res := must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Add: add}))
	cells := make([]CellEdit, 0, len(res.Added))
	for _, id := range res.Added {
		cells = append(cells, CellEdit{RowID: id, Field: "amount", Value: "99"})
	}
	start := time.Now()
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: res.Revision, Cells: cells, Delete: res.Added[:50]}))
	t.Logf("save of 300 cells and 50 deletions: %v", time.Since(start))
	es := auditEntries(t, f, audit.ActBatchSave)
	if len(es) != 2 {
		t.Fatalf("entries = %d", len(es))
	}
	var added, edited map[string]json.RawMessage
	json.Unmarshal([]byte(es[1].After), &added)
	json.Unmarshal([]byte(es[0].After), &edited)
	var addedRows, cellsList []json.RawMessage
	json.Unmarshal(added["added"], &addedRows)
	json.Unmarshal(edited["cells"], &cellsList)
	if string(added["rows_added"]) != "300" || len(addedRows) != maxAuditRows ||
		string(edited["cells_changed"]) != "300" || len(cellsList) != maxAuditCells || string(edited["rows_deleted"]) != "50" {
		t.Errorf("capped entries: add %d rows listed of %s; edit %d cells listed of %s, deleted %s",
			len(addedRows), added["rows_added"], len(cellsList), edited["cells_changed"], edited["rows_deleted"])
	}
	if len(es[0].After) > 16<<10 || len(es[0].Before) > 16<<10 {
		t.Errorf("entry sizes %d / %d bytes", len(es[0].Before), len(es[0].After))
	}
}
