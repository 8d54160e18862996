package approval

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"

	"caiji/backend/apperr"
	"caiji/backend/pki/devca"
	"caiji/backend/softkey"
)

// opaqueSigner hides the key's concrete type, as a USB key's signer does,
// and records how it is asked to sign.
type opaqueSigner struct {
	key   crypto.Signer
	calls int
	hash  crypto.Hash
	err   error // returned instead of signing, when set
}

func (o *opaqueSigner) Public() crypto.PublicKey { return o.key.Public() }

func (o *opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	o.calls++
	o.hash = opts.HashFunc()
	if o.err != nil {
		return nil, o.err
	}
	return o.key.Sign(r, digest, opts)
}

func sign(t testing.TB, content []byte, key crypto.Signer, cert *x509.Certificate) []byte {
	t.Helper()
	der, err := Sign(content, key, cert, thePKI(t).chain())
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return der
}

func TestSignVerifyRoundTrip(t *testing.T) {
	p := thePKI(t)
	content := []byte(exampleCanonical)
	for _, kind := range []string{"ecp256", "rsa2048"} {
		t.Run(kind, func(t *testing.T) {
			r := theReviewer(t, kind)
			o := &opaqueSigner{key: r.key}
			before := time.Now().Truncate(time.Second)
			der := sign(t, content, o, r.cert)
			after := time.Now()
			if o.calls != 1 || o.hash != crypto.SHA256 {
				t.Errorf("signer asked %d times with %v; want once with SHA-256", o.calls, o.hash)
			}
			got, err := Verify(content, der, p.roots, time.Time{})
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !got.Equal(r.cert) {
				t.Errorf("Verify returned %s, want the reviewer's certificate", got.Subject)
			}

			// What the file holds: detached, SHA-256, the three signed
			// attributes, the leaf and its issuing CA.
			if bytes.Contains(der, content[:64]) {
				t.Error("the content is embedded; want a detached signature")
			}
			p7, err := pkcs7.Parse(der)
			if err != nil {
				t.Fatal(err)
			}
			if len(p7.Content) != 0 {
				t.Errorf("parsed content has %d bytes, want none", len(p7.Content))
			}
			if alg := p7.Signers[0].DigestAlgorithm.Algorithm; !alg.Equal(pkcs7.OIDDigestAlgorithmSHA256) {
				t.Errorf("digest algorithm %v, want SHA-256", alg)
			}
			var md []byte
			if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &md); err != nil || !bytes.Equal(md, func() []byte { d := Digest(content); return d[:] }()) {
				t.Errorf("messageDigest attribute %x, %v; want Digest(content)", md, err)
			}
			var at time.Time
			if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeSigningTime, &at); err != nil || at.Before(before) || at.After(after) {
				t.Errorf("signingTime %v, %v; want between %v and %v", at, err, before, after)
			}
			if len(p7.Certificates) != 2 || !p7.Certificates[0].Equal(r.cert) || !p7.Certificates[1].Equal(p.inter.Cert) {
				t.Errorf("certificates %d, want the leaf and its issuing CA", len(p7.Certificates))
			}
		})
	}
}

