// Package export turns a batch into one of the files clerks print, stamp
// and file: the table itself, the 发放清册, 明白卡 and summaries. The
// layouts are backend/report's; this package is the one place that knows
// which rows each kind needs, for the window and the command line alike.
package export

import (
	"context"
	"io"
	"iter"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/report"
)

// Kinds of export. Values travel from the UI and the CLI; never rename.
const (
	Table         = "table"           // any dataset, as entered
	Payroll       = "payroll"         // 发放清册 of the batch, for printing
	Cards         = "cards"           // 明白卡: the year's rows, one card per person
	SummaryProj   = "summary_project" // the year's rows by project
	SummaryRegion = "summary_region"  // by village
	SummaryMonth  = "summary_month"   // by month
)

// Kinds lists every kind, for help texts.
var Kinds = []string{Table, Payroll, Cards, SummaryProj, SummaryRegion, SummaryMonth}

// Job is a prepared export: a file name stem and the writer.
type Job struct {
	Stem  string
	Rows  int
	Write func(io.Writer) error
}

// Prepare loads what kind needs from the actor's batch. meta.Period and
// PeriodLabel are filled from the batch (the year for yearly kinds).
func Prepare(ctx context.Context, svc *batch.Service, cat *catalog.Catalog, a batch.Actor, batchID int64, kind string, meta report.Meta, opt report.Options) (Job, error) {
	b, rows, err := svc.AllRows(ctx, a, batchID)
	if err != nil {
		return Job{}, err
	}
	d, _ := cat.Get(b.Dataset)
	year := b.Period[:4]
	projects, err := svc.Projects(ctx, a, year)
	if err != nil {
		return Job{}, err
	}
	meta.Period, meta.PeriodLabel = b.Period, b.PeriodLabel
	cells := func(yield func(map[string]string) bool) {
		for _, r := range rows {
			if !yield(r.Cells) {
				return
			}
		}
	}
	switch kind {
	case Table:
		return Job{Stem: d.Name + "-" + b.PeriodLabel, Rows: len(rows),
			Write: func(w io.Writer) error { return report.Table(w, d, cells, meta, opt) }}, nil
	case Payroll:
		return Job{Stem: d.Name + "-" + b.PeriodLabel + "-发放清册", Rows: len(rows),
			Write: func(w io.Writer) error { return report.Payroll(w, d, cells, projects, meta, opt) }}, nil
	case Cards, SummaryProj, SummaryRegion, SummaryMonth:
	default:
		return Job{}, apperr.New(apperr.BadInput, "不支持的导出类型「"+kind+"」，可选："+joinKinds()+"。")
	}
	all, err := svc.YearRows(ctx, a, b.Dataset, year)
	if err != nil {
		return Job{}, err
	}
	var seq iter.Seq[report.RosterRow] = func(yield func(report.RosterRow) bool) {
		for _, r := range all {
			if !yield(report.RosterRow{Period: r.Period, Cells: r.Cells}) {
				return
			}
		}
	}
	meta.Period, meta.PeriodLabel = year, year+"年"
	if kind == Cards {
		proj, _ := cat.Get("msj_project")
		return Job{Stem: year + "年惠民惠农补贴明白卡", Rows: len(all),
			Write: func(w io.Writer) error { return report.Cards(w, d, seq, projects, proj, meta) }}, nil
	}
	by, label := "project", "按项目"
	switch kind {
	case SummaryRegion:
		by, label = "region", "按村"
	case SummaryMonth:
		by, label = "month", "按月"
	}
	return Job{Stem: d.Name + "-" + year + "年汇总-" + label, Rows: len(all),
		Write: func(w io.Writer) error { return report.Summary(w, d, seq, by, projects, meta) }}, nil
}

func joinKinds() string {
	s := ""
	for i, k := range Kinds {
		if i > 0 {
			s += "、"
		}
		s += k
	}
	return s
}
