package devca

import (
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"caiji/backend/apperr"
)

var now = time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)

func newRoot(t *testing.T) *CA {
	t.Helper()
	ca, err := NewRoot("测试根 CA", now.AddDate(-1, 0, 0), now.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func TestHierarchy(t *testing.T) {
	root := newRoot(t)
	if !root.Cert.IsCA || root.Cert.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
		t.Errorf("root: IsCA %v, KeyUsage %v", root.Cert.IsCA, root.Cert.KeyUsage)
	}
	inter, err := root.NewIntermediate("测试省级 CA", now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !inter.Cert.MaxPathLenZero || inter.Cert.CheckSignatureFrom(root.Cert) != nil {
		t.Error("intermediate: want path length 0 and signed by root")
	}
	leaf, key, err := inter.IssueWithKey("ecp256", LeafOptions{CommonName: "张三", Organization: "财政局", OrgUnit: "办公室",
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), CRLURL: "http://crl.example/ca.crl"})
	if err != nil {
		t.Fatal(err)
	}
	if leaf.IsCA || leaf.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("leaf: IsCA %v, KeyUsage %v", leaf.IsCA, leaf.KeyUsage)
	}
	if leaf.Subject.CommonName != "张三" || leaf.Subject.Organization[0] != "财政局" || leaf.Subject.OrganizationalUnit[0] != "办公室" {
		t.Errorf("subject = %v", leaf.Subject)
	}
	if len(leaf.CRLDistributionPoints) != 1 || leaf.SerialNumber.BitLen() > 128 || leaf.SerialNumber.Sign() <= 0 {
		t.Errorf("CRL DPs %v, serial %v", leaf.CRLDistributionPoints, leaf.SerialNumber)
	}
	roots := x509.NewCertPool()
	roots.AddCert(root.Cert)
	inters := x509.NewCertPool()
	inters.AddCert(inter.Cert)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("leaf does not verify: %v", err)
	}
	if key.Public() == nil {
		t.Error("no key")
	}
	// Zero dates default to a year from just before now.
	def, err := inter.IssueFor(key.Public(), LeafOptions{CommonName: "默认"})
	if err != nil {
		t.Fatal(err)
	}
	if !def.NotAfter.Equal(def.NotBefore.AddDate(1, 0, 0)) || def.NotBefore.After(time.Now()) {
		t.Errorf("default validity %v – %v", def.NotBefore, def.NotAfter)
	}
	if _, _, err := inter.IssueWithKey("dsa", LeafOptions{}); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestCRL(t *testing.T) {
	root := newRoot(t)
	der, err := root.CRL(map[string]time.Time{"ab": now, "10": now}, now, now.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		t.Fatal(err)
	}
	if crl.CheckSignatureFrom(root.Cert) != nil || len(crl.RevokedCertificateEntries) != 2 ||
		crl.RevokedCertificateEntries[0].SerialNumber.Cmp(big.NewInt(0x10)) != 0 {
		t.Errorf("CRL entries = %v", crl.RevokedCertificateEntries)
	}
	if _, err := root.CRL(map[string]time.Time{"xyz": now}, now, now.Add(time.Hour)); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("bad serial: %v", err)
	}
}

func TestSaveLoad(t *testing.T) {
	root := newRoot(t)
	dir := filepath.Join(t.TempDir(), "devca")
	if err := root.Save(dir); err != nil {
		t.Fatal(err)
	}
	if err := root.Save(dir); err != nil { // overwriting is fine
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(filepath.Join(dir, KeyFile))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
		}
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Cert.Equal(root.Cert) {
		t.Error("certificate changed")
	}
	leaf, err := got.IssueFor(root.Key.Public(), LeafOptions{CommonName: "x"})
	if err != nil || leaf.CheckSignatureFrom(root.Cert) != nil {
		t.Errorf("loaded key cannot issue: %v", err)
	}
}

func TestLoadRefusesBrokenOrMismatched(t *testing.T) {
	if _, err := Load(t.TempDir()); !apperr.Is(err, apperr.ConfigInvalid) {
		t.Errorf("empty dir: %v", err)
	}
	a, b := newRoot(t), newRoot(t)
	dir := t.TempDir()
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, CertFile), PEM(b.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); !apperr.Is(err, apperr.ConfigInvalid) {
		t.Errorf("mismatched key: %v", err)
	}
}

func TestPEM(t *testing.T) {
	a, b := newRoot(t), newRoot(t)
	certs, err := parsePEMCerts(PEM(a.Cert, b.Cert))
	if err != nil || len(certs) != 2 || !certs[0].Equal(a.Cert) || !certs[1].Equal(b.Cert) {
		t.Errorf("PEM round trip: %d certs, %v", len(certs), err)
	}
}

func parsePEMCerts(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return out, nil
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}
