package token

import (
	"caiji/backend/token/softhsm"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const (
	softhsmPath = "/usr/lib/softhsm/libsofthsm2.so"
	testSOPIN   = "so-pin-4321"
	testPIN     = "user-pin-8765"
)

// softhsmTokenDir holds every token the package's tests create.
var softhsmTokenDir string

// TestMain gives the whole package one SoftHSM configuration. The driver is
// loaded once per process and reads SOFTHSM2_CONF at C_Initialize, so a
// per-test config would be silently ignored whenever another test still had
// the context open. Tests keep apart by giving their tokens distinct labels.
func TestMain(m *testing.M) {
	os.Exit(softhsm.Run("caiji-softhsm-", func() int {
		softhsmTokenDir = filepath.Join(filepath.Dir(os.Getenv("SOFTHSM2_CONF")), "tokens")
		return m.Run()
	}))
}

// openSoftHSM opens the SoftHSM driver, closed when the test ends.
func openSoftHSM(t testing.TB) *Module {
	t.Helper()
	if _, err := os.Stat(softhsmPath); err != nil {
		t.Skipf("SoftHSM2 is not installed (%s missing; apt-get install softhsm2)", softhsmPath)
	}
	m, err := Open(softhsmPath)
	if err != nil {
		t.Fatalf("Open(%s): %v", softhsmPath, err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// newLoggedInToken initializes a fresh token labelled label and logs in.
func newLoggedInToken(t testing.TB, m *Module, label string) *Session {
	t.Helper()
	ti, err := InitToken(m, label, testSOPIN, testPIN)
	if err != nil {
		t.Fatalf("InitToken(%q): %v", label, err)
	}
	s, err := m.Login(ti.SlotID, testPIN)
	if err != nil {
		t.Fatalf("Login(%q): %v", label, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testCA is a software CA: x509.CreateCertificate needs the issuer's private
// key, and the token keys' private halves cannot leave the token.
var testCA = sync.OnceValues(func() (*x509.Certificate, crypto.Signer) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Caiji Test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return cert, key
})

// issueCert certifies pub (usually a token key) with the software CA.
func issueCert(t testing.TB, pub crypto.PublicKey, cn string) *x509.Certificate {
	t.Helper()
	ca, caKey := testCA()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"测试单位"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
	if err != nil {
		t.Fatalf("CreateCertificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("ParseCertificate: %v", err)
	}
	return cert
}

// findCert returns the certificate with the given label on s.
func findCert(t testing.TB, s *Session, label string) Certificate {
	t.Helper()
	certs, err := s.Certificates()
	if err != nil {
		t.Fatalf("Certificates: %v", err)
	}
	for _, c := range certs {
		if c.Label == label {
			return c
		}
	}
	t.Fatalf("certificate %q not found among %d", label, len(certs))
	return Certificate{}
}
