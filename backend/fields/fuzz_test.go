package fields

import (
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Plain `go test` runs only the seeds below (and any saved failures under
// testdata/fuzz). To search: go test -run '^$' -fuzz FuzzCheckID -fuzztime 20s ./backend/fields/

func FuzzCheckID(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "440524188001010014", "130503670401001",
		"１１０１０５１９４９１２３１００２Ｘ", "110105200002291235", "110105190002291239",
		"110105194912310021", "1.10105E+17", "", " ", "X", "911015198001011235", "\xff\xfe",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, numeric bool) {
		norm, issues := CheckIDCell(s, numeric)
		for _, is := range issues {
			if len(norm) >= 11 && allDigits(norm[:11]) && strings.Contains(is.Message, norm) {
				t.Fatalf("message repeats the ID: %s", is.Message)
			}
		}
		if HasError(issues) {
			return
		}
		if !idShapeOK(norm) {
			t.Fatalf("CheckIDCell(%q) accepted %q, which is not shaped like an ID", s, norm)
		}
		if len(norm) == 18 && idCheckChar(norm[:17]) != norm[17] {
			t.Fatalf("CheckIDCell(%q) accepted %q with a wrong check character", s, norm)
		}
		birth, ok := IDBirthDate(norm)
		if !ok || birth.After(time.Now()) || birth.Year() < 1800 {
			t.Fatalf("accepted %q but birth date %v, %v", norm, birth, ok)
		}
		if _, ok := IDMale(norm); !ok {
			t.Fatalf("accepted %q but IDMale fails", norm)
		}
		// Checking the normalised form again changes nothing.
		again, is2 := CheckID(norm)
		if again != norm || !slices.Equal(codes(is2), codes(issues)) {
			t.Fatalf("CheckID(%q) = %q %v, first pass gave %v", norm, again, codes(is2), codes(issues))
		}
		if m, want := MaskID(norm), norm[:3]+strings.Repeat("*", len(norm)-7)+norm[len(norm)-4:]; m != want {
			t.Fatalf("MaskID(%q) = %q, want %q", norm, m, want)
		}
	})
}

func FuzzParseFen(f *testing.F) {
	for _, s := range []string{
		"1234.5", "1,234.50", "１２３４．５０", "￥1234.50", "1234元", "0", ".5", "5.",
		"-1", "1.234", "1e3", "", "92233720368547758.07", "92233720368547758.08",
		"12,34", "1.2.3", "(1)", "1234.500", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, issues := ParseFen(s)
		if HasError(issues) {
			if fen != 0 || len(issues) != 1 {
				t.Fatalf("ParseFen(%q) = %d, %v: a rejection gives 0 and one reason", s, fen, codes(issues))
			}
			return
		}
		if issues != nil || fen < 0 {
			t.Fatalf("ParseFen(%q) = %d, %v", s, fen, codes(issues))
		}
		for _, out := range []string{FormatYuan(fen), FormatYuanGrouped(fen)} {
			if back, is := ParseFen(out); back != fen || is != nil {
				t.Fatalf("ParseFen(%q) = %d but ParseFen(%q) = %d %v", s, fen, out, back, codes(is))
			}
		}
		// Independent reference: the digits and point of the input, read
		// exactly with big.Rat, times 100.
		plain := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '.' {
				return r
			}
			return -1
		}, foldWidth(s))
		if plain == "." || strings.HasSuffix(plain, ".") {
			plain += "0"
		}
		want, ok := new(big.Rat).SetString(plain)
		if !ok {
			t.Fatalf("reference cannot read %q (from %q)", plain, s)
		}
		want.Mul(want, big.NewRat(100, 1))
		if !want.IsInt() || want.Num().Int64() != fen || !want.Num().IsInt64() {
			t.Fatalf("ParseFen(%q) = %d, reference says %s", s, fen, want.RatString())
		}
	})
}

