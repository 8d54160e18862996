package period

import (
	"testing"
	"time"
)

// at is an instant given as RFC 3339 text, so that tests can say both
// "…T23:59:59+08:00" and the equivalent "…T15:59:59Z".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad test instant %q: %v", s, err)
	}
	return tm
}

func mustParse(t *testing.T, s string) Period {
	t.Helper()
	p, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

func TestNextPrev(t *testing.T) {
	tests := []struct{ p, next string }{
		{"2026-10", "2026-11"},
		{"2026-12", "2027-01"},
		{"1999-12", "2000-01"},
		{"2026Q1", "2026Q2"},
		{"2026Q4", "2027Q1"},
		{"2026", "2027"},
		{"1999", "2000"},
	}
	for _, tt := range tests {
		p, next := mustParse(t, tt.p), mustParse(t, tt.next)
		if got := p.Next(); got != next {
			t.Errorf("%s.Next() = %s, want %s", p, got, next)
		}
		if got := next.Prev(); got != p {
			t.Errorf("%s.Prev() = %s, want %s", next, got, p)
		}
	}
}

func TestCurrent(t *testing.T) {
	tests := []struct {
		now                      string
		month, quarter, yearWant string
	}{
		// Midnight CST on 1 October is 16:00Z on 30 September.
		{"2026-09-30T15:59:59.999999999Z", "2026-09", "2026Q3", "2026"},
		{"2026-09-30T16:00:00Z", "2026-10", "2026Q4", "2026"},
		{"2026-09-30T23:59:59+08:00", "2026-09", "2026Q3", "2026"},
		{"2026-10-01T00:00:00+08:00", "2026-10", "2026Q4", "2026"},
		// New Year in CST is still 31 December in UTC.
		{"2025-12-31T15:59:59Z", "2025-12", "2025Q4", "2025"},
		{"2025-12-31T16:00:00Z", "2026-01", "2026Q1", "2026"},
		// An instant in another zone is judged by its CST date.
		{"2026-02-28T12:00:00-05:00", "2026-03", "2026Q1", "2026"},
		{"2026-03-31T23:30:00+08:00", "2026-03", "2026Q1", "2026"},
	}
	for _, tt := range tests {
		now := at(t, tt.now)
		for kind, want := range map[Kind]string{Monthly: tt.month, Quarterly: tt.quarter, Yearly: tt.yearWant} {
			if got := Current(kind, now); got != mustParse(t, want) {
				t.Errorf("Current(%s, %s) = %s, want %s", kind, tt.now, got, want)
			}
		}
	}
}

// TestEveryPeriod checks the invariants for every month, quarter and year
// of 2000–2100: periods tile time without gaps, deadlines follow ends,
// closure follows deadlines, and String, Current, Next and Prev agree.
func TestEveryPeriod(t *testing.T) {
	for _, kind := range []Kind{Monthly, Quarterly, Yearly} {
		first, err := New(kind, 2000, 1)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for p := first; p.Year <= 2100; p = p.Next() {
			n++
			start, end, deadline := p.Start(), p.End(), p.Deadline()
			if !start.Before(end) {
				t.Fatalf("%s: Start %v not before End %v", p, start, end)
			}
			if !end.Equal(p.Next().Start()) {
				t.Fatalf("%s: End %v != Next().Start %v", p, end, p.Next().Start())
			}
			if !deadline.After(end) {
				t.Fatalf("%s: Deadline %v not after End %v", p, deadline, end)
			}
			if !p.closesAt().After(deadline) {
				t.Fatalf("%s: closes %v before Deadline %v", p, p.closesAt(), deadline)
			}
			for _, tm := range []time.Time{start, end, deadline} {
				if c := tm.In(cst); c.Hour() != 0 || c.Minute() != 0 || c.Second() != 0 || c.Nanosecond() != 0 {
					t.Fatalf("%s: %v is not midnight CST", p, c)
				}
			}
			if start.In(cst).Day() != 1 || end.In(cst).Day() != 1 || deadline.In(cst).Day() != 1 {
				t.Fatalf("%s: Start/End/Deadline not on the 1st: %v %v %v", p, start, end, deadline)
			}
			if p.Next().Prev() != p || p.Prev().Next() != p {
				t.Fatalf("%s: Next/Prev do not invert", p)
			}
			if q, err := Parse(p.String()); err != nil || q != p {
				t.Fatalf("%s: Parse(String()) = %+v, %v", p, q, err)
			}
			if got := Current(kind, start); got != p {
				t.Fatalf("Current(%s, Start of %s) = %s", kind, p, got)
			}
			if got := Current(kind, end.Add(-time.Nanosecond)); got != p {
				t.Fatalf("Current(%s, End of %s - 1ns) = %s", kind, p, got)
			}
			if d := p.DaysLeft(end); d < 27 {
				t.Fatalf("%s: only %d days to report after it ends", p, d)
			}
		}
		if want := 101 * kind.perYear(); n != want {
			t.Errorf("%s: visited %d periods, want %d", kind, n, want)
		}
	}
}

func TestInvalidPeriodPanics(t *testing.T) {
	bad := []Period{{}, {Kind: Monthly, Year: 2026, N: 13}, {Kind: Quarterly, Year: 2026}, {Kind: "weekly", Year: 2026, N: 1}}
	for _, p := range bad {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%+v.Deadline() did not panic", p)
				}
			}()
			p.Deadline()
		}()
		if s := p.String(); s == "" {
			t.Errorf("%+v.String() is empty, want a readable form for logs", p)
		}
	}
}
