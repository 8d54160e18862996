package batch

import (
	"context"
	"crypto/x509"
	"database/sql"

	"caiji/backend/apperr"
)

// The sync engine (backend/outbox) takes the workflow's last steps —
// queue, accept, reject — that no person may take, and reads what it
// sends through Sealed, which refuses a batch whose seal is broken.

// SyncStep takes a sync step (Queue, Accept or Reject) on a batch of the
// actor's org unit inside the caller's transaction, so the step and the
// outbox change commit together. after adds to the audit entry (e.g. the
// receipt's digest); it must hold no personal data.
func (s *Service) SyncStep(ctx context.Context, tx *sql.Tx, a Actor, batchID int64, act Action, after map[string]any) error {
	def, ok := steps[act]
	if !ok || def.role != "" {
		return apperr.New(apperr.BadInput, "不支持的同步操作。")
	}
	b, err := s.get(ctx, tx, a, batchID)
	if err != nil {
		return err
	}
	if !fromAllowed(def.from, b.Status) {
		return notFrom(b.Status, act)
	}
	now := ts(s.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO batch_reviews (batch_id, action, from_status, to_status, user_id, created_at)
		VALUES (?, ?, ?, ?, NULL, ?)`, batchID, string(act), string(b.Status), string(def.to), now); err != nil {
		return internal("无法记录同步状态。", err)
	}
	if after == nil {
		after = map[string]any{}
	}
	after["status"] = def.to
	if err := record(ctx, tx, a, "batch."+string(act), batchObject(batchID), map[string]any{"status": b.Status}, after); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET status = ?, revision = revision + 1, updated_at = ? WHERE id = ?`,
		string(def.to), now, batchID); err != nil {
		return internal("无法更新批次状态。", err)
	}
	return nil
}

// Approved lists the org unit's approved batches, oldest version first:
// what the outbox queues.
func (s *Service) Approved(ctx context.Context, a Actor) ([]Batch, error) {
	rows, err := s.db.QueryContext(ctx, batchSelect+" WHERE b.org_unit_id = ? AND b.status = ? ORDER BY b.version, b.id",
		a.OrgUnitID, string(Approved))
	if err != nil {
		return nil, internal("无法读取已审核的批次。", err)
	}
	defer rows.Close()
	out := []Batch{}
	for rows.Next() {
		b, err := scanRaw(rows)
		if err != nil {
			return nil, internal("无法读取已审核的批次。", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Sealed is a batch as it is sent: the canonical content, the reviewer's
// CMS over it, and the header fields the platform files it under.
type Sealed struct {
	Batch     Batch
	OrgUnit   string // org unit code
	Replaces  int    // version this one corrects; 0 for a first version
	Content   []byte
	Signature []byte
}

// UID is the platform's name of the batch: the same for every version of
// one org unit's dataset and period, so corrections file under it.
func (s Sealed) UID() string { return UID(s.OrgUnit, s.Batch.Dataset, s.Batch.Period) }

// UID names the lineage of (org unit, dataset, period) on the platform.
func UID(orgUnit, dataset, period string) string { return orgUnit + "." + dataset + "." + period }

// Sealed returns what to send for an approved-or-later batch after
// checking its seal: a batch changed after approval is never sent, and
// the error says so in the seal's words.
func (s *Service) Sealed(ctx context.Context, a Actor, batchID int64, roots *x509.CertPool) (Sealed, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return Sealed{}, err
	}
	seal, content, cms, err := s.seal(ctx, b, roots)
	if err != nil {
		return Sealed{}, err
	}
	switch seal.State {
	case SealNone:
		return Sealed{}, apperr.New(apperr.BatchNotEditable, "该批次还没有审核通过，不能报送。")
	case SealBroken:
		return Sealed{}, apperr.New(seal.Code, "审核签名核对不通过，本批次不报送："+seal.Message+" 请联系审核员核实，并通过「更正」重新审核签名后报送。")
	}
	out := Sealed{Batch: b, Content: content, Signature: cms}
	if err := s.db.QueryRowContext(ctx, "SELECT code FROM org_units WHERE id = ?", b.OrgUnitID).Scan(&out.OrgUnit); err != nil {
		return Sealed{}, internal("无法读取填报单位。", err)
	}
	if b.Replaces != 0 {
		if err := s.db.QueryRowContext(ctx, "SELECT version FROM batches WHERE id = ?", b.Replaces).Scan(&out.Replaces); err != nil {
			return Sealed{}, internal("无法读取被更正的版本。", err)
		}
	}
	return out, nil
}

// RowIDs returns the ids of a batch's rows in the order they are signed
// and sent: the platform's row n is RowIDs[n-1].
func (s *Service) RowIDs(ctx context.Context, q Querier, batchID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM batch_rows WHERE batch_id = ? ORDER BY seq", batchID)
	if err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal("无法读取批次数据。", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Querier is a *sql.DB or *sql.Tx.
type Querier = querier
