// Package outbox sends approved batches to the provincial platform and
// keeps what happened: a durable queue in SQLite (migration 0009) worked
// by a background Worker, the platform's signed receipts, and the rows it
// refused with its reasons.
//
// Exactly once rests on two facts. The platform keys every push by
// (batch uid, version) and answers a repeat with what it already has —
// the missing chunks or the stored receipt (docs/platform-api.md). And an
// item is only ever marked done in the transaction that stores its
// receipt. So a crash at any point leaves either an item to push again,
// which is harmless, or a stored receipt, which is final.
package outbox

import (
	"caiji/backend/store"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/batch"
	"caiji/backend/platform/wire"
)

// State of an outbox item. Values are stored.
type State string

const (
	Queued   State = "queued"   // waiting for its turn or for the platform
	Sending  State = "sending"  // being pushed now (or when the app stopped)
	Accepted State = "accepted" // the platform's receipt says accepted
	Rejected State = "rejected" // the receipt says some rows were refused
	Failed   State = "failed"   // refused for good (e.g. broken seal, version conflict): needs a person
)

// Item is one batch version in the outbox as the 同步 page shows it.
type Item struct {
	ID            int64     `json:"id"`
	BatchID       int64     `json:"batchId"`
	BatchUID      string    `json:"batchUid"`
	Dataset       string    `json:"dataset"`
	DatasetName   string    `json:"datasetName"`
	Period        string    `json:"period"`
	PeriodLabel   string    `json:"periodLabel"`
	Version       int       `json:"version"`
	Rows          int       `json:"rows"`
	State         State     `json:"state"`
	Attempts      int       `json:"attempts"`
	QueuedAt      time.Time `json:"queuedAt"`
	NextAttemptAt time.Time `json:"nextAttemptAt"`
	SentBytes     int64     `json:"sentBytes"`
	TotalBytes    int64     `json:"totalBytes"`
	ErrorCode     string    `json:"errorCode"`
	Error         string    `json:"error"`
	DoneAt        time.Time `json:"doneAt"`
	// Receipt is the platform's signed receipt once there is one.
	Receipt *wire.Receipt `json:"receipt,omitempty"`
}

// RowIssue is a row the platform refused, pointing at the local row.
type RowIssue struct {
	RowNo   int    `json:"rowNo"` // the platform's 1-based row
	RowID   int64  `json:"rowId"` // 0: the batch has no such row
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Box is the outbox over one database.
type Box struct {
	db      *sql.DB
	batches *batch.Service
	now     func() time.Time
}

// New returns the outbox; now is the clock (tests move it).
func New(db *sql.DB, batches *batch.Service, now func() time.Time) *Box {
	if now == nil {
		now = time.Now
	}
	return &Box{db: db, batches: batches, now: now}
}

const tsLayout = store.TimeLayout

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s sql.NullString) time.Time {
	t, _ := time.Parse(tsLayout, s.String)
	return t
}

func internal(msg string, err error) error { return apperr.Wrap(apperr.Internal, msg, err) }

