package batch

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/catalog"
)

// ImportMode says what happens to the rows a batch already has.
type ImportMode string

const (
	Append  ImportMode = "append"  // imported rows go after the batch's rows
	Replace ImportMode = "replace" // the batch's rows are deleted first
)

// ParseImportMode reads a mode from the UI or the command line.
func ParseImportMode(s string) (ImportMode, error) {
	switch ImportMode(s) {
	case Append, "":
		return Append, nil
	case Replace:
		return Replace, nil
	}
	return "", apperr.New(apperr.BadInput, "导入方式只能是 append（追加）或 replace（替换）。")
}

// MaxImportRows bounds one import. An import holds the file's rows in
// memory while it validates them (about 1.5 KB a row at peak), so the
// bound keeps a clerk's 4 GB PC well clear of running out; a county's
// roster is far smaller, and a bigger file is split by village or month.
const MaxImportRows = 200000

// CheckImport validates rows about to be imported exactly as the batch
// would hold them afterwards: together with the rows it keeps (so a
// person already in the batch is a duplicate) and the org unit's other
// tables (rules). Issues are returned for the imported rows only, with
// Row indexing rows from 1, plus the batch revision they were checked
// against; Import refuses if the batch has changed since.
func (s *Service) CheckImport(ctx context.Context, a Actor, batchID int64, rows []map[string]string, mode ImportMode) ([]catalog.RowIssue, int64, error) {
	tx, b, err := s.beginEdit(ctx, a, batchID)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return nil, 0, err
	}
	all := rows
	kept := 0
	if mode == Append && b.Rows > 0 {
		existing, err := s.loadRows(ctx, tx, batchID, 0, -1)
		if err != nil {
			return nil, 0, err
		}
		kept = len(existing)
		all = make([]map[string]string, 0, kept+len(rows))
		for _, r := range existing {
			all = append(all, r.Cells)
		}
		all = append(all, rows...)
	}
	src := &scopeSource{ctx: ctx, q: tx, org: b.OrgUnitID, year: b.Period[:4], exclude: b.Dataset}
	found, err := d.ValidateAll(s.cat, all, src)
	if err != nil {
		return nil, 0, err
	}
	out := make([]catalog.RowIssue, 0, len(found))
	for _, is := range found {
		if is.Row > kept {
			is.Row -= kept
			// A duplicate of an imported row names it by its index in
			// rows; of a row the batch keeps, by minus its batch row.
			if is.Other > kept {
				is.Other -= kept
			} else if is.Other > 0 {
				is.Other = -is.Other
			}
			out = append(out, is)
		}
	}
	wrapped := make([]Row, len(rows))
	for i := range rows {
		wrapped[i].Cells = rows[i]
	}
	att, err := checkAttachments(ctx, tx, d, wrapped)
	if err != nil {
		return nil, 0, err
	}
	for _, is := range att {
		out = append(out, is.RowIssue)
	}
	return out, b.Revision, nil
}

