package app

import (
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/demo"
	"caiji/backend/session"
)

// demoApp starts a demo installation: demo CA, one SoftHSM2 token per demo
// user, accounts registered through the real admin rules.
func demoApp(t *testing.T) *App {
	t.Helper()
	if demo.FindSoftHSM() == "" {
		t.Skip("SoftHSM2 is not installed (apt-get install softhsm2); make test installs it")
	}
	a := newApp(t, t.TempDir())
	st, err := a.Auth.Demo()
	if err != nil || !st.Ready {
		t.Fatalf("demo not ready: %+v, %v", st, err)
	}
	return a
}

func demoIdentity(t *testing.T, r session.Role) demo.Identity {
	t.Helper()
	for _, id := range demo.Identities {
		if id.Role == r {
			return id
		}
	}
	t.Fatalf("no demo identity for %s", r)
	return demo.Identity{}
}

func findToken(t *testing.T, a *App, label string) auth.TokenView {
	t.Helper()
	ts, err := a.Auth.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Label == label {
			return tk
		}
	}
	t.Fatalf("token %q not listed in %+v", label, ts)
	return auth.TokenView{}
}

// loginAs runs the whole USB-key login of a demo identity.
func loginAs(t *testing.T, a *App, r session.Role) *SessionView {
	t.Helper()
	id := demoIdentity(t, r)
	tk := findToken(t, a, id.TokenLabel)
	step, err := a.Auth.Begin(tk.Source, tk.SlotID, id.PIN)
	if err != nil {
		t.Fatalf("Begin %s: %v", r, err)
	}
	if step.Next != "password" || step.UserName != id.Name {
		t.Fatalf("step = %+v, want password for %s", step, id.Name)
	}
	v, err := a.Auth.Finish(demo.Password)
	if err != nil {
		t.Fatalf("Finish %s: %v", r, err)
	}
	return v
}

