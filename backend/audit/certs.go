package audit

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"caiji/backend/apperr"
)

// StoreCert keeps the certificate (DER) whose key may sign chain heads,
// under its fingerprint (SHA-256 of der, lowercase hex, as
// pki.Fingerprint), so that Verify can check those signatures later,
// also on a copy of the database. Storing a certificate again is a
// no-op; rows are never changed (migration 0008).
func StoreCert(ctx context.Context, q Querier, der []byte, at time.Time) error {
	if len(der) == 0 {
		return apperr.New(apperr.BadInput, "没有可保存的证书。")
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO audit_certs (fingerprint, der, added_at) VALUES (?, ?, ?)
		ON CONFLICT(fingerprint) DO NOTHING`, CertFingerprint(der), der, at.UTC().Format(tsLayout)); err != nil {
		return apperr.Wrap(apperr.Internal, "无法保存签名证书。", err)
	}
	return nil
}

// CertFingerprint is the SHA-256 of a certificate's DER, lowercase hex:
// the cert_fingerprint of entries and heads.
func CertFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// Why a head's signer could not be checked; a Verifier wraps them so
// that Verify can say which.
var (
	ErrCertUnknown   = errors.New("signing certificate not stored")
	ErrCertUntrusted = errors.New("signing certificate not trusted")
)

// Trust is what a signer's certificate must chain to. With no Roots the
// chain is not checked (a copied database without the installation's CA
// bundle); the signature is still checked against the stored certificate.
type Trust struct {
	Roots, Intermediates []*x509.Certificate
}

// CertVerifier is the Verifier of an installation: a head's signer is
// looked up in audit_certs by fingerprint, the stored DER must hash to
// that fingerprint, the certificate must chain to trust (when given) and
// its key must have made the signature (KeyVerifier).
//
// The chain is what keeps someone with the file from re-signing a
// rewritten log with a key and certificate of their own making and adding
// that certificate to audit_certs. It is checked as of the certificate's
// own validity, not today: a head signed last year with a certificate
// that has expired since still verifies. Revocation is not checked here
// (login does that); a signature made before a revocation stays valid.
//
// The certificates are read once, when the verifier is made.
func CertVerifier(ctx context.Context, db *sql.DB, trust Trust) (Verifier, error) {
	rows, err := db.QueryContext(ctx, "SELECT fingerprint, der FROM audit_certs")
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法读取签名证书。", err)
	}
	defer rows.Close()
	ders := map[string][]byte{}
	for rows.Next() {
		var fp string
		var der []byte
		if err := rows.Scan(&fp, &der); err != nil {
			return nil, apperr.Wrap(apperr.Internal, "无法读取签名证书。", err)
		}
		ders[fp] = der
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法读取签名证书。", err)
	}
	var roots, inters *x509.CertPool
	if len(trust.Roots) > 0 {
		roots, inters = x509.NewCertPool(), x509.NewCertPool()
		for _, c := range trust.Roots {
			roots.AddCert(c)
		}
		for _, c := range trust.Intermediates {
			inters.AddCert(c)
		}
	}
	type known struct {
		pub crypto.PublicKey
		err error
	}
	cache := map[string]known{}
	lookup := func(fp string) (crypto.PublicKey, error) {
		if k, ok := cache[fp]; ok {
			return k.pub, k.err
		}
		pub, err := certKey(ders[fp], fp, roots, inters)
		cache[fp] = known{pub, err}
		return pub, err
	}
	return KeyVerifier(lookup), nil
}

// certKey checks one stored certificate and returns its public key.
func certKey(der []byte, fp string, roots, inters *x509.CertPool) (crypto.PublicKey, error) {
	if der == nil {
		return nil, ErrCertUnknown
	}
	if CertFingerprint(der) != fp {
		return nil, fmt.Errorf("%w: stored certificate does not match its fingerprint", ErrCertUntrusted)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: stored certificate unreadable: %v", ErrCertUntrusted, err)
	}
	if roots != nil {
		at := c.NotBefore.Add(c.NotAfter.Sub(c.NotBefore) / 2)
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inters, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCertUntrusted, err)
		}
	}
	return c.PublicKey, nil
}
