package approval

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// opensslVerify runs the check docs/signed-approval.md gives integrators:
//
//	openssl cms -verify -binary -inform DER -in sig.der -content content.bin \
//	    -CAfile root.pem -purpose any -out /dev/null
//
// and returns its error and output.
func opensslVerify(t *testing.T, content, der []byte, root *x509.Certificate) (string, error) {
	t.Helper()
	needOpenSSL(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"content.bin": content,
		"sig.der":     der,
		"root.pem":    pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der",
		"-content", "content.bin", "-CAfile", "root.pem", "-purpose", "any", "-out", os.DevNull)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// OpenSSL, an implementation that shares no code with ours, accepts our
// signatures over the canonical bytes, and refuses them over other bytes.
func TestOpenSSLVerifies(t *testing.T) {
	p := thePKI(t)
	content := []byte(exampleCanonical)
	for _, kind := range []string{"ecp256", "rsa2048"} {
		t.Run(kind, func(t *testing.T) {
			r := theReviewer(t, kind)
			der := sign(t, content, r.key, r.cert)
			if out, err := opensslVerify(t, content, der, p.root.Cert); err != nil {
				t.Fatalf("openssl cms -verify: %v\n%s", err, out)
			} else if !bytes.Contains([]byte(out), []byte("Verification successful")) {
				t.Errorf("openssl said %q, want Verification successful", out)
			}
			changed := bytes.Replace(content, []byte("123450"), []byte("123451"), 1)
			if out, err := opensslVerify(t, changed, der, p.root.Cert); err == nil {
				t.Errorf("openssl accepted changed content:\n%s", out)
			}
			if out, err := opensslVerify(t, content, der, r.cert); err == nil { // a leaf is no trust anchor
				t.Errorf("openssl accepted a signature without the trusted root:\n%s", out)
			}
		})
	}
}
