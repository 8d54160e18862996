package period

import (
	"slices"
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	tests := []struct {
		p, lastDay, label string
	}{
		{"2026-10", "2026-11-30", "2026年11月30日"},
		{"2026-11", "2026-12-31", "2026年12月31日"},
		{"2026-12", "2027-01-31", "2027年1月31日"}, // December: end of January next year
		{"2026-01", "2026-02-28", "2026年2月28日"}, // non-leap
		{"2028-01", "2028-02-29", "2028年2月29日"}, // leap
		{"2100-01", "2100-02-28", "2100年2月28日"}, // century, not leap
		{"2000-01", "2000-02-29", "2000年2月29日"}, // 400-year leap
		{"2026-02", "2026-03-31", "2026年3月31日"},
		{"2026Q1", "2026-04-30", "2026年4月30日"},
		{"2026Q2", "2026-07-31", "2026年7月31日"},
		{"2026Q3", "2026-10-31", "2026年10月31日"},
		{"2026Q4", "2027-01-31", "2027年1月31日"},
		{"2026", "2027-01-31", "2027年1月31日"},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.p)
		last, err := time.ParseInLocation(time.DateOnly, tt.lastDay, cst)
		if err != nil {
			t.Fatal(err)
		}
		// The whole last day counts: the deadline is 00:00 CST the day after.
		if want := last.AddDate(0, 0, 1); !p.Deadline().Equal(want) {
			t.Errorf("%s.Deadline() = %v, want %v", p, p.Deadline(), want)
		}
		if !p.LastDay().Equal(last) {
			t.Errorf("%s.LastDay() = %v, want %v", p, p.LastDay(), last)
		}
		if got := p.DeadlineLabel(); got != tt.label {
			t.Errorf("%s.DeadlineLabel() = %q, want %q", p, got, tt.label)
		}
	}
}

func TestDeadlineInstant(t *testing.T) {
	p := mustParse(t, "2026-10") // last day 30 November
	tests := []struct {
		now  string
		want Status
	}{
		{"2026-11-30T23:59:59+08:00", StatusDue},
		{"2026-11-30T23:59:59.999999999+08:00", StatusDue},
		{"2026-11-30T15:59:59Z", StatusDue},
		{"2026-11-30T16:00:00Z", StatusOverdue}, // already 1 December in CST
		{"2026-12-01T00:00:00+08:00", StatusOverdue},
		{"2026-11-30T20:00:00Z", StatusOverdue}, // the UTC date still says 30th
	}
	for _, tt := range tests {
		if got := p.Status(at(t, tt.now)); got != tt.want {
			t.Errorf("%s.Status(%s) = %s, want %s", p, tt.now, got, tt.want)
		}
	}
}

func TestClosed(t *testing.T) {
	tests := []struct {
		p    string
		now  string
		want bool
	}{
		{"2025-01", "2026-03-31T15:59:59Z", false},
		{"2025-12", "2026-03-31T15:59:59Z", false},
		{"2025Q4", "2026-03-31T15:59:59Z", false},
		{"2025", "2026-03-31T15:59:59Z", false},
		{"2025-01", "2026-03-31T23:59:59+08:00", false},
		{"2025-01", "2026-03-31T16:00:00Z", true},
		{"2025-12", "2026-03-31T16:00:00Z", true},
		{"2025Q4", "2026-03-31T16:00:00Z", true},
		{"2025", "2026-03-31T16:00:00Z", true},
		{"2025-06", "2026-04-01T00:00:00+08:00", true},
		{"2024-06", "2026-01-01T00:00:00+08:00", true},
		{"2026-01", "2026-04-01T00:00:00+08:00", false}, // this year's data stays open
		{"2026-12", "2027-03-31T15:59:59Z", false},
		{"2026-12", "2027-03-31T16:00:00Z", true},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.p).Closed(at(t, tt.now)); got != tt.want {
			t.Errorf("%s.Closed(%s) = %v, want %v", tt.p, tt.now, got, tt.want)
		}
	}
}

