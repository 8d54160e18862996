package pki

import (
	"context"
	"crypto"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/pki/devca"
)

// testNow is the fixed "now" of every check; certificates are dated around it.
var testNow = time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)

type hierarchy struct {
	root, inter       *devca.CA
	rsaLeaf, ecLeaf   *x509.Certificate
	rsaKey, ecKey     crypto.Signer
	rootCRL, interCRL []byte // current and empty
}

var (
	fixtureOnce sync.Once
	fixture     hierarchy
	fixtureErr  error
)

// pkiFixture builds root → intermediate → RSA and EC leaves once: RSA key
// generation is slow under -race.
func pkiFixture(t *testing.T) *hierarchy {
	t.Helper()
	fixtureOnce.Do(func() {
		h := &fixture
		if h.root, fixtureErr = devca.NewRoot("演示省级根 CA", testNow.AddDate(-5, 0, 0), testNow.AddDate(10, 0, 0)); fixtureErr != nil {
			return
		}
		if h.inter, fixtureErr = h.root.NewIntermediate("演示省级 CA", testNow.AddDate(-2, 0, 0), testNow.AddDate(5, 0, 0)); fixtureErr != nil {
			return
		}
		if h.rsaLeaf, h.rsaKey, fixtureErr = h.inter.IssueWithKey("rsa2048", leafOpts("张三")); fixtureErr != nil {
			return
		}
		if h.ecLeaf, h.ecKey, fixtureErr = h.inter.IssueWithKey("ecp256", leafOpts("李四")); fixtureErr != nil {
			return
		}
		if h.rootCRL, fixtureErr = h.root.CRL(nil, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7)); fixtureErr != nil {
			return
		}
		h.interCRL, fixtureErr = h.inter.CRL(nil, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7))
	})
	if fixtureErr != nil {
		t.Fatalf("fixture: %v", fixtureErr)
	}
	return &fixture
}

func leafOpts(cn string) devca.LeafOptions {
	return devca.LeafOptions{
		CommonName: cn, Organization: "某市财政局", OrgUnit: "办公室",
		NotBefore: testNow.AddDate(0, -1, 0), NotAfter: testNow.AddDate(1, 0, 0),
	}
}

// issueEC issues an EC leaf from ca with opts adjusted by edit.
func issueEC(t *testing.T, ca *devca.CA, cn string, edit func(*devca.LeafOptions)) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	o := leafOpts(cn)
	if edit != nil {
		edit(&o)
	}
	cert, key, err := ca.IssueWithKey("ecp256", o)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// writeTemp writes data into the test's temp dir and returns the path.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checker trusts root and intermediate, refuses without CRLs, and reads
// the given CRLs as admin files.
func (h *hierarchy) checker(t *testing.T, crls ...[]byte) *Checker {
	t.Helper()
	c := &Checker{
		Trust:  NewTrustStore(h.root.Cert, h.inter.Cert),
		Policy: CRLRefuse,
		Now:    func() time.Time { return testNow },
	}
	for i, der := range crls {
		c.CRLFiles = append(c.CRLFiles, writeTemp(t, "crl"+string(rune('a'+i))+".crl", der))
	}
	return c
}

func wantCode(t *testing.T, err error, code apperr.Code, msgParts ...string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("err = %v, want code %s", err, code)
	}
	msg := apperr.From(err).Message
	for _, p := range msgParts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q lacks %q", msg, p)
		}
	}
}

func mustCheck(t *testing.T, c *Checker, leaf *x509.Certificate, extra ...*x509.Certificate) *Verified {
	t.Helper()
	v, err := c.Check(context.Background(), leaf, extra)
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return v
}
