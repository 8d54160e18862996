// Package period knows the reporting periods of the provincial rule (seed
// 000 第十八条): livelihood-fund data is monthly, poverty-alleviation and
// village-finance data are quarterly, each due one calendar month after the
// period ends, and a year's data closes on 1 April of the following year.
// All calendar arithmetic is in China Standard Time.
package period

import (
	"fmt"
	"time"

	"caiji/backend/apperr"
)

// Kind is how long a period lasts. The values are stored and sent to the
// frontend; never rename one.
type Kind string

const (
	Monthly   Kind = "monthly"   // 民生资金
	Quarterly Kind = "quarterly" // 精准扶贫、村级财务
	Yearly    Kind = "yearly"
)

// perYear is how many periods of k fit in a year, 0 for an unknown kind.
func (k Kind) perYear() int {
	switch k {
	case Monthly:
		return 12
	case Quarterly:
		return 4
	case Yearly:
		return 1
	}
	return 0
}

// Period is one reporting period: a month (N 1–12), a quarter (N 1–4) or a
// year (N 1). Make one with New, Parse or Current; the time methods panic
// on a hand-built Period whose Kind or N is out of range, because a silently
// shifted deadline would be worse than a crash in development.
type Period struct {
	Kind Kind `json:"kind"`
	Year int  `json:"year"`
	N    int  `json:"n"`
}

// New checks and returns a period, e.g. for rows read back from the
// database. Years are limited to four digits so that String round-trips.
func New(kind Kind, year, n int) (Period, error) {
	per := kind.perYear()
	switch {
	case per == 0:
		return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("期间类型「%s」无效：应为 monthly、quarterly 或 yearly", kind))
	case year < 1000 || year > 9999:
		return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("年份 %d 无效：应为四位数字", year))
	case n < 1 || n > per:
		switch kind {
		case Monthly:
			return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("月份 %d 无效：月份应为 1–12", n))
		case Quarterly:
			return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("季度 %d 无效：季度应为 1–4", n))
		default:
			return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("年度期间序号 %d 无效：应为 1", n))
		}
	}
	return Period{Kind: kind, Year: year, N: n}, nil
}

// valid reports whether the time methods can work with p. The year is not
// checked: Next and Prev may step past the four-digit range.
func (p Period) valid() bool {
	per := p.Kind.perYear()
	return per > 0 && p.N >= 1 && p.N <= per
}

func (p Period) mustValid() {
	if !p.valid() {
		panic(fmt.Sprintf("period: invalid Period %+v; use New, Parse or Current", p))
	}
}

// String is the canonical form that Parse reads back: "2026-10", "2026Q3"
// or "2026". Within one kind the strings sort chronologically.
func (p Period) String() string {
	if !p.valid() {
		return fmt.Sprintf("period(%q,%d,%d)", p.Kind, p.Year, p.N)
	}
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%04dQ%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Label is the form clerks read: "2026年10月", "2026年第3季度", "2026年".
func (p Period) Label() string {
	p.mustValid()
	switch p.Kind {
	case Monthly:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%d年第%d季度", p.Year, p.N)
	}
	return fmt.Sprintf("%d年", p.Year)
}

// Next is the period that follows p.
func (p Period) Next() Period { return p.add(1) }

// Prev is the period before p.
func (p Period) Prev() Period { return p.add(-1) }

func (p Period) add(d int) Period {
	p.mustValid()
	per := p.Kind.perYear()
	i := p.Year*per + p.N - 1 + d
	// Floor division keeps this right for any year, not only positive ones.
	y := i / per
	if i%per < 0 {
		y--
	}
	return Period{Kind: p.Kind, Year: y, N: i - y*per + 1}
}

// Current is the period of kind that contains now, judged on the CST
// calendar: 2026-09-30T16:00Z is already October. Like the time methods it
// panics on an unknown kind; check kinds from outside with ParseKind.
func Current(kind Kind, now time.Time) Period {
	t := now.In(cst)
	p := Period{Kind: kind, Year: t.Year(), N: 1}
	switch kind {
	case Monthly:
		p.N = int(t.Month())
	case Quarterly:
		p.N = (int(t.Month())-1)/3 + 1
	}
	p.mustValid()
	return p
}