func TestDemoLoginWithUSBKeyPINAndPassword(t *testing.T) {
	a := demoApp(t)
	st, _ := a.Auth.Demo()
	if len(st.Keys) != 5 {
		t.Fatalf("demo keys = %d, want 5", len(st.Keys))
	}
	clerk := demoIdentity(t, session.Clerk)
	tk := findToken(t, a, clerk.TokenLabel)
	if tk.Software {
		t.Error("demo token on SoftHSM2 is marked as a software key")
	}

	if _, err := a.Auth.Begin(tk.Source, tk.SlotID, "000000"); jsCode(t, err).Code != apperr.PINIncorrect {
		t.Fatalf("wrong PIN: %v, want pin_incorrect", err)
	}
	step, err := a.Auth.Begin(tk.Source, tk.SlotID, clerk.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if step.Cert.Algorithm != "RSA" || step.Cert.Subject != clerk.Name || step.Cert.ExpiresSoon {
		t.Errorf("cert view = %+v", step.Cert)
	}
	// The demo CAs publish CRLs, so a demo login carries no CRL warning.
	if len(step.Warnings) != 0 {
		t.Errorf("warnings = %+v, want none", step.Warnings)
	}
	if _, err := a.Auth.Finish("Wrong#password1"); jsCode(t, err).Code != apperr.PasswordIncorrect {
		t.Fatalf("wrong password: %v", err)
	}
	if cur, _ := a.Session.Current(); cur != nil {
		t.Fatal("a session opened after a wrong password")
	}
	v, err := a.Auth.Finish(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Pages, []session.Page{session.PageWorkbench, session.PageEntry, session.PageSync}) {
		t.Errorf("clerk pages = %v", v.Pages)
	}
	if !v.Demo || v.Software || v.Locked || v.Password.MustChange {
		t.Errorf("view flags = %+v", v)
	}
	cert, err := a.Auth.Certificate()
	if err != nil || cert.Subject != clerk.Name || cert.DaysLeft < 300 {
		t.Errorf("Certificate = %+v, %v", cert, err)
	}

	// An EC key logs in the same way.
	if err := a.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if v := loginAs(t, a, session.Reviewer); !slices.Contains(v.Pages, session.PageReview) {
		t.Errorf("reviewer pages = %v", v.Pages)
	}
	if c, _ := a.Auth.Certificate(); c.Algorithm != "ECDSA P-256" {
		t.Errorf("reviewer algorithm = %q", c.Algorithm)
	}
}

// Each role calling what it may not call is refused in the backend and the
// refusal is recorded for the auditor.
func TestRolesRefusedInBackend(t *testing.T) {
	a := demoApp(t)
	calls := map[string]struct {
		call    func() error
		allowed []session.Role
	}{
		"ListUsers":   {func() error { _, err := a.Admin.ListUsers(); return err }, []session.Role{session.SysAdmin, session.SecAdmin}},
		"CreateUnit":  {func() error { _, err := a.Admin.CreateOrgUnit("", ""); return err }, []session.Role{session.SysAdmin}},
		"SetDisabled": {func() error { return a.Admin.SetDisabled(-1, true) }, []session.Role{session.SysAdmin}},
		"SetRoles":    {func() error { return a.Admin.SetRoles(-1, nil) }, []session.Role{session.SysAdmin, session.SecAdmin}},
		"Refusals":    {func() error { _, err := a.Admin.Refusals(10); return err }, []session.Role{session.Auditor}},
	}
	for _, r := range session.AllRoles {
		loginAs(t, a, r)
		for name, c := range calls {
			err := c.call()
			refused := err != nil && jsCode(t, err).Code == apperr.Forbidden
			if want := !slices.Contains(c.allowed, r); refused != want {
				t.Errorf("%s calling %s: refused=%v, want %v (err %v)", r, name, refused, want, err)
			}
		}
		a.Session.Logout()
	}
	if _, err := a.Admin.ListUsers(); jsCode(t, err).Code != apperr.NotLoggedIn {
		t.Errorf("anonymous ListUsers: %v", err)
	}
	loginAs(t, a, session.Auditor)
	rs, err := a.Admin.Refusals(100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 12 {
		t.Errorf("refusals recorded = %d, want every refused call", len(rs))
	}
	// Newest first: the anonymous call, then the last logged-in refusal.
	if rs[0].UserName != "" || rs[0].Code != apperr.NotLoggedIn {
		t.Errorf("newest refusal = %+v, want anonymous not_logged_in", rs[0])
	}
	if rs[1].UserName != demoIdentity(t, session.Auditor).Name {
		t.Errorf("refusal user = %q, want the auditor's name", rs[1].UserName)
	}
}

func TestThreeAdminRolesCannotBeHeldByOneUser(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.SecAdmin)
	users, err := a.Admin.ListUsers()
	if err != nil {
		t.Fatal(err)
	}
	var clerkID int64
	for _, u := range users {
		if slices.Contains(u.Roles, session.Clerk) {
			clerkID = u.ID
		}
	}
	for _, roles := range [][]session.Role{
		{session.SysAdmin, session.Auditor},
		{session.SecAdmin, session.SysAdmin},
		{session.Auditor, session.Clerk},
	} {
		if err := a.Admin.SetRoles(clerkID, roles); jsCode(t, err).Code != apperr.RolesConflict {
			t.Errorf("SetRoles(%v) = %v, want roles_conflict", roles, err)
		}
	}
	if err := a.Admin.SetRoles(clerkID, []session.Role{session.Clerk, session.Reviewer}); err != nil {
		t.Errorf("clerk+reviewer refused: %v", err)
	}
}

func TestLockAndUnlockNeedThePIN(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	if err := a.Auth.Lock(); err != nil {
		t.Fatal(err)
	}
	v, _ := a.Session.Current()
	if !v.Locked || v.LockReason != session.LockByUser || len(v.Pages) != 0 {
		t.Fatalf("locked view = %+v", v)
	}
	if _, err := a.Auth.Certificate(); jsCode(t, err).Code != apperr.SessionLocked {
		t.Errorf("call while locked: %v", err)
	}
	if _, err := a.Auth.Unlock("999999"); jsCode(t, err).Code != apperr.PINIncorrect {
		t.Errorf("unlock with a wrong PIN: %v", err)
	}
	v, err := a.Auth.Unlock(demoIdentity(t, session.Clerk).PIN)
	if err != nil || v.Locked {
		t.Fatalf("unlock = %+v, %v", v, err)
	}
	if _, err := a.Auth.Certificate(); err != nil {
		t.Errorf("call after unlock: %v", err)
	}
}

func TestFirstStartEnrolsTheFirstSystemAdmin(t *testing.T) {
	// A demo installation whose registry was emptied behaves as a fresh
	// production PC would: the first key enrols as system administrator.
	a := demoApp(t)
	if _, err := a.store.DB().Exec("DELETE FROM user_roles; DELETE FROM users"); err != nil {
		t.Fatal(err)
	}
	id := demoIdentity(t, session.Auditor)
	tk := findToken(t, a, id.TokenLabel)
	step, err := a.Auth.Begin(tk.Source, tk.SlotID, id.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if step.Next != "enrol" {
		t.Fatalf("step = %+v, want enrol", step)
	}
	if _, err := a.Auth.Enrol("测试管理员", "测试县财政局", "short"); jsCode(t, err).Code != apperr.PasswordWeak {
		t.Errorf("weak password: %v", err)
	}
	v, err := a.Auth.Enrol("测试管理员", "测试县财政局", "Strong#pass2026")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.User.Roles, []session.Role{session.SysAdmin}) {
		t.Errorf("enrolled roles = %v", v.User.Roles)
	}
	a.Session.Logout()
	step, err = a.Auth.Begin(tk.Source, tk.SlotID, id.PIN)
	if err != nil || step.Next != "password" {
		t.Fatalf("second start = %+v, %v; want password", step, err)
	}
	if _, err := a.Auth.Enrol("又一个", "单位", "Strong#pass2026"); jsCode(t, err).Code != apperr.AlreadyEnrolled {
		t.Errorf("second enrolment: %v", err)
	}
}

func TestProductionHasNoDemoKeysAndNeedsTrustBundle(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/config.json", `{"mode":"production"}`)
	a := newApp(t, dir)
	st, err := a.Auth.Demo()
	if err != nil || st.Demo || len(st.Keys) != 0 {
		t.Errorf("Demo() in production = %+v, %v", st, err)
	}
	if _, err := a.Auth.Begin("/usr/lib/softhsm/libsofthsm2.so", 0, "111111"); jsCode(t, err).Code != apperr.ConfigInvalid {
		t.Errorf("Begin without a trust bundle: %v, want config_invalid", err)
	}
	_ = context.Background()
}

// PKCS#11 keeps a token logged in for every session of the process; a second
// login must still check the PIN (regression: "already logged in" was taken
// as success, so any PIN unlocked or re-logged in).
func TestWrongPINRefusedWhileTokenStillLoggedIn(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	tk := findToken(t, a, demoIdentity(t, session.Clerk).TokenLabel)
	if _, err := a.Auth.Begin(tk.Source, tk.SlotID, "000000"); jsCode(t, err).Code != apperr.PINIncorrect {
		t.Fatalf("Begin with a wrong PIN during a session: %v, want pin_incorrect", err)
	}
	if cur, _ := a.Session.Current(); cur != nil {
		t.Errorf("the old session survived a new login attempt: %+v", cur)
	}
}

// Pulling the USB key out locks the session; the lock survives until the
// key is back and its PIN entered.
func TestKeyRemovedLocksSession(t *testing.T) {
	a := demoApp(t)
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		t.Skip("softhsm2-util not installed (Debian package softhsm2); make test installs it")
	}
	loginAs(t, a, session.Reviewer)
	if r := a.auth.CheckNow(); r != "" {
		t.Fatalf("CheckNow with the key present locked: %q", r)
	}
	label := demoIdentity(t, session.Reviewer).TokenLabel
	// SOFTHSM2_CONF already points at this installation's demo tokens.
	if out, err := exec.Command(util, "--delete-token", "--token", label).CombinedOutput(); err != nil {
		t.Fatalf("delete token: %v\n%s", err, out)
	}
	if r := a.auth.CheckNow(); r != session.LockTokenRemoved {
		t.Fatalf("CheckNow after removal = %q, want %q", r, session.LockTokenRemoved)
	}
	v, _ := a.Session.Current()
	if !v.Locked || v.LockReason != session.LockTokenRemoved {
		t.Errorf("view = %+v", v)
	}
	if _, err := a.Admin.Refusals(1); jsCode(t, err).Code != apperr.SessionLocked {
		t.Errorf("call after removal: %v, want session_locked", err)
	}
	if _, err := a.Auth.Unlock(demoIdentity(t, session.Reviewer).PIN); jsCode(t, err).Code != apperr.TokenAbsent {
		t.Errorf("unlock without the key: %v, want token_absent", err)
	}
}

