package identity

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/session"
	"caiji/backend/store"
)

// TestMain makes hashing cheap: most tests are about rules, not argon2's
// cost. TestProductionParameters uses the real parameters.
func TestMain(m *testing.M) {
	hashParams = argonParams{memory: 256, time: 1, threads: 2, keyLen: 32}
	os.Exit(m.Run())
}

const (
	goodPw  = "Caiji#2024pass"
	otherPw = "Neuer!Pass99"
)

var t0 = time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC) // 09:00 in Beijing

// clock is an injectable, race-safe time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.DB()
}

func newRegistry(t *testing.T, p Policy) (*Registry, *clock, *sql.DB) {
	t.Helper()
	db := openDB(t)
	clk := &clock{t: t0}
	return NewRegistry(db, p, clk.Now), clk, db
}

func cert(n int) CertRef {
	return CertRef{
		Issuer:      "CN=Caiji Test CA,O=Caiji,C=CN",
		Serial:      fmt.Sprintf("%x", 0x1000+n),
		SKI:         fmt.Sprintf("%040x", n),
		Fingerprint: fmt.Sprintf("%064x", 0xabc000+n),
		Subject:     fmt.Sprintf("CN=User %d,O=Caiji,C=CN", n),
		NotAfter:    t0.AddDate(2, 0, 0),
	}
}

// fixture: a registry with its first administrator (sysadmin).
type fixture struct {
	reg   *Registry
	clk   *clock
	db    *sql.DB
	admin User
	certs int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	reg, clk, db := newRegistry(t, Policy{})
	admin, err := reg.EnrolFirstAdmin(context.Background(), "王磊", "演示县财政局", cert(0), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{reg: reg, clk: clk, db: db, admin: admin}
}

// user creates an account through the API and grants roles straight in
// SQL, so setup does not depend on the grant rules under test.
func (f *fixture) user(t *testing.T, name string, roles ...session.Role) User {
	t.Helper()
	ctx := context.Background()
	f.certs++
	u, err := f.reg.CreateUser(ctx, f.admin, name, f.admin.OrgUnitID, cert(f.certs), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if _, err := f.db.Exec("INSERT INTO user_roles(user_id, role) VALUES (?, ?)", u.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	u, err = f.reg.Get(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

func wantMsg(t *testing.T, err error, parts ...string) {
	t.Helper()
	msg := apperr.From(err).Message
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q lacks %q", msg, p)
		}
	}
}

func roles(t *testing.T, reg *Registry, id int64) []session.Role {
	t.Helper()
	u, err := reg.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Roles
}

func failedAttempts(t *testing.T, db *sql.DB, id int64) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT failed_attempts FROM users WHERE id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func storedHash(t *testing.T, db *sql.DB, id int64) string {
	t.Helper()
	var h string
	if err := db.QueryRow("SELECT password_hash FROM users WHERE id = ?", id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}
