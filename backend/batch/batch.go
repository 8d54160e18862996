// Package batch is data entry: a batch is one (dataset, org unit, period)
// submission, its rows are the clerk's local draft, saved in a transaction
// on every edit so that closing or killing the app loses nothing. The
// package owns who may edit what (org unit, status, the 1 April lock) and
// masks personal fields on the way out; the app layer checks roles.
package batch

import (
	"caiji/backend/store"
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/period"
)

// Status is where a batch stands. Values are stored and sent to the UI;
// never rename one. Later issues add the transitions; entry only creates
// drafts and edits drafts and returned batches.
type Status string

const (
	Draft     Status = "draft"
	Submitted Status = "submitted"
	Returned  Status = "returned"
	Approved  Status = "approved"
	Queued    Status = "queued"
	Accepted  Status = "accepted"
	Rejected  Status = "rejected"
)

// Editable reports whether rows of a batch in status s may change.
func (s Status) Editable() bool { return s == Draft || s == Returned }

// Actor is who acts: the logged-in account and its org unit. Batches
// belong to org units, so a clerk sees and edits only their own unit's.
type Actor struct {
	UserID    int64
	OrgUnitID int64
	// CertFingerprint is the certificate of the session acting (audit
	// log entries carry it); "" from the command line.
	CertFingerprint string
}

