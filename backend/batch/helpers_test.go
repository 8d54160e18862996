package batch

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"caiji/backend/catalog"
	"caiji/backend/store"
)

// clock is a settable, race-safe time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// cst builds a Beijing wall-clock time.
func cst(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

type fixture struct {
	svc   *Service
	st    *store.Store
	clock *clock
	clerk Actor // org unit 1
	other Actor // org unit 2
	path  string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "caiji.db")
	return openFixture(t, path, cst(2026, time.November, 23, 10))
}

func openFixture(t testing.TB, path string, now time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seedUsers(t, st)
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: now}
	return &fixture{svc: New(st.DB(), cat, c.Now), st: st, clock: c, path: path,
		clerk: Actor{UserID: 1, OrgUnitID: 1}, other: Actor{UserID: 2, OrgUnitID: 2}}
}

// seedUsers adds two org units with one account each, unless present.
func seedUsers(t testing.TB, st *store.Store) {
	t.Helper()
	const at = "2026-01-01T00:00:00.000000Z"
	for _, q := range []string{
		`INSERT OR IGNORE INTO org_units (id, code, name, created_at) VALUES (1, 'ou1', '某县民政局', '` + at + `')`,
		`INSERT OR IGNORE INTO org_units (id, code, name, created_at) VALUES (2, 'ou2', '某县财政局', '` + at + `')`,
		`INSERT OR IGNORE INTO users (id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (1, '张敏', 1, 'CN=t', '1', '', 'f1', 'CN=a', '` + at + `', 'x', '` + at + `', '` + at + `')`,
		`INSERT OR IGNORE INTO users (id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (2, '李强', 2, 'CN=t', '2', '', 'f2', 'CN=b', '` + at + `', 'x', '` + at + `', '` + at + `')`,
	} {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
