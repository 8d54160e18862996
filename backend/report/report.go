// Package report writes Caiji's Excel exports: any dataset as a plain table
// (Table), the printed payment roster 发放清册 (Payroll), the per-person
// subsidy notice 惠民惠农补贴明白卡 (Cards) and summary tables (Summary).
//
// Rules every export keeps:
//
//   - Rows are streamed (excelize StreamWriter, which spills to a temporary
//     file) and the zip is written straight to the caller's writer, so memory
//     stays flat however many rows there are. Cards and Summary must group,
//     so they keep one small record per person or group, never the rows.
//   - Money is parsed with fields.ParseFen and summed in int64 fen: totals
//     are exact to the fen. Cells hold numbers formatted #,##0.00.
//   - 身份证号 and account numbers (batch.Personal) are masked unless
//     Options.Full; the caller checks the permission and records the export.
//   - Text that looks like a formula is written so that it can never run
//     (guard.go).
//   - Nothing reaches w until the workbook is complete: a refusal or error
//     half-way leaves w untouched.
//   - Everything a person reads is Chinese.
package report

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/fields"
	"caiji/backend/period"
	"caiji/backend/regions"
)

// Meta is what an export says about itself: who made it, for when.
type Meta struct {
	OrgUnit     string    // 填报单位, e.g. 演示县民政局
	Period      string    // 2026-11 / 2026-Q3 / 2026
	PeriodLabel string    // 2026年11月
	Preparer    string    // 制表人 name
	GeneratedAt time.Time // shown as 导出时间
}

// Options are the caller's choices for exports of personal data.
type Options struct {
	// Full writes 身份证号 and account numbers unmasked. The caller checks
	// that the user may, and records that they did; the default is masked.
	Full bool
}

// RosterRow is a roster row plus the period of the batch it came from.
type RosterRow struct {
	Period string
	Cells  map[string]string
}

// RowsPerPage is how many people a printed 发放清册 page lists before its
// 本页小计.
const RowsPerPage = 20

// maxPagesPerSheet keeps manual page breaks under Excel's limit (1026 per
// sheet by Microsoft's documentation; files with more than 1024 are
// reported as damaged); a longer document continues on a sheet named
// 发放清册（2）. Each finished sheet keeps excelize's in-memory stream buffer
// (up to its 16 MiB chunk) until the workbook is written, so memory grows by
// that much per 1000 printed pages. A variable only so that tests can lower
// it.
var maxPagesPerSheet = 1000

// Field codes the roster documents rely on.
const (
	fName     = "name"
	fID       = "id_number"
	fAccount  = "account"
	fBank     = "bank"
	fAmount   = "amount"
	fVillage  = "village_code"
	fProject  = "project_code"
	fProjName = "project_name"
	fCategory = "fund_category"
	fPolicy   = "policy_basis"
)

// book is one workbook being written.
type book struct {
	f      *excelize.File
	st     *styles
	meta   Meta
	sheets int
}

func newBook(m Meta) (*book, error) {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err != nil {
		_ = f.Close()
		return nil, internal(err)
	}
	return &book{f: f, st: st, meta: m}, nil
}

func (b *book) close() { _ = b.f.Close() }

// text is the one way text enters a sheet: a string cell, with the
// quote-prefixed twin of its style when it looks like a formula.
func (b *book) text(s string, st style) excelize.Cell {
	id := b.st.id[st]
	if s == "" {
		return excelize.Cell{StyleID: id} // styled blank
	}
	if formulaLike(s) {
		id = b.st.quoted[id]
	}
	return excelize.Cell{StyleID: id, Value: s}
}

// money is a yuan amount as a number cell.
func (b *book) money(fen int64, st style) excelize.Cell {
	return excelize.Cell{StyleID: b.st.id[st], Value: yuanValue(fen)}
}

func (b *book) number(n int, st style) excelize.Cell {
	return excelize.Cell{StyleID: b.st.id[st], Value: n}
}

// yuanValue is fen as a number of yuan. float64 holds every fen amount below
// 2^53 exactly enough that fen/100 prints back as the exact decimal; beyond
// that (over 90 trillion yuan) the amount is written as text.
func yuanValue(fen int64) any {
	if fen > 1<<53 || fen < -(1<<53) {
		return fields.FormatYuan(fen)
	}
	return float64(fen) / 100
}

