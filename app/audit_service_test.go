package app

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/audit/audittest"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/session"
)

// knownID is a valid 18-digit 身份证号 seeded into a batch: it must never
// appear anywhere in the audit log.
const (
	knownID      = "11010519491231002X"
	knownAccount = "6228480402564890018"
	knownName    = "王芳"
)

// entriesOf lists the audit log entries with action, newest first.
func entriesOf(t *testing.T, a *App, action string) []audit.Item {
	return audittest.Entries(t, a.store.DB(), action)
}

// The trail of a working day through the bound methods: each event one
// entry with the acting account and its certificate; refusals in the log;
// logout signs the head; the auditor lists, verifies and exports it; and
// no ID number, account or recipient's name is in the log in clear.
func TestAuditTrailThroughTheApp(t *testing.T) {
	a := demoApp(t)
	db := a.store.DB()
	before := func(action string) int { return len(entriesOf(t, a, action)) }
	logins, refusals := before(audit.ActLogin), before(audit.ActRefused)

	// Nobody logged in.
	if _, err := a.Audit.List(audit.Filter{}); jsCode(t, err).Code != apperr.NotLoggedIn {
		t.Fatalf("anonymous List: %v", err)
	}
	// The clerk: a refused call, a save, a reveal, two exports.
	clerk := loginAs(t, a, session.Clerk)
	clerkID, _ := strconv.ParseInt(clerk.User.ID, 10, 64)
	clerkFP := a.sessions.Current().CertFingerprint
	if _, err := a.Audit.Verify(); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("clerk Verify: %v", err)
	}
	cat, _ := catalog.Load()
	d, _ := cat.Get("msj_roster")
	b, err := a.Entry.OpenBatch("msj_roster", collecting(d))
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for _, f := range d.Fields {
		row[f.Code] = validCell(f)
	}
	row["id_number"], row["account"], row["name"] = knownID, knownAccount, knownName
	res, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: []map[string]string{row}})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := a.Entry.Reveal(b.ID, res.Added[0], "id_number"); err != nil || v != knownID {
		t.Fatalf("reveal %q, %v", v, err)
	}
	if _, err := a.Exports.Batch(b.ID, "table", false); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exports.Batch(b.ID, "payroll", true); err != nil {
		t.Fatal(err)
	}
	headsBefore := countRows(t, db, "audit_heads")
	if err := a.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "audit_heads"); n != headsBefore+1 {
		t.Fatalf("heads %d → %d: logout did not sign", headsBefore, n)
	}

	// Exactly one entry per event, by the clerk with the session's certificate.
	for action, want := range map[string]int{audit.ActBatchSave: 1, audit.ActBatchReveal: 1, audit.ActBatchExport: 2, audit.ActLogout: 1} {
		es := entriesOf(t, a, action)
		if len(es) != want {
			t.Errorf("%s: %d entries, want %d", action, len(es), want)
			continue
		}
		for _, e := range es {
			if e.UserID != clerkID || e.CertFingerprint != clerkFP || (action != audit.ActLogout && e.Object != "batch:"+strconv.FormatInt(b.ID, 10)) {
				t.Errorf("%s = %+v, want by user %d with %.12s on batch %d", action, e, clerkID, clerkFP, b.ID)
			}
		}
	}
	if es := entriesOf(t, a, audit.ActLogin); len(es) != logins+1 || es[0].UserID != clerkID || es[0].CertFingerprint != clerkFP {
		t.Errorf("login entries = %d (newest %+v)", len(es), es[0])
	}
	rs := entriesOf(t, a, audit.ActRefused)
	if len(rs) != refusals+2 {
		t.Fatalf("refused entries = %d, want %d", len(rs), refusals+2)
	}
	if rs[0].Object != "Audit.Verify" || rs[0].UserID != clerkID || rs[0].CertFingerprint != clerkFP || rs[0].After != `{"code":"forbidden"}` {
		t.Errorf("clerk's refusal = %+v", rs[0])
	}
	if rs[1].Object != "Audit.List" || rs[1].UserID != 0 || rs[1].After != `{"code":"not_logged_in"}` {
		t.Errorf("anonymous refusal = %+v", rs[1])
	}

	// The auditor reads, verifies and exports.
	loginAs(t, a, session.Auditor)
	p, err := a.Audit.List(audit.Filter{Action: "batch.", UserID: clerkID})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 4 || len(p.Items) != 4 || p.Items[0].Action != audit.ActBatchExport || p.Items[0].UserName != demoIdentity(t, session.Clerk).Name {
		t.Errorf("List(batch., clerk) = %+v", p)
	}
	if p, err := a.Audit.List(audit.Filter{From: "2026-13-01"}); err == nil || jsCode(t, err).Code != apperr.BadInput {
		t.Errorf("bad date: %+v, %v", p, err)
	}
	us, err := a.Audit.Users()
	if err != nil || !slices.ContainsFunc(us, func(u AuditUser) bool { return u.ID == clerkID }) {
		t.Errorf("Users = %+v, %v", us, err)
	}
	rep, err := a.Audit.Verify()
	if err != nil || !rep.OK || !rep.SignaturesChecked || rep.Heads < 1 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
	saved, err := a.Audit.Export(audit.Filter{UserID: clerkID})
	if err != nil || filepath.Dir(saved.Path) != a.exportsDir() || saved.Size == 0 {
		t.Fatalf("Export = %+v, %v", saved, err)
	}
	f, err := excelize.OpenFile(saved.Path)
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := f.GetRows("审计日志")
	f.Close()
	clerkEntries, _ := a.Audit.List(audit.Filter{UserID: clerkID})
	if len(xrows) != clerkEntries.Total+1 || xrows[0][0] != "序号" {
		t.Errorf("export has %d rows, want header and %d entries", len(xrows), clerkEntries.Total)
	}
	if es := entriesOf(t, a, audit.ActAuditExport); len(es) != 1 || es[0].After == "" {
		t.Errorf("audit.export entries = %+v", es)
	}
	a.Session.Logout()

	// Nothing personal, anywhere in the log.
	var all string
	if err := db.QueryRow(`SELECT group_concat(action || object || COALESCE("before", '') || COALESCE("after", ''), char(10)) FROM audit_log`).Scan(&all); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{knownID, knownAccount, knownName, "111111", "555555"} {
		if strings.Contains(all, secret) {
			t.Errorf("the audit log holds %q in clear", secret)
		}
	}

	// Someone with the file zeroes the last head's signature (dropping
	// the trigger that refuses it, as anyone with sqlite3 can).
	for _, q := range []string{"DROP TRIGGER audit_heads_no_update",
		"UPDATE audit_heads SET signature = zeroblob(length(signature)) WHERE id = (SELECT MAX(id) FROM audit_heads)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	loginAs(t, a, session.Auditor)
	rep, err = a.Audit.Verify()
	if err != nil || rep.OK || rep.FirstBroken == nil || !strings.Contains(rep.Reason, "签名无效") {
		t.Fatalf("Verify after tampering = %+v, %v", rep, err)
	}
}

func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Only the auditor reads the log, also when the page is bypassed.
func TestAuditServiceIsForTheAuditorOnly(t *testing.T) {
	a := demoApp(t)
	calls := map[string]func() error{
		"List":   func() error { _, err := a.Audit.List(audit.Filter{}); return err },
		"Verify": func() error { _, err := a.Audit.Verify(); return err },
		"Export": func() error { _, err := a.Audit.Export(audit.Filter{}); return err },
		"Users":  func() error { _, err := a.Audit.Users(); return err },
	}
	for _, r := range session.AllRoles {
		loginAs(t, a, r)
		for name, call := range calls {
			err := call()
			if r == session.Auditor && err != nil {
				t.Errorf("auditor %s: %v", name, err)
			}
			if r != session.Auditor && (err == nil || jsCode(t, err).Code != apperr.Forbidden) {
				t.Errorf("%s %s: %v, want forbidden", r, name, err)
			}
		}
		a.Session.Logout()
	}
}