// The demo software key (backend/softkey), as demo mode signs with it.
func TestSignWithSoftkey(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	dir := softkey.Dir{Path: t.TempDir()}
	if err := dir.Create("reviewer", "123456", r.key, r.cert, p.inter.Cert); err != nil {
		t.Fatal(err)
	}
	ks, err := softkey.Source{Dir: dir}.Login(0, "123456")
	if err != nil {
		t.Fatal(err)
	}
	certs, err := ks.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ks.Signer(certs[0])
	if err != nil {
		t.Fatal(err)
	}
	content := []byte(exampleCanonical)
	der, err := Sign(content, signer, certs[0].Cert, []*x509.Certificate{certs[1].Cert})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(content, der, p.roots, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// Changing any single byte of the content — or its length — is found,
// and reported as changed content, not as a bad signature.
func TestVerifyEveryContentByte(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	content := []byte(exampleCanonical)
	der := sign(t, content, r.key, r.cert)
	for i := range content {
		bad := bytes.Clone(content)
		bad[i] ^= 0x01
		_, err := Verify(bad, der, p.roots, time.Time{})
		if codeOf(err) != ContentChanged {
			t.Fatalf("content byte %d changed: %v, want %s", i, err, ContentChanged)
		}
	}
	for name, bad := range map[string][]byte{
		"truncated": content[:len(content)-1],
		"appended":  append(bytes.Clone(content), '\n'),
		"empty":     nil,
		"reordered": []byte(strings.Replace(exampleCanonical, `"version":2`, `"version":3`, 1)),
	} {
		if _, err := Verify(bad, der, p.roots, time.Time{}); codeOf(err) != ContentChanged {
			t.Errorf("%s content: %v, want %s", name, err, ContentChanged)
		}
	}
}

// Changing any single byte of the signature file makes Verify fail; the
// signature value and the signed attributes fail as SignatureInvalid.
func TestVerifyEverySignatureByte(t *testing.T) {
	p := thePKI(t)
	content := []byte(exampleCanonical)
	for _, kind := range []string{"ecp256", "rsa2048"} {
		r := theReviewer(t, kind)
		der := sign(t, content, r.key, r.cert)
		for i := range der {
			bad := bytes.Clone(der)
			bad[i] ^= 0x01
			if _, err := Verify(content, bad, p.roots, time.Time{}); err == nil {
				t.Fatalf("%s: byte %d of %d changed, still verifies", kind, i, len(der))
			} else if codeOf(err) == ContentChanged {
				t.Fatalf("%s: byte %d of the signature changed reported as changed content", kind, i)
			}
		}
		p7, err := pkcs7.Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		si := p7.Signers[0]
		var attrs []byte
		for _, a := range si.AuthenticatedAttributes {
			attrs = append(attrs, a.Value.Bytes...)
		}
		for _, part := range [][]byte{si.EncryptedDigest, attrs[len(attrs)-32:]} { // signature value; messageDigest
			at := bytes.Index(der, part)
			if at < 0 {
				t.Fatal("part not found in the DER")
			}
			for _, i := range []int{at, at + len(part)/2, at + len(part) - 1} {
				bad := bytes.Clone(der)
				bad[i] ^= 0x80
				if _, err := Verify(content, bad, p.roots, time.Time{}); codeOf(err) != SignatureInvalid {
					t.Errorf("%s: byte %d changed: %v, want %s", kind, i, err, SignatureInvalid)
				}
			}
		}
	}
}

func TestVerifyUntrustedOrExpired(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	content := []byte(exampleCanonical)
	der := sign(t, content, r.key, r.cert)
	now := time.Now()

	foreignRoot, err := devca.NewRoot("外省根 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	foreignInter, err := foreignRoot.NewIntermediate("外省签发 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	fCert, fKey, err := foreignInter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "外省审核员"})
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := Sign(content, fKey, fCert, []*x509.Certificate{foreignInter.Cert, foreignRoot.Cert})
	if err != nil {
		t.Fatal(err)
	}
	noChain, err := Sign(content, r.key, r.cert, nil)
	if err != nil {
		t.Fatal(err)
	}
	// An issuing CA that expires before the reviewer's certificate does.
	shortInter, err := p.root.NewIntermediate("短期签发 CA", now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	sCert, sKey, err := shortInter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "审核员"})
	if err != nil {
		t.Fatal(err)
	}
	short, err := Sign(content, sKey, sCert, []*x509.Certificate{shortInter.Cert})
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name  string
		der   []byte
		roots *x509.CertPool
		at    time.Time
		want  apperr.Code
	}{
		{"foreign CA, even with its root embedded", foreign, p.roots, now, apperr.CertUntrusted},
		{"no roots trusted", der, x509.NewCertPool(), now, apperr.CertUntrusted},
		{"issuing CA left out", noChain, p.roots, now, apperr.CertUntrusted},
		{"after the certificate expired", der, p.roots, r.cert.NotAfter.Add(time.Hour), apperr.CertExpired},
		{"before the certificate was valid", der, p.roots, r.cert.NotBefore.Add(-time.Hour), apperr.CertNotYetValid},
		{"after the issuing CA expired", short, p.roots, now.Add(2 * time.Hour), apperr.CertExpired},
	} {
		_, err := Verify(content, c.der, c.roots, c.at)
		if codeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	// The same signatures pass where they should.
	if _, err := Verify(content, short, p.roots, now); err != nil {
		t.Errorf("short-lived CA within its validity: %v", err)
	}
	foreignRoots := x509.NewCertPool()
	foreignRoots.AddCert(foreignRoot.Cert)
	if _, err := Verify(content, foreign, foreignRoots, now); err != nil {
		t.Errorf("foreign signature against its own root: %v", err)
	}
	if _, err := Verify(content, der, nil, now); codeOf(err) != apperr.ConfigInvalid {
		t.Errorf("nil roots: %v, want %s", err, apperr.ConfigInvalid)
	}
}

