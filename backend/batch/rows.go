package batch

import (
	"context"
	"encoding/json"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/catalog"
	"caiji/backend/fields"
)

// Row is one stored row. Cells holds the text as typed; in a RowPage the
// personal fields are masked.
type Row struct {
	ID    int64             `json:"id"`
	Seq   int64             `json:"seq"`
	Cells map[string]string `json:"cells"`
}

// RowPage is a slice of a batch's rows in order, with the total so the UI
// can size its scroller before the rest arrives.
type RowPage struct {
	Offset int   `json:"offset"`
	Total  int   `json:"total"`
	Rows   []Row `json:"rows"`
}

// MaxPage bounds one Rows call: the UI loads a large batch in pages so the
// first rows show at once.
const MaxPage = 20000

// Personal reports whether a field holds personal data that is shown
// masked and revealed only on request (身份证号, 账号). One rule for the
// grid, exports and logs.
func Personal(f catalog.Field) bool { return f.Type == catalog.IDCard || f.Type == catalog.Account }

// Mask returns the display form of a personal cell: the grid's, and
// every export's unless full numbers were asked for.
func Mask(f catalog.Field, v string) string {
	switch f.Type {
	case catalog.IDCard:
		return fields.MaskID(v)
	case catalog.Account:
		return fields.MaskAccount(v)
	}
	return v
}

// Rows returns rows [offset, offset+limit) of a batch, personal fields masked.
func (s *Service) Rows(ctx context.Context, a Actor, id int64, offset, limit int) (RowPage, error) {
	b, err := s.get(ctx, s.db, a, id)
	if err != nil {
		return RowPage{}, err
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return RowPage{}, err
	}
	if offset < 0 || limit <= 0 || limit > MaxPage {
		return RowPage{}, apperr.New(apperr.BadInput, "分页参数无效。")
	}
	var personal []catalog.Field
	for _, f := range d.Fields {
		if Personal(f) {
			personal = append(personal, f)
		}
	}
	rows, err := s.loadRows(ctx, s.db, id, offset, limit)
	if err != nil {
		return RowPage{}, err
	}
	for i := range rows {
		for _, f := range personal {
			if v, ok := rows[i].Cells[f.Code]; ok {
				rows[i].Cells[f.Code] = Mask(f, v)
			}
		}
	}
	return RowPage{Offset: offset, Total: b.Rows, Rows: rows}, nil
}

// loadRows reads rows in order, unmasked; limit < 0 reads all.
func (s *Service) loadRows(ctx context.Context, q querier, batchID int64, offset, limit int) ([]Row, error) {
	rs, err := q.QueryContext(ctx, `SELECT id, seq, cells FROM batch_rows WHERE batch_id = ?
		ORDER BY seq LIMIT ? OFFSET ?`, batchID, limit, offset)
	if err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	defer rs.Close()
	var out []Row
	if limit > 0 {
		out = make([]Row, 0, limit)
	}
	var raw []byte
	for rs.Next() {
		var r Row
		if err := rs.Scan(&r.ID, &r.Seq, &raw); err != nil {
			return nil, internal("无法读取批次数据。", err)
		}
		if err := json.Unmarshal(raw, &r.Cells); err != nil {
			return nil, internal("批次数据已损坏，无法解析。", err)
		}
		if r.Cells == nil {
			r.Cells = map[string]string{}
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	return out, nil
}

// Reveal returns the unmasked value of one personal cell and records who
// saw it. Which roles may reveal is the app's guard; here: own org unit,
// a personal field, an existing row.
func (s *Service) Reveal(ctx context.Context, a Actor, batchID, rowID int64, field string) (string, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return "", err
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return "", err
	}
	f, ok := d.Field(field)
	if !ok || !Personal(f) {
		return "", apperr.New(apperr.BadInput, "只有身份证号、账号等脱敏显示的字段需要查看原文。")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return "", internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	var raw []byte
	err = tx.QueryRowContext(ctx, "SELECT cells FROM batch_rows WHERE id = ? AND batch_id = ?", rowID, batchID).Scan(&raw)
	if err != nil {
		return "", apperr.New(apperr.NotFound, "找不到该行，可能已被删除。")
	}
	var cells map[string]string
	if err := json.Unmarshal(raw, &cells); err != nil {
		return "", internal("批次数据已损坏，无法解析。", err)
	}
	// The reveal is recorded before the value leaves: no record, no value.
	// The audit entry names the row and field, never the value.
	if _, err := tx.ExecContext(ctx, `INSERT INTO reveals (user_id, batch_id, row_id, field, created_at)
		VALUES (?, ?, ?, ?, ?)`, a.UserID, batchID, rowID, field, ts(s.now())); err != nil {
		return "", internal("无法记录查看操作，未显示原文。", err)
	}
	if err := record(ctx, tx, a, audit.ActBatchReveal, batchObject(batchID), nil,
		map[string]any{"row": rowID, "field": field}); err != nil {
		return "", err
	}
	if err := tx.Commit(); err != nil {
		return "", internal("无法记录查看操作，未显示原文。", err)
	}
	return cells[field], nil
}

// RevealRecord is one entry of the reveal log.
type RevealRecord struct {
	UserID  int64  `json:"userId"`
	BatchID int64  `json:"batchId"`
	RowID   int64  `json:"rowId"`
	Field   string `json:"field"`
	At      string `json:"at"`
}

// Reveals lists the reveal log, newest first (for the auditor).
func (s *Service) Reveals(ctx context.Context, limit int) ([]RevealRecord, error) {
	rs, err := s.db.QueryContext(ctx, `SELECT user_id, batch_id, row_id, field, created_at FROM reveals
		ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, internal("无法读取查看记录。", err)
	}
	defer rs.Close()
	var out []RevealRecord
	for rs.Next() {
		var r RevealRecord
		if err := rs.Scan(&r.UserID, &r.BatchID, &r.RowID, &r.Field, &r.At); err != nil {
			return nil, internal("无法读取查看记录。", err)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// looksMasked catches a masked value pasted back (copied from the grid):
// saving it would replace a real number with asterisks.
func looksMasked(v string) bool { return strings.Contains(v, "*") }
