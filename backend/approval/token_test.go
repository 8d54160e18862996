package approval

import (
	"bytes"
	"crypto/x509"
	"os"
	"testing"
	"time"

	"caiji/backend/pki/devca"
	"caiji/backend/token"
)

const softhsmLib = "/usr/lib/softhsm/libsofthsm2.so"

// A reviewer's key that never leaves its token (SoftHSM2, a real PKCS#11
// token) signs through backend/token; we and OpenSSL accept the result.
func TestSignOnSoftHSM(t *testing.T) {
	_, err := os.Stat(softhsmLib)
	need(t, err == nil, softhsmLib, "softhsm2")
	m, err := token.Open(softhsmLib)
	if err != nil {
		t.Fatalf("token.Open: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	ti, err := token.InitToken(m, "approval-test", "so-pin-4321", "user-pin-8765")
	if err != nil {
		t.Fatalf("InitToken: %v", err)
	}
	s, err := m.Login(ti.SlotID, "user-pin-8765")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	t.Cleanup(func() { s.Close() })

	p := thePKI(t)
	content := []byte(exampleCanonical)
	for _, c := range []struct {
		name string
		kind token.KeyKind
	}{{"ecp256", token.ECP256}, {"rsa2048", token.RSA2048}} {
		t.Run(c.name, func(t *testing.T) {
			id := []byte("approval-" + c.name)
			pub, err := s.GenerateKeyPair(c.kind, id, c.name)
			if err != nil {
				t.Fatalf("GenerateKeyPair: %v", err)
			}
			cert, err := p.inter.IssueFor(pub, devca.LeafOptions{CommonName: "王审（USB Key " + c.name + "）", Organization: "某县民政局"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.ImportCertificate(id, c.name, cert); err != nil {
				t.Fatalf("ImportCertificate: %v", err)
			}
			var onToken token.Certificate
			certs, err := s.Certificates()
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range certs {
				if bytes.Equal(tc.ID, id) {
					onToken = tc
				}
			}
			if onToken.Cert == nil {
				t.Fatal("certificate not found on the token")
			}
			signer, err := s.Signer(onToken)
			if err != nil {
				t.Fatalf("Signer: %v", err)
			}
			der, err := Sign(content, signer, onToken.Cert, []*x509.Certificate{p.inter.Cert})
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			got, err := Verify(content, der, p.roots, time.Time{})
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !got.Equal(cert) {
				t.Errorf("signer %s, want the token's certificate", got.Subject)
			}
			if out, err := opensslVerify(t, content, der, p.root.Cert); err != nil {
				t.Errorf("openssl cms -verify: %v\n%s", err, out)
			}
			bad := bytes.Clone(content)
			bad[len(bad)/2] ^= 1
			if _, err := Verify(bad, der, p.roots, time.Time{}); codeOf(err) != ContentChanged {
				t.Errorf("changed content: %v, want %s", err, ContentChanged)
			}
		})
	}
}