// Enqueue queues every approved batch of a's org unit: the batch moves
// to 'queued' and gets its item in one transaction. It returns how many
// it queued. Running it again finds nothing new.
func (b *Box) Enqueue(ctx context.Context, a batch.Actor) (int, error) {
	approved, err := b.batches.Approved(ctx, a)
	if err != nil {
		return 0, err
	}
	var code string
	if len(approved) > 0 {
		if err := b.db.QueryRowContext(ctx, "SELECT code FROM org_units WHERE id = ?", a.OrgUnitID).Scan(&code); err != nil {
			return 0, internal("无法读取填报单位。", err)
		}
	}
	n := 0
	for _, bt := range approved {
		if err := b.enqueue(ctx, a, bt, batch.UID(code, bt.Dataset, bt.Period)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (b *Box) enqueue(ctx context.Context, a batch.Actor, bt batch.Batch, uid string) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	now := ts(b.now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (batch_id, org_unit_id, batch_uid, version, state, queued_at, next_attempt_at)
		VALUES (?, ?, ?, ?, 'queued', ?, ?)`, bt.ID, bt.OrgUnitID, uid, bt.Version, now, now); err != nil {
		return internal("无法加入报送队列。", err)
	}
	if err := b.batches.SyncStep(ctx, tx, a, bt.ID, batch.Queue, map[string]any{"batch_uid": uid, "version": bt.Version}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法加入报送队列。", err)
	}
	return nil
}

const itemSelect = `SELECT o.id, o.batch_id, o.batch_uid, o.version, o.state, o.attempts, o.queued_at, o.next_attempt_at,
	o.sent_bytes, o.total_bytes, o.error_code, o.error, o.receipt, o.done_at FROM outbox o`

func scanItem(sc interface{ Scan(...any) error }) (Item, error) {
	var it Item
	var queued, next, done, receipt sql.NullString
	err := sc.Scan(&it.ID, &it.BatchID, &it.BatchUID, &it.Version, &it.State, &it.Attempts, &queued, &next,
		&it.SentBytes, &it.TotalBytes, &it.ErrorCode, &it.Error, &receipt, &done)
	if err != nil {
		return it, err
	}
	it.QueuedAt, it.NextAttemptAt, it.DoneAt = parseTS(queued), parseTS(next), parseTS(done)
	if receipt.Valid {
		var r wire.Receipt
		if json.Unmarshal([]byte(receipt.String), &r) == nil {
			it.Receipt = &r
		}
	}
	return it, nil
}

// List returns the org unit's outbox, newest first, with the batches'
// names for the page.
func (b *Box) List(ctx context.Context, a batch.Actor) ([]Item, error) {
	rows, err := b.db.QueryContext(ctx, itemSelect+" WHERE o.org_unit_id = ? ORDER BY o.id DESC", a.OrgUnitID)
	if err != nil {
		return nil, internal("无法读取报送队列。", err)
	}
	out := []Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, internal("无法读取报送队列。", err)
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取报送队列。", err)
	}
	for i := range out {
		bt, err := b.batches.Get(ctx, a, out[i].BatchID)
		if err != nil {
			return nil, err
		}
		out[i].Dataset, out[i].DatasetName, out[i].Period, out[i].PeriodLabel, out[i].Rows =
			bt.Dataset, bt.DatasetName, bt.Period, bt.PeriodLabel, bt.Rows
	}
	return out, nil
}

// Get returns one item of a's org unit.
func (b *Box) Get(ctx context.Context, a batch.Actor, id int64) (Item, error) {
	it, err := scanItem(b.db.QueryRowContext(ctx, itemSelect+" WHERE o.id = ? AND o.org_unit_id = ?", id, a.OrgUnitID))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, apperr.New(apperr.NotFound, "找不到该报送记录，可能不属于本单位。")
	}
	if err != nil {
		return Item{}, internal("无法读取报送队列。", err)
	}
	return it, nil
}

// Retry makes a queued or failed item due now: the 立即重试 button.
// Accepted and rejected items are final; a rejected batch is corrected.
func (b *Box) Retry(ctx context.Context, a batch.Actor, id int64) (Item, error) {
	it, err := b.Get(ctx, a, id)
	if err != nil {
		return Item{}, err
	}
	switch it.State {
	case Accepted:
		return Item{}, apperr.New(apperr.BadInput, "平台已接收该批次，无需重试。")
	case Rejected:
		return Item{}, apperr.New(apperr.BadInput, "平台已拒收该批次的部分行。请按各行说明「更正」后重新审核，新版本会自动报送。")
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return Item{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE id = ? AND state IN ('queued', 'sending', 'failed')`,
		ts(b.now()), id); err != nil {
		return Item{}, internal("无法重试。", err)
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{UserID: a.UserID, CertFingerprint: a.CertFingerprint, Action: "sync.retry",
		Object: "batch:" + strconv.FormatInt(it.BatchID, 10), Before: audit.JSON(map[string]any{"state": it.State, "error_code": it.ErrorCode}),
		After: audit.JSON(map[string]any{"state": Queued})}); err != nil {
		return Item{}, err
	}
	if err := tx.Commit(); err != nil {
		return Item{}, internal("无法重试。", err)
	}
	return b.Get(ctx, a, id)
}

// RowIssues returns the rows the platform refused in a batch. For a
// correction still being made, the refusals of the version it replaces
// are shown on the rows that continue them, so the clerk sees what to fix.
func (b *Box) RowIssues(ctx context.Context, a batch.Actor, batchID int64) ([]RowIssue, error) {
	bt, err := b.batches.Get(ctx, a, batchID)
	if err != nil {
		return nil, err
	}
	out, err := b.rowIssues(ctx, batchID)
	if err != nil || len(out) > 0 || bt.Replaces == 0 {
		return out, err
	}
	base, err := b.rowIssues(ctx, bt.Replaces)
	if err != nil || len(base) == 0 {
		return out, err
	}
	// Rows of the correction remember the row they continue (origin).
	next := map[int64]int64{}
	rows, err := b.db.QueryContext(ctx, "SELECT id, origin FROM batch_rows WHERE batch_id = ? AND origin IS NOT NULL", batchID)
	if err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	for rows.Next() {
		var id, origin int64
		if err := rows.Scan(&id, &origin); err != nil {
			rows.Close()
			return nil, internal("无法读取批次数据。", err)
		}
		next[origin] = id
	}
	rows.Close()
	for _, is := range base {
		if id, ok := next[is.RowID]; ok {
			is.RowID = id
			out = append(out, is)
		}
	}
	return out, rows.Err()
}

func (b *Box) rowIssues(ctx context.Context, batchID int64) ([]RowIssue, error) {
	rows, err := b.db.QueryContext(ctx, "SELECT row_no, COALESCE(row_id, 0), field, message FROM platform_row_issues WHERE batch_id = ? ORDER BY row_no, id", batchID)
	if err != nil {
		return nil, internal("无法读取平台拒收的行。", err)
	}
	defer rows.Close()
	out := []RowIssue{}
	for rows.Next() {
		var is RowIssue
		if err := rows.Scan(&is.RowNo, &is.RowID, &is.Field, &is.Message); err != nil {
			return nil, internal("无法读取平台拒收的行。", err)
		}
		out = append(out, is)
	}
	return out, rows.Err()
}

// Counts are how many items of an org unit are in each state.
type Counts struct {
	Queued   int `json:"queued"` // queued or sending
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Failed   int `json:"failed"`
}

func (b *Box) counts(ctx context.Context, orgUnitID int64) (Counts, error) {
	var c Counts
	err := b.db.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE state IN ('queued', 'sending')), COUNT(*) FILTER (WHERE state = 'accepted'),
		COUNT(*) FILTER (WHERE state = 'rejected'), COUNT(*) FILTER (WHERE state = 'failed')
		FROM outbox WHERE org_unit_id = ?`, orgUnitID).Scan(&c.Queued, &c.Accepted, &c.Rejected, &c.Failed)
	if err != nil {
		return c, internal("无法读取报送队列。", err)
	}
	return c, nil
}
