package outbox

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/batch"
	"caiji/backend/batch/batchtest"
	"caiji/backend/catalog"
	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/platform/client"
	"caiji/backend/platform/sim"
	"caiji/backend/platform/wire"
	"caiji/backend/session"
	"caiji/backend/store"
)

var (
	clerk         = batch.Actor{UserID: 1, OrgUnitID: 1}
	reviewer      = batch.Actor{UserID: 3, OrgUnitID: 1}
	clerkRoles    = []session.Role{session.Clerk}
	reviewerRoles = []session.Role{session.Reviewer}
	system        = batch.Actor{OrgUnitID: 1} // the worker: no person
)

// testPKI is one root and issuing CA for the whole test binary, valid
// across every year the fixtures' clocks visit, with the reviewer's
// signing key and the key that logs in to the platform.
var testPKI struct {
	once   sync.Once
	root   *devca.CA
	inter  *devca.CA
	signer *batch.Signer
	login  struct {
		cert *x509.Certificate
		key  crypto.Signer
	}
	err error
}

func pkiFor(t testing.TB) {
	t.Helper()
	testPKI.once.Do(func() {
		from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
		p := &testPKI
		if p.root, p.err = devca.NewRoot("测试根 CA", from, to); p.err != nil {
			return
		}
		if p.inter, p.err = p.root.NewIntermediate("测试签发 CA", from, to); p.err != nil {
			return
		}
		cert, key, err := p.inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "王审", OrgUnit: "ou1", NotBefore: from, NotAfter: to})
		if p.err = err; err != nil {
			return
		}
		p.signer = &batch.Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{p.inter.Cert}}
		p.login.cert, p.login.key, p.err = p.inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "张敏", OrgUnit: "ou1", NotBefore: from, NotAfter: to})
	})
	if testPKI.err != nil {
		t.Fatal(testPKI.err)
	}
}

func roots(t testing.TB) *x509.CertPool {
	pkiFor(t)
	p := x509.NewCertPool()
	p.AddCert(testPKI.root.Cert)
	return p
}

// clock is a settable, race-safe time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// local is the client's side: the database, the batch service and the
// outbox, as the app wires them.
type local struct {
	st      *store.Store
	batches *batch.Service
	box     *Box
	clock   *clock // the batch service's: moved to make periods editable
	path    string
}

func openLocal(t testing.TB, path string) *local {
	t.Helper()
	pkiFor(t)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	batchtest.SeedUsers(t, st)
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now()}
	bs := batch.New(st.DB(), cat, c.Now)
	return &local{st: st, batches: bs, box: New(st.DB(), bs, nil), clock: c, path: path}
}

func newLocal(t testing.TB) *local { return openLocal(t, filepath.Join(t.TempDir(), "caiji.db")) }

// approve enters, submits and approves one project batch for period
// (YYYY-MM) with n rows, moving the clock into that period so it is open.
func (l *local) approve(t testing.TB, period string, n int) batch.Batch {
	t.Helper()
	ctx := context.Background()
	var y, m int
	if _, err := fmt.Sscanf(period, "%d-%d", &y, &m); err != nil {
		t.Fatal(err)
	}
	l.clock.Set(time.Date(y, time.Month(m), 20, 10, 0, 0, 0, time.Local))
	defer l.clock.Set(time.Now())
	b, err := l.batches.Open(ctx, clerk, "msj_project", period)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]map[string]string, n)
	for i := range rows {
		rows[i] = batchtest.Project(fmt.Sprintf("P%06d", i+1))
	}
	if _, err := l.batches.Save(ctx, clerk, b.ID, batch.Edit{Revision: b.Revision, Add: rows}); err != nil {
		t.Fatal(err)
	}
	if b, err = l.batches.Get(ctx, clerk, b.ID); err != nil {
		t.Fatal(err)
	}
	if b, err = l.batches.Act(ctx, clerk, clerkRoles, b.ID, batch.Step{Action: batch.Submit, Revision: b.Revision,
		ConfirmWarnings: true, Comment: "测试数据"}); err != nil {
		t.Fatal(err)
	}
	if b, err = l.batches.Act(ctx, reviewer, reviewerRoles, b.ID, batch.Step{Action: batch.Approve, Revision: b.Revision,
		Signer: testPKI.signer}); err != nil {
		t.Fatal(err)
	}
	return b
}

