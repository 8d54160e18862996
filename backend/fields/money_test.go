package fields

import (
	"math"
	"testing"
)

func TestParseFen(t *testing.T) {
	tests := []struct {
		in   string
		fen  int64
		want []string
	}{
		{"1234.5", 123450, nil},
		{"1234.50", 123450, nil},
		{"1,234.50", 123450, nil},
		{"12,345,678.9", 1234567890, nil},
		{"１２３４．５０", 123450, nil},
		{"１，２３４．５", 123450, nil},
		{"￥1234.50", 123450, nil},
		{"¥ 1,234.50", 123450, nil},
		{"￥１２３４", 123400, nil},
		{"1234元", 123400, nil},
		{"1234.5 元", 123450, nil},
		{"1234元整", 123400, nil},
		{"RMB1234.50", 123450, nil},
		{"  1234  ", 123400, nil},
		{"0", 0, nil},
		{"0.01", 1, nil},
		{".5", 50, nil},
		{"5.", 500, nil},
		{"007.10", 710, nil},
		{"1234.500", 123450, nil}, // extra zeros lose nothing
		{"92233720368547758.07", math.MaxInt64, nil},
		{"92,233,720,368,547,758.07", math.MaxInt64, nil},

		{"", 0, []string{"money_empty"}},
		{" \u3000", 0, []string{"money_empty"}},
		{"￥", 0, []string{"money_format"}},
		{"元", 0, []string{"money_format"}},
		{"-1", 0, []string{"money_negative"}},
		{"－１００", 0, []string{"money_negative"}},
		{"-0.00", 0, []string{"money_negative"}},
		{"(100.00)", 0, []string{"money_negative"}},
		{"负100", 0, []string{"money_negative"}},
		{"￥-5", 0, []string{"money_negative"}},
		{"1.234", 0, []string{"money_decimals"}},
		{"1234.5000000001", 0, []string{"money_decimals"}},
		{"1e3", 0, []string{"money_format"}},
		{"1.2345E+5", 0, []string{"money_format"}},
		{"1E-2", 0, []string{"money_format"}},
		{"1.2.3", 0, []string{"money_format"}},
		{".", 0, []string{"money_format"}},
		{"12,34", 0, []string{"money_format"}},
		{"1234,50", 0, []string{"money_format"}},
		{",123", 0, []string{"money_format"}},
		{"1,234,", 0, []string{"money_format"}},
		{"1234.5,0", 0, []string{"money_format"}},
		{"+5", 0, []string{"money_format"}},
		{"一百", 0, []string{"money_format"}},
		{"12 34", 0, []string{"money_format"}},
		{"0x10", 0, []string{"money_format"}},
		{"NaN", 0, []string{"money_format"}},
		{"Inf", 0, []string{"money_format"}},
		{"92233720368547758.08", 0, []string{"money_overflow"}},
		{"92233720368547759", 0, []string{"money_overflow"}},
		{"1000000000000000000", 0, []string{"money_overflow"}},
		{"99999999999999999999999999", 0, []string{"money_overflow"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			fen, issues := ParseFen(tt.in)
			if fen != tt.fen {
				t.Errorf("fen %d, want %d", fen, tt.fen)
			}
			checkIssues(t, tt.in, issues, tt.want)
		})
	}
}

func TestFormatYuan(t *testing.T) {
	tests := []struct {
		fen           int64
		plain, groupd string
	}{
		{0, "0.00", "0.00"},
		{1, "0.01", "0.01"},
		{10, "0.10", "0.10"},
		{100, "1.00", "1.00"},
		{123450, "1234.50", "1,234.50"},
		{99999, "999.99", "999.99"},
		{100000, "1000.00", "1,000.00"},
		{1234567890, "12345678.90", "12,345,678.90"},
		{-150, "-1.50", "-1.50"},
		{-123456, "-1234.56", "-1,234.56"},
		{math.MaxInt64, "92233720368547758.07", "92,233,720,368,547,758.07"},
		{math.MinInt64, "-92233720368547758.08", "-92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		if got := FormatYuan(tt.fen); got != tt.plain {
			t.Errorf("FormatYuan(%d) = %q, want %q", tt.fen, got, tt.plain)
		}
		if got := FormatYuanGrouped(tt.fen); got != tt.groupd {
			t.Errorf("FormatYuanGrouped(%d) = %q, want %q", tt.fen, got, tt.groupd)
		}
		if tt.fen >= 0 {
			for _, s := range []string{tt.plain, tt.groupd} {
				if back, is := ParseFen(s); back != tt.fen || is != nil {
					t.Errorf("ParseFen(%q) = %d, %v; want %d", s, back, codes(is), tt.fen)
				}
			}
		}
	}
}