// write saves the workbook to w. excelize's Write builds the whole zip in a
// bytes.Buffer first; its ZipWriter hook lets the zip go to w directly, so
// a large export is never held in memory twice. (The hook skips excelize's
// zip64 header patch, needed only for a part over 4 GiB.)
func (b *book) write(w io.Writer) error {
	b.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if err := b.f.Write(io.Discard); err != nil {
		return apperr.Wrap(apperr.Internal, "导出文件写入失败，请检查保存位置是否有足够空间、是否有写入权限后重试。", err)
	}
	return nil
}

// docProps records title, author and time in the file's properties.
func (b *book) docProps(title string) {
	p := &excelize.DocProperties{Title: title, Creator: b.meta.Preparer, Language: "zh-CN", Keywords: b.meta.Period,
		Description: "由采集系统导出"}
	if !b.meta.GeneratedAt.IsZero() {
		p.Created = b.meta.GeneratedAt.UTC().Format(time.RFC3339)
	}
	_ = b.f.SetDocProps(p)
}

// page describes how a sheet prints.
type page struct {
	landscape  bool
	titleRows  int // rows repeated at the top of every printed page
	widths     []float64
	footerNote string // left footer, before the export time
	headerNote string // right header, e.g. a warning on unmasked numbers
}

// sheet is one streamed worksheet.
type sheet struct {
	b    *book
	name string
	sw   *excelize.StreamWriter
	row  int // last row written
}

// newSheet adds a worksheet and sets everything excelize writes ahead of the
// rows: fit to page (sheetPr), page setup, margins, header and footer and
// print titles. All of these live on the worksheet object the stream writer
// holds until Flush, so none of them re-reads streamed rows.
func (b *book) newSheet(name string, pg page) (*sheet, error) {
	b.sheets++
	if b.sheets == 1 {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return nil, internal(err)
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return nil, internal(err)
	}
	a4, one, zero := 9, 1, 0
	orient := "portrait"
	if pg.landscape {
		orient = "landscape"
	}
	yes := true
	err := errors.Join(
		b.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &yes}),
		b.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orient,
			FitToWidth: &one, FitToHeight: &zero}),
		b.f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
			Top: ptr(0.6), Bottom: ptr(0.6), Left: ptr(0.4), Right: ptr(0.4),
			Header: ptr(0.3), Footer: ptr(0.3), Horizontally: &yes}),
		b.f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{
			OddHeader: headerText("", "", pg.headerNote),
			OddFooter: headerText(strings.TrimSpace(pg.footerNote+" 导出时间："+b.exportTime()),
				"第 &P 页，共 &N 页", b.meta.OrgUnit),
		}),
	)
	if err == nil && pg.titleRows > 0 {
		err = b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", name, pg.titleRows), Scope: name})
	}
	if err != nil {
		return nil, internal(err)
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, internal(err)
	}
	for i, w := range pg.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, internal(err)
		}
	}
	return &sheet{b: b, name: name, sw: sw}, nil
}

func (b *book) exportTime() string {
	if b.meta.GeneratedAt.IsZero() {
		return ""
	}
	return b.meta.GeneratedAt.In(period.Zone()).Format("2006-01-02 15:04")
}

// headerText builds a header or footer with left, centre and right parts;
// & in user text is doubled so that it prints rather than acting as a code.
func headerText(left, center, right string) string {
	var s strings.Builder
	esc := func(t string) string { return strings.ReplaceAll(t, "&", "&&") }
	if left != "" {
		s.WriteString("&L" + esc(left))
	}
	if center != "" {
		s.WriteString("&C" + center) // our own codes, not escaped
	}
	if right != "" {
		s.WriteString("&R" + esc(right))
	}
	return s.String()
}

// add writes the next row. height 0 leaves the default.
func (s *sheet) add(height float64, cells ...any) error {
	s.row++
	var err error
	if height > 0 {
		err = s.sw.SetRow("A"+strconv.Itoa(s.row), cells, excelize.RowOpts{Height: height})
	} else {
		err = s.sw.SetRow("A"+strconv.Itoa(s.row), cells)
	}
	if err != nil {
		return internal(err)
	}
	return nil
}

// merge merges columns from..to (1-based, inclusive) of the last row written.
func (s *sheet) merge(from, to int) error {
	a, _ := excelize.CoordinatesToCellName(from, s.row)
	z, _ := excelize.CoordinatesToCellName(to, s.row)
	if err := s.sw.MergeCell(a, z); err != nil {
		return internal(err)
	}
	return nil
}