func TestStatusLifecycle(t *testing.T) {
	tests := []struct {
		p, now string
		want   Status
	}{
		{"2026-10", "2026-09-15T12:00:00+08:00", StatusOpen}, // future
		{"2026-10", "2026-10-01T00:00:00+08:00", StatusOpen},
		{"2026-10", "2026-10-31T23:59:59+08:00", StatusOpen},
		{"2026-10", "2026-10-31T16:00:00Z", StatusDue}, // 1 Nov 00:00 CST
		{"2026-10", "2026-11-30T23:59:59+08:00", StatusDue},
		{"2026-10", "2026-12-01T00:00:00+08:00", StatusOverdue},
		{"2026-10", "2027-03-31T23:59:59+08:00", StatusOverdue},
		{"2026-10", "2027-04-01T00:00:00+08:00", StatusClosed},
		{"2026-10", "2030-01-01T00:00:00+08:00", StatusClosed},

		{"2026Q4", "2026-12-31T23:59:59+08:00", StatusOpen},
		{"2026Q4", "2027-01-01T00:00:00+08:00", StatusDue},
		{"2026Q4", "2027-01-31T23:59:59+08:00", StatusDue},
		{"2026Q4", "2027-02-01T00:00:00+08:00", StatusOverdue},
		{"2026Q4", "2027-03-31T15:59:59Z", StatusOverdue},
		{"2026Q4", "2027-03-31T16:00:00Z", StatusClosed},

		{"2026Q1", "2026-03-31T23:59:59+08:00", StatusOpen},
		{"2026Q1", "2026-04-01T00:00:00+08:00", StatusDue}, // 1 April closes 2025, not 2026
		{"2026Q1", "2026-04-30T23:59:59+08:00", StatusDue},
		{"2026Q1", "2026-05-01T00:00:00+08:00", StatusOverdue},

		{"2026", "2026-12-31T23:59:59+08:00", StatusOpen},
		{"2026", "2027-01-15T00:00:00+08:00", StatusDue},
		{"2026", "2027-02-01T00:00:00+08:00", StatusOverdue},
		{"2026", "2027-04-01T00:00:00+08:00", StatusClosed},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.p).Status(at(t, tt.now)); got != tt.want {
			t.Errorf("%s.Status(%s) = %s, want %s", tt.p, tt.now, got, tt.want)
		}
	}
}

func TestDaysLeft(t *testing.T) {
	p := mustParse(t, "2026-10") // last day 30 November, deadline 1 December 00:00 CST
	tests := []struct {
		now  string
		want int
	}{
		{"2026-10-15T12:00:00+08:00", 46},
		{"2026-11-01T00:00:00+08:00", 29},
		{"2026-11-29T00:00:00+08:00", 1},
		{"2026-11-29T15:59:59Z", 1}, // 29 Nov 23:59:59 CST: 24 h chunks would say 0
		{"2026-11-29T16:00:00Z", 0}, // 30 Nov 00:00 CST: the last day
		{"2026-11-30T23:59:59+08:00", 0},
		{"2026-11-30T15:59:59Z", 0},
		{"2026-11-30T16:00:00Z", -1}, // 1 Dec 00:00 CST: overdue
		{"2026-12-31T12:00:00+08:00", -31},
		{"2026-11-28T23:00:00-05:00", 1}, // 28 Nov locally, 29 Nov 12:00 in CST
	}
	for _, tt := range tests {
		now := at(t, tt.now)
		got := p.DaysLeft(now)
		if got != tt.want {
			t.Errorf("DaysLeft(%s) = %d, want %d", tt.now, got, tt.want)
		}
		if overdue := p.Status(now) == StatusOverdue; overdue != (got < 0) {
			t.Errorf("DaysLeft(%s) = %d but Status = %s", tt.now, got, p.Status(now))
		}
	}
}

func TestDueAndOverdue(t *testing.T) {
	tests := []struct {
		kind    Kind
		now     string
		due     []string
		overdue []string
	}{
		// Monthly: the previous month is always due, until the end of this one.
		{Monthly, "2026-03-15T10:00:00+08:00", []string{"2026-02"},
			[]string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07",
				"2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"}},
		// 1 April: 2025 closes, February becomes overdue, March due.
		{Monthly, "2026-03-31T16:00:00Z", []string{"2026-03"}, []string{"2026-01", "2026-02"}},
		{Monthly, "2026-01-01T00:00:00+08:00", []string{"2025-12"},
			[]string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07",
				"2025-08", "2025-09", "2025-10", "2025-11"}},
		// Quarterly: the previous quarter is due only in the quarter's first month.
		{Quarterly, "2026-01-20T10:00:00+08:00", []string{"2025Q4"}, []string{"2025Q1", "2025Q2", "2025Q3"}},
		{Quarterly, "2026-03-15T10:00:00+08:00", nil, []string{"2025Q1", "2025Q2", "2025Q3", "2025Q4"}},
		{Quarterly, "2026-04-15T10:00:00+08:00", []string{"2026Q1"}, nil},
		{Quarterly, "2026-04-30T15:59:59Z", []string{"2026Q1"}, nil},
		{Quarterly, "2026-04-30T16:00:00Z", nil, []string{"2026Q1"}},
		{Yearly, "2026-01-10T10:00:00+08:00", []string{"2025"}, nil},
		{Yearly, "2026-02-10T10:00:00+08:00", nil, []string{"2025"}},
		{Yearly, "2026-04-01T00:00:00+08:00", nil, nil},
	}
	for _, tt := range tests {
		now := at(t, tt.now)
		if got := strs(Due(tt.kind, now)); !slices.Equal(got, tt.due) {
			t.Errorf("Due(%s, %s) = %v, want %v", tt.kind, tt.now, got, tt.due)
		}
		if got := strs(Overdue(tt.kind, now)); !slices.Equal(got, tt.overdue) {
			t.Errorf("Overdue(%s, %s) = %v, want %v", tt.kind, tt.now, got, tt.overdue)
		}
	}
}

func strs(ps []Period) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}
