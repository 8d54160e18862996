package audit

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"caiji/backend/apperr"
)

// Broken is the error code of SignHead when the log since the last signed
// head does not verify: a head must never vouch for a tampered chain.
const Broken apperr.Code = "audit_broken"

// Head is a signed chain head: the hash of entry EntryID, signed by the
// key of the certificate with fingerprint CertFingerprint.
type Head struct {
	ID              int64
	At              time.Time
	EntryID         int64
	Hash            string
	CertFingerprint string
	Signature       []byte
}

// HeadDigest is the SHA-256 digest a head's signature covers: the
// netstrings (see canonical) of "caiji-audit-head-v1", entry_id in
// decimal, the entry's hash, the head's at as stored, and the signer's
// certificate fingerprint. The tag keeps a head signature from ever being
// usable as a signature over anything else the same token signs (batch
// approvals are SHA-256 digests too).
func HeadDigest(entryID int64, hash, at, certFingerprint string) []byte {
	var b []byte
	for _, s := range []string{"caiji-audit-head-v1", strconv.FormatInt(entryID, 10), hash, at, certFingerprint} {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, ',')
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// SignHead signs the current chain head with signer (a token's key) and
// records it in audit_heads. It first checks the entries since the last
// signed head, so a signature never covers a rewritten log; the full
// check stays with Verify. The token is asked to sign outside any write
// transaction: a slow key or a PIN prompt must not hold the database.
func SignHead(ctx context.Context, db *sql.DB, signer crypto.Signer, certFingerprint string) (Head, error) {
	if certFingerprint == "" {
		return Head{}, apperr.New(apperr.BadInput, "签名链头需要签名证书的指纹。")
	}
	h, err := checkSinceLastHead(ctx, db)
	if err != nil {
		return Head{}, err
	}
	h.CertFingerprint = certFingerprint
	h.At = time.Now().UTC().Truncate(time.Microsecond)
	at := h.At.Format(tsLayout)
	h.Signature, err = signer.Sign(rand.Reader, HeadDigest(h.EntryID, h.Hash, at, certFingerprint), crypto.SHA256)
	if err != nil {
		return Head{}, apperr.Wrap(apperr.SignFailed, "USB Key 未能签署审计日志链头。", err)
	}
	res, err := db.ExecContext(ctx, `INSERT INTO audit_heads (at, entry_id, hash, cert_fingerprint, signature)
		VALUES (?, ?, ?, ?, ?)`, at, h.EntryID, h.Hash, certFingerprint, h.Signature)
	if err != nil {
		return Head{}, apperr.Wrap(apperr.Internal, "无法保存审计日志链头。", err)
	}
	h.ID, _ = res.LastInsertId()
	return h, nil
}

// checkSinceLastHead returns the current head (entry id and hash) after
// checking the entries since the last signed head against it.
func checkSinceLastHead(ctx context.Context, db *sql.DB) (Head, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Head{}, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer tx.Rollback()
	from, prev := int64(0), Genesis
	var signed string
	err = tx.QueryRowContext(ctx, `SELECT h.entry_id, h.hash, COALESCE(l.hash, '')
		FROM audit_heads h LEFT JOIN audit_log l ON l.id = h.entry_id
		ORDER BY h.entry_id DESC, h.id DESC LIMIT 1`).Scan(&from, &prev, &signed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Head{}, apperr.Wrap(apperr.Internal, "无法读取审计日志的签名链头。", err)
	case signed != prev:
		return Head{}, apperr.New(Broken, fmt.Sprintf(
			"审计日志第 %d 条与上次签名的链头不符，不能签名。请由安全审计员运行 caiji audit verify 检查。", from))
	}
	c, err := walk(ctx, tx, from, prev, false)
	if err != nil {
		return Head{}, err
	}
	if c.broken != nil {
		return Head{}, apperr.New(Broken, "审计日志自上次签名后已被改动，不能签名："+c.reason+"请由安全审计员运行 caiji audit verify 检查。")
	}
	if c.lastID == 0 {
		return Head{}, apperr.New(apperr.NotFound, "审计日志还没有条目，无链头可签。")
	}
	return Head{EntryID: c.lastID, Hash: c.lastHash}, nil
}

// KeyVerifier makes a Verifier from a lookup of the public key of the
// certificate with a given fingerprint. RSA keys are checked as PKCS#1
// v1.5 over SHA-256 (what a token signs with crypto.SHA256), ECDSA keys as
// ASN.1 (SM2 comes with the national-algorithm work).
func KeyVerifier(lookup func(certFingerprint string) (crypto.PublicKey, error)) Verifier {
	return func(fp string, digest, sig []byte) error {
		pub, err := lookup(fp)
		if err != nil {
			return err
		}
		switch k := pub.(type) {
		case *rsa.PublicKey:
			return rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig)
		case *ecdsa.PublicKey:
			if !ecdsa.VerifyASN1(k, digest, sig) {
				return errors.New("ecdsa: invalid signature")
			}
			return nil
		}
		return fmt.Errorf("unsupported public key %T", pub)
	}
}
