package batch

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"caiji/backend/apperr"
	"caiji/backend/period"
)

// A correction (更正) changes data that was already approved or synced
// without touching it: it is a new version of the batch (same dataset, org
// unit and period, version + 1) that names the version it replaces, starts
// as a copy whose rows remember the row they continue (origin), and goes
// through review again. Field-level before/after are the two rows side by
// side; the replaced version is frozen, so they never drift.

// correctable reports whether a correction may be made of a batch in
// status s: only what left the clerk's hands. A draft is simply edited.
func correctable(s Status) bool {
	return s == Approved || s == Queued || s == Accepted || s == Rejected
}

// MaxReason bounds a correction reason and a rectification reference.
const MaxReason = 500

// Correct creates the next version of an approved or synced batch of the
// actor's org unit, as an editable draft. base is the version the clerk
// looked at: if it is no longer the newest, the correction is refused
// (stale). A closed period (after 1 April of the next year) needs the
// rectification (整改) reference the correction serves.
func (s *Service) Correct(ctx context.Context, a Actor, baseID int64, rectification string) (Batch, error) {
	rectification = strings.TrimSpace(rectification)
	if utf8.RuneCountInString(rectification) > 100 {
		return Batch{}, apperr.New(apperr.BadInput, "整改通知文号不能超过 100 字。")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Batch{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	base, err := s.get(ctx, tx, a, baseID)
	if err != nil {
		return Batch{}, err
	}
	if base.SupersededBy != 0 {
		return Batch{}, staleVersion(base)
	}
	if !correctable(base.Status) {
		return Batch{}, apperr.New(apperr.BatchNotEditable, "该批次现在是「"+StatusLabel(base.Status)+"」，还没有审核通过，直接修改即可，不需要更正。")
	}
	p, err := period.Parse(base.Period)
	if err != nil {
		return Batch{}, internal("批次的期间无法识别。", err)
	}
	if p.Closed(s.now()) && rectification == "" {
		return Batch{}, apperr.New(apperr.PeriodClosed, p.Label()+"的数据已于次年 4 月 1 日关闭，更正需要填写整改通知文号（如：某审计发〔2026〕12号）。")
	}
	if !p.Closed(s.now()) {
		rectification = "" // only a closed period's correction serves a rectification
	}
	now := ts(s.now())
	res, err := tx.ExecContext(ctx, `INSERT INTO batches
		(dataset, dataset_version, org_unit_id, period, version, status, revision, created_by, created_at, updated_by, updated_at, replaces, rectification)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
		base.Dataset, base.DatasetVersion, a.OrgUnitID, base.Period, base.Version+1, Draft,
		a.UserID, now, a.UserID, now, base.ID, rectification)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return Batch{}, staleVersion(base)
		}
		return Batch{}, internal("无法创建更正版本。", err)
	}
	id, _ := res.LastInsertId()
	if _, err := tx.ExecContext(ctx, `INSERT INTO batch_rows (batch_id, seq, cells, updated_at, origin)
		SELECT ?, seq, cells, ?, id FROM batch_rows WHERE batch_id = ? ORDER BY seq`, id, now, base.ID); err != nil {
		return Batch{}, internal("无法复制原版本的数据。", err)
	}
	if err := markEditor(ctx, tx, id, a.UserID); err != nil {
		return Batch{}, err
	}
	if err := record(ctx, tx, a, "batch.correct", batchObject(id),
		map[string]any{"batch": base.ID, "version": base.Version, "status": base.Status},
		map[string]any{"version": base.Version + 1, "rectification": rectification}); err != nil {
		return Batch{}, err
	}
	if err := tx.Commit(); err != nil {
		return Batch{}, internal("无法创建更正版本，请重试。", err)
	}
	return s.Get(ctx, a, id)
}

func staleVersion(base Batch) error {
	return apperr.New(apperr.StaleEdit, "版本 "+strconv.Itoa(base.Version)+" 已有更正版本，请打开最新版本后再更正。")
}

// Reason is a correction's reason for one change: on a row of the
// correction (RowID, changed or added) or on a row of the replaced version
// that the correction deletes (Origin).
type Reason struct {
	RowID  int64  `json:"rowId"`
	Origin int64  `json:"origin"`
	Text   string `json:"text"`
}

// SetReason records why a row was corrected. Reasons are notes on the
// change, not data: they do not move the revision, so the grid's pending
// saves are never made stale by them. Submission checks that every change
// has one.
func (s *Service) SetReason(ctx context.Context, a Actor, batchID int64, r Reason) error {
	text := strings.TrimSpace(r.Text)
	if utf8.RuneCountInString(text) > MaxReason {
		return apperr.New(apperr.BadInput, "更正原因不能超过 "+strconv.Itoa(MaxReason)+" 字。")
	}
	tx, b, err := s.beginEdit(ctx, a, batchID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if b.Replaces == 0 {
		return apperr.New(apperr.BadInput, "这是第一个版本，不是更正，不需要填写更正原因。")
	}
	var res sql.Result
	if r.RowID != 0 {
		res, err = tx.ExecContext(ctx, "UPDATE batch_rows SET reason = ? WHERE id = ? AND batch_id = ?", text, r.RowID, batchID)
	} else {
		// Only a row of the replaced version that is gone from this one.
		res, err = tx.ExecContext(ctx, `INSERT INTO correction_removals (batch_id, origin, reason)
			SELECT ?, o.id, ? FROM batch_rows o WHERE o.id = ? AND o.batch_id = ?
			  AND NOT EXISTS (SELECT 1 FROM batch_rows n WHERE n.batch_id = ? AND n.origin = o.id)
			ON CONFLICT (batch_id, origin) DO UPDATE SET reason = excluded.reason`,
			batchID, text, r.Origin, b.Replaces, batchID)
	}
	if err != nil {
		return internal("无法保存更正原因。", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return rowGone()
	}
	// The reason's text may name a person: the log says a reason was set
	// (the signed content of the approved correction carries the text).
	if err := record(ctx, tx, a, "batch.reason", batchObject(batchID), nil,
		map[string]any{"row": r.RowID, "origin": r.Origin, "reason_chars": utf8.RuneCountInString(text)}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("无法保存更正原因，请重试。", err)
	}
	return nil
}

// ChangeKind says how a row differs from the replaced version.
type ChangeKind string

const (
	Added   ChangeKind = "added"
	Changed ChangeKind = "changed"
	Removed ChangeKind = "removed"
)

// FieldChange is one cell's before and after, personal fields masked.
type FieldChange struct {
	Field  string `json:"field"`
	Label  string `json:"label"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// RowChange is one row that a correction adds, changes or deletes.
type RowChange struct {
	Kind   ChangeKind    `json:"kind"`
	RowID  int64         `json:"rowId"`  // the row in the correction; 0 when removed
	Origin int64         `json:"origin"` // the row in the replaced version; 0 when added
	Seq    int64         `json:"seq"`
	Reason string        `json:"reason"`
	Fields []FieldChange `json:"fields"`
}

// Changes is what a correction changes against the version it replaces:
// the reviewer's diff and the clerk's list of reasons to give.
type Changes struct {
	BatchID     int64       `json:"batchId"`
	Version     int         `json:"version"`
	BaseID      int64       `json:"baseId"` // 0: a first version, nothing to compare
	BaseVersion int         `json:"baseVersion"`
	BaseStatus  Status      `json:"baseStatus"`
	Rows        []RowChange `json:"rows"`
	Missing     int         `json:"missing"` // changes without a reason
}

// storedRow is a row as stored, with what corrections add to it. The
// cells stay raw JSON until needed: rows a correction copied and left
// alone have byte-identical cells, so most rows of a large correction are
// compared without ever being parsed.
type storedRow struct {
	ID, Seq, Origin int64
	Raw             []byte
	Reason          string
}

func (r storedRow) cells() (map[string]string, error) {
	var c map[string]string
	if err := json.Unmarshal(r.Raw, &c); err != nil {
		return nil, internal("批次数据已损坏，无法解析。", err)
	}
	return storedCells(c), nil
}

func (s *Service) versionRows(ctx context.Context, q querier, batchID int64) ([]storedRow, error) {
	rs, err := q.QueryContext(ctx, `SELECT id, seq, cells, COALESCE(origin, 0), reason FROM batch_rows
		WHERE batch_id = ? ORDER BY seq`, batchID)
	if err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	defer rs.Close()
	out := []storedRow{}
	for rs.Next() {
		var r storedRow
		if err := rs.Scan(&r.ID, &r.Seq, &r.Raw, &r.Origin, &r.Reason); err != nil {
			return nil, internal("无法读取批次数据。", err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, internal("无法读取批次数据。", err)
	}
	return out, nil
}

// Changes compares a batch with the version it replaces.
func (s *Service) Changes(ctx context.Context, a Actor, batchID int64) (Changes, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return Changes{}, err
	}
	return s.changes(ctx, s.db, b)
}

func (s *Service) changes(ctx context.Context, q querier, b Batch) (Changes, error) {
	out := Changes{BatchID: b.ID, Version: b.Version, BaseID: b.Replaces, Rows: []RowChange{}}
	if b.Replaces == 0 {
		return out, nil
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return Changes{}, err
	}
	if err := q.QueryRowContext(ctx, "SELECT version, status FROM batches WHERE id = ?", b.Replaces).
		Scan(&out.BaseVersion, &out.BaseStatus); err != nil {
		return Changes{}, internal("无法读取被更正的版本。", err)
	}
	before, err := s.versionRows(ctx, q, b.Replaces)
	if err != nil {
		return Changes{}, err
	}
	after, err := s.versionRows(ctx, q, b.ID)
	if err != nil {
		return Changes{}, err
	}
	removedReasons, err := s.removalReasons(ctx, q, b.ID)
	if err != nil {
		return Changes{}, err
	}
	byID := make(map[int64]storedRow, len(before))
	for _, r := range before {
		byID[r.ID] = r
	}
	kept := make(map[int64]bool, len(after))
	// diff parses the rows it compares; a nil row is an empty one.
	diff := func(old, cur *storedRow) ([]FieldChange, error) {
		var oc, cc map[string]string
		var err error
		if old != nil {
			if oc, err = old.cells(); err != nil {
				return nil, err
			}
		}
		if cur != nil {
			if cc, err = cur.cells(); err != nil {
				return nil, err
			}
		}
		var fs []FieldChange
		for _, f := range d.Fields {
			if oc[f.Code] != cc[f.Code] {
				fs = append(fs, FieldChange{Field: f.Code, Label: f.Label,
					Before: Mask(f, oc[f.Code]), After: Mask(f, cc[f.Code])})
			}
		}
		return fs, nil
	}
	for i := range after {
		r := &after[i]
		old, ok := byID[r.Origin]
		if !ok {
			fs, err := diff(nil, r)
			if err != nil {
				return Changes{}, err
			}
			out.Rows = append(out.Rows, RowChange{Kind: Added, RowID: r.ID, Seq: r.Seq, Reason: r.Reason, Fields: fs})
			continue
		}
		kept[old.ID] = true
		if bytes.Equal(old.Raw, r.Raw) {
			continue
		}
		fs, err := diff(&old, r)
		if err != nil {
			return Changes{}, err
		}
		if len(fs) > 0 {
			out.Rows = append(out.Rows, RowChange{Kind: Changed, RowID: r.ID, Origin: old.ID, Seq: r.Seq,
				Reason: r.Reason, Fields: fs})
		}
	}
	for i := range before {
		r := &before[i]
		if !kept[r.ID] {
			fs, err := diff(r, nil)
			if err != nil {
				return Changes{}, err
			}
			out.Rows = append(out.Rows, RowChange{Kind: Removed, Origin: r.ID, Seq: r.Seq,
				Reason: removedReasons[r.ID], Fields: fs})
		}
	}
	for _, c := range out.Rows {
		if strings.TrimSpace(c.Reason) == "" {
			out.Missing++
		}
	}
	return out, nil
}

func (s *Service) removalReasons(ctx context.Context, q querier, batchID int64) (map[int64]string, error) {
	rs, err := q.QueryContext(ctx, "SELECT origin, reason FROM correction_removals WHERE batch_id = ?", batchID)
	if err != nil {
		return nil, internal("无法读取更正原因。", err)
	}
	defer rs.Close()
	out := map[int64]string{}
	for rs.Next() {
		var id int64
		var reason string
		if err := rs.Scan(&id, &reason); err != nil {
			return nil, internal("无法读取更正原因。", err)
		}
		out[id] = reason
	}
	return out, rs.Err()
}

// checkCorrection is the submission rule of a correction: it changes
// something, and every change says why.
func (s *Service) checkCorrection(ctx context.Context, q querier, b Batch) error {
	if b.Replaces == 0 {
		return nil
	}
	c, err := s.changes(ctx, q, b)
	if err != nil {
		return err
	}
	if len(c.Rows) == 0 {
		return apperr.New(apperr.BadInput, "更正版本与版本 "+strconv.Itoa(c.BaseVersion)+" 完全相同，没有需要提交的更正。")
	}
	if c.Missing > 0 {
		return apperr.New(apperr.BadInput, "还有 "+strconv.Itoa(c.Missing)+" 处更正没有填写原因，请在「更正说明」中逐行填写后再提交。")
	}
	return nil
}

// RowVersion is one record as it stood in one version of its batch.
type RowVersion struct {
	BatchID       int64             `json:"batchId"`
	Version       int               `json:"version"`
	Status        Status            `json:"status"`
	Rectification string            `json:"rectification"`
	RowID         int64             `json:"rowId"` // 0: deleted in this version
	Seq           int64             `json:"seq"`
	Cells         map[string]string `json:"cells"` // personal fields masked
	Reason        string            `json:"reason"`
	Changed       []string          `json:"changed"` // field codes changed from the previous version
	UpdatedAt     string            `json:"updatedAt"`
}

// History follows one record through every version of its batch, oldest
// first: the rows it continues and the rows that continue it.
func (s *Service) History(ctx context.Context, a Actor, batchID, rowID int64) ([]RowVersion, error) {
	b, err := s.get(ctx, s.db, a, batchID)
	if err != nil {
		return nil, err
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return nil, err
	}
	type link struct {
		batch, row, origin int64
		seq                int64
		cells              map[string]string
		reason             string
	}
	load := func(id int64) (link, error) {
		var l link
		var raw []byte
		err := s.db.QueryRowContext(ctx, `SELECT r.batch_id, r.id, COALESCE(r.origin, 0), r.seq, r.cells, r.reason
			FROM batch_rows r JOIN batches b ON b.id = r.batch_id WHERE r.id = ? AND b.org_unit_id = ?`, id, a.OrgUnitID).
			Scan(&l.batch, &l.row, &l.origin, &l.seq, &raw, &l.reason)
		if errors.Is(err, sql.ErrNoRows) {
			return l, rowGone()
		}
		if err != nil {
			return l, internal("无法读取更正记录。", err)
		}
		if err := json.Unmarshal(raw, &l.cells); err != nil {
			return l, internal("批次数据已损坏，无法解析。", err)
		}
		l.cells = storedCells(l.cells)
		return l, nil
	}
	first, err := load(rowID)
	if err != nil {
		return nil, err
	}
	if first.batch != batchID {
		return nil, rowGone()
	}
	chain := []link{first}
	for chain[0].origin != 0 { // back to the first version
		l, err := load(chain[0].origin)
		if err != nil {
			return nil, err
		}
		chain = append([]link{l}, chain...)
	}
	var removedIn *RowVersion
	for { // forward through the corrections made since
		last := chain[len(chain)-1]
		var next int64
		err := s.db.QueryRowContext(ctx, "SELECT id FROM batches WHERE replaces = ?", last.batch).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return nil, internal("无法读取更正记录。", err)
		}
		var id int64
		err = s.db.QueryRowContext(ctx, "SELECT id FROM batch_rows WHERE batch_id = ? AND origin = ?", next, last.row).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			rv, err := s.versionOf(ctx, next)
			if err != nil {
				return nil, err
			}
			reasons, err := s.removalReasons(ctx, s.db, next)
			if err != nil {
				return nil, err
			}
			rv.Reason, rv.Cells, rv.Changed = reasons[last.row], map[string]string{}, []string{}
			removedIn = &rv
			break
		}
		if err != nil {
			return nil, internal("无法读取更正记录。", err)
		}
		l, err := load(id)
		if err != nil {
			return nil, err
		}
		chain = append(chain, l)
	}
	out := make([]RowVersion, 0, len(chain)+1)
	var prev map[string]string
	for i, l := range chain {
		rv, err := s.versionOf(ctx, l.batch)
		if err != nil {
			return nil, err
		}
		rv.RowID, rv.Seq, rv.Reason, rv.Changed = l.row, l.seq, l.reason, []string{}
		rv.Cells = make(map[string]string, len(l.cells))
		for _, f := range d.Fields {
			v := l.cells[f.Code]
			if v != "" {
				rv.Cells[f.Code] = Mask(f, v)
			}
			if i > 0 && prev[f.Code] != v {
				rv.Changed = append(rv.Changed, f.Code)
			}
		}
		prev = l.cells
		out = append(out, rv)
	}
	if removedIn != nil {
		out = append(out, *removedIn)
	}
	return out, nil
}

func (s *Service) versionOf(ctx context.Context, batchID int64) (RowVersion, error) {
	rv := RowVersion{BatchID: batchID}
	if err := s.db.QueryRowContext(ctx, "SELECT version, status, rectification, updated_at FROM batches WHERE id = ?", batchID).
		Scan(&rv.Version, &rv.Status, &rv.Rectification, &rv.UpdatedAt); err != nil {
		return rv, internal("无法读取更正记录。", err)
	}
	return rv, nil
}