func FuzzFormatYuan(f *testing.F) {
	for _, n := range []int64{0, 1, 99, 100, 123450, -1, -150, 1 << 62, -1 << 63, 1<<63 - 1} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, fen int64) {
		plain, grouped := FormatYuan(fen), FormatYuanGrouped(fen)
		if strings.ReplaceAll(grouped, ",", "") != plain {
			t.Fatalf("FormatYuan(%d) = %q, grouped %q", fen, plain, grouped)
		}
		if fen < 0 {
			return
		}
		for _, s := range []string{plain, grouped} {
			if back, is := ParseFen(s); back != fen || is != nil {
				t.Fatalf("ParseFen(FormatYuan(%d) = %q) = %d %v", fen, s, back, codes(is))
			}
		}
	})
}

func FuzzCheckAccount(f *testing.F) {
	for _, s := range []string{"6222021234567890128", "6222 0212 3456 7890 128", "6.22202E+18", "", "12", "\xff"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, numeric bool) {
		norm, issues := CheckAccountCell(s, numeric)
		if HasError(issues) {
			return
		}
		if !allDigits(norm) || len(norm) < accountMinLen || len(norm) > accountMaxLen {
			t.Fatalf("CheckAccountCell(%q, %v) accepted %q", s, numeric, norm)
		}
		if numeric && len(norm) > 15 {
			t.Fatalf("accepted %q from a numeric cell", norm)
		}
		if again, is2 := CheckAccount(norm); again != norm || !slices.Equal(codes(is2), codes(issues)) {
			t.Fatalf("CheckAccount(%q) = %q %v, first pass %v", norm, again, codes(is2), codes(issues))
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-23", "2026/1/5", "20261123", "2026年11月23日", "２０２６．１１．２３", "2023-02-29", "", "年月日", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, issues := ParseDate(s)
		if HasError(issues) {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with issues", s, d)
			}
			return
		}
		if d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour)) {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		// The ISO form of an accepted date reads back to the same date.
		if back, is := ParseDate(d.Format(time.DateOnly)); !back.Equal(d) || is != nil {
			t.Fatalf("ParseDate(%q) = %v, but its ISO form reads %v %v", s, d, back, codes(is))
		}
	})
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0371-67891234转123", "(010)67891234", "0371-6789123-12", "转", "+86", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		norm, issues := CheckPhone(s)
		if HasError(issues) {
			if norm != "" {
				t.Fatalf("CheckPhone(%q) = %q with issues", s, norm)
			}
			return
		}
		if again, is := CheckPhone(norm); again != norm || is != nil {
			t.Fatalf("CheckPhone(%q) = %q, but CheckPhone(%q) = %q %v", s, norm, norm, again, codes(is))
		}
		if !utf8.ValidString(norm) {
			t.Fatalf("CheckPhone(%q) = invalid UTF-8 %q", s, norm)
		}
	})
}

// FuzzMask checks that masks never panic, keep the normalised length and
// never show a value whole.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"", "1", "张", "11010519491231002X", "６２２８\u3000", "\xff", "欧阳", "0000*0000", "ɘ."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, acct, name := MaskID(s), MaskAccount(s), MaskName(s)
		if n := utf8.RuneCountInString(NormalizeID(s)); utf8.RuneCountInString(id) != n {
			t.Errorf("MaskID(%q) = %q: length changed", s, id)
		}
		if n := utf8.RuneCountInString(NormalizeAccount(s)); utf8.RuneCountInString(acct) != n {
			t.Errorf("MaskAccount(%q) = %q: length changed", s, acct)
		}
		// A value already holding stars may legitimately look unchanged.
		if n := NormalizeID(s); n != "" && id == n && !strings.Contains(n, "*") {
			t.Errorf("MaskID(%q) shows it whole", s)
		}
		if n := NormalizeAccount(s); n != "" && acct == n && !strings.Contains(n, "*") {
			t.Errorf("MaskAccount(%q) shows it whole", s)
		}
		if n := trimBlank(s); n != "" && name == n && utf8.ValidString(n) && !strings.Contains(n, "*") {
			t.Errorf("MaskName(%q) shows it whole", s)
		}
	})
}
