package pki

import (
	"crypto/ecdsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/hex"
	"math/big"
	"testing"

	"caiji/backend/pki/devca"
)

func TestFingerprint(t *testing.T) {
	h := pkiFixture(t)
	sum := sha256.Sum256(h.ecLeaf.Raw)
	got := Fingerprint(h.ecLeaf)
	if got != hex.EncodeToString(sum[:]) || len(got) != 64 || got != Fingerprint(h.ecLeaf) {
		t.Errorf("Fingerprint = %q", got)
	}
	if got == Fingerprint(h.rsaLeaf) {
		t.Error("two certificates share a fingerprint")
	}
}

func TestSerialHex(t *testing.T) {
	h := pkiFixture(t)
	for serial, want := range map[int64]string{0xab: "ab", 0x0102ff: "102ff", 1: "1"} {
		cert, _ := issueEC(t, h.inter, "序列号", func(o *devca.LeafOptions) { o.Serial = big.NewInt(serial) })
		if got := SerialHex(cert); got != want {
			t.Errorf("SerialHex(%#x) = %q, want %q", serial, got, want)
		}
	}
}

func TestSubjectKeyID(t *testing.T) {
	h := pkiFixture(t)
	// CA certificates carry the extension.
	if got, want := SubjectKeyID(h.inter.Cert), hex.EncodeToString(h.inter.Cert.SubjectKeyId); want == "" || got != want {
		t.Errorf("SubjectKeyID(CA) = %q, want %q", got, want)
	}
	// Go's leaves lack it: SHA-1 of the public key bits.
	if len(h.ecLeaf.SubjectKeyId) != 0 {
		t.Fatal("fixture leaf unexpectedly has an SKI; build one without it")
	}
	point, err := h.ecLeaf.PublicKey.(*ecdsa.PublicKey).ECDH()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(point.Bytes())
	if got := SubjectKeyID(h.ecLeaf); got != hex.EncodeToString(sum[:]) || got != SubjectKeyID(h.ecLeaf) {
		t.Errorf("SubjectKeyID(leaf) = %q, want %x", got, sum)
	}
}

func TestDisplayName(t *testing.T) {
	if got := DisplayName(pkix.Name{CommonName: "张三", Organization: []string{"财政局"}}); got != "张三" {
		t.Errorf("with CN: %q", got)
	}
	if got := DisplayName(pkix.Name{Organization: []string{"财政局"}, Country: []string{"CN"}}); got != "O=财政局,C=CN" {
		t.Errorf("without CN: %q", got)
	}
}