// breakBefore starts a new printed page at the next row.
func (s *sheet) breakBefore() error {
	if err := s.sw.InsertPageBreak("A" + strconv.Itoa(s.row+1)); err != nil {
		return internal(err)
	}
	return nil
}

func (s *sheet) flush() error {
	if err := s.sw.Flush(); err != nil {
		return internal(err)
	}
	return nil
}

// continuedName names the n-th sheet of a document: 发放清册, 发放清册（2）…
func continuedName(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "（" + strconv.Itoa(n) + "）"
}

// sheetName makes a dataset name usable as a sheet name: no []:*?/\ and at
// most 31 characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		return "数据"
	}
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}

// displayWidth estimates the width of s in Excel column units: CJK and
// full-width characters count two.
func displayWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// lines estimates how many lines s wraps to in a cell width wide.
func lines(s string, width float64) int {
	if width <= 0 {
		return 1
	}
	n := 0
	for _, part := range strings.Split(s, "\n") {
		n += max(1, int(math.Ceil(displayWidth(part)/width)))
	}
	return n
}

// --- shared field helpers ---

// personalText is v as an export shows it.
func personalText(f catalog.Field, v string, full bool) string {
	if !full && batch.Personal(f) {
		return batch.Mask(f, v)
	}
	return v
}

// enumLabels maps both codes and labels of an enum field to the label.
func enumLabels(f catalog.Field) map[string]string {
	m := make(map[string]string, 2*len(f.Values))
	for _, v := range f.Values {
		m[v.Code] = v.Label
		m[v.Label] = v.Label
	}
	return m
}

func regionList() (*regions.List, error) {
	l, err := regions.Load()
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "内置的行政区划数据损坏，请重新安装本程序。", err)
	}
	return l, nil
}

// villageName is the name of a 12-digit village code for print: the
// village, or for a village missing from the bundled list its town; "" when
// the code is unknown.
func villageName(l *regions.List, code string) string {
	e, st := l.Village(strings.TrimSpace(code))
	switch st {
	case regions.Current:
		return e.Name
	case regions.TownOnly:
		return e.Name + "（村未收录）"
	}
	return ""
}

// regionText is a region cell as "code 名称", or the code alone when the
// bundled list does not know it.
func regionText(l *regions.List, t catalog.Type, code string) string {
	c := strings.TrimSpace(code)
	var e regions.Entry
	var st regions.Status
	if t == catalog.Region6 {
		e, st = l.County(c)
	} else {
		e, st = l.Village(c)
		if st == regions.TownOnly {
			return c + " " + e.Name + "（村未收录）"
		}
	}
	if st == regions.Unknown || e.Name == "" {
		return code
	}
	return c + " " + e.Name
}

// periodLabel is a period as clerks read it: 2026-11 → 2026年11月.
func periodLabel(p string) string {
	if pp, err := period.Parse(p); err == nil {
		return pp.Label()
	}
	return p
}

// fenOf parses a roster amount for a document that prints totals. Such a
// document must add up, so an amount that does not parse is refused, with
// where it is and what to do, rather than left out of the total.
func fenOf(d catalog.Dataset, row map[string]string, where string) (int64, error) {
	label := "金额"
	if f, ok := d.Field(fAmount); ok {
		label = f.Label
	}
	v := row[fAmount]
	fen, issues := fields.ParseFen(v)
	if len(issues) == 0 {
		return fen, nil
	}
	who := row[fName]
	if who != "" {
		who = "（" + who + "）"
	}
	return 0, apperr.New(apperr.BadInput, fmt.Sprintf("%s%s的%s「%s」无法使用：%s"+
		"请先在表格中改正并通过校验，再导出。", where, who, label, v, issues[0].Message))
}

func internal(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(apperr.Internal, "生成导出文件时出错，请重试；如仍失败，请联系系统管理员并提供日志。", err)
}

func ptr[T any](v T) *T { return &v }

// dateLabel is 2026年11月30日.
func dateLabel(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(period.Zone())
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// parseFen is fields.ParseFen as a yes/no answer.
func parseFen(v string) (int64, bool) {
	fen, issues := fields.ParseFen(v)
	return fen, len(issues) == 0
}
