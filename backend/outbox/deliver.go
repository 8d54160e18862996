package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/platform/wire"
)

// The worker's writes to the outbox. Each is one statement or one
// transaction, so the item is always in a state a restart can resume.

// due returns the next item of the org unit to push: queued or left
// sending by a crash, due now, and not waiting behind an earlier version
// of the same batch (the platform takes versions in order).
func (b *Box) due(ctx context.Context, orgUnitID int64) (Item, bool, error) {
	it, err := scanItem(b.db.QueryRowContext(ctx, itemSelect+`
		WHERE o.org_unit_id = ? AND o.state IN ('queued', 'sending') AND o.next_attempt_at <= ?
		AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.batch_uid = o.batch_uid AND e.version < o.version
			AND e.state IN ('queued', 'sending'))
		ORDER BY o.next_attempt_at, o.id LIMIT 1`, orgUnitID, ts(b.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, false, nil
	}
	if err != nil {
		return Item{}, false, internal("无法读取报送队列。", err)
	}
	return it, true, nil
}

// nextDue is when the org unit's earliest waiting item falls due; zero
// when nothing waits.
func (b *Box) nextDue(ctx context.Context, orgUnitID int64) (time.Time, error) {
	var next sql.NullString
	err := b.db.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE org_unit_id = ? AND state IN ('queued', 'sending')`,
		orgUnitID).Scan(&next)
	if err != nil {
		return time.Time{}, internal("无法读取报送队列。", err)
	}
	return parseTS(next), nil
}

// wakeAll makes every waiting item of the org unit due now: the platform
// is back, so the backoff of each item no longer means anything.
func (b *Box) wakeAll(ctx context.Context, orgUnitID int64) error {
	_, err := b.db.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ? WHERE org_unit_id = ? AND state IN ('queued', 'sending') AND next_attempt_at > ?`,
		ts(b.now()), orgUnitID, ts(b.now()))
	return err
}

func (b *Box) markSending(ctx context.Context, id, total int64) error {
	_, err := b.db.ExecContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, total_bytes = ? WHERE id = ?`, total, id)
	return err
}

func (b *Box) progress(ctx context.Context, id, sent int64) error {
	_, err := b.db.ExecContext(ctx, `UPDATE outbox SET sent_bytes = ? WHERE id = ?`, sent, id)
	return err
}

// postpone puts an item back in the queue until next, keeping why.
func (b *Box) postpone(ctx context.Context, id int64, next time.Time, err error) error {
	e := apperr.From(err)
	_, dbErr := b.db.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ?, error_code = ?, error = ? WHERE id = ?`,
		ts(next), string(e.Code), e.Message, id)
	return dbErr
}

// fail parks an item until a person retries it.
func (b *Box) fail(ctx context.Context, id int64, err error) error {
	e := apperr.From(err)
	_, dbErr := b.db.ExecContext(ctx, `UPDATE outbox SET state = 'failed', error_code = ?, error = ? WHERE id = ?`,
		string(e.Code), e.Message, id)
	return dbErr
}

// complete stores a verified receipt and takes the batch's accept or
// reject step, with the refused rows pointed at the local rows, all in
// one transaction: the receipt is never stored without the step.
func (b *Box) complete(ctx context.Context, a batch.Actor, it Item, sr *wire.SignedReceipt) error {
	raw, err := json.Marshal(sr.Receipt)
	if err != nil {
		return internal("无法保存平台回执。", err)
	}
	state, act := Accepted, batch.Accept
	if sr.Receipt.Status == wire.Rejected {
		state, act = Rejected, batch.Reject
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, receipt = ?, receipt_sig = ?, done_at = ?, error_code = '', error = '',
		sent_bytes = total_bytes WHERE id = ? AND receipt IS NULL`, string(state), string(raw), sr.ReceiptSignature, ts(b.now()), it.ID)
	if err != nil {
		return internal("无法保存平台回执。", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // stored already (a second worker, or a repeat): nothing more to do
	}
	if state == Rejected {
		ids, err := b.batches.RowIDs(ctx, tx, it.BatchID)
		if err != nil {
			return err
		}
		for _, r := range sr.Receipt.RejectedRows {
			var rowID any
			if r.Row >= 1 && r.Row <= len(ids) {
				rowID = ids[r.Row-1]
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO platform_row_issues (batch_id, row_no, row_id, field, message) VALUES (?, ?, ?, ?, ?)`,
				it.BatchID, r.Row, rowID, r.Field, r.Message); err != nil {
				return internal("无法保存平台拒收的行。", err)
			}
		}
	}
	after := map[string]any{"batch_uid": it.BatchUID, "version": it.Version, "content_sha256": sr.Receipt.ContentSHA256}
	if n := len(sr.Receipt.RejectedRows); n > 0 {
		after["rejected_rows"] = n
	}
	if err := b.batches.SyncStep(ctx, tx, a, it.BatchID, act, after); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存平台回执。", err)
	}
	return nil
}
