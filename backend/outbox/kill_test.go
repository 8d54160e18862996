package outbox

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
	"caiji/backend/store"
)

// TestKilledWorkerResumesAndDeliversExactlyOnce kills (SIGKILL: no
// cleanup, no deferred writes) a process sending the outbox at random
// moments, restarts it each time, and checks at the end that the
// platform holds every batch exactly once and the outbox agrees.
func TestKilledWorkerResumesAndDeliversExactlyOnce(t *testing.T) {
	if os.Getenv("CAIJI_OUTBOX_CHILD") != "" {
		t.Skip("parent only")
	}
	const batches = 40
	dir := t.TempDir()
	l, p := openLocal(t, filepath.Join(dir, "caiji.db")), newPlatform(t)
	for _, per := range periods(batches) {
		l.approve(t, per, 4)
	}
	writePKI(t, dir)
	// Latency and errors stretch each push over many requests, so kills
	// land in the middle of chunk uploads, completes and receipt storage.
	p.faults(t, wire.Faults{ErrorRate: 0.1, LatencyMs: 4, DropRate: 0.05})

	kills, killedMidway := 0, 0
	for round := 0; ; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
		cmd.Env = append(os.Environ(), "CAIJI_OUTBOX_CHILD="+dir, "CAIJI_OUTBOX_CHILD_URL="+p.url)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if round >= 30 { // enough kills: let it finish
			if err := <-exited; err != nil {
				t.Fatalf("last run: %v", err)
			}
			break
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("child failed: %v", err)
			}
			round = -1 // finished on its own
		case <-time.After(time.Duration(40+rand.IntN(260)) * time.Millisecond):
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-exited
			kills++
			if c, _ := l.box.counts(context.Background(), 1); c.Queued > 0 {
				killedMidway++
			}
		}
		if round < 0 {
			break
		}
	}
	t.Logf("%d kills, %d with batches still to send; %d inits, %d chunk PUTs, %d completes", kills, killedMidway,
		p.count("init"), p.count("chunk"), p.count("complete"))
	if killedMidway < 3 {
		t.Fatalf("only %d kills landed while sending: the test proved little", killedMidway)
	}
	l.checkExactlyOnce(t, p, batches)
}

// TestKillChild is the process the test above kills: the worker as the
// app runs it, over the parent's database and simulator.
func TestKillChild(t *testing.T) {
	dir := os.Getenv("CAIJI_OUTBOX_CHILD")
	if dir == "" {
		t.Skip("child only")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "caiji.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	root, cert, key := readPKI(t, dir)
	pool := x509.NewCertPool()
	pool.AddCert(root)
	url := os.Getenv("CAIJI_OUTBOX_CHILD_URL")
	var cl *client.Client
	cl, err = client.New(client.Options{BaseURL: url, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond,
		Relogin: func(ctx context.Context) error { return cl.Login(ctx, "ou1", cert, key) }})
	if err != nil {
		t.Fatal(err)
	}
	bs := batch.New(st.DB(), cat, nil)
	box := New(st.DB(), bs, nil)
	w := NewWorker(Options{Box: box, Platform: cl, BaseURL: url, Roots: pool, ChunkSize: 200,
		Org: func() (batch.Actor, bool) { return system, true }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Probe: 10 * time.Millisecond, RetryBase: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond, Idle: 50 * time.Millisecond})
	for {
		wait := w.Drain(ctx)
		c, err := box.counts(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Queued == 0 {
			if c.Failed+c.Rejected > 0 {
				t.Fatalf("finished with %+v", c)
			}
			return
		}
		time.Sleep(min(wait, 20*time.Millisecond))
	}
}

func writePKI(t *testing.T, dir string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(testPKI.login.key)
	if err != nil {
		t.Fatal(err)
	}
	for name, blk := range map[string]*pem.Block{
		"root.pem":  {Type: "CERTIFICATE", Bytes: testPKI.root.Cert.Raw},
		"login.pem": {Type: "CERTIFICATE", Bytes: testPKI.login.cert.Raw},
		"login.key": {Type: "PRIVATE KEY", Bytes: der},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(blk), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func readPKI(t *testing.T, dir string) (root, cert *x509.Certificate, key crypto.Signer) {
	t.Helper()
	read := func(name string) []byte {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pem.Decode(raw)
		if b == nil {
			t.Fatal(fmt.Sprintf("no PEM in %s", name))
		}
		return b.Bytes
	}
	var err error
	if root, err = x509.ParseCertificate(read("root.pem")); err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(read("login.pem")); err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(read("login.key"))
	if err != nil {
		t.Fatal(err)
	}
	return root, cert, k.(crypto.Signer)
}
