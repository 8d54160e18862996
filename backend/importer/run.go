// Package importer reads rosters and tables from .xlsx and CSV files into
// a batch: it finds the header wherever the file puts it, maps columns by
// label, code or alias, cleans cells (spaces, full-width digits), runs the
// same validation as the grid, and commits all rows or none in one
// transaction. A file it cannot read as a whole is refused with a reason a
// clerk can act on; problems in single cells are issues with the row and
// column, which WriteErrorReport marks in a copy of the file.
package importer

import (
	"context"
	"runtime/debug"
	"sort"
	"sync"

	"caiji/backend/batch"
	"caiji/backend/catalog"
)

// Request is one import: a dry run (Commit false) or the real thing.
type Request struct {
	Path    string
	Dataset catalog.Dataset
	Catalog *catalog.Catalog
	// Batches, Actor and BatchID name the target batch. With Batches nil
	// the file is checked on its own: cell checks and duplicates only,
	// since cross-table rules need the org unit's data; nothing commits.
	Batches *batch.Service
	Actor   batch.Actor
	BatchID int64
	Mode    batch.ImportMode
	Commit  bool
	// ValidOnly imports the rows without errors and leaves the rest out;
	// without it, a file with any error row is not imported at all.
	ValidOnly bool
	// Revision is the batch revision the clerk's dry run was checked
	// against; a commit refuses a batch changed since. Negative: no check
	// beyond this run's own (the CLI checks and commits in one go).
	Revision int64
	Progress func(Progress)
}

// gcPercent is the GC target during an import (Go's default is 100): an
// import holds the whole file's rows while it validates them, and on a
// clerk's 4 GB PC a tighter GC is worth its few percent of time.
const gcPercent = 50

var (
	gcMu      sync.Mutex
	gcImports int // imports running; the first sets gcPercent, the last restores
	gcBefore  int
)

// tightGC lowers the GC target until the returned func is called; safe
// for imports that overlap.
func tightGC() func() {
	gcMu.Lock()
	if gcImports == 0 {
		gcBefore = debug.SetGCPercent(gcPercent)
	}
	gcImports++
	gcMu.Unlock()
	return func() {
		gcMu.Lock()
		gcImports--
		if gcImports == 0 {
			debug.SetGCPercent(gcBefore)
		}
		gcMu.Unlock()
	}
}

// Issue is one finding, located in the file as the clerk sees it.
type Issue struct {
	Row      int    `json:"row"`    // row number in the file (Excel's row number)
	Column   string `json:"column"` // column letter; "" when the field has no column
	Field    string `json:"field"`
	Label    string `json:"label"`
	Code     string `json:"code"`
	Severity string `json:"severity"` // error or warning
	Message  string `json:"message"`
}

// Result is what a run found and did.
type Result struct {
	Sheet     string   `json:"sheet"`     // worksheet read ("" for CSV)
	HeaderRow int      `json:"headerRow"` // row number of the header
	Columns   []Column `json:"columns"`
	Ignored   []string `json:"ignored"`   // headers not matching any field
	Skipped   []int    `json:"skipped"`   // rows left out on purpose: the template's code row, 合计
	Rows      int      `json:"rows"`      // data rows read
	Valid     int      `json:"valid"`     // rows without errors
	ErrorRows int      `json:"errorRows"` // rows with at least one error
	Errors    int      `json:"errors"`
	Warnings  int      `json:"warnings"`
	Issues    []Issue  `json:"issues"` // file order
	Revision  int64    `json:"revision"`
	Committed bool     `json:"committed"`
	Imported  int      `json:"imported"`  // rows stored by the commit
	BatchRows int      `json:"batchRows"` // rows in the batch after the commit
	// NotCommitted says why a requested commit did not happen.
	NotCommitted string `json:"notCommitted,omitempty"`
}

