package auth

import (
	"crypto/x509"
	"time"

	"caiji/backend/identity"
	"caiji/backend/pki"
	"caiji/backend/token"
)

// TokenView is a key the login screen can offer.
type TokenView struct {
	Source   string `json:"source"`
	Software bool   `json:"software"` // not a USB key: demo fallback only
	token.TokenInfo
}

// CertView is a certificate as people read it ("my certificate" page).
type CertView struct {
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	Serial      string    `json:"serial"`
	Fingerprint string    `json:"fingerprint"`
	Algorithm   string    `json:"algorithm"`
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
	DaysLeft    int       `json:"daysLeft"`
	ExpiresSoon bool      `json:"expiresSoon"` // within ExpiryWarning
}

// ExpiryWarning is how early the UI warns about an expiring certificate.
const ExpiryWarning = 30 * 24 * time.Hour

func certView(c *x509.Certificate, now time.Time) CertView {
	left := c.NotAfter.Sub(now)
	return CertView{
		Subject:     pki.DisplayName(c.Subject),
		Issuer:      pki.DisplayName(c.Issuer),
		Serial:      pki.SerialHex(c),
		Fingerprint: pki.Fingerprint(c),
		Algorithm:   pki.Algorithm(c.Raw),
		NotBefore:   c.NotBefore,
		NotAfter:    c.NotAfter,
		DaysLeft:    int(left.Hours() / 24),
		ExpiresSoon: left < ExpiryWarning,
	}
}

// CertRef is how the registry binds a certificate to an account; demo
// provisioning and admin binding use it too, so all agree.
func CertRef(c *x509.Certificate) identity.CertRef {
	return identity.CertRef{
		Issuer:      c.Issuer.String(),
		Serial:      pki.SerialHex(c),
		SKI:         pki.SubjectKeyID(c),
		Fingerprint: pki.Fingerprint(c),
		Subject:     c.Subject.String(),
		NotAfter:    c.NotAfter,
		DER:         c.Raw,
	}
}
