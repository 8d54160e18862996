package client

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/approval"
	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/platform/sim"
	"caiji/backend/platform/wire"
)

const ou = "410102"

// fixture is the simulator on loopback HTTP behind a handler that counts
// requests by "METHOD kind" (kind: init, chunk, complete, receipt, …).
type fixture struct {
	t     *testing.T
	sim   *sim.Server
	url   string
	inter *devca.CA
	cert  *x509.Certificate
	key   crypto.Signer

	mu     sync.Mutex
	counts map[string]int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	now := time.Now()
	root, err := devca.NewRoot("测试根 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	inter, err := root.NewIntermediate("测试业务 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.Open(context.Background(), t.TempDir(), pki.NewTrustStore(root.Cert, inter.Cert))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, sim: s, inter: inter, counts: map[string]int{}}
	f.cert, f.key, err = inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "审核员", OrgUnit: ou})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.counting(s.Handler()))
	t.Cleanup(func() { srv.Close(); s.Close() })
	f.url = srv.URL
	return f
}

func (f *fixture) counting(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.counts[kind(r)]++
		f.mu.Unlock()
		h.ServeHTTP(w, r)
	})
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
	return r.Method + " " + p
}

func (f *fixture) count(k string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[k]
}

func (f *fixture) resetCounts() {
	f.mu.Lock()
	f.counts = map[string]int{}
	f.mu.Unlock()
}

// client is a logged-in client with millisecond backoff.
func (f *fixture) client(opt Options) *Client {
	f.t.Helper()
	if opt.BaseURL == "" {
		opt.BaseURL = f.url
	}
	if opt.BaseDelay == 0 {
		opt.BaseDelay, opt.MaxDelay = 2*time.Millisecond, 20*time.Millisecond
	}
	if opt.Timeout == 0 {
		opt.Timeout = 5 * time.Second
	}
	c, err := New(opt)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := c.Login(context.Background(), ou, f.cert, f.key); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// batch is content of n bytes signed by a reviewer of ou.
func (f *fixture) batch(uid string, version, n int, chunk int64) PushRequest {
	f.t.Helper()
	content := []byte(strings.Repeat(fmt.Sprintf("%s,v%d;", uid, version), n)[:n])
	der, err := approval.Sign(content, f.key, f.cert, []*x509.Certificate{f.inter.Cert})
	if err != nil {
		f.t.Fatal(err)
	}
	return PushRequest{BatchUID: uid, Version: version, Dataset: "dibao_roster", Period: "2026-03",
		OrgUnit: ou, Content: content, Signature: der, ChunkSize: chunk}
}

// faults sets the simulator's faults.
func (f *fixture) faults(c *Client, fl wire.Faults) {
	f.t.Helper()
	if _, _, err := c.do(context.Background(), call{method: "POST", path: "/_sim/faults", body: fl}); err != nil {
		f.t.Fatal(err)
	}
}

// held lists what the simulator holds.
func (f *fixture) held(c *Client) []wire.SimBatch {
	f.t.Helper()
	var out wire.SimBatches
	_, raw, err := c.do(context.Background(), call{method: "GET", path: "/_sim/batches"})
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return out.Items
}
