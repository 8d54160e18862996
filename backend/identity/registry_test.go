package identity

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

func TestPolicyDefaults(t *testing.T) {
	reg, _, _ := newRegistry(t, Policy{})
	want := Policy{MaxFailures: 5, LockFor: 15 * time.Minute, PasswordMaxAge: 90 * 24 * time.Hour, RemindBefore: 7 * 24 * time.Hour}
	if got := reg.Policy(); got != want {
		t.Errorf("Policy() = %+v, want %+v", got, want)
	}
	reg2 := NewRegistry(reg.db, Policy{MaxFailures: 3}, nil)
	if got := reg2.Policy(); got.MaxFailures != 3 || got.LockFor != 15*time.Minute {
		t.Errorf("partial policy = %+v", got)
	}
	if reg2.now == nil {
		t.Error("nil clock not replaced by time.Now")
	}
}

func TestEnrolFirstAdminOnce(t *testing.T) {
	ctx := context.Background()
	reg, _, db := newRegistry(t, Policy{})
	if n, err := reg.UserCount(ctx); err != nil || n != 0 {
		t.Fatalf("UserCount = %d, %v; want 0", n, err)
	}
	c := cert(0)
	c.Serial = "00:10:00" // written with separators and a leading zero
	admin, err := reg.EnrolFirstAdmin(ctx, " 王磊 ", "演示县财政局", c, goodPw)
	if err != nil {
		t.Fatal(err)
	}
	if admin.Name != "王磊" || admin.OrgUnit != "演示县财政局" || !slices.Equal(admin.Roles, []session.Role{session.SysAdmin}) {
		t.Errorf("admin = %+v", admin)
	}
	if admin.MustChangePassword || admin.Disabled || admin.LockedUntil != nil || !admin.PasswordChangedAt.Equal(t0) {
		t.Errorf("admin state = %+v", admin)
	}
	if admin.Cert.Serial != "1000" {
		t.Errorf("serial stored as %q, want normalised 1000", admin.Cert.Serial)
	}
	units, err := reg.ListOrgUnits(ctx)
	if err != nil || len(units) != 1 || units[0].Code != "ORG-0001" || units[0].ID != admin.OrgUnitID {
		t.Errorf("org units = %+v, %v", units, err)
	}
	var by sql.NullInt64
	if err := db.QueryRow("SELECT created_by FROM users WHERE id = ?", admin.ID).Scan(&by); err != nil || by.Valid {
		t.Errorf("first admin created_by = %v, %v; want NULL", by, err)
	}

	_, err = reg.EnrolFirstAdmin(ctx, "李四", "另一单位", cert(1), goodPw)
	wantCode(t, err, apperr.AlreadyEnrolled)
	if n, _ := reg.UserCount(ctx); n != 1 {
		t.Errorf("UserCount after refused second enrolment = %d", n)
	}
	if units, _ := reg.ListOrgUnits(ctx); len(units) != 1 {
		t.Errorf("refused enrolment left an org unit: %+v", units)
	}
}

func TestEnrolFirstAdminValidates(t *testing.T) {
	ctx := context.Background()
	reg, _, _ := newRegistry(t, Policy{})
	expired := cert(0)
	expired.NotAfter = t0.Add(-time.Hour)
	noSerial := cert(0)
	noSerial.Serial = ""
	for name, tc := range map[string]struct {
		name, org string
		c         CertRef
		pw        string
		code      apperr.Code
	}{
		"weak password": {"王磊", "单位", cert(0), "short", apperr.PasswordWeak},
		"blank name":    {"  ", "单位", cert(0), goodPw, apperr.BadInput},
		"blank org":     {"王磊", "", cert(0), goodPw, apperr.BadInput},
		"no serial":     {"王磊", "单位", noSerial, goodPw, apperr.BadInput},
		"expired cert":  {"王磊", "单位", expired, goodPw, apperr.CertExpired},
	} {
		_, err := reg.EnrolFirstAdmin(ctx, tc.name, tc.org, tc.c, tc.pw)
		if !apperr.Is(err, tc.code) {
			t.Errorf("%s: err = %v, want %s", name, err, tc.code)
		}
	}
	if n, _ := reg.UserCount(ctx); n != 0 {
		t.Errorf("refused enrolments created %d users", n)
	}
	if units, _ := reg.ListOrgUnits(ctx); len(units) != 0 {
		t.Errorf("refused enrolments created org units: %+v", units)
	}
}

