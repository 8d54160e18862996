package auth

import (
	"bytes"
	"context"
	"crypto/x509"
	"database/sql"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"caiji/backend/audit"
	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/session"
	"caiji/backend/token"
)

// logOf lists the rig's audit log, oldest first.
func logOf(t *testing.T, r *rig) []audit.Item {
	t.Helper()
	var out []audit.Item
	if err := audit.Each(context.Background(), r.reg.DB(), audit.Filter{}, func(it audit.Item) error {
		out = append([]audit.Item{it}, out...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func actions(es []audit.Item) string {
	var a []string
	for _, e := range es {
		a = append(a, e.Action)
	}
	return strings.Join(a, " ")
}

func verifyWithCerts(t *testing.T, db *sql.DB) audit.Report {
	t.Helper()
	c := cas(t)
	v, err := audit.CertVerifier(context.Background(), db, audit.Trust{
		Roots: []*x509.Certificate{c.root.Cert}, Intermediates: []*x509.Certificate{c.inter.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Verify(context.Background(), db, v)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func heads(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM audit_heads").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A login's whole life is in the audit log, one entry per event, with
// the account and the certificate; logout signs the chain head with the
// user's key, and the signature verifies against the kept certificate.
func TestSessionEventsAreAudited(t *testing.T) {
	label := uniq("audited")
	ctx := context.Background()
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{CommonName: "王小明"})
	fp := pki.Fingerprint(cert)
	r := newRig(t, m, nil)
	db := r.reg.DB()

	if _, err := r.begin(t, label, wrongPIN); err == nil {
		t.Fatal("wrong PIN accepted")
	}
	sess := r.enrol(t, label, cert)
	uid := sess.User.ID
	r.svc.Logout()
	if n := heads(t, db); n != 1 {
		t.Fatalf("heads after logout = %d, want 1", n)
	}
	if rep := verifyWithCerts(t, db); !rep.OK || !rep.SignaturesChecked || rep.Heads != 1 {
		t.Fatalf("after the first logout: %+v", rep)
	}

	if _, err := r.begin(t, label, testPIN); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Finish(ctx, "Wrong#2024pass"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if _, err := r.svc.Finish(ctx, adminPW); err != nil {
		t.Fatal(err)
	}
	r.svc.Lock()
	if _, err := r.svc.Unlock(ctx, wrongPIN); err == nil {
		t.Fatal("wrong PIN unlocked")
	}
	if _, err := r.svc.Unlock(ctx, testPIN); err != nil {
		t.Fatal(err)
	}
	// A new login while this session is open ends it (and signs for it).
	if _, err := r.begin(t, label, testPIN); err != nil {
		t.Fatal(err)
	}
	r.svc.Cancel()

	es := logOf(t, r)
	want := "login.refused user.enrol login logout login.refused login session.lock session.unlock.refused session.unlock logout"
	if got := actions(es); got != want {
		t.Fatalf("actions:\n got %s\nwant %s", got, want)
	}
	check := func(i int, user string, fp, object, after string) {
		t.Helper()
		e := es[i]
		gotUser := ""
		if e.UserID != 0 {
			gotUser = strconv.FormatInt(e.UserID, 10)
		}
		if gotUser != user || e.CertFingerprint != fp || e.Object != object || (after != "" && e.After != after) {
			t.Errorf("entry %d %s = %+v; want user %q fp %.8s object %q after %s", i, e.Action, e, user, fp, object, after)
		}
	}
	check(0, "", "", "", `{"code":"pin_incorrect","step":"pin"}`)
	check(1, uid, fp, "user:"+uid, "")
	check(2, uid, fp, "user:"+uid, `{"enrolled":true,"software":false}`)
	check(3, uid, fp, "user:"+uid, `{"reason":"user"}`)
	check(4, uid, fp, "user:"+uid, `{"code":"password_incorrect","step":"password"}`)
	check(5, uid, fp, "user:"+uid, `{"software":false}`)
	check(6, uid, fp, "user:"+uid, `{"reason":"user"}`)
	check(7, uid, fp, "user:"+uid, `{"code":"pin_incorrect","step":"pin"}`)
	check(8, uid, fp, "user:"+uid, "")
	check(9, uid, fp, "user:"+uid, `{"reason":"new_login"}`)

	if n := heads(t, db); n != 2 {
		t.Errorf("heads = %d, want one per logout", n)
	}
	if rep := verifyWithCerts(t, db); !rep.OK || !rep.SignaturesChecked || rep.Heads != 2 || rep.Entries != 10 {
		t.Errorf("Verify = %+v", rep)
	}
	var all string
	db.QueryRow(`SELECT group_concat(COALESCE("before", '') || COALESCE("after", '') || object) FROM audit_log`).Scan(&all)
	for _, secret := range []string{testPIN, wrongPIN, adminPW, "Wrong#2024pass", adminName, "王小明", label} {
		if strings.Contains(all, secret) {
			t.Errorf("audit log holds %q", secret)
		}
	}
}

// While a session is open, its key signs the head after HeadEvery of
// activity with new entries, or once HeadEntries entries are unsigned; not
// while locked, and not more than once a minute.
func TestSignHeadIfDue(t *testing.T) {
	label := uniq("interval")
	ctx := context.Background()
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	r := newRig(t, m, func(o *Options) { o.Now = clk.Now; o.HeadEvery = 15 * time.Minute; o.HeadEntries = 5 })
	db := r.reg.DB()
	r.enrol(t, label, cert) // user.enrol, login: 2 entries

	more := func(n int) {
		t.Helper()
		for range n {
			if _, err := audit.Append(ctx, db, audit.Entry{UserID: 1, Action: "batch.save", Object: "batch:1"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	due := func(when string, want int) {
		t.Helper()
		r.svc.SignHeadIfDue(ctx)
		if n := heads(t, db); n != want {
			t.Fatalf("%s: heads = %d, want %d", when, n, want)
		}
	}
	due("right after login", 0)
	clk.Advance(14 * time.Minute)
	due("after 14 minutes", 0)
	clk.Advance(time.Minute)
	due("after 15 minutes with 2 unsigned entries", 1)
	clk.Advance(2 * time.Minute)
	more(4)
	due("4 new entries, 2 minutes after", 1)
	more(1)
	due("5 unsigned entries", 2)
	more(5)
	due("5 more within the minute", 2)
	clk.Advance(time.Minute)
	r.svc.Lock()
	due("locked", 2)
	if _, err := r.svc.Unlock(ctx, testPIN); err != nil {
		t.Fatal(err)
	}
	due("unlocked", 3)
	clk.Advance(20 * time.Minute)
	due("20 minutes later, nothing new", 3)
	if rep := verifyWithCerts(t, db); !rep.OK || rep.Heads != 3 {
		t.Errorf("Verify = %+v", rep)
	}
}

// A key pulled out cannot sign: logout still ends the session and records
// it, and the failure is only logged.
func TestLogoutWithoutTheKeyStillLogsOut(t *testing.T) {
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		t.Skip("softhsm2-util not installed (Debian package softhsm2)")
	}
	label := uniq("gone-at-logout")
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	var logged bytes.Buffer
	r := newRig(t, m, func(o *Options) { o.Log = slog.New(slog.NewTextHandler(&logged, nil)) })
	r.enrol(t, label, cert)
	if out, err := exec.Command(util, "--delete-token", "--token", label).CombinedOutput(); err != nil {
		t.Fatalf("softhsm2-util --delete-token: %v\n%s", err, out)
	}
	if got := r.svc.CheckNow(); got != session.LockTokenRemoved {
		t.Fatalf("CheckNow = %q", got)
	}
	r.svc.Logout()
	if cur := r.sessions.Current(); cur != nil {
		t.Fatalf("session still open: %+v", cur)
	}
	es := logOf(t, r)
	if got := actions(es); got != "user.enrol login session.lock logout" {
		t.Errorf("actions = %s", got)
	} else if es[2].After != `{"reason":"token_removed"}` || es[2].CertFingerprint != pki.Fingerprint(cert) {
		t.Errorf("lock entry = %+v", es[2])
	}
	if n := heads(t, r.reg.DB()); n != 0 {
		t.Errorf("heads = %d without a key", n)
	}
	if !strings.Contains(logged.String(), "audit chain head not signed") || strings.Contains(logged.String(), adminName) {
		t.Errorf("log = %q", logged.String())
	}
	if rep := verifyWithCerts(t, r.reg.DB()); !rep.OK || rep.Heads != 0 {
		t.Errorf("Verify = %+v", rep)
	}
}

// Idle time locks the session, and the lock is recorded with its reason.
func TestIdleLockIsAudited(t *testing.T) {
	label := uniq("idle-audited")
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	r := newRig(t, m, func(o *Options) { o.IdleLock = 10 * time.Minute })
	clk := &clock{t: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
	r.sessions.SetClock(clk.Now)
	r.enrol(t, label, cert)
	clk.Advance(11 * time.Minute)
	if got := r.svc.CheckNow(); got != session.LockIdle {
		t.Fatalf("CheckNow = %q", got)
	}
	r.svc.CheckNow() // already locked: no second entry
	es := logOf(t, r)
	if got := actions(es); got != "user.enrol login session.lock" {
		t.Fatalf("actions = %s", got)
	}
	if e := es[2]; e.After != `{"reason":"idle"}` || e.Object != "user:"+strconv.FormatInt(e.UserID, 10) || e.UserID == 0 {
		t.Errorf("lock entry = %+v", e)
	}
}
