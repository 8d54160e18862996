package sim

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"caiji/backend/platform/wire"
)

// selfSignedServer writes a certificate and key for 127.0.0.1.
func selfSignedServer(t *testing.T) (certPEM []byte, certFile, keyFile string) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := t.TempDir()
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPEM, certFile, keyFile
}

// Over TLS the drop fault still hangs up: HTTP/2, where a handler cannot
// hijack its connection, is off even for a client that offers it.
func TestServeTLSAndDropFault(t *testing.T) {
	f := newFixture(t)
	certPEM, certFile, keyFile := selfSignedServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = f.sim.Serve(ctx, ln, certFile, keyFile) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	f.http = &http.Client{Transport: tr}
	f.url = "https://" + ln.Addr().String() + wire.BasePath

	tok := f.loginAs(ou)
	b := f.batch("b-tls", 1, ou, content(10), 1000)
	f.setFaults(wire.Faults{DropRate: 1})
	raw, _ := json.Marshal(b.init)
	req, _ := http.NewRequest("PUT", f.url+b.path(), bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := f.http.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d (%s)", resp.StatusCode, resp.Proto)
	}
	f.setFaults(wire.Faults{})
	if st, sr, e := f.push(tok, b); st != 200 || sr.Receipt.Status != wire.Accepted {
		t.Fatalf("push over TLS: %d %+v", st, e)
	}
}

// Clients racing on one version still leave one copy and one receipt.
func TestConcurrentPushesOfOneVersion(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-race", 1, ou, content(200), 1000)
	var wg sync.WaitGroup
	sigs := make([][]byte, 8)
	errs := make([]error, len(sigs))
	for i := range sigs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sr wire.SignedReceipt
			var st int
			st, sr, _, errs[i] = pushNoFatal(f, tok, b)
			if st == 200 {
				sigs[i] = sr.ReceiptSignature
			} else if errs[i] == nil {
				errs[i] = fmt.Errorf("complete: %d", st)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("client %d: %v", i, err)
		}
	}
	if h := f.held(); len(h) != 1 {
		t.Fatalf("held: %+v", h)
	}
	st, final, _ := f.push(tok, b)
	if st != 200 {
		t.Fatal(st)
	}
	for i, s := range sigs {
		if s != nil && !bytes.Equal(s, final.ReceiptSignature) {
			t.Errorf("client %d got another receipt", i)
		}
	}
}