// libSign signs with pkcs7 directly, to make signatures Sign refuses to.
func libSign(t *testing.T, content []byte, digest asn1.ObjectIdentifier, key crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate, edit func(*pkcs7.SignedData)) []byte {
	t.Helper()
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		t.Fatal(err)
	}
	sd.SetDigestAlgorithm(digest)
	if err := sd.AddSignerChain(cert, key, chain, pkcs7.SignerInfoConfig{}); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(sd)
	}
	der, err := sd.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestVerifyRefusesOtherForms(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	other := theReviewer(t, "rsa2048")
	content := []byte(exampleCanonical)
	good := sign(t, content, r.key, r.cert)
	sha256 := pkcs7.OIDDigestAlgorithmSHA256
	for _, c := range []struct {
		name string
		der  []byte
		want apperr.Code
	}{
		{"empty", nil, SignatureMalformed},
		{"not DER", []byte("-----BEGIN PKCS7-----"), SignatureMalformed},
		{"truncated", good[:len(good)-1], SignatureMalformed},
		{"trailing byte", append(bytes.Clone(good), 0), SignatureMalformed},
		{"content attached", libSign(t, content, sha256, r.key, r.cert, p.chain(), nil), SignatureMalformed},
		{"two signers", libSign(t, content, sha256, r.key, r.cert, p.chain(), func(sd *pkcs7.SignedData) {
			if err := sd.AddSignerChain(other.cert, other.key, p.chain(), pkcs7.SignerInfoConfig{}); err != nil {
				t.Fatal(err)
			}
			sd.Detach()
		}), SignatureMalformed},
		{"no signed attributes", libSign(t, content, sha256, r.key, r.cert, p.chain(), func(sd *pkcs7.SignedData) {
			sd.RemoveAuthenticatedAttributes()
			sd.Detach()
		}), SignatureMalformed},
		{"SHA-1", libSign(t, content, pkcs7.OIDDigestAlgorithmSHA1, r.key, r.cert, p.chain(), func(sd *pkcs7.SignedData) { sd.Detach() }), SignatureInvalid},
		{"certificate of another key", libSign(t, content, sha256, r.key, r.cert, p.chain(), func(sd *pkcs7.SignedData) {
			sd.GetSignedData().SignerInfos[0].IssuerAndSerialNumber.SerialNumber = other.cert.SerialNumber
			sd.AddCertificate(other.cert)
			sd.Detach()
		}), SignatureInvalid},
		{"signer's certificate missing", libSign(t, content, sha256, r.key, r.cert, p.chain(), func(sd *pkcs7.SignedData) {
			sd.GetSignedData().SignerInfos[0].IssuerAndSerialNumber.SerialNumber = other.cert.SerialNumber
			sd.Detach()
		}), SignatureMalformed},
	} {
		_, err := Verify(content, c.der, p.roots, time.Time{})
		if codeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
}

func TestSignRefuses(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	other := theReviewer(t, "rsa2048")
	content := []byte(exampleCanonical)

	_, err := Sign(content, other.key, r.cert, p.chain())
	wantCode(t, err, apperr.SignFailed)

	encCert, err := p.inter.IssueFor(r.key.Public(), devca.LeafOptions{CommonName: "加密证书", KeyUsage: x509.KeyUsageKeyEncipherment})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Sign(content, r.key, encCert, p.chain())
	wantCode(t, err, apperr.CertKeyUsage)
	// Made anyway, such a signature is refused on the way in too.
	der := libSign(t, content, pkcs7.OIDDigestAlgorithmSHA256, r.key, encCert, p.chain(), func(sd *pkcs7.SignedData) { sd.Detach() })
	_, err = Verify(content, der, p.roots, time.Time{})
	wantCode(t, err, apperr.CertKeyUsage)

	_, err = Sign(content, r.key, r.cert, []*x509.Certificate{p.root.Cert}) // skips the issuing CA
	wantCode(t, err, apperr.BadInput)
	_, err = Sign(content, r.key, r.cert, []*x509.Certificate{p.inter.Cert, p.inter.Cert}) // second link wrong
	wantCode(t, err, apperr.BadInput)
	if _, err = Sign(content, r.key, r.cert, []*x509.Certificate{p.inter.Cert, p.root.Cert}); err != nil {
		t.Errorf("chain with the root: %v", err)
	}
	_, err = Sign(content, r.key, r.cert, []*x509.Certificate{nil})
	wantCode(t, err, apperr.BadInput)
	_, err = Sign(content, nil, r.cert, nil)
	wantCode(t, err, apperr.BadInput)

	// The key's own error reaches the caller as it was.
	o := &opaqueSigner{key: r.key, err: apperr.New(apperr.TokenAbsent, "未检测到 USB Key")}
	_, err = Sign(content, o, r.cert, p.chain())
	wantCode(t, err, apperr.TokenAbsent)
}

// Verify's messages are Chinese and say what to do; none leaks Go's English.
func TestVerifyMessages(t *testing.T) {
	p := thePKI(t)
	r := theReviewer(t, "ecp256")
	content := []byte(exampleCanonical)
	der := sign(t, content, r.key, r.cert)
	bad := bytes.Clone(der)
	bad[len(bad)-3] ^= 1
	verify := func(content, der []byte, roots *x509.CertPool) error {
		_, err := Verify(content, der, roots, time.Time{})
		return err
	}
	for _, err := range []error{
		verify(append(bytes.Clone(content), ' '), der, p.roots),
		verify(content, bad, p.roots),
		verify(content, []byte{1, 2, 3}, p.roots),
		verify(content, der, x509.NewCertPool()),
	} {
		msg := apperr.From(err).Message
		if !strings.Contains(msg, "请") || strings.Contains(msg, "pkcs7") || strings.Contains(msg, "x509") {
			t.Errorf("message %q: want Chinese advice without library text", msg)
		}
	}
}
