package batch

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"caiji/backend/batch/batchtest"
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
	batchtest.SeedUsers(t, st)
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: now}
	return &fixture{svc: New(st.DB(), cat, c.Now), st: st, clock: c, path: path,
		clerk: Actor{UserID: 1, OrgUnitID: 1}, other: Actor{UserID: 2, OrgUnitID: 2}}
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