// Idle time locks the session (clock injected, no sleeping).
func TestIdleLocksSession(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	now := time.Now()
	a.sessions.SetClock(func() time.Time { return now })
	a.Auth.Touch()
	now = now.Add(time.Duration(a.cfg.IdleLockMinutes)*time.Minute - time.Second)
	if r := a.auth.CheckNow(); r != "" {
		t.Fatalf("locked before the idle limit: %q", r)
	}
	now = now.Add(2 * time.Second)
	if r := a.auth.CheckNow(); r != session.LockIdle {
		t.Fatalf("CheckNow after idle limit = %q, want idle", r)
	}
}

// Where SoftHSM2 is missing (a Windows PC), demo mode falls back to
// PIN-encrypted software keys, labelled as such all the way to the session.
func TestDemoSoftwareKeyFallback(t *testing.T) {
	ctx := context.Background()
	a := New(ctx, Options{DataDir: t.TempDir(), Logger: quiet, DemoSoftwareKeys: true})
	t.Cleanup(func() { a.Shutdown(ctx) })
	st, err := a.Auth.Demo()
	if err != nil || !st.Ready || !st.Software {
		t.Fatalf("Demo() = %+v, %v; want ready software keys", st, err)
	}
	clerk := demoIdentity(t, session.Clerk)
	tk := findToken(t, a, clerk.TokenLabel)
	if !tk.Software {
		t.Fatalf("software key not marked: %+v", tk)
	}
	if _, err := a.Auth.Begin(tk.Source, tk.SlotID, "000000"); jsCode(t, err).Code != apperr.PINIncorrect {
		t.Fatalf("wrong PIN on a software key: %v", err)
	}
	step, err := a.Auth.Begin(tk.Source, tk.SlotID, clerk.PIN)
	if err != nil || step.Next != "password" || len(step.Warnings) != 0 {
		t.Fatalf("Begin = %+v, %v", step, err)
	}
	v, err := a.Auth.Finish(demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Software || !v.Demo {
		t.Errorf("session not marked as a software key: %+v", v)
	}
}
