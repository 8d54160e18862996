package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"testing"

	"caiji/backend/apperr"
)

// lyingSigner reports one public key but signs with another, like a token
// that returns the wrong object.
type lyingSigner struct {
	pub  crypto.PublicKey
	sign crypto.Signer
	err  error
}

func (s lyingSigner) Public() crypto.PublicKey { return s.pub }
func (s lyingSigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.sign.Sign(r, d, o)
}

func TestProvePossession(t *testing.T) {
	h := pkiFixture(t)
	if err := ProvePossession(h.rsaKey, h.rsaLeaf); err != nil {
		t.Errorf("RSA: %v", err)
	}
	if err := ProvePossession(h.ecKey, h.ecLeaf); err != nil {
		t.Errorf("EC: %v", err)
	}

	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	wantCode(t, ProvePossession(other, h.ecLeaf), apperr.PossessionFailed, "不匹配")
	wantCode(t, ProvePossession(h.rsaKey, h.ecLeaf), apperr.PossessionFailed)
	wantCode(t, ProvePossession(lyingSigner{pub: h.ecLeaf.PublicKey, sign: other}, h.ecLeaf), apperr.PossessionFailed, "验证失败")
	wantCode(t, ProvePossession(lyingSigner{pub: h.ecLeaf.PublicKey, err: io.ErrUnexpectedEOF}, h.ecLeaf), apperr.PossessionFailed)
	wantCode(t, ProvePossession(nil, h.ecLeaf), apperr.PossessionFailed)

	// A typed error from the token package says more than ours would.
	absent := apperr.New(apperr.TokenAbsent, "请插入 USB Key。")
	wantCode(t, ProvePossession(lyingSigner{pub: h.ecLeaf.PublicKey, err: absent}, h.ecLeaf), apperr.TokenAbsent)
}
