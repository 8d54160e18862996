package identity

import (
	"context"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
)

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.reg.RecordRefusal(ctx, 0, "", "Login", apperr.UnknownUser); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(time.Second)
	if err := f.reg.RecordRefusal(ctx, f.admin.ID, "fp-admin", "SetRoles", apperr.Forbidden); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.reg.RecordRefusal(ctx, 0, "", " ", apperr.Forbidden), apperr.BadInput)

	got, err := f.reg.Refusals(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Refusals = %+v", got)
	}
	newest, oldest := got[0], got[1]
	if newest.UserID != f.admin.ID || newest.UserName != "王磊" || newest.Method != "SetRoles" || newest.Code != apperr.Forbidden || !newest.At.Equal(t0.Add(time.Second)) {
		t.Errorf("newest = %+v", newest)
	}
	if oldest.UserID != 0 || oldest.UserName != "" || oldest.Code != apperr.UnknownUser || !oldest.At.Equal(t0) {
		t.Errorf("oldest = %+v", oldest)
	}
	if one, _ := f.reg.Refusals(ctx, 1); len(one) != 1 || one[0].ID != newest.ID {
		t.Errorf("Refusals(1) = %+v", one)
	}
	// They are audit log entries now, not rows of the old table.
	var entries, nullUser, old int
	if err := f.db.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE user_id IS NULL) FROM audit_log WHERE action = 'refused'`).
		Scan(&entries, &nullUser); err != nil || entries != 2 || nullUser != 1 {
		t.Errorf("refused entries = %d (%d anonymous), %v", entries, nullUser, err)
	}
	var fp string
	if err := f.db.QueryRow(`SELECT cert_fingerprint FROM audit_log WHERE action = 'refused' AND object = 'SetRoles'`).Scan(&fp); err != nil || fp != "fp-admin" {
		t.Errorf("refusal certificate = %q, %v", fp, err)
	}
	if err := f.db.QueryRow("SELECT COUNT(*) FROM refusals").Scan(&old); err != nil || old != 0 {
		t.Errorf("old refusals table written: %d, %v", old, err)
	}
	if rep, err := audit.Verify(ctx, f.db, nil); err != nil || !rep.OK {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// Rows of the old refusals table (from before the audit log) are copied
// into the log once, with their own time, user, method and code.
func TestCopyRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if n, err := f.reg.CopyRefusals(ctx); err != nil || n != 0 {
		t.Fatalf("CopyRefusals on an empty table = %d, %v", n, err)
	}
	for _, q := range []string{
		`INSERT INTO refusals (at, user_id, method, code) VALUES ('2025-01-02T03:04:05.000000Z', NULL, 'Admin.ListUsers', 'not_logged_in')`,
		`INSERT INTO refusals (at, user_id, method, code) VALUES ('2025-01-02T03:04:06.000000Z', 1, 'Admin.SetRoles', 'forbidden')`,
	} {
		if _, err := f.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	before := countEntries(t, f, "")
	if n, err := f.reg.CopyRefusals(ctx); err != nil || n != 2 {
		t.Fatalf("CopyRefusals = %d, %v", n, err)
	}
	if n, err := f.reg.CopyRefusals(ctx); err != nil || n != 0 {
		t.Fatalf("second CopyRefusals = %d, %v; want nothing copied again", n, err)
	}
	if got := countEntries(t, f, ""); got != before+3 {
		t.Errorf("entries %d → %d, want two copies and one marker", before, got)
	}
	rs, err := f.reg.Refusals(ctx, 10)
	if err != nil || len(rs) != 2 {
		t.Fatalf("Refusals = %+v, %v", rs, err)
	}
	if rs[0].Method != "Admin.SetRoles" || rs[0].UserID != 1 || rs[0].Code != apperr.Forbidden ||
		rs[0].At.Format(time.RFC3339) != "2025-01-02T03:04:06Z" {
		t.Errorf("copied refusal = %+v", rs[0])
	}
	if rs[1].UserID != 0 || rs[1].Code != apperr.NotLoggedIn {
		t.Errorf("copied anonymous refusal = %+v", rs[1])
	}
	if rep, err := audit.Verify(ctx, f.db, nil); err != nil || !rep.OK {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

func TestRefusalsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.reg.RecordRefusal(ctx, f.admin.ID, "", "Login", apperr.PasswordIncorrect); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`UPDATE audit_log SET "after" = '{"code":"ok"}'`); err == nil {
		t.Error("UPDATE on audit_log succeeded")
	}
	if _, err := f.db.Exec("DELETE FROM audit_log"); err == nil {
		t.Error("DELETE on audit_log succeeded")
	}
	if got, _ := f.reg.Refusals(ctx, 10); len(got) != 1 || got[0].Code != apperr.PasswordIncorrect {
		t.Errorf("refusals after tampering attempts = %+v", got)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, ok, err := f.reg.Setting(ctx, "idle_lock_minutes"); err != nil || ok {
		t.Fatalf("unset setting: ok=%v err=%v", ok, err)
	}
	for _, v := range []string{"10", "15", "15"} {
		if err := f.reg.SetSetting(ctx, f.admin, "idle_lock_minutes", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := f.reg.Setting(ctx, "idle_lock_minutes"); err != nil || !ok || got != v {
			t.Errorf("Setting = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
	wantCode(t, f.reg.SetSetting(ctx, f.admin, "", "x"), apperr.BadInput)
	// Two changes; setting the same value again is none.
	es := entries(t, f, audit.ActSettingChange)
	if len(es) != 2 {
		t.Fatalf("setting.change entries = %+v", es)
	}
	if e := es[0]; e.Object != "setting:idle_lock_minutes" || e.Before != `{"value":"10"}` || e.After != `{"value":"15"}` ||
		e.UserID != f.admin.ID || e.CertFingerprint != f.admin.Cert.Fingerprint {
		t.Errorf("newest setting.change = %+v", e)
	}
	if e := es[1]; e.Before != "" || e.After != `{"value":"10"}` {
		t.Errorf("first setting.change = %+v", e)
	}
}
