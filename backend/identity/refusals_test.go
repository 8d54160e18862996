package identity

import (
	"context"
	"testing"
	"time"

	"caiji/backend/apperr"
)

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.reg.RecordRefusal(ctx, 0, "Login", apperr.UnknownUser); err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(time.Second)
	if err := f.reg.RecordRefusal(ctx, f.admin.ID, "SetRoles", apperr.Forbidden); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.reg.RecordRefusal(ctx, 0, " ", apperr.Forbidden), apperr.BadInput)

	got, err := f.reg.Refusals(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Refusals = %+v", got)
	}
	newest, oldest := got[0], got[1]
	if newest.UserID != f.admin.ID || newest.Method != "SetRoles" || newest.Code != apperr.Forbidden || !newest.At.Equal(t0.Add(time.Second)) {
		t.Errorf("newest = %+v", newest)
	}
	if oldest.UserID != 0 || oldest.Code != apperr.UnknownUser || !oldest.At.Equal(t0) {
		t.Errorf("oldest = %+v", oldest)
	}
	if one, _ := f.reg.Refusals(ctx, 1); len(one) != 1 || one[0].ID != newest.ID {
		t.Errorf("Refusals(1) = %+v", one)
	}
	var nullUser int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM refusals WHERE user_id IS NULL").Scan(&nullUser); err != nil || nullUser != 1 {
		t.Errorf("anonymous refusals stored with user_id NULL: %d, %v", nullUser, err)
	}
}

func TestRefusalsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if err := f.reg.RecordRefusal(ctx, f.admin.ID, "Login", apperr.PasswordIncorrect); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec("UPDATE refusals SET code = 'ok'"); err == nil {
		t.Error("UPDATE on refusals succeeded")
	}
	if _, err := f.db.Exec("DELETE FROM refusals"); err == nil {
		t.Error("DELETE on refusals succeeded")
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
	for _, v := range []string{"10", "15"} {
		if err := f.reg.SetSetting(ctx, "idle_lock_minutes", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := f.reg.Setting(ctx, "idle_lock_minutes"); err != nil || !ok || got != v {
			t.Errorf("Setting = %q, %v, %v; want %q", got, ok, err, v)
		}
	}
	wantCode(t, f.reg.SetSetting(ctx, "", "x"), apperr.BadInput)
}
