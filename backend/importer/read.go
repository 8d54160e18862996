package importer

import (
	"context"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
)

// Progress is what a long import reports, about five times a second at most.
type Progress struct {
	Phase   string  `json:"phase"`   // read, check, commit, report
	Rows    int64   `json:"rows"`    // rows handled so far in this phase
	Percent float64 `json:"percent"` // 0–100, or -1 when the end is unknown
}

// parsed is a file read into rows of cleaned text keyed by field code.
type parsed struct {
	sheet  string
	head   *header
	rows   []map[string]string
	lines  []int              // file row number of rows[i]
	issues []catalog.RowIssue // found while reading; Row indexes rows from 1
	skip   map[int]bool       // file rows skipped on purpose (code row, totals)
	// numeric marks cells dropped as numeric_cell: the validators would
	// only add "required" on top of the real reason.
	numeric map[cellAt]bool
	fields  []*catalog.Field // dataset fields by position
	d       catalog.Dataset
}

// maxRows stops reading a file with more rows than one import takes; a
// variable so a test need not write 200,000 rows.
var maxRows = batch.MaxImportRows

type cellAt struct {
	row   int
	field string
}

const (
	progressEvery = 2000 // rows per chunk and progress report
	cancelEvery   = 500
)

// read opens path, finds the header and reads every data row. It refuses
// the file as a whole (apperr) when it cannot be read as a table of the
// dataset; problems in single rows are issues, not errors.
func read(ctx context.Context, path string, d catalog.Dataset, progress func(Progress)) (*parsed, error) {
	k, err := sniff(path)
	if err != nil {
		return nil, err
	}
	m := newMatcher(d)
	var src source
	var buffered [][]string
	var head *header
	var sheet string
	switch k {
	case kindCSV:
		s, err := newCSVSource(path)
		if err != nil {
			return nil, err
		}
		defer s.Close()
		head, buffered, err = findHeader(m, s)
		if err != nil {
			return nil, err
		}
		src = s
	default:
		f, err := openWorkbook(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		src, sheet, head, buffered, err = findSheet(f, m)
		if err != nil {
			return nil, err
		}
		defer src.Close()
	}
	p := &parsed{sheet: sheet, head: head, skip: map[int]bool{}, d: d}
	for i := range d.Fields {
		p.fields = append(p.fields, &d.Fields[i])
	}
	line := head.line
	handle := func(row []string) {
		line++
		if line == head.line+1 && m.codeRowScore(row) >= 2 {
			p.skip[line] = true
			return
		}
		if totalRow(row) {
			p.skip[line] = true
			return
		}
		p.add(line, row)
	}
	for _, row := range buffered {
		handle(row)
	}
	// Parsing the XML is most of the work; cleaning and checking cells
	// runs beside it on the other core.
	ch, wait := produce(ctx, src)
	defer wait()
	for c := range ch {
		if ctx.Err() != nil {
			return nil, batch.Canceled()
		}
		if progress != nil {
			progress(Progress{Phase: "read", Rows: int64(len(p.rows)), Percent: percent(c.done, c.total)})
		}
		for _, row := range c.rows {
			handle(row) // both sources number rows consecutively, blank ones included
		}
		if len(p.rows) > maxRows {
			return nil, apperr.New(apperr.ImportTooLarge, "文件超过 "+itoa(maxRows)+" 行数据，一次导入不了。请按村或按月拆分成几个文件分别导入。")
		}
	}
	if ctx.Err() != nil {
		return nil, batch.Canceled()
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	if len(p.rows) == 0 {
		return nil, apperr.New(apperr.ImportEmpty, "表头（第 "+itoa(head.line)+" 行）下面没有数据行，请确认选择了正确的文件和工作表。")
	}
	if progress != nil {
		progress(Progress{Phase: "read", Rows: int64(len(p.rows)), Percent: 100})
	}
	return p, nil
}

// chunk is a run of rows from the producer, with the source's progress.
type chunk struct {
	rows        [][]string
	done, total int64
}

// produce reads src on its own goroutine in chunks. wait stops it and
// returns once it has let go of src, so src may then be closed.
func produce(ctx context.Context, src source) (<-chan chunk, func()) {
	ctx, stop := context.WithCancel(ctx)
	ch := make(chan chunk, 4)
	go func() {
		defer close(ch)
		buf := make([][]string, 0, progressEvery)
		for src.Next() {
			buf = append(buf, src.Row())
			if len(buf) == cap(buf) {
				done, total := src.Progress()
				select {
				case ch <- chunk{buf, done, total}:
				case <-ctx.Done():
					return
				}
				buf = make([][]string, 0, progressEvery)
			}
		}
		done, total := src.Progress()
		select {
		case ch <- chunk{buf, done, total}:
		case <-ctx.Done():
		}
	}()
	return ch, func() {
		stop()
		for range ch {
		}
	}
}

// add keeps a data row; a row with nothing in the mapped columns (only a
// 序号, or nothing at all) is blank and skipped.
func (p *parsed) add(line int, row []string) {
	var cells map[string]string
	for ci, cell := range row {
		if ci >= len(p.head.byIndex) || cell == "" {
			continue
		}
		fi := p.head.byIndex[ci]
		if fi < 0 {
			continue
		}
		f := p.fields[fi]
		v, numeric := clean(f, cell)
		if v == "" {
			continue
		}
		if cells == nil {
			cells = make(map[string]string, len(p.fields))
		}
		if numeric {
			is := numericIssue(f)
			is.Row = len(p.rows) + 1
			p.issues = append(p.issues, is)
			if p.numeric == nil {
				p.numeric = map[cellAt]bool{}
			}
			p.numeric[cellAt{is.Row, f.Code}] = true
			continue // the digits are gone; storing them would hide that
		}
		cells[f.Code] = v
	}
	if cells == nil {
		return
	}
	p.rows = append(p.rows, cells)
	p.lines = append(p.lines, line)
}

// findHeader reads up to headerScan rows and takes the one naming the most
// fields (the first of equals). The rows after it are returned for the
// caller to process.
func findHeader(m *matcher, src source) (*header, [][]string, error) {
	var rows [][]string
	var lines []int
	best, bestAt := 0, -1
	for len(rows) < headerScan && src.Next() {
		row := append([]string(nil), src.Row()...)
		rows = append(rows, row)
		lines = append(lines, src.Line())
		if s, req := m.score(row); s > best && s >= 2 && req*2 >= m.required {
			best, bestAt = s, len(rows)-1
		}
	}
	if err := src.Err(); err != nil {
		return nil, nil, err
	}
	if bestAt < 0 {
		return nil, nil, noHeader(m.d)
	}
	h, err := m.build(lines[bestAt], rows[bestAt])
	if err != nil {
		return nil, nil, err
	}
	return h, rows[bestAt+1:], nil
}

// findSheet tries the active sheet, then the other visible sheets, and
// uses the first with a header. A sheet of notes before the data sheet
// is common in templates from higher offices.
func findSheet(f *excelize.File, m *matcher) (source, string, *header, [][]string, error) {
	var firstErr error
	for _, name := range sheetCandidates(f) {
		s, err := newXLSXSource(f, name)
		if err != nil {
			return nil, "", nil, nil, err
		}
		h, rest, err := findHeader(m, s)
		if err == nil {
			return s, name, h, rest, nil
		}
		s.Close()
		if firstErr == nil || apperr.Is(firstErr, apperr.ImportNoHeader) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = noHeader(m.d)
	}
	return nil, "", nil, nil, firstErr
}

func percent(done, total int64) float64 {
	if total <= 0 {
		return -1
	}
	p := float64(done) * 100 / float64(total)
	if p > 100 {
		p = 100
	}
	return p
}
