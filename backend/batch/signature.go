package batch

import (
	"context"
	"crypto"
	"crypto/x509"
	"database/sql"
	"errors"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/approval"
	"caiji/backend/pki"
)

// Signer is the reviewer's key and certificate: approving signs the
// batch's canonical bytes with it (docs/signed-approval.md). Key is the
// token's crypto.Signer; the private key never leaves the USB key.
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // issuing CAs, issuer first
}

// Content returns the canonical bytes of a batch as it is stored now: what
// approval signs, what the seal is checked against, what sync sends.
func (s *Service) Content(ctx context.Context, a Actor, batchID int64) ([]byte, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return nil, err
	}
	return s.content(ctx, s.db, b)
}

func (s *Service) content(ctx context.Context, q querier, b Batch) ([]byte, error) {
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return nil, err
	}
	h := approval.Header{Dataset: b.Dataset, DatasetVersion: b.DatasetVersion, Period: b.Period,
		Version: b.Version, Rectification: b.Rectification}
	if err := q.QueryRowContext(ctx, "SELECT code FROM org_units WHERE id = ?", b.OrgUnitID).Scan(&h.OrgUnit); err != nil {
		return nil, internal("无法读取填报单位。", err)
	}
	if b.Replaces != 0 {
		if err := q.QueryRowContext(ctx, "SELECT version FROM batches WHERE id = ?", b.Replaces).Scan(&h.Replaces); err != nil {
			return nil, internal("无法读取被更正的版本。", err)
		}
	}
	rows, err := s.loadRows(ctx, q, b.ID, 0, -1)
	if err != nil {
		return nil, err
	}
	cells := make([]map[string]string, len(rows))
	for i, r := range rows {
		cells[i] = r.Cells
	}
	if b.Replaces != 0 {
		if h.Changes, err = s.signedChanges(ctx, q, b, rows); err != nil {
			return nil, err
		}
	}
	return approval.Canonical(h, d, cells)
}

// signedChanges are a correction's changes with their reasons, pointing
// into this version's rows and the replaced version's by position.
func (s *Service) signedChanges(ctx context.Context, q querier, b Batch, rows []Row) ([]approval.Change, error) {
	c, err := s.changes(ctx, q, b)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		at[r.ID] = i
	}
	base, err := s.versionRows(ctx, q, b.Replaces)
	if err != nil {
		return nil, err
	}
	baseAt := make(map[int64]int, len(base))
	for i, r := range base {
		baseAt[r.ID] = i
	}
	out := make([]approval.Change, 0, len(c.Rows))
	for _, rc := range c.Rows {
		ch := approval.Change{Row: -1, Base: -1, Reason: rc.Reason}
		if i, ok := at[rc.RowID]; ok && rc.RowID != 0 {
			ch.Row = i
		}
		if i, ok := baseAt[rc.Origin]; ok && rc.Origin != 0 {
			ch.Base = i
		}
		out = append(out, ch)
	}
	return out, nil
}

// sign makes the approval signature of a submitted batch. It runs outside
// any transaction: a USB key may take a second, and SQLite's write lock
// must not wait on it. The rows cannot change meanwhile (a submitted
// batch's rows are frozen by trigger) and Act checks the revision again.
func (s *Service) sign(ctx context.Context, b Batch, sg *Signer) (digest string, cms []byte, err error) {
	if sg == nil || sg.Key == nil || sg.Cert == nil {
		return "", nil, apperr.New(apperr.NotLoggedIn, "审核通过需要用您的 CA 证书签名，请插入 UKey 并重新登录后再审核。")
	}
	content, err := s.content(ctx, s.db, b)
	if err != nil {
		return "", nil, err
	}
	cms, err = approval.Sign(content, sg.Key, sg.Cert, sg.Chain)
	if err != nil {
		return "", nil, err
	}
	return approval.DigestHex(content), cms, nil
}

