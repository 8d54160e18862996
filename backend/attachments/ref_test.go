package attachments

import (
	"slices"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestParseFormatRef(t *testing.T) {
	a, b := strings.Repeat("a1", 32), strings.Repeat("0f", 32)
	tests := []struct {
		cell string
		want []string
		out  string
	}{
		{"", nil, ""},
		{" ; ;", nil, ""},
		{a, []string{a}, a},
		{a + ";" + b, []string{a, b}, a + ";" + b},
		{" " + strings.ToUpper(b) + " ; " + a + ";", []string{b, a}, b + ";" + a},
		{a + ";" + b + ";" + a, []string{a, b}, a + ";" + b},
	}
	for _, tt := range tests {
		got, err := ParseRef(tt.cell)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseRef(%q) = %v, %v; want %v", tt.cell, got, err, tt.want)
		}
		out, err := FormatRef(got)
		if err != nil || out != tt.out {
			t.Errorf("FormatRef(%v) = %q, %v; want %q", got, out, err, tt.out)
		}
		// Canonical form is a fixed point.
		again, _ := ParseRef(out)
		if back, _ := FormatRef(again); back != out {
			t.Errorf("round trip of %q gave %q", out, back)
		}
	}
}

func TestParseRefRefuses(t *testing.T) {
	a := strings.Repeat("a1", 32)
	for _, cell := range []string{
		"收据.jpg",
		a + ",x",                // comma is not the separator
		a + "," + a,             // …so this is one bad part
		a[:63],                  // too short
		a + "0",                 // too long
		strings.Repeat("g", 64), // not hex
		a + ";../../caiji.db",   // a path
		a + ";" + strings.Repeat("z", 64),
	} {
		if got, err := ParseRef(cell); !apperr.Is(err, apperr.BadInput) {
			t.Errorf("ParseRef(%q) = %v, %v; want bad_input", cell, got, err)
		}
	}
	_, err := ParseRef(a + ";" + strings.Repeat("z", 64))
	if e := apperr.From(err); !strings.Contains(e.Message, "第 2 项") || !strings.Contains(e.Message, ";") {
		t.Errorf("message %q should name the part and the separator", e.Message)
	}
	if _, err := FormatRef([]string{a, "nope"}); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("FormatRef with a bad ref = %v", err)
	}

	var many []string
	for i := 0; i <= MaxRefsPerCell; i++ {
		many = append(many, strings.Repeat("0", 62)+string("0123456789abcdef"[i/16])+string("0123456789abcdef"[i%16]))
	}
	if _, err := FormatRef(many); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("FormatRef of %d refs = %v, want bad_input", len(many), err)
	}
	if _, err := FormatRef(many[:MaxRefsPerCell]); err != nil {
		t.Errorf("FormatRef of %d refs = %v", MaxRefsPerCell, err)
	}
}
