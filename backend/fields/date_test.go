package fields

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // YYYY-MM-DD when valid
		errs []string
	}{
		{"2026-11-23", "2026-11-23", nil},
		{"2026/11/23", "2026-11-23", nil},
		{"2026.11.23", "2026-11-23", nil},
		{"20261123", "2026-11-23", nil},
		{"2026年11月23日", "2026-11-23", nil},
		{"2026年11月23", "2026-11-23", nil},
		{"2026 年 11 月 23 日", "2026-11-23", nil},
		{"２０２６－１１－２３", "2026-11-23", nil},
		{"２０２６年１１月２３日", "2026-11-23", nil},
		{"２０２６．１１．２３", "2026-11-23", nil},
		{"2026-1-5", "2026-01-05", nil},
		{"2026年1月5日", "2026-01-05", nil},
		{" 2026/01/05 ", "2026-01-05", nil},
		{"2000-02-29", "2000-02-29", nil},
		{"2024-02-29", "2024-02-29", nil},

		{"1900-02-29", "", []string{"date_invalid"}},
		{"2023-02-29", "", []string{"date_invalid"}},
		{"20230229", "", []string{"date_invalid"}},
		{"2026-04-31", "", []string{"date_invalid"}},
		{"2026-13-01", "", []string{"date_invalid"}},
		{"2026-00-10", "", []string{"date_invalid"}},
		{"2026-01-00", "", []string{"date_invalid"}},
		{"2026年2月30日", "", []string{"date_invalid"}},
		{"0000-01-01", "", []string{"date_invalid"}},
		{"", "", []string{"date_empty"}},
		{"2026-11/23", "", []string{"date_format"}},
		{"26-11-23", "", []string{"date_format"}},
		{"11/23/2026", "", []string{"date_format"}},
		{"2026-11-23 10:00", "", []string{"date_format"}},
		{"2026-011-23", "", []string{"date_format"}},
		{"2026112", "", []string{"date_format"}},
		{"2026-11-23-01", "", []string{"date_format"}},
		{"2026年11月", "", []string{"date_format"}},
		{"2026年11月23日日", "", []string{"date_format"}},
		{"二〇二六年十一月", "", []string{"date_format"}},
		{"abc", "", []string{"date_format"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, issues := ParseDate(tt.in)
			checkIssues(t, tt.in, issues, tt.errs)
			if tt.want == "" {
				if !got.IsZero() {
					t.Errorf("got %v with issues, want zero time", got)
				}
				return
			}
			if got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC ||
				!got.Equal(got.Truncate(24*time.Hour)) {
				t.Errorf("got %v, want %s UTC midnight", got, tt.want)
			}
		})
	}
}
