package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/pki/devca"
	"caiji/backend/platform/wire"
)

// syncBuffer lets the test read what the serving command has printed.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func writeDemoTrust(t *testing.T) string {
	t.Helper()
	now := time.Now()
	root, err := devca.NewRoot("测试根 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roots.pem")
	if err := os.WriteFile(path, devca.PEM(root.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPlatformSimServesUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	old := platformSimContext
	platformSimContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	t.Cleanup(func() { platformSimContext = old; cancel() })

	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- Run([]string{"platform-sim", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--trust", writeDemoTrust(t), "--json"}, &stdout, &stderr)
	}()
	var started platformSimStarted
	deadline := time.Now().Add(10 * time.Second)
	for started.URL == "" {
		if time.Now().After(deadline) {
			t.Fatalf("not started: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		_ = json.Unmarshal([]byte(stdout.String()), &started)
	}
	resp, err := http.Get(started.URL + "/_sim/batches")
	if err != nil {
		t.Fatal(err)
	}
	var held wire.SimBatches
	err = json.NewDecoder(resp.Body).Decode(&held)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || held.Items == nil {
		t.Fatalf("%d %v %+v", resp.StatusCode, err, held)
	}
	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
}

func TestPlatformSimUsageAndTrustErrors(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"platform-sim"}, &stdout, &stderr); code != ExitUsage || !strings.Contains(stderr.String(), "--data") {
		t.Fatalf("no --data: %d %q", code, stderr.String())
	}
	stderr.Reset()
	missing := filepath.Join(t.TempDir(), "none.pem")
	code := Run([]string{"platform-sim", "--data", t.TempDir(), "--trust", missing, "--json"}, &stdout, &stderr)
	if code != ExitRefused || !strings.Contains(stdout.String(), `"config_invalid"`) {
		t.Fatalf("missing trust: %d %q", code, stdout.String())
	}
}
