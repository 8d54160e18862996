package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"caiji/backend/apperr"
)

// serveTLS serves the fixture's simulator over HTTPS with a self-signed
// certificate for 127.0.0.1 and returns its URL and certificate.
func serveTLS(t *testing.T, f *fixture) (string, *x509.Certificate) {
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
	cert, _ := x509.ParseCertificate(der)
	kder, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = f.sim.Serve(ctx, ln, certFile, keyFile) }()
	t.Cleanup(func() { cancel(); <-done })
	return "https://" + ln.Addr().String(), cert
}

// Trusting the server's certificate, login and push work over HTTPS; a
// client with other roots fails at once with a clear, final error.
func TestTLSTrustedAndUntrusted(t *testing.T) {
	f := newFixture(t)
	url, cert := serveTLS(t, f)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	c := f.client(Options{BaseURL: url, Roots: roots})
	sr, err := c.Push(context.Background(), f.batch("tls-1", 1, 400, 150), nil)
	if err != nil || sr.Receipt.BatchUID != "tls-1" {
		t.Fatalf("push over TLS: %v", err)
	}

	var sleeps int
	u, err := New(Options{BaseURL: url, Roots: x509.NewCertPool(), MaxRetries: 5,
		Sleep: func(context.Context, time.Duration) error { sleeps++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	err = u.Login(context.Background(), ou, f.cert, f.key)
	if !apperr.Is(err, TLSUntrusted) || Temporary(err) || sleeps != 0 {
		t.Fatalf("untrusted: %v (retried %d times)", err, sleeps)
	}
}
