package batch

import (
	"context"
	"encoding/json"
	"sort"

	"caiji/backend/audit"
)

// AllRows returns a batch and all its rows unmasked, for exports. The
// caller decides what to mask (report.Options) and, for an unmasked
// export, records it with RecordExport first.
func (s *Service) AllRows(ctx context.Context, a Actor, id int64) (Batch, []Row, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Batch{}, nil, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	b, err := s.get(ctx, tx, a, id)
	if err != nil {
		return Batch{}, nil, err
	}
	rows, err := s.loadRows(ctx, tx, id, 0, -1)
	return b, rows, err
}

// PeriodRow is a row with the period of the batch it belongs to.
type PeriodRow struct {
	Period string
	Cells  map[string]string
}

// YearRows returns the org unit's rows of a dataset for a year, the
// latest version of each period, in period then row order: what a 明白卡
// or a yearly summary adds up.
func (s *Service) YearRows(ctx context.Context, a Actor, dataset, year string) ([]PeriodRow, error) {
	rs, err := s.db.QueryContext(ctx, `
		SELECT b.period, r.cells FROM batch_rows r JOIN batches b ON b.id = r.batch_id
		WHERE b.dataset = ? AND b.org_unit_id = ? AND substr(b.period, 1, 4) = ?
		  AND b.version = (SELECT MAX(version) FROM batches v
		                   WHERE v.dataset = b.dataset AND v.org_unit_id = b.org_unit_id AND v.period = b.period)
		ORDER BY b.period, r.seq`, dataset, a.OrgUnitID, year)
	if err != nil {
		return nil, internal("无法读取数据。", err)
	}
	defer rs.Close()
	var out []PeriodRow
	for rs.Next() {
		var p string
		var raw []byte
		if err := rs.Scan(&p, &raw); err != nil {
			return nil, internal("无法读取数据。", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, internal("数据已损坏，无法解析。", err)
		}
		out = append(out, PeriodRow{Period: p, Cells: m})
	}
	return out, rs.Err()
}

// Projects maps the org unit's project codes of a year to the project's
// cells (the latest entry wins), for names and policy basis in exports.
func (s *Service) Projects(ctx context.Context, a Actor, year string) (map[string]map[string]string, error) {
	rows, err := s.YearRows(ctx, a, "msj_project", year)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	for _, r := range rows {
		if code := r.Cells["project_code"]; code != "" {
			out[code] = r.Cells
		}
	}
	return out, nil
}

// County is the org unit's county code as its projects give it (the
// most frequent), "" when it has none: templates then offer that
// county's villages.
func (s *Service) County(ctx context.Context, a Actor, year string) (string, error) {
	ps, err := s.Projects(ctx, a, year)
	if err != nil {
		return "", err
	}
	n := map[string]int{}
	for _, p := range ps {
		if c := p["county_code"]; len(c) == 6 {
			n[c]++
		}
	}
	codes := make([]string, 0, len(n))
	for c := range n {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if n[codes[i]] != n[codes[j]] {
			return n[codes[i]] > n[codes[j]]
		}
		return codes[i] < codes[j]
	})
	if len(codes) == 0 {
		return "", nil
	}
	return codes[0], nil
}

// RecordExport records an export of a batch before the file is made: a
// batch.export entry in the audit log with the kind and whether 身份证号
// and accounts are in full, and for a full export also a row in the
// append-only reveals table, like a single Reveal. No record, no file.
func (s *Service) RecordExport(ctx context.Context, a Actor, batchID int64, kind string, full bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	b, err := s.get(ctx, tx, a, batchID)
	if err != nil {
		return err
	}
	if full {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reveals (user_id, batch_id, row_id, field, created_at)
			VALUES (?, ?, 0, ?, ?)`, a.UserID, batchID, "export:"+kind, ts(s.now())); err != nil {
			return internal("无法记录导出，本次未导出。", err)
		}
	}
	if err := record(ctx, tx, a, audit.ActBatchExport, batchObject(batchID), nil,
		map[string]any{"kind": kind, "full": full, "rows": b.Rows, "version": b.Version}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法记录导出，本次未导出。", err)
	}
	return nil
}
