package period

import (
	"fmt"
	"slices"
	"time"
)

// cst is China Standard Time as a fixed offset: LoadLocation would need
// tzdata, which many Windows PCs lack, and China has no daylight saving.
var cst = time.FixedZone("CST", 8*3600)

// Zone is the time zone every date in this package is judged in, for
// callers that format deadlines themselves.
func Zone() *time.Location { return cst }

// months is how many calendar months p spans.
func (p Period) months() int {
	p.mustValid()
	return 12 / p.Kind.perYear()
}

// Start is 00:00 CST on the first day of p.
func (p Period) Start() time.Time {
	m := (p.N-1)*p.months() + 1
	return time.Date(p.Year, time.Month(m), 1, 0, 0, 0, 0, cst)
}

// End is the exclusive end of p: 00:00 CST on the first day of the next
// period, so p covers [Start, End).
func (p Period) End() time.Time { return p.Start().AddDate(0, p.months(), 0) }

// Deadline is the instant from which p's data is overdue. Every rule reduces
// to "one calendar month after End": a month is due by the end of the
// following month, a quarter by the end of the next quarter's first month,
// a year by the end of January. "By the end of" lets the whole last day
// count, so the instant is 00:00 CST of the day after it.
func (p Period) Deadline() time.Time { return p.End().AddDate(0, 1, 0) }

// LastDay is the last calendar day (00:00 CST) on which p is still on
// time, the date to show next to "截止": Deadline itself would read as one
// day too late.
func (p Period) LastDay() time.Time { return p.Deadline().AddDate(0, 0, -1) }

// DeadlineLabel is LastDay for clerks, e.g. "2026年11月30日".
func (p Period) DeadlineLabel() string {
	d := p.LastDay()
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}

// closesAt is when p's year becomes "the previous year" after 31 March and
// changes need a rectification (整改) procedure.
func (p Period) closesAt() time.Time {
	p.mustValid()
	return time.Date(p.Year+1, time.April, 1, 0, 0, 0, 0, cst)
}

// Closed reports whether p's data is locked at now: from 1 April 00:00 CST
// of the year after p's year, any change needs a recorded lock exception.
func (p Period) Closed(now time.Time) bool { return !now.Before(p.closesAt()) }

// Status is where a period stands in its life. The values are sent to the
// frontend; never rename one.
type Status string

const (
	StatusOpen    Status = "open"    // not ended yet (also future periods)
	StatusDue     Status = "due"     // ended, deadline not passed: collect now
	StatusOverdue Status = "overdue" // deadline passed, year not closed yet
	StatusClosed  Status = "closed"  // locked; changes need 整改
)

// Status is p's status at now. The rule's dates always come in the order
// End < Deadline < closure, so the checks below never overlap.
func (p Period) Status(now time.Time) Status {
	switch {
	case p.Closed(now):
		return StatusClosed
	case now.Before(p.End()):
		return StatusOpen
	case now.Before(p.Deadline()):
		return StatusDue
	}
	return StatusOverdue
}

// DaysLeft counts CST calendar days from now to LastDay: 0 on the last day
// ("今天截止"), 1 the day before, -1 the day after. It is negative exactly
// when p is past its deadline. Calendar days, not 24-hour chunks, because
// clerks count dates: at 23:00 on 29 November "1 day left" must mean 30
// November, not "until 23:00 tomorrow".
func (p Period) DaysLeft(now time.Time) int {
	return dayNumber(p.LastDay()) - dayNumber(now)
}

// dayNumber numbers CST calendar days; with a fixed offset every day is
// exactly 86400 seconds long, so plain division is exact.
func dayNumber(t time.Time) int {
	s := t.Unix() + 8*3600
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return int(d)
}

// Due returns the periods of kind whose data is being collected at now:
// ended, deadline not passed. The current, still open period is not
// included: it cannot be completed before it ends. Under the provincial
// rule at most one period is due at a time (a deadline is one month after
// End and periods are at least one month long); it is a slice so callers
// need not change if a grace period ever makes two overlap.
func Due(kind Kind, now time.Time) []Period { return collect(kind, now, StatusDue) }

// Overdue returns the periods of kind that are past their deadline but not
// yet closed, oldest first: the ones still fixable without 整改.
func Overdue(kind Kind, now time.Time) []Period { return collect(kind, now, StatusOverdue) }

// collect walks back from the period before the current one until the
// closed years, keeping those with status want, oldest first. The walk is
// short: everything before the previous year is closed.
func collect(kind Kind, now time.Time, want Status) []Period {
	var out []Period
	for p := Current(kind, now).Prev(); !p.Closed(now); p = p.Prev() {
		if p.Status(now) == want {
			out = append(out, p)
		}
	}
	slices.Reverse(out)
	return out
}
