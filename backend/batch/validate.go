package batch

import (
	"context"
	"encoding/json"
	"sort"

	"caiji/backend/catalog"
)

// Issue is a validation finding on a stored row: the catalog's RowIssue
// plus the row's id, so the grid can mark it wherever it has scrolled.
type Issue struct {
	RowID int64 `json:"rowId"`
	catalog.RowIssue
}

// Report is the outcome of validating a whole batch.
type Report struct {
	BatchID  int64   `json:"batchId"`
	Dataset  string  `json:"dataset"`
	Revision int64   `json:"revision"`
	Rows     int     `json:"rows"`
	Errors   int     `json:"errors"`
	Warnings int     `json:"warnings"`
	Issues   []Issue `json:"issues"`
}

// Validate runs the catalog's checks (cells, duplicates, cross-field and
// cross-table rules) over a whole batch, as the grid shows them and as
// submission will require them. Other datasets are seen as the org unit
// holds them for the same year (the latest version of each period).
func (s *Service) Validate(ctx context.Context, a Actor, batchID int64) (Report, error) {
	return s.validate(ctx, &a, batchID)
}

// ValidateStored validates any batch in the database, for the local CLI:
// it runs with the OS user's access to the database file, and a report
// carries positions and codes, never cell values.
func (s *Service) ValidateStored(ctx context.Context, batchID int64) (Report, error) {
	return s.validate(ctx, nil, batchID)
}

func (s *Service) validate(ctx context.Context, a *Actor, batchID int64) (Report, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Report{}, internal("无法开始数据库事务。", err)
	}
	// One read transaction: the rows and the revision belong together.
	defer tx.Rollback()
	var owner Actor
	if a != nil {
		owner = *a
	} else if err := tx.QueryRowContext(ctx, "SELECT org_unit_id FROM batches WHERE id = ?", batchID).Scan(&owner.OrgUnitID); err != nil {
		return Report{}, notFound()
	}
	b, err := s.get(ctx, tx, owner, batchID)
	if err != nil {
		return Report{}, err
	}
	d, err := s.dataset(b.Dataset)
	if err != nil {
		return Report{}, err
	}
	rows, err := s.loadRows(ctx, tx, batchID, 0, -1)
	if err != nil {
		return Report{}, err
	}
	cells := make([]map[string]string, len(rows))
	for i := range rows {
		cells[i] = rows[i].Cells
	}
	src := &scopeSource{ctx: ctx, q: tx, org: b.OrgUnitID, year: b.Period[:4], exclude: b.Dataset}
	found, err := d.ValidateAll(s.cat, cells, src)
	if err != nil {
		return Report{}, err
	}
	att, err := checkAttachments(ctx, tx, d, rows)
	if err != nil {
		return Report{}, err
	}
	rep := Report{BatchID: b.ID, Dataset: b.Dataset, Revision: b.Revision, Rows: len(rows), Issues: make([]Issue, 0, len(found))}
	for _, is := range found {
		var id int64
		if is.Row >= 1 && is.Row <= len(rows) {
			id = rows[is.Row-1].ID
		}
		if is.Severity == "error" {
			rep.Errors++
		} else {
			rep.Warnings++
		}
		rep.Issues = append(rep.Issues, Issue{RowID: id, RowIssue: is})
	}
	for _, is := range att {
		rep.Errors++
		rep.Issues = append(rep.Issues, is)
	}
	if len(att) > 0 {
		sortIssues(d, rep.Issues)
	}
	return rep, nil
}

// scopeSource gives rules the rows of other datasets of the same org unit
// and year. The dataset being validated is excluded: rules see its rows as
// the batch holds them now.
type scopeSource struct {
	ctx     context.Context
	q       querier
	org     int64
	year    string
	exclude string
}

func (s *scopeSource) Rows(dataset string) ([]map[string]string, error) {
	if dataset == s.exclude {
		return nil, nil
	}
	rs, err := s.q.QueryContext(s.ctx, `
		SELECT r.cells FROM batch_rows r JOIN batches b ON b.id = r.batch_id
		WHERE b.dataset = ? AND b.org_unit_id = ? AND substr(b.period, 1, 4) = ?
		  AND b.version = (SELECT MAX(version) FROM batches v
		                   WHERE v.dataset = b.dataset AND v.org_unit_id = b.org_unit_id AND v.period = b.period)
		ORDER BY b.period, r.seq`, dataset, s.org, s.year)
	if err != nil {
		return nil, internal("无法读取关联表数据。", err)
	}
	defer rs.Close()
	var out []map[string]string
	var raw []byte
	for rs.Next() {
		if err := rs.Scan(&raw); err != nil {
			return nil, internal("无法读取关联表数据。", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, internal("关联表数据已损坏，无法解析。", err)
		}
		out = append(out, m)
	}
	return out, rs.Err()
}

// sortIssues restores the catalog's order (row, then field order) after
// issues from outside the catalog were added.
func sortIssues(d catalog.Dataset, issues []Issue) {
	pos := map[string]int{}
	for i, f := range d.Fields {
		pos[f.Code] = i
	}
	sort.SliceStable(issues, func(i, j int) bool {
		if issues[i].Row != issues[j].Row {
			return issues[i].Row < issues[j].Row
		}
		return pos[issues[i].Field] < pos[issues[j].Field]
	})
}
