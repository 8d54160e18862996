package batch

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/catalog"
)

// CellEdit sets one cell; an empty Value clears it.
type CellEdit struct {
	RowID int64  `json:"rowId"`
	Field string `json:"field"`
	Value string `json:"value"`
}

// Edit is what the grid sends after a pause in typing: everything since
// the last save, applied in one transaction (cells, then new rows, then
// deletions) or not at all.
type Edit struct {
	// Revision is the batch revision the editor last saw; a mismatch means
	// the batch changed elsewhere and nothing is applied.
	Revision int64               `json:"revision"`
	Cells    []CellEdit          `json:"cells"`
	Add      []map[string]string `json:"add"`
	Delete   []int64             `json:"delete"`
}

// SaveResult tells the editor the new revision and the ids of added rows,
// in the order they were given.
type SaveResult struct {
	Revision int64   `json:"revision"`
	Added    []int64 `json:"added"`
	Rows     int     `json:"rows"`
}

// Limits that keep one save bounded; an import of more rows goes through
// the importer (issue 5), not through the grid.
const (
	MaxCellRunes = 2000
	MaxAddRows   = 100000
)

// Save applies an edit to an editable batch of the actor's org unit.
func (s *Service) Save(ctx context.Context, a Actor, batchID int64, e Edit) (SaveResult, error) {
	tx, b, err := s.beginEdit(ctx, a, batchID)
	if err != nil {
		return SaveResult{}, err
	}
	defer tx.Rollback()
	if e.Revision != b.Revision {
		return SaveResult{}, apperr.New(apperr.StaleEdit, "该批次已在别处被修改（版本 "+
			strconv.FormatInt(b.Revision, 10)+"），请重新打开后再编辑。")
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return SaveResult{}, err
	}
	if len(e.Add) > MaxAddRows {
		return SaveResult{}, apperr.New(apperr.BadInput, "一次最多新增 "+strconv.Itoa(MaxAddRows)+" 行，更多数据请用导入功能。")
	}
	for _, c := range e.Cells {
		if err := checkValue(d, c.Field, c.Value); err != nil {
			return SaveResult{}, err
		}
	}
	for _, cells := range e.Add {
		for k, v := range cells {
			if err := checkValue(d, k, v); err != nil {
				return SaveResult{}, err
			}
		}
	}

	now := ts(s.now())
	log := saveLog{d: d}
	if err := applyCells(ctx, tx, batchID, e.Cells, now, &log); err != nil {
		return SaveResult{}, err
	}
	added, err := addRows(ctx, tx, batchID, e.Add, now)
	if err != nil {
		return SaveResult{}, err
	}
	for i, id := range added {
		log.added(id, e.Add[i])
	}
	for _, id := range e.Delete {
		var raw []byte
		err := tx.QueryRowContext(ctx, "DELETE FROM batch_rows WHERE id = ? AND batch_id = ? RETURNING cells", id, batchID).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return SaveResult{}, rowGone()
		}
		if err != nil {
			return SaveResult{}, internal("无法删除行。", err)
		}
		log.deleted(id, raw)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET revision = revision + 1, updated_by = ?, updated_at = ?
		WHERE id = ?`, a.UserID, now, batchID); err != nil {
		return SaveResult{}, internal("无法保存。", err)
	}
	if err := markEditor(ctx, tx, batchID, a.UserID); err != nil {
		return SaveResult{}, err
	}
	// b.Rows was counted in this transaction; every delete removed one row.
	rows := b.Rows + len(added) - len(e.Delete)
	before, after := log.entry(b, rows)
	if err := record(ctx, tx, a, audit.ActBatchSave, batchObject(batchID), before, after); err != nil {
		return SaveResult{}, err
	}
	if err := tx.Commit(); err != nil {
		return SaveResult{}, internal("无法保存，数据未写入，请重试。", err)
	}
	return SaveResult{Revision: b.Revision + 1, Added: added, Rows: rows}, nil
}

// beginEdit opens the transaction of a change to a batch: the batch must
// be the actor's and editable now. The caller rolls the transaction back
// (a no-op after Commit).
func (s *Service) beginEdit(ctx context.Context, a Actor, batchID int64) (*sql.Tx, Batch, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, Batch{}, internal("无法开始数据库事务。", err)
	}
	b, err := s.get(ctx, tx, a, batchID)
	if err == nil && !b.Editable {
		err = s.editError(b)
	}
	if err != nil {
		tx.Rollback()
		return nil, Batch{}, err
	}
	return tx, b, nil
}

func rowGone() error {
	return apperr.New(apperr.StaleEdit, "要修改的行已不存在（可能已被删除），本次修改未保存，请重新打开批次。")
}

// checkValue refuses what must never be stored; everything else is kept as
// typed and reported by validation, so a clerk can finish later.
func checkValue(d catalog.Dataset, field, v string) error {
	f, ok := d.Field(field)
	if !ok {
		return apperr.New(apperr.BadInput, "数据集「"+d.Name+"」没有字段「"+field+"」，本次修改未保存。")
	}
	if utf8.RuneCountInString(v) > MaxCellRunes || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return apperr.New(apperr.BadInput, "「"+f.Label+"」的内容过长或含有无法识别的字符，本次修改未保存。")
	}
	if Personal(f) && looksMasked(v) {
		return apperr.New(apperr.BadInput, "「"+f.Label+"」不能填写带 * 的脱敏号码，请输入完整号码。本次修改未保存。")
	}
	return nil
}

// applyCells groups edits by row, so a row is read and written once, and
// notes each cell that changed in log.
func applyCells(ctx context.Context, q querier, batchID int64, edits []CellEdit, now string, log *saveLog) error {
	if len(edits) == 0 {
		return nil
	}
	byRow := map[int64][]CellEdit{}
	var order []int64
	for _, c := range edits {
		if _, seen := byRow[c.RowID]; !seen {
			order = append(order, c.RowID)
		}
		byRow[c.RowID] = append(byRow[c.RowID], c)
	}
	for _, id := range order {
		var raw []byte
		if err := q.QueryRowContext(ctx, "SELECT cells FROM batch_rows WHERE id = ? AND batch_id = ?", id, batchID).Scan(&raw); err != nil {
			return rowGone()
		}
		cells := map[string]string{}
		if err := json.Unmarshal(raw, &cells); err != nil {
			return internal("批次数据已损坏，无法解析。", err)
		}
		for _, c := range byRow[id] {
			old := cells[c.Field]
			setCell(cells, c.Field, c.Value)
			if cells[c.Field] != old {
				log.cell(id, c.Field, old, cells[c.Field])
			}
		}
		enc, _ := json.Marshal(cells)
		if _, err := q.ExecContext(ctx, "UPDATE batch_rows SET cells = ?, updated_at = ? WHERE id = ?", string(enc), now, id); err != nil {
			return internal("无法保存。", err)
		}
	}
	return nil
}

// setCell stores only non-blank cells, so "cleared" and "never typed" are
// the same thing on disk.
func setCell(cells map[string]string, field, v string) {
	if strings.TrimSpace(v) == "" {
		delete(cells, field)
		return
	}
	cells[field] = v
}

// storedCells drops blank cells; a row without any (an import's rows
// are already clean) is stored as it is, without a copy.
func storedCells(raw map[string]string) map[string]string {
	for _, v := range raw {
		if strings.TrimSpace(v) == "" {
			cells := make(map[string]string, len(raw))
			for k, v := range raw {
				setCell(cells, k, v)
			}
			return cells
		}
	}
	return raw
}

func addRows(ctx context.Context, tx *sql.Tx, batchID int64, add []map[string]string, now string) ([]int64, error) {
	if len(add) == 0 {
		return nil, nil
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM batch_rows WHERE batch_id = ?", batchID).Scan(&seq); err != nil {
		return nil, internal("无法新增行。", err)
	}
	ins, err := tx.PrepareContext(ctx, "INSERT INTO batch_rows (batch_id, seq, cells, updated_at) VALUES (?, ?, ?, ?)")
	if err != nil {
		return nil, internal("无法新增行。", err)
	}
	defer ins.Close()
	out := make([]int64, 0, len(add))
	for _, raw := range add {
		enc, _ := json.Marshal(storedCells(raw))
		seq++
		res, err := ins.ExecContext(ctx, batchID, seq, string(enc), now)
		if err != nil {
			return nil, internal("无法新增行。", err)
		}
		id, _ := res.LastInsertId()
		out = append(out, id)
	}
	return out, nil
}

// saveLog collects what a Save changed for its batch.save entry: each
// changed cell's old and new value, added rows and deleted rows, masked
// (auditCell) and capped (maxAuditCells, maxAuditRows; the totals are
// always there).
type saveLog struct {
	d                      catalog.Dataset
	before, after          []cellChange
	cells, adds, deletes   int
	addedRows, deletedRows []rowChange
}

func (l *saveLog) cell(row int64, field, old, new string) {
	l.cells++
	if len(l.after) >= maxAuditCells {
		return
	}
	f, _ := l.d.Field(field)
	l.before = append(l.before, cellChange{Row: row, Field: field, Value: auditCell(f, old)})
	l.after = append(l.after, cellChange{Row: row, Field: field, Value: auditCell(f, new)})
}

func (l *saveLog) added(row int64, cells map[string]string) {
	l.adds++
	if len(l.addedRows) < maxAuditRows {
		l.addedRows = append(l.addedRows, rowChange{Row: row, Cells: auditRow(l.d, storedCells(cells))})
	}
}

func (l *saveLog) deleted(row int64, raw []byte) {
	l.deletes++
	if len(l.deletedRows) >= maxAuditRows {
		return
	}
	cells := map[string]string{}
	_ = json.Unmarshal(raw, &cells) // a damaged row is still recorded as deleted
	l.deletedRows = append(l.deletedRows, rowChange{Row: row, Cells: auditRow(l.d, cells)})
}

// entry is the before and after of the batch.save entry.
func (l *saveLog) entry(b Batch, rows int) (before, after map[string]any) {
	before = map[string]any{"revision": b.Revision, "rows": b.Rows}
	after = map[string]any{"revision": b.Revision + 1, "rows": rows}
	if l.cells > 0 {
		before["cells"], after["cells"] = l.before, l.after
		after["cells_changed"] = l.cells
	}
	if l.adds > 0 {
		after["added"], after["rows_added"] = l.addedRows, l.adds
	}
	if l.deletes > 0 {
		before["deleted"], after["rows_deleted"] = l.deletedRows, l.deletes
	}
	return before, after
}