func TestEnrolFirstAdminConcurrentOnlyOneWins(t *testing.T) {
	ctx := context.Background()
	reg, _, _ := newRegistry(t, Policy{})
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = reg.EnrolFirstAdmin(ctx, "管理员", "单位", cert(i), goodPw)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !apperr.Is(err, apperr.AlreadyEnrolled):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if c, _ := reg.UserCount(ctx); won != 1 || c != 1 {
		t.Errorf("%d enrolments succeeded, %d users; want 1 and 1", won, c)
	}
}

func TestFindByCert(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "张敏", session.Clerk)

	got, err := f.reg.FindByCert(ctx, u.Cert.Issuer, u.Cert.Serial)
	if err != nil || got.ID != u.ID || !slices.Equal(got.Roles, []session.Role{session.Clerk}) {
		t.Fatalf("FindByCert = %+v, %v", got, err)
	}
	// The serial as another component may print it.
	if got, err := f.reg.FindByCert(ctx, u.Cert.Issuer, "00:"+strings.ToUpper(u.Cert.Serial)); err != nil || got.ID != u.ID {
		t.Errorf("FindByCert with a differently written serial = %+v, %v", got, err)
	}

	_, err = f.reg.FindByCert(ctx, u.Cert.Issuer, "deadbeef")
	wantCode(t, err, apperr.UnknownUser)
	_, err = f.reg.FindByCert(ctx, "CN=Other CA", u.Cert.Serial)
	wantCode(t, err, apperr.UnknownUser)

	if err := f.reg.SetDisabled(ctx, f.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	got, err = f.reg.FindByCert(ctx, u.Cert.Issuer, u.Cert.Serial)
	wantCode(t, err, apperr.UserDisabled)
	if got.ID != u.ID {
		t.Errorf("UserDisabled came without the user (got id %d)", got.ID)
	}
}

func TestGetNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.reg.Get(context.Background(), 999)
	wantCode(t, err, apperr.NotFound)
}

func TestListUsers(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.user(t, "张敏", session.Reviewer, session.Clerk)
	b := f.user(t, "陈晨")
	list, err := f.reg.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].ID != f.admin.ID || list[1].ID != a.ID || list[2].ID != b.ID {
		t.Fatalf("ListUsers = %+v", list)
	}
	if !slices.Equal(list[1].Roles, []session.Role{session.Clerk, session.Reviewer}) {
		t.Errorf("roles = %v, want clerk, reviewer in display order", list[1].Roles)
	}
	if list[2].Roles == nil || len(list[2].Roles) != 0 || list[2].OrgUnit != "演示县财政局" {
		t.Errorf("user without roles = %+v", list[2])
	}
}

func TestUserJSON(t *testing.T) {
	f := newFixture(t)
	b, err := json.Marshal(f.admin)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "name", "orgUnitId", "orgUnit", "roles", "cert", "disabled", "mustChangePassword", "passwordChangedAt", "lockedUntil"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	c, _ := m["cert"].(map[string]any)
	for _, k := range []string{"issuer", "serial", "ski", "fingerprint", "subject", "notAfter"} {
		if _, ok := c[k]; !ok {
			t.Errorf("cert JSON lacks %q: %s", k, b)
		}
	}
	if s := string(b); strings.Contains(s, "argon2") || strings.Contains(s, goodPw) {
		t.Errorf("user JSON carries a password or hash: %s", s)
	}
}

func TestSchemaRejectsBadRows(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.Exec("INSERT INTO user_roles(user_id, role) VALUES (?, 'boss')", f.admin.ID); err == nil {
		t.Error("role CHECK accepted 'boss'")
	}
	if _, err := f.db.Exec("UPDATE users SET name = '   ' WHERE id = ?", f.admin.ID); err == nil {
		t.Error("blank name accepted")
	}
	if _, err := f.db.Exec("UPDATE users SET org_unit_id = 999 WHERE id = ?", f.admin.ID); err == nil {
		t.Error("foreign key to org_units not enforced")
	}
	_, err := f.db.Exec(`INSERT INTO users(name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
		cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
		VALUES ('x', ?, ?, ?, '', 'ff', 's', 'n', 'h', 'c', 'c')`, f.admin.OrgUnitID, f.admin.Cert.Issuer, f.admin.Cert.Serial)
	if err == nil {
		t.Error("UNIQUE(cert_issuer, cert_serial) not enforced")
	}
}