func storeSignature(ctx context.Context, tx *sql.Tx, batchID, userID int64, digest string, cms []byte, cert *x509.Certificate, at string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO batch_signatures (batch_id, digest, cms, signer_id, cert_fingerprint, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, batchID, digest, cms, userID, pki.Fingerprint(cert), at); err != nil {
		return internal("无法保存审核签名。", err)
	}
	return nil
}

// SealState is what the approval signature of a batch says about it now.
type SealState string

const (
	SealNone   SealState = "none"   // not approved yet: nothing to check
	SealValid  SealState = "valid"  // signed, and the data is what was signed
	SealBroken SealState = "broken" // missing, or the data or signature changed
)

// Seal is the check of a batch's approval signature, shown when the batch
// is opened and required before it is sent.
type Seal struct {
	State    SealState   `json:"state"`
	Signer   string      `json:"signer"` // the reviewer's name
	SignedAt time.Time   `json:"signedAt"`
	Digest   string      `json:"digest"`
	Code     apperr.Code `json:"code,omitempty"` // why it is broken
	Message  string      `json:"message,omitempty"`
}

// approvedOrLater reports whether a batch in status s must carry a valid
// approval signature.
func approvedOrLater(s Status) bool { return correctable(s) }

// CheckSeal verifies the approval signature of a batch against its rows
// as stored now, with roots the trusted CA roots. A batch past approval
// without a signature, or whose rows, header or signature changed by a
// single byte, is SealBroken with the reason.
func (s *Service) CheckSeal(ctx context.Context, a Actor, batchID int64, roots *x509.CertPool) (Seal, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return Seal{}, err
	}
	seal, _, _, err := s.seal(ctx, b, roots)
	return seal, err
}

// seal checks b's approval signature and returns, when it is valid, the
// content and CMS it checked: what sync sends.
func (s *Service) seal(ctx context.Context, b Batch, roots *x509.CertPool) (Seal, []byte, []byte, error) {
	if !approvedOrLater(b.Status) {
		return Seal{State: SealNone}, nil, nil, nil
	}
	var seal Seal
	var cms []byte
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT s.digest, s.cms, s.created_at, COALESCE(u.name, '')
		FROM batch_signatures s LEFT JOIN users u ON u.id = s.signer_id
		WHERE s.batch_id = ? ORDER BY s.id DESC LIMIT 1`, b.ID).Scan(&seal.Digest, &cms, &at, &seal.Signer)
	if errors.Is(err, sql.ErrNoRows) {
		return broken(apperr.New(approval.SignatureMalformed, "该批次已审核，但找不到审核签名。数据可能被绕过程序改动过，请联系审核员核实后走更正流程。")), nil, nil, nil
	}
	if err != nil {
		return Seal{}, nil, nil, internal("无法读取审核签名。", err)
	}
	seal.SignedAt, _ = time.Parse(tsLayout, at)
	content, err := s.content(ctx, s.db, b)
	if err != nil {
		if ctx.Err() != nil {
			return Seal{}, nil, nil, err
		}
		// Rows that no longer read (as JSON, or as their types) were
		// changed after approval: a broken seal, not a failure to check.
		return withSeal(seal, broken(apperr.New(approval.ContentChanged, "该批次审核后数据被改动，无法再按审核时的内容读取："+apperr.From(err).Message))), nil, nil, nil
	}
	if _, err := approval.Verify(content, cms, roots, seal.SignedAt); err != nil {
		return withSeal(seal, broken(err)), nil, nil, nil
	}
	if approval.DigestHex(content) != seal.Digest {
		return withSeal(seal, broken(apperr.New(approval.ContentChanged, "签名记录的摘要与签名内容不一致，签名记录可能被改动过。"))), nil, nil, nil
	}
	seal.State = SealValid
	return seal, content, cms, nil
}

func broken(err error) Seal {
	e := apperr.From(err)
	return Seal{State: SealBroken, Code: e.Code, Message: e.Message}
}

func withSeal(meta, b Seal) Seal {
	b.Signer, b.SignedAt, b.Digest = meta.Signer, meta.SignedAt, meta.Digest
	return b
}
