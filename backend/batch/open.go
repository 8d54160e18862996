package batch

import (
	"context"
	"database/sql"
	"errors"

	"caiji/backend/apperr"
	"caiji/backend/period"
)

// Open returns the actor's batch for (dataset, period), creating an empty
// draft the first time. The period must be of the dataset's kind and must
// have started; a closed period can be opened to read, and a draft created
// in it only with a lock exception.
func (s *Service) Open(ctx context.Context, a Actor, dataset, periodText string) (Batch, error) {
	d, err := s.dataset(dataset)
	if err != nil {
		return Batch{}, err
	}
	p, err := period.Parse(periodText)
	if err != nil {
		return Batch{}, err
	}
	if p.Kind != d.Period {
		return Batch{}, apperr.New(apperr.BadInput, "「"+d.Name+"」按"+kindLabel(d.Period)+"报送，期间应写成"+kindExample(d.Period)+"。")
	}
	now := s.now()
	if p.Status(now) == period.StatusOpen && now.Before(p.Start()) {
		return Batch{}, apperr.New(apperr.PeriodNotOpen, p.Label()+"还没有开始，不能填报。")
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Batch{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM batches WHERE dataset = ? AND org_unit_id = ? AND period = ?
		ORDER BY version DESC LIMIT 1`, d.Code, a.OrgUnitID, p.String()).Scan(&id)
	switch {
	case err == nil:
		tx.Rollback()
		return s.get(ctx, s.db, a, id)
	case !errors.Is(err, sql.ErrNoRows):
		return Batch{}, internal("无法读取批次。", err)
	}
	if p.Closed(now) {
		ex, err := s.lockException(ctx, tx, d.Code, a.OrgUnitID, p.String())
		if err != nil {
			return Batch{}, err
		}
		if ex == nil {
			return Batch{}, apperr.New(apperr.PeriodClosed, p.Label()+"的数据已于次年 4 月 1 日关闭，补报需要先由审核员登记整改例外。")
		}
	}
	at := ts(now)
	res, err := tx.ExecContext(ctx, `INSERT INTO batches
		(dataset, dataset_version, org_unit_id, period, version, status, revision, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, 0, ?, ?, ?, ?)`,
		d.Code, d.Version, a.OrgUnitID, p.String(), Draft, a.UserID, at, a.UserID, at)
	if err != nil {
		return Batch{}, internal("无法创建批次。", err)
	}
	id, _ = res.LastInsertId()
	if err := tx.Commit(); err != nil {
		return Batch{}, internal("无法创建批次。", err)
	}
	return s.get(ctx, s.db, a, id)
}

func kindLabel(k period.Kind) string {
	switch k {
	case period.Monthly:
		return "月"
	case period.Quarterly:
		return "季度"
	}
	return "年"
}

func kindExample(k period.Kind) string {
	switch k {
	case period.Monthly:
		return " 2026-10 这样的月份"
	case period.Quarterly:
		return " 2026Q3 这样的季度"
	}
	return " 2026 这样的年份"
}
