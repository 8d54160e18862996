package auth

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/identity"
	"caiji/backend/pki"
)

// ParseCertificate reads a certificate file as CAs hand them out: PEM,
// binary DER (.cer/.crt) or base64 DER without PEM armour.
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	text := bytes.TrimSpace(data)
	if len(text) == 0 {
		return nil, apperr.New(apperr.BadInput, "证书文件是空的。")
	}
	der := data
	if block, _ := pem.Decode(text); block != nil {
		if block.Type != "CERTIFICATE" {
			return nil, apperr.New(apperr.BadInput, "文件中是「"+block.Type+"」，不是证书。请选择用户的证书文件（.cer/.crt/.pem），不要选择私钥。")
		}
		der = block.Bytes
	} else if data[0] != 0x30 {
		// Not binary DER (a SEQUENCE), which is used untrimmed: its last
		// bytes may happen to be 0x20 or 0x0a.
		if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(text)), "")); err == nil {
			der = b
		}
	}
	if err := pki.CheckAlgorithm(der); err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, apperr.Wrap(apperr.BadInput, "无法识别的证书文件，请选择 .cer、.crt 或 .pem 格式的证书。", err)
	}
	return c, nil
}

// CheckForBinding parses a certificate an administrator wants to bind to an
// account and applies the login checks that need no key (trust, dates,
// usage, revocation), so no account is ever bound to a certificate that
// could not log in.
func (s *Service) CheckForBinding(ctx context.Context, data []byte) (identity.CertRef, CertView, error) {
	if s.o.CheckerErr != nil {
		return identity.CertRef{}, CertView{}, s.o.CheckerErr
	}
	c, err := ParseCertificate(data)
	if err != nil {
		return identity.CertRef{}, CertView{}, err
	}
	if _, err := s.o.Checker.Check(ctx, c, nil); err != nil {
		return identity.CertRef{}, CertView{}, err
	}
	return CertRef(c), certView(c, s.o.Now()), nil
}
