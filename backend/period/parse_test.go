package period

import (
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestParseRoundTrip(t *testing.T) {
	tests := []struct {
		in, canon, label string
		want             Period
	}{
		{"2026-10", "2026-10", "2026年10月", Period{Monthly, 2026, 10}},
		{"2026-01", "2026-01", "2026年1月", Period{Monthly, 2026, 1}},
		{"2026-12", "2026-12", "2026年12月", Period{Monthly, 2026, 12}},
		{"2026Q3", "2026Q3", "2026年第3季度", Period{Quarterly, 2026, 3}},
		{"2026-Q3", "2026Q3", "2026年第3季度", Period{Quarterly, 2026, 3}},
		{"2026Q1", "2026Q1", "2026年第1季度", Period{Quarterly, 2026, 1}},
		{"2026-Q4", "2026Q4", "2026年第4季度", Period{Quarterly, 2026, 4}},
		{"2026", "2026", "2026年", Period{Yearly, 2026, 1}},
		{"1000", "1000", "1000年", Period{Yearly, 1000, 1}},
		{"9999-12", "9999-12", "9999年12月", Period{Monthly, 9999, 12}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if p != tt.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, p, tt.want)
			}
			if got := p.String(); got != tt.canon {
				t.Errorf("String() = %q, want %q", got, tt.canon)
			}
			if got := p.Label(); got != tt.label {
				t.Errorf("Label() = %q, want %q", got, tt.label)
			}
			if q, err := Parse(p.String()); err != nil || q != p {
				t.Errorf("Parse(String()) = %+v, %v; want %+v", q, err, p)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		in   string
		want string // part of the message
	}{
		{"", "期间不能为空"},
		{"2026-00", "月份应为 1–12"},
		{"2026-13", "期间「2026-13」无效：月份应为 1–12"},
		{"2026-99", "月份应为 1–12"},
		{"2026-1", "月份应写两位数字，如 2026-03"},
		{"2026-010", "月份应写两位数字"},
		{"2026Q5", "季度应为 1–4"},
		{"2026Q0", "季度应为 1–4"},
		{"2026-Q5", "季度应为 1–4"},
		{"2026Q10", "季度应为 1–4"},
		{"2026q3", "大写字母 Q"},
		{"2026-q3", "大写字母 Q"},
		{"26-10", "年份应为四位数字"},
		{"202610", "年份应为四位数字"},
		{"20261", "年份应为四位数字"},
		{"0999", "不以 0 开头"},
		{"abcd", "年份应为四位数字"},
		{"2026-", "格式应为"},
		{"2026Q", "格式应为"},
		{"2026-Q", "格式应为"},
		{"2026/10", "格式应为"},
		{"2026M10", "格式应为"},
		{"2026-1a", "格式应为"},
		{"2026-+1", "格式应为"},
		{" 2026-10", "含有空格"},
		{"2026-10 ", "含有空格"},
		{"2026 -10", "含有空格"},
		{"2026-10\n", "含有空格"},
		{"2026\t", "含有空格"},
		{"2026-10\u3000", "含有空格"}, // ideographic space
		{"２０２６－１０", "全角"},
		{"2026－10", "全角"},
		{"2026Ｑ3", "全角"},
		{"2026年10月", "中文"},
		{"2026-1\u0660", "全角"}, // Arabic-Indic digit: not an ASCII digit
		{strings.Repeat("x", 100), "「xxxxxxxxxxxxxxxxxxxx…」"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tt.in, p)
			}
			if !apperr.Is(err, apperr.BadInput) {
				t.Errorf("Parse(%q) error %v is not bad_input", tt.in, err)
			}
			if msg := apperr.From(err).Message; !strings.Contains(msg, tt.want) {
				t.Errorf("Parse(%q) message %q, want it to contain %q", tt.in, msg, tt.want)
			}
			if p != (Period{}) {
				t.Errorf("Parse(%q) returned %+v with its error, want the zero Period", tt.in, p)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"monthly", Monthly, true},
		{"quarterly", Quarterly, true},
		{"yearly", Yearly, true},
		{"", "", false},
		{"Monthly", "", false},
		{"月", "", false},
	}
	for _, tt := range tests {
		k, err := ParseKind(tt.in)
		if k != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseKind(%q) = %q, %v; want %q, ok=%v", tt.in, k, err, tt.want, tt.ok)
		}
		if err != nil && !apperr.Is(err, apperr.BadInput) {
			t.Errorf("ParseKind(%q) error %v is not bad_input", tt.in, err)
		}
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		kind    Kind
		year, n int
		want    string // "" means valid
	}{
		{Monthly, 2026, 10, ""},
		{Quarterly, 2026, 4, ""},
		{Yearly, 2026, 1, ""},
		{Monthly, 2026, 0, "月份应为 1–12"},
		{Monthly, 2026, 13, "月份应为 1–12"},
		{Quarterly, 2026, 5, "季度应为 1–4"},
		{Yearly, 2026, 2, "应为 1"},
		{Monthly, 999, 1, "四位数字"},
		{Monthly, 10000, 1, "四位数字"},
		{"weekly", 2026, 1, "期间类型「weekly」无效"},
		{"", 2026, 1, "期间类型"},
	}
	for _, tt := range tests {
		p, err := New(tt.kind, tt.year, tt.n)
		if tt.want == "" {
			if err != nil || p != (Period{tt.kind, tt.year, tt.n}) {
				t.Errorf("New(%q, %d, %d) = %+v, %v", tt.kind, tt.year, tt.n, p, err)
			}
			continue
		}
		if err == nil || !apperr.Is(err, apperr.BadInput) || !strings.Contains(apperr.From(err).Message, tt.want) {
			t.Errorf("New(%q, %d, %d) error = %v, want bad_input containing %q", tt.kind, tt.year, tt.n, err, tt.want)
		}
	}
}
