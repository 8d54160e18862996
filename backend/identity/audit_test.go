package identity

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"caiji/backend/audit"
	"caiji/backend/session"
)

// entries returns the audit log entries with action (all when ""),
// newest first.
func entries(t *testing.T, f *fixture, action string) []audit.Item {
	t.Helper()
	p, err := audit.List(context.Background(), f.db, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Item
	for _, it := range p.Items {
		if action == "" || it.Action == action {
			out = append(out, it)
		}
	}
	return out
}

func countEntries(t *testing.T, f *fixture, action string) int {
	t.Helper()
	return len(entries(t, f, action))
}

// wholeLog is every stored column of every entry, for searching.
func wholeLog(t *testing.T, f *fixture) string {
	t.Helper()
	var s string
	if err := f.db.QueryRow(`SELECT COALESCE(group_concat(action || ' ' || object || ' ' || COALESCE("before", '') || ' ' ||
		COALESCE("after", '') || ' ' || cert_fingerprint, char(10)), '') FROM audit_log`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// Each administration step appends exactly one entry, by the actor with
// its certificate, in the change's transaction; a refused step none.
func TestAdministrationIsAudited(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	one := func(action string) audit.Item {
		t.Helper()
		es := entries(t, f, action)
		if len(es) != 1 {
			t.Fatalf("%s entries = %+v, want exactly one", action, es)
		}
		return es[0]
	}
	enrol := one(audit.ActUserEnrol)
	if enrol.UserID != f.admin.ID || enrol.CertFingerprint != f.admin.Cert.Fingerprint || enrol.Object != userObject(f.admin.ID) {
		t.Errorf("user.enrol = %+v", enrol)
	}

	// The app passes the session's certificate with the actor.
	actor := f.admin
	actor.Cert.Fingerprint = "fp-session"
	ou, err := f.reg.CreateOrgUnit(ctx, actor, "ORG-9", "某县民政局")
	if err != nil {
		t.Fatal(err)
	}
	if e := one(audit.ActOrgCreate); e.UserID != f.admin.ID || e.CertFingerprint != "fp-session" ||
		e.Object != "org:"+strconv.FormatInt(ou.ID, 10) || !strings.Contains(e.After, "ORG-9") {
		t.Errorf("org.create = %+v", e)
	}

	u, err := f.reg.CreateUser(ctx, actor, "欧阳娜娜", ou.ID, cert(7), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	if e := one(audit.ActUserCreate); e.Object != userObject(u.ID) || !strings.Contains(e.After, "欧阳**") ||
		!strings.Contains(e.After, audit.ColonHex(cert(7).Fingerprint)) || e.CertFingerprint != "fp-session" {
		t.Errorf("user.create = %+v", e)
	}

	sec := f.user(t, "赵安", session.SecAdmin)
	if err := f.reg.SetRoles(ctx, sec, u.ID, []session.Role{session.Clerk}); err != nil {
		t.Fatal(err)
	}
	if err := f.reg.SetRoles(ctx, sec, u.ID, []session.Role{session.Clerk}); err != nil { // no change
		t.Fatal(err)
	}
	if err := f.reg.SetRoles(ctx, sec, sec.ID, []session.Role{session.Clerk}); err == nil { // refused: own roles
		t.Fatal("secadmin changed own roles")
	}
	if e := one(audit.ActUserRoles); e.UserID != sec.ID || e.Object != userObject(u.ID) ||
		e.Before != `{"roles":[]}` || e.After != `{"roles":["clerk"]}` {
		t.Errorf("user.roles = %+v", e)
	}

	if err := f.reg.SetDisabled(ctx, actor, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if e := one(audit.ActUserDisable); e.Before != `{"disabled":false}` || e.After != `{"disabled":true}` {
		t.Errorf("user.disable = %+v", e)
	}
	if err := f.reg.SetDisabled(ctx, actor, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if n := countEntries(t, f, audit.ActUserDisable); n != 2 {
		t.Errorf("user.disable entries = %d, want 2", n)
	}

	if err := f.reg.ChangePassword(ctx, u.ID, goodPw, otherPw); err != nil {
		t.Fatal(err)
	}
	if err := f.reg.ChangePassword(ctx, u.ID, "Wrong!pass123", "Third#pass42"); err == nil {
		t.Fatal("wrong old password accepted")
	}
	if e := one(audit.ActUserPassword); e.UserID != u.ID || e.CertFingerprint != cert(7).Fingerprint || e.Before != "" || e.After != "" {
		t.Errorf("user.password = %+v", e)
	}

	log := wholeLog(t, f)
	for _, secret := range []string{"欧阳娜娜", "赵安", "王磊", goodPw, otherPw, "Third#pass42", "argon2"} {
		if strings.Contains(log, secret) {
			t.Errorf("audit log holds %q in clear:\n%s", secret, log)
		}
	}
	if rep, err := audit.Verify(ctx, f.db, nil); err != nil || !rep.OK {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// A certificate read from a file or key (DER) is kept for head
// verification when its account is made.
func TestAccountCertificatesAreKept(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := cert(5)
	c.DER = []byte("not really DER, but bytes to keep")
	c.Fingerprint = audit.CertFingerprint(c.DER)
	if _, err := f.reg.CreateUser(ctx, f.admin, "李四", f.admin.OrgUnitID, c, goodPw); err != nil {
		t.Fatal(err)
	}
	var der []byte
	if err := f.db.QueryRow("SELECT der FROM audit_certs WHERE fingerprint = ?", c.Fingerprint).Scan(&der); err != nil ||
		string(der) != string(c.DER) {
		t.Errorf("stored certificate = %q, %v", der, err)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM audit_certs").Scan(&n); err != nil || n != 1 {
		t.Errorf("audit_certs rows = %d, %v (a CertRef without DER stores nothing)", n, err)
	}
}
