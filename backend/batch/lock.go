package batch

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/period"
)

// LockException reopens a closed period of one dataset and org unit for a
// rectification (整改, seed 000 第十八条). It is recorded, never removed.
type LockException struct {
	ID        int64     `json:"id"`
	Reason    string    `json:"reason"`
	Reference string    `json:"reference"` // 整改通知文号
	GrantedBy int64     `json:"grantedBy"`
	At        time.Time `json:"at"`
}

func (s *Service) lockException(ctx context.Context, q querier, dataset string, org int64, per string) (*LockException, error) {
	var ex LockException
	var at string
	err := q.QueryRowContext(ctx, `SELECT id, reason, reference, granted_by, created_at FROM lock_exceptions
		WHERE dataset = ? AND org_unit_id = ? AND period = ? ORDER BY id DESC LIMIT 1`, dataset, org, per).
		Scan(&ex.ID, &ex.Reason, &ex.Reference, &ex.GrantedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, internal("无法读取整改例外记录。", err)
	}
	ex.At, _ = time.Parse(tsLayout, at)
	return &ex, nil
}

// GrantLockException records that a closed period of the actor's org unit
// may change for the named rectification. The app lets only reviewers do
// this: the person who approves data decides that closed data reopens.
func (s *Service) GrantLockException(ctx context.Context, a Actor, dataset, periodText, reason, reference string) (LockException, error) {
	d, err := s.dataset(dataset)
	if err != nil {
		return LockException{}, err
	}
	p, err := period.Parse(periodText)
	if err != nil {
		return LockException{}, err
	}
	if p.Kind != d.Period {
		return LockException{}, apperr.New(apperr.BadInput, "「"+d.Name+"」按"+kindLabel(d.Period)+"报送，期间应写成"+kindExample(d.Period)+"。")
	}
	if !p.Closed(s.now()) {
		return LockException{}, apperr.New(apperr.BadInput, p.Label()+"尚未关闭，可以直接修改，不需要整改例外。")
	}
	reason, reference = strings.TrimSpace(reason), strings.TrimSpace(reference)
	if utf8.RuneCountInString(reason) < 4 || utf8.RuneCountInString(reason) > 500 {
		return LockException{}, apperr.New(apperr.BadInput, "请写明整改原因（4 至 500 字）。")
	}
	if reference == "" || utf8.RuneCountInString(reference) > 100 {
		return LockException{}, apperr.New(apperr.BadInput, "请填写整改通知文号（不超过 100 字）。")
	}
	now := s.now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return LockException{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO lock_exceptions
		(dataset, org_unit_id, period, reason, reference, granted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.Code, a.OrgUnitID, p.String(), reason, reference, a.UserID, ts(now))
	if err != nil {
		return LockException{}, internal("无法登记整改例外。", err)
	}
	id, _ := res.LastInsertId()
	// The reason is free text and may name people: the entry keeps the
	// reference (文号) and points at the exception row for the rest.
	if err := record(ctx, tx, a, audit.ActLockException, "period:"+d.Code+"/"+strconv.FormatInt(a.OrgUnitID, 10)+"/"+p.String(), nil,
		map[string]any{"exception": id, "dataset": d.Code, "org_unit": a.OrgUnitID, "period": p.String(), "reference": reference}); err != nil {
		return LockException{}, err
	}
	if err := tx.Commit(); err != nil {
		return LockException{}, internal("无法登记整改例外。", err)
	}
	return LockException{ID: id, Reason: reason, Reference: reference, GrantedBy: a.UserID, At: now.UTC()}, nil
}