// Batch is one batch as the UI and CLI see it.
type Batch struct {
	ID             int64         `json:"id"`
	Dataset        string        `json:"dataset"`
	DatasetName    string        `json:"datasetName"`
	DatasetVersion int           `json:"datasetVersion"`
	OrgUnitID      int64         `json:"orgUnitId"`
	Period         string        `json:"period"`
	PeriodLabel    string        `json:"periodLabel"`
	PeriodStatus   period.Status `json:"periodStatus"`
	Deadline       string        `json:"deadline"` // 2026-11-30, the last day
	DaysLeft       int           `json:"daysLeft"`
	Version        int           `json:"version"`
	// Replaces is the id of the version this correction (更正) replaces;
	// 0 for a first version. SupersededBy is the correction made of it.
	Replaces     int64 `json:"replaces"`
	SupersededBy int64 `json:"supersededBy"`
	// Rectification is the 整改 reference a correction of a closed period
	// carries; it is what lets that correction be edited.
	Rectification string    `json:"rectification"`
	Status        Status    `json:"status"`
	Revision      int64     `json:"revision"`
	Rows          int       `json:"rows"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	// Editable is what the UI shows; Save checks the same rule again.
	Editable bool `json:"editable"`
	// ReadOnlyReason says in Chinese why Editable is false.
	ReadOnlyReason string `json:"readOnlyReason,omitempty"`
	// LockException is set when a closed period was reopened by 整改.
	LockException *LockException `json:"lockException,omitempty"`
}

// Service is data entry over one database.
type Service struct {
	db  *sql.DB
	cat *catalog.Catalog
	now func() time.Time
}

// New returns the service; now is the clock (tests move it across 1 April).
func New(db *sql.DB, cat *catalog.Catalog, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, cat: cat, now: now}
}

// tsLayout matches the identity tables: fixed width, so SQL compares
// timestamps as strings.
const tsLayout = store.TimeLayout

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func internal(msg string, err error) error { return apperr.Wrap(apperr.Internal, msg, err) }

func notFound() error {
	return apperr.New(apperr.NotFound, "找不到该批次，可能已被删除或不属于本单位。")
}

func (s *Service) dataset(code string) (catalog.Dataset, error) {
	d, ok := s.cat.Get(code)
	if !ok {
		return catalog.Dataset{}, apperr.New(apperr.BadInput, "没有名为「"+code+"」的数据集，请用 caiji datasets 查看可用的数据集。")
	}
	return d, nil
}

const batchSelect = `
SELECT b.id, b.dataset, b.dataset_version, b.org_unit_id, b.period, b.version, b.status, b.revision,
       b.created_at, b.updated_at, (SELECT COUNT(*) FROM batch_rows r WHERE r.batch_id = b.id),
       COALESCE(b.replaces, 0), b.rectification, COALESCE((SELECT c.id FROM batches c WHERE c.replaces = b.id), 0)
FROM batches b`

type scanner interface{ Scan(dest ...any) error }

// scanRaw reads the columns of batchSelect; decorate adds what is derived.
func scanRaw(sc scanner) (Batch, error) {
	var b Batch
	var created, updated string
	err := sc.Scan(&b.ID, &b.Dataset, &b.DatasetVersion, &b.OrgUnitID, &b.Period, &b.Version, &b.Status,
		&b.Revision, &created, &updated, &b.Rows, &b.Replaces, &b.Rectification, &b.SupersededBy)
	b.CreatedAt, _ = time.Parse(tsLayout, created)
	b.UpdatedAt, _ = time.Parse(tsLayout, updated)
	return b, err
}

// decorate fills the derived fields: names, deadline, lock state, editable.
func (s *Service) decorate(ctx context.Context, q querier, b *Batch) error {
	if d, ok := s.cat.Get(b.Dataset); ok {
		b.DatasetName = d.Name
	}
	p, err := period.Parse(b.Period)
	if err != nil {
		return internal("批次的期间无法识别。", err)
	}
	now := s.now()
	b.PeriodLabel = p.Label()
	b.PeriodStatus = p.Status(now)
	b.Deadline = p.LastDay().Format("2006-01-02")
	b.DaysLeft = p.DaysLeft(now)
	ex, err := s.lockException(ctx, q, b.Dataset, b.OrgUnitID, b.Period)
	if err != nil {
		return err
	}
	b.LockException = ex
	b.Editable, b.ReadOnlyReason = s.editable(*b, p, now)
	return nil
}

// editable is the one rule for whether a batch's rows may change now.
func (s *Service) editable(b Batch, p period.Period, now time.Time) (bool, string) {
	switch {
	case b.SupersededBy != 0:
		return false, "这是旧版本（版本 " + strconv.Itoa(b.Version) + "），已有更正版本，只读。"
	case correctable(b.Status):
		return false, "该批次" + StatusLabel(b.Status) + "，只读；如需修改，由录入员点「更正」创建更正版本。"
	case !b.Status.Editable():
		return false, "该批次已提交（" + StatusLabel(b.Status) + "），只读。"
	}
	if p.Closed(now) && b.LockException == nil && b.Rectification == "" {
		return false, p.Label() + "的数据已于次年 4 月 1 日关闭，修改需要先由审核员登记整改例外。"
	}
	return true, ""
}

func (s *Service) editError(b Batch) error {
	if !b.Status.Editable() {
		return apperr.New(apperr.BatchNotEditable, b.ReadOnlyReason)
	}
	return apperr.New(apperr.PeriodClosed, b.ReadOnlyReason)
}

// StatusLabel is a status in Chinese, as every screen and export shows it.
func StatusLabel(s Status) string {
	switch s {
	case Draft:
		return "草稿"
	case Submitted:
		return "已提交待审核"
	case Returned:
		return "已退回"
	case Approved:
		return "已审核"
	case Queued:
		return "待同步"
	case Accepted:
		return "平台已接收"
	case Rejected:
		return "平台已退回"
	}
	return string(s)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// get loads a batch of the actor's org unit.
func (s *Service) get(ctx context.Context, q querier, a Actor, id int64) (Batch, error) {
	b, err := scanRaw(q.QueryRowContext(ctx, batchSelect+" WHERE b.id = ? AND b.org_unit_id = ?", id, a.OrgUnitID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Batch{}, notFound()
	case err != nil:
		return Batch{}, internal("无法读取批次。", err)
	}
	if err := s.decorate(ctx, q, &b); err != nil {
		return Batch{}, err
	}
	return b, nil
}

// Get returns one batch of the actor's org unit.
func (s *Service) Get(ctx context.Context, a Actor, id int64) (Batch, error) {
	return s.get(ctx, s.db, a, id)
}

// List returns the batches of the actor's org unit, newest period first;
// dataset "" lists all datasets.
func (s *Service) List(ctx context.Context, a Actor, dataset string) ([]Batch, error) {
	q := batchSelect + " WHERE b.org_unit_id = ?"
	args := []any{a.OrgUnitID}
	if dataset != "" {
		q += " AND b.dataset = ?"
		args = append(args, dataset)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY b.period DESC, b.dataset, b.version DESC", args...)
	if err != nil {
		return nil, internal("无法读取批次列表。", err)
	}
	out := []Batch{} // [] not null for the UI
	for rows.Next() {
		b, err := scanRaw(rows)
		if err != nil {
			rows.Close()
			return nil, internal("无法读取批次列表。", err)
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取批次列表。", err)
	}
	// Decorated after the result set is closed: decorate queries too.
	for i := range out {
		if err := s.decorate(ctx, s.db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}
