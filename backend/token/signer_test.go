package token

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

func digest(h crypto.Hash, msg string) []byte {
	var f func() hash.Hash
	switch h {
	case crypto.SHA1:
		f = sha1.New
	case crypto.SHA256:
		f = sha256.New
	case crypto.SHA384:
		f = sha512.New384
	case crypto.SHA512:
		f = sha512.New
	}
	d := f()
	d.Write([]byte(msg))
	return d.Sum(nil)
}

// provision generates a key pair on s, certifies it and stores the
// certificate beside it, then returns the signer found through Certificates.
func provision(t testing.TB, s *Session, kind KeyKind, label string) (crypto.Signer, Certificate) {
	t.Helper()
	id := []byte(label)
	pub, err := s.GenerateKeyPair(kind, id, label)
	if err != nil {
		t.Fatalf("GenerateKeyPair: %v", err)
	}
	if err := s.ImportCertificate(id, label, issueCert(t, pub, label)); err != nil {
		t.Fatalf("ImportCertificate: %v", err)
	}
	c := findCert(t, s, label)
	if c.Cert == nil || string(c.ID) != label || len(c.Raw) == 0 {
		t.Fatalf("certificate read back wrong: %+v", c)
	}
	signer, err := s.Signer(c)
	if err != nil {
		t.Fatalf("Signer: %v", err)
	}
	if !signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
		t.Fatal("signer's public key is not the generated one")
	}
	return signer, c
}

func TestRSASign(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "rsa-sign")
	signer, c := provision(t, s, RSA2048, "rsa-key")
	pub := c.Cert.PublicKey.(*rsa.PublicKey)

	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		d := digest(h, "登录挑战 "+h.String())
		sig, err := signer.Sign(rand.Reader, d, h)
		if err != nil {
			t.Fatalf("PKCS#1 v1.5 %v: %v", h, err)
		}
		if err := rsa.VerifyPKCS1v15(pub, h, d, sig); err != nil {
			t.Errorf("PKCS#1 v1.5 %v does not verify: %v", h, err)
		}
	}
	for _, salt := range []int{rsa.PSSSaltLengthAuto, rsa.PSSSaltLengthEqualsHash, 20} {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
			d := digest(h, "pss")
			opts := &rsa.PSSOptions{SaltLength: salt, Hash: h}
			sig, err := signer.Sign(rand.Reader, d, opts)
			if err != nil {
				t.Fatalf("PSS %v salt %d: %v", h, salt, err)
			}
			if err := rsa.VerifyPSS(pub, h, d, sig, &rsa.PSSOptions{SaltLength: salt}); err != nil {
				t.Errorf("PSS %v salt %d does not verify: %v", h, salt, err)
			}
		}
	}
	if _, err := signer.Sign(rand.Reader, []byte("short"), crypto.SHA256); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("Sign(wrong digest length) = %v, want %s", err, apperr.BadInput)
	}
	if _, err := signer.Sign(rand.Reader, make([]byte, 28), crypto.SHA224); !apperr.Is(err, apperr.SignFailed) {
		t.Errorf("Sign(SHA-224) = %v, want %s", err, apperr.SignFailed)
	}
}

func TestECDSASign(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "ec-sign")
	signer, c := provision(t, s, ECP256, "ec-key")
	pub := c.Cert.PublicKey.(*ecdsa.PublicKey)
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384} {
		d := digest(h, "challenge")
		sig, err := signer.Sign(rand.Reader, d, h)
		if err != nil {
			t.Fatalf("ECDSA %v: %v", h, err)
		}
		if !ecdsa.VerifyASN1(pub, d, sig) {
			t.Errorf("ECDSA %v signature does not verify", h)
		}
	}
}

func TestPrivateKeyCannotLeaveToken(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "key-attrs")
	for _, kind := range []KeyKind{RSA2048, ECP256} {
		signer, _ := provision(t, s, kind, "attrs-"+string(rune('0'+kind)))
		key := signer.(*keySigner).key
		l := s.lib
		l.mu.Lock()
		attrs, err := l.ctx.GetAttributeValue(s.handle, key, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, nil),
			pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, nil),
			pkcs11.NewAttribute(pkcs11.CKA_SIGN, nil),
			pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, nil),
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, nil),
		})
		secret := uint(pkcs11.CKA_PRIVATE_EXPONENT)
		if kind == ECP256 {
			secret = pkcs11.CKA_VALUE
		}
		_, secretErr := l.ctx.GetAttributeValue(s.handle, key, []*pkcs11.Attribute{pkcs11.NewAttribute(secret, nil)})
		l.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		want := map[uint]byte{pkcs11.CKA_SENSITIVE: 1, pkcs11.CKA_EXTRACTABLE: 0, pkcs11.CKA_SIGN: 1, pkcs11.CKA_PRIVATE: 1, pkcs11.CKA_TOKEN: 1}
		for _, a := range attrs {
			if len(a.Value) != 1 || a.Value[0] != want[a.Type] {
				t.Errorf("kind %d: attribute 0x%x = %v, want %d", kind, a.Type, a.Value, want[a.Type])
			}
		}
		if !isCKR(secretErr, pkcs11.CKR_ATTRIBUTE_SENSITIVE) {
			t.Errorf("kind %d: reading the secret value = %v, want CKR_ATTRIBUTE_SENSITIVE", kind, secretErr)
		}
	}
}