// Run reads, checks and (if asked and allowed) commits. An error means
// the file or the batch was refused as a whole and nothing changed.
func Run(ctx context.Context, req Request) (Result, error) {
	defer tightGC()()
	p, err := read(ctx, req.Path, req.Dataset, req.Progress)
	if err != nil {
		return Result{}, err
	}
	res := Result{Sheet: p.sheet, HeaderRow: p.head.line, Columns: p.head.columns, Ignored: p.head.ignored, Rows: len(p.rows)}
	for line := range p.skip {
		res.Skipped = append(res.Skipped, line)
	}
	sort.Ints(res.Skipped)
	report(req.Progress, "check", 0, -1)
	var found []catalog.RowIssue
	if req.Batches != nil {
		found, res.Revision, err = req.Batches.CheckImport(ctx, req.Actor, req.BatchID, p.rows, req.Mode)
		if err != nil {
			return Result{}, batch.CanceledOr(ctx, err)
		}
	} else {
		found = req.Dataset.Validate(p.rows)
	}
	if ctx.Err() != nil {
		return Result{}, batch.Canceled()
	}
	bad := p.locate(&res, append(p.issues, found...))
	res.ErrorRows = len(bad)
	res.Valid = res.Rows - res.ErrorRows
	report(req.Progress, "check", int64(res.Rows), 100)

	if !req.Commit {
		return res, nil
	}
	switch {
	case req.Batches == nil:
		res.NotCommitted = "没有指定要导入的批次（单位和期间），只检查了文件。"
		return res, nil
	case res.Errors > 0 && !req.ValidOnly:
		res.NotCommitted = "文件中有 " + itoa(res.ErrorRows) + " 行有错误，没有导入任何数据。请按错误报告改正后重新导入，或选择“仅导入无误的行”。"
		return res, nil
	case res.Valid == 0:
		res.NotCommitted = "没有无误的行可以导入。"
		return res, nil
	}
	// The commit must find the batch as the clerk's dry run saw it (and
	// as this run's check saw it, which Import verifies in its transaction).
	rev := res.Revision
	if req.Revision >= 0 {
		rev = req.Revision
	}
	rows := p.rows
	if res.ErrorRows > 0 {
		rows = make([]map[string]string, 0, res.Valid)
		for i, r := range p.rows {
			if !bad[i+1] {
				rows = append(rows, r)
			}
		}
	}
	report(req.Progress, "commit", 0, -1)
	saved, err := req.Batches.Import(ctx, req.Actor, req.BatchID, rev, rows, req.Mode)
	if err != nil {
		return Result{}, batch.CanceledOr(ctx, err)
	}
	report(req.Progress, "commit", int64(len(rows)), 100)
	res.Committed, res.Imported, res.BatchRows, res.Revision = true, len(rows), saved.Rows, saved.Revision
	return res, nil
}

// locate turns row-index issues into file positions, counts them, and
// returns the set of rows (1-based indexes into p.rows) with errors.
func (p *parsed) locate(res *Result, found []catalog.RowIssue) map[int]bool {
	letter := map[string]string{}
	for _, c := range p.head.columns {
		if c.Field != "" {
			letter[c.Field] = c.Letter
		}
	}
	label := map[string]string{}
	for _, f := range p.d.Fields {
		label[f.Code] = f.Label
	}
	bad := map[int]bool{}
	res.Issues = make([]Issue, 0, len(found))
	for _, is := range found {
		if is.Code != CodeNumericCell && p.numeric[cellAt{is.Row, is.Field}] {
			continue
		}
		line := 0
		if is.Row >= 1 && is.Row <= len(p.lines) {
			line = p.lines[is.Row-1]
		}
		if is.Code == catalog.CodeDuplicate && is.Other != 0 {
			// The catalog counts rows from 1; the clerk sees file rows.
			if is.Other > 0 && is.Other <= len(p.lines) {
				is.Message = p.d.DuplicateMessage("文件第 " + itoa(p.lines[is.Other-1]) + " 行")
			} else if is.Other < 0 {
				is.Message = p.d.DuplicateMessage("批次中已有的第 " + itoa(-is.Other) + " 行")
			}
		}
		if is.Severity == "error" {
			res.Errors++
			bad[is.Row] = true
		} else {
			res.Warnings++
		}
		res.Issues = append(res.Issues, Issue{Row: line, Column: letter[is.Field], Field: is.Field, Label: label[is.Field],
			Code: is.Code, Severity: is.Severity, Message: is.Message})
	}
	sortIssues(res.Issues, p.d)
	return bad
}

func report(progress func(Progress), phase string, rows int64, pct float64) {
	if progress != nil {
		progress(Progress{Phase: phase, Rows: rows, Percent: pct})
	}
}

// sortIssues orders by file row, then by the dataset's field order.
func sortIssues(is []Issue, d catalog.Dataset) {
	pos := map[string]int{}
	for i, f := range d.Fields {
		pos[f.Code] = i
	}
	sort.SliceStable(is, func(i, j int) bool {
		if is[i].Row != is[j].Row {
			return is[i].Row < is[j].Row
		}
		return pos[is[i].Field] < pos[is[j].Field]
	})
}
