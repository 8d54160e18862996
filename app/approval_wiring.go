package app

import (
	"bytes"
	"crypto/x509"

	"caiji/backend/batch"
)

// approvalSigner is the logged-in reviewer's key for signing an approval,
// with the issuing CAs from the installed trust bundle so that the
// signature carries its whole chain (the platform and openssl need it).
func (a *App) approvalSigner() (*batch.Signer, error) {
	key, cert, err := a.auth.Signer()
	if err != nil {
		return nil, err
	}
	return &batch.Signer{Key: key, Cert: cert, Chain: issuers(cert, a.keys.checker.Trust.Intermediates())}, nil
}

// issuers walks from cert up through the intermediates that issued it,
// issuer first; the root is left out (the verifier has it).
func issuers(cert *x509.Certificate, intermediates []*x509.Certificate) []*x509.Certificate {
	var chain []*x509.Certificate
	for cur := cert; len(chain) < len(intermediates); {
		var next *x509.Certificate
		for _, c := range intermediates {
			if bytes.Equal(c.RawSubject, cur.RawIssuer) && cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		chain = append(chain, next)
		cur = next
	}
	return chain
}

// trustedRoots are the roots approval signatures are checked against.
func (a *App) trustedRoots() *x509.CertPool {
	roots := a.keys.checker.Trust.Roots()
	if len(roots) == 0 {
		return nil // approval.Verify says that no roots are configured
	}
	pool := x509.NewCertPool()
	for _, c := range roots {
		pool.AddCert(c)
	}
	return pool
}