// Vendor tools do not always give the certificate its key's CKA_ID; the
// signer must then be found by public key.
func TestSignerMatchesByPublicKey(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "match-pubkey")
	for _, kind := range []KeyKind{RSA2048, ECP256} {
		keyID := []byte{0xA0, byte(kind)}
		pub, err := s.GenerateKeyPair(kind, keyID, "key")
		if err != nil {
			t.Fatal(err)
		}
		label := "cert-other-id-" + string(rune('0'+kind))
		if err := s.ImportCertificate([]byte{0xC0, byte(kind)}, label, issueCert(t, pub, label)); err != nil {
			t.Fatal(err)
		}
		c := findCert(t, s, label)
		signer, err := s.Signer(c)
		if err != nil {
			t.Fatalf("kind %d: Signer: %v", kind, err)
		}
		d := digest(crypto.SHA256, "x")
		sig, err := signer.Sign(rand.Reader, d, crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		switch p := pub.(type) {
		case *rsa.PublicKey:
			err = rsa.VerifyPKCS1v15(p, crypto.SHA256, d, sig)
		case *ecdsa.PublicKey:
			if !ecdsa.VerifyASN1(p, d, sig) {
				t.Errorf("kind %d: signature does not verify", kind)
			}
		}
		if err != nil {
			t.Errorf("kind %d: %v", kind, err)
		}
	}
}

func TestSignerKeyMissing(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "key-missing")
	for _, kind := range []KeyKind{RSA2048, ECP256} {
		var soft crypto.Signer
		var err error
		if kind == RSA2048 {
			soft, err = rsa.GenerateKey(rand.Reader, 2048)
		} else {
			soft, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		}
		if err != nil {
			t.Fatal(err)
		}
		// A token key with the certificate's ID but another public key must
		// not be taken for the certificate's key.
		id := []byte{0xEE, byte(kind)}
		if _, err := s.GenerateKeyPair(kind, id, "unrelated"); err != nil {
			t.Fatal(err)
		}
		label := "no-key-" + string(rune('0'+kind))
		if err := s.ImportCertificate(id, label, issueCert(t, soft.Public(), label)); err != nil {
			t.Fatal(err)
		}
		_, err = s.Signer(findCert(t, s, label))
		if kind == ECP256 {
			// EC private keys do not expose their point, so an ID match is
			// trusted as PKCS#11 intends; test the no-ID-match case instead.
			if err := s.ImportCertificate([]byte{0xEF}, label+"b", issueCert(t, soft.Public(), label+"b")); err != nil {
				t.Fatal(err)
			}
			_, err = s.Signer(findCert(t, s, label+"b"))
		}
		if !apperr.Is(err, apperr.KeyMissing) {
			t.Errorf("kind %d: Signer(cert without key) = %v, want %s", kind, err, apperr.KeyMissing)
		}
	}
}

func TestSignerUnsupported(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "unsupported")
	_, err := s.Signer(Certificate{Label: "sm2", Raw: []byte{0x30}})
	if !apperr.Is(err, apperr.SignFailed) {
		t.Errorf("Signer(unparsable cert) = %v, want %s", err, apperr.SignFailed)
	}
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	c := issueCert(t, p224.Public(), "p224")
	_, err = s.Signer(Certificate{Cert: c, Raw: c.Raw})
	if !apperr.Is(err, apperr.SignFailed) || !strings.Contains(apperr.From(err).Message, "P-224") {
		t.Errorf("Signer(P-224) = %v, want %s naming the curve", err, apperr.SignFailed)
	}
}

// Signing, presence polling and token listing from several goroutines, as
// the GUI and the sync worker do; run with -race.
func TestConcurrentUse(t *testing.T) {
	m := openSoftHSM(t)
	s := newLoggedInToken(t, m, "concurrent")
	signer, c := provision(t, s, ECP256, "conc-key")
	pub := c.Cert.PublicKey.(*ecdsa.PublicKey)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				d := digest(crypto.SHA256, string(rune('a'+g*5+i)))
				sig, err := signer.Sign(rand.Reader, d, crypto.SHA256)
				if err != nil || !ecdsa.VerifyASN1(pub, d, sig) {
					errs <- "sign: " + errString(err)
				}
				if !s.Present() {
					errs <- "Present() = false"
				}
				if _, err := m.Tokens(); err != nil {
					errs <- "tokens: " + err.Error()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func errString(err error) string {
	if err == nil {
		return "signature does not verify"
	}
	return err.Error()
}