// periods returns n distinct months, oldest first, ending 2026-10.
func periods(n int) []string {
	out := make([]string, n)
	for i := range n {
		k := 2026*12 + 9 - (n - 1 - i) // 2026-10 is month index 9
		out[i] = fmt.Sprintf("%04d-%02d", k/12, k%12+1)
	}
	return out
}

// platform is the simulator on loopback HTTP, counting requests by kind.
type platform struct {
	sim *sim.Server
	srv *httptest.Server
	url string

	mu     sync.Mutex
	counts map[string]int
	down   bool // every request's connection is dropped: the platform is unreachable
}

// setDown makes the platform unreachable (connections dropped) or back.
func (p *platform) setDown(down bool) {
	p.mu.Lock()
	p.down = down
	p.mu.Unlock()
}

func newPlatform(t testing.TB) *platform {
	t.Helper()
	pkiFor(t)
	s, err := sim.Open(context.Background(), t.TempDir(), pki.NewTrustStore(testPKI.root.Cert, testPKI.inter.Cert))
	if err != nil {
		t.Fatal(err)
	}
	p := &platform{sim: s, counts: map[string]int{}}
	h := s.Handler()
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		down := p.down
		if !down {
			p.counts[kind(r)]++
		}
		p.mu.Unlock()
		if down && !strings.Contains(r.URL.Path, "/_sim/") {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { p.srv.Close(); s.Close() })
	p.url = p.srv.URL + wire.BasePath
	return p
}

func kind(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, wire.BasePath)
	switch {
	case strings.HasSuffix(p, "/receipt"):
		return "receipt"
	case strings.HasPrefix(p, "/batches/"):
		return "init"
	case strings.Contains(p, "/chunks/"):
		return "chunk"
	case strings.HasSuffix(p, "/complete"):
		return "complete"
	}
	return p
}

func (p *platform) count(k string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[k]
}

func (p *platform) faults(t testing.TB, f wire.Faults) {
	t.Helper()
	raw, _ := json.Marshal(f)
	resp, err := http.Post(p.url+"/_sim/faults", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("faults: %d %s", resp.StatusCode, body)
	}
}

func (p *platform) held(t testing.TB) []wire.SimBatch {
	t.Helper()
	resp, err := http.Get(p.url + "/_sim/batches")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out wire.SimBatches
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// newClient is the platform client as the app builds it, logging in with
// the test login key on a 401.
func newClient(t testing.TB, url string, opt client.Options) *client.Client {
	t.Helper()
	pkiFor(t)
	opt.BaseURL = url
	var cl *client.Client
	if opt.Relogin == nil {
		opt.Relogin = func(ctx context.Context) error {
			if err := cl.Login(ctx, "ou1", testPKI.login.cert, testPKI.login.key); err != nil {
				if client.Temporary(err) {
					return err
				}
				return &LoginError{Err: err}
			}
			return nil
		}
	}
	if opt.BaseDelay == 0 {
		opt.BaseDelay = time.Millisecond
	}
	if opt.MaxDelay == 0 {
		opt.MaxDelay = 20 * time.Millisecond
	}
	var err error
	if cl, err = client.New(opt); err != nil {
		t.Fatal(err)
	}
	return cl
}

// worker is the app's worker over l and the platform at url, with short
// waits so tests do not idle.
func (l *local) worker(t testing.TB, url string, opt Options) *Worker {
	t.Helper()
	if opt.Platform == nil {
		opt.Platform = newClient(t, url, client.Options{})
	}
	opt.Box, opt.BaseURL, opt.Roots = l.box, url, roots(t)
	if opt.Org == nil {
		opt.Org = func() (batch.Actor, bool) { return system, true }
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Probe == 0 {
		opt.Probe = 20 * time.Millisecond
	}
	if opt.RetryBase == 0 {
		opt.RetryBase = 20 * time.Millisecond
	}
	if opt.RetryMax == 0 {
		opt.RetryMax = 200 * time.Millisecond
	}
	if opt.Idle == 0 {
		opt.Idle = 100 * time.Millisecond
	}
	return NewWorker(opt)
}

func (l *local) items(t testing.TB) []Item {
	t.Helper()
	items, err := l.box.List(context.Background(), clerk)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func (l *local) status(t testing.TB, id int64) batch.Status {
	t.Helper()
	b, err := l.batches.Get(context.Background(), clerk, id)
	if err != nil {
		t.Fatal(err)
	}
	return b.Status
}