// Import stores rows in one transaction: all of them or, on any failure
// or a kill, none (SQLite's journal undoes a half-written transaction).
// revision is what CheckImport returned; a batch changed since is refused.
// Rows are stored as given; the caller has decided which rows to import.
func (s *Service) Import(ctx context.Context, a Actor, batchID, revision int64, rows []map[string]string, mode ImportMode) (SaveResult, error) {
	if len(rows) > MaxImportRows {
		return SaveResult{}, apperr.New(apperr.ImportTooLarge, "一次最多导入 "+strconv.Itoa(MaxImportRows)+" 行。")
	}
	tx, b, err := s.beginEdit(ctx, a, batchID)
	if err != nil {
		return SaveResult{}, err
	}
	defer tx.Rollback()
	if revision != b.Revision {
		return SaveResult{}, apperr.New(apperr.StaleEdit, "检查文件之后，该批次又被修改过（版本 "+
			strconv.FormatInt(b.Revision, 10)+"），本次没有导入。请重新检查文件后再导入。")
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return SaveResult{}, err
	}
	for _, cells := range rows {
		for k, v := range cells {
			if err := checkValue(d, k, v); err != nil {
				return SaveResult{}, err
			}
		}
	}
	kept := b.Rows
	if mode == Replace {
		if _, err := tx.ExecContext(ctx, "DELETE FROM batch_rows WHERE batch_id = ?", batchID); err != nil {
			return SaveResult{}, internal("无法清除原有数据。", err)
		}
		kept = 0
	}
	now := ts(s.now())
	if err := insertRows(ctx, tx, batchID, rows, now); err != nil {
		return SaveResult{}, CanceledOr(ctx, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET revision = revision + 1, updated_by = ?, updated_at = ?
		WHERE id = ?`, a.UserID, now, batchID); err != nil {
		return SaveResult{}, internal("无法保存。", err)
	}
	if err := markEditor(ctx, tx, batchID, a.UserID); err != nil {
		return SaveResult{}, err
	}
	after := map[string]any{"revision": b.Revision + 1, "mode": mode, "rows_imported": len(rows), "rows": kept + len(rows)}
	if name := importFile(ctx); name != "" {
		after["file"] = name
	}
	if err := record(ctx, tx, a, audit.ActBatchImport, batchObject(batchID),
		map[string]any{"revision": b.Revision, "rows": b.Rows}, after); err != nil {
		return SaveResult{}, CanceledOr(ctx, err)
	}
	if err := tx.Commit(); err != nil {
		return SaveResult{}, CanceledOr(ctx, internal("无法保存，数据未写入，请重试。", err))
	}
	return SaveResult{Revision: b.Revision + 1, Rows: kept + len(rows)}, nil
}

type importFileKey struct{}

// WithImportFile names the file an import comes from, for its
// batch.import audit entry (the name only, no folder: a path may name the
// clerk's account). The name travels in ctx because it is a note about
// the request, not an input of the import: the importer between the page
// and Import never needs it.
func WithImportFile(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, importFileKey{}, filepath.Base(strings.ReplaceAll(name, "\\", "/")))
}

func importFile(ctx context.Context) string {
	name, _ := ctx.Value(importFileKey{}).(string)
	if name == "." || name == "/" {
		return ""
	}
	return name
}

// insertChunk rows go in one INSERT: a statement per row is most of an
// import's commit time with 100,000 rows.
const insertChunk = 100

// insertRows appends rows after the batch's last row. Unlike addRows it
// does not return ids: an import reloads the grid anyway.
func insertRows(ctx context.Context, tx *sql.Tx, batchID int64, rows []map[string]string, now string) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM batch_rows WHERE batch_id = ?", batchID).Scan(&seq); err != nil {
		return internal("无法导入。", err)
	}
	full, err := tx.PrepareContext(ctx, insertSQL(insertChunk))
	if err != nil {
		return internal("无法导入。", err)
	}
	defer full.Close()
	args := make([]any, 0, 4*insertChunk)
	for start := 0; start < len(rows); start += insertChunk {
		part := rows[start:min(start+insertChunk, len(rows))]
		args = args[:0]
		for _, r := range part {
			enc, _ := json.Marshal(storedCells(r))
			seq++
			args = append(args, batchID, seq, string(enc), now)
		}
		stmt := full
		if len(part) < insertChunk {
			if stmt, err = tx.PrepareContext(ctx, insertSQL(len(part))); err != nil {
				return internal("无法导入。", err)
			}
			defer stmt.Close()
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return internal("无法导入。", err)
		}
	}
	return nil
}

func insertSQL(n int) string {
	return "INSERT INTO batch_rows (batch_id, seq, cells, updated_at) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?),", n), ",")
}

// Canceled is the error of an import the clerk stopped.
func Canceled() error {
	return apperr.New(apperr.Canceled, "导入已取消，批次中的数据没有任何改动。")
}

// CanceledOr reports a cancelled context as such (the clerk pressed 取消,
// nothing went wrong), and any other err as it is.
func CanceledOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return Canceled()
	}
	return err
}
