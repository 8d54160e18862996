package pki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
)

var (
	p256CurveOID = []byte{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}
	sm2CurveOID  = []byte{0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D}
)

// sm2CurveCert is an ECDSA P-256 certificate whose curve OID is swapped for
// SM2's. Both encodings are 10 bytes, so the DER stays well-formed.
func sm2CurveCert(t *testing.T) []byte {
	t.Helper()
	h := pkiFixture(t)
	if n := bytes.Count(h.ecLeaf.Raw, p256CurveOID); n != 1 {
		t.Fatalf("P-256 OID occurs %d times", n)
	}
	return bytes.Replace(h.ecLeaf.Raw, p256CurveOID, sm2CurveOID, 1)
}

// sm2KeyOIDCert re-encodes the EC leaf with the SM2 OID as the key
// algorithm itself, as some Chinese CAs write it.
func sm2KeyOIDCert(t *testing.T) []byte {
	t.Helper()
	var c rawCertificate
	if _, err := asn1.Unmarshal(pkiFixture(t).ecLeaf.Raw, &c); err != nil {
		t.Fatal(err)
	}
	c.TBS.Raw = nil
	c.TBS.PublicKey.Algorithm = pkix.AlgorithmIdentifier{Algorithm: oidSM2, Parameters: asn1.RawValue{FullBytes: sm2CurveOID}}
	der, err := asn1.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func pemBlock(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func selfSigned(t *testing.T, key any, pub any) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"},
		NotBefore: testNow, NotAfter: testNow.Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestAlgorithm(t *testing.T) {
	h := pkiFixture(t)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	cases := map[string][]byte{
		"RSA":                         h.rsaLeaf.Raw,
		"ECDSA P-256":                 h.ecLeaf.Raw,
		"ECDSA P-384":                 selfSigned(t, p384, p384.Public()),
		"Ed25519":                     selfSigned(t, edKey, edPub),
		"SM2":                         sm2CurveCert(t),
		"unknown (not a certificate)": []byte("garbage"),
	}
	for want, der := range cases {
		if got := Algorithm(der); got != want {
			t.Errorf("Algorithm = %q, want %q", got, want)
		}
	}
	if got := Algorithm(sm2KeyOIDCert(t)); got != "SM2" {
		t.Errorf("Algorithm(SM2 key OID) = %q", got)
	}
}

func TestSM2CertIsNotUsableByGo(t *testing.T) {
	cert, err := x509.ParseCertificate(sm2CurveCert(t))
	if err == nil && cert.PublicKey != nil {
		t.Fatalf("Go parsed an SM2 key: %T", cert.PublicKey)
	}
}

func TestCheckAlgorithm(t *testing.T) {
	h := pkiFixture(t)
	for _, der := range [][]byte{h.rsaLeaf.Raw, h.ecLeaf.Raw} {
		if err := CheckAlgorithm(der); err != nil {
			t.Errorf("CheckAlgorithm(%s) = %v", Algorithm(der), err)
		}
	}
	for _, der := range [][]byte{sm2CurveCert(t), sm2KeyOIDCert(t)} {
		err := CheckAlgorithm(der)
		wantCode(t, err, apperr.CertUnsupportedAlg, "国密 SM2", "后续版本")
	}
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	err := CheckAlgorithm(selfSigned(t, edKey, edPub))
	wantCode(t, err, apperr.CertUnsupportedAlg, "Ed25519")
	if err := CheckAlgorithm([]byte("garbage")); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("garbage: %v", err)
	}
	if msg := apperr.From(CheckAlgorithm(sm2CurveCert(t))).Message; strings.Contains(msg, "ECDSA P-256") {
		t.Errorf("SM2 message mentions P-256: %q", msg)
	}
}
