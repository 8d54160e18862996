package fields

import (
	"testing"
	"time"
)

// testNow pins "today" for birth-date checks: 2026-06-15 in Beijing.
var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, chinaTime)

func TestCheckID(t *testing.T) {
	tests := []struct {
		name, in, norm string
		want           []string
	}{
		{"GB 11643 example with X", "11010519491231002X", "11010519491231002X", nil},
		{"GB 11643 example born 1880 warns", "440524188001010014", "440524188001010014", []string{"id_birth_old!"}},
		{"15-digit legacy", "130503670401001", "130503670401001", []string{"id_legacy!"}},
		{"lowercase x", "11010519491231002x", "11010519491231002X", nil},
		{"full-width digits and X", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", nil},
		{"full-width lowercase x", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", nil},
		{"spaces around and inside", " 110105 19491231 002X\u3000", "11010519491231002X", nil},
		{"zero-width space and BOM", "\ufeff11010519491231002X\u200b", "11010519491231002X", nil},
		{"29 Feb 2000 valid", "110105200002291235", "110105200002291235", nil},
		{"29 Feb 1900 invalid", "110105190002291239", "110105190002291239", []string{"id_birth_date"}},
		{"29 Feb 2023 invalid", "110105202302291236", "110105202302291236", []string{"id_birth_date"}},
		{"month 13", "110105194913010010", "110105194913010010", []string{"id_birth_date"}},
		{"day 00", "110105194912000010", "110105194912000010", []string{"id_birth_date", "id_checksum"}},
		{"future birth date", "110105299901011236", "110105299901011236", []string{"id_birth_date"}},
		{"born 1799", "110105179912311238", "110105179912311238", []string{"id_birth_date"}},
		{"older than 110 warns", "110105191501011232", "110105191501011232", []string{"id_birth_old!"}},
		{"wrong checksum", "110105194912310021", "110105194912310021", []string{"id_checksum"}},
		{"swapped digits", "110105194912130020", "110105194912130020", []string{"id_checksum"}},
		{"bad province", "990105198001011231", "990105198001011231", []string{"id_region"}},
		{"foreigner permanent residence", "911015198001011235", "911015198001011235", nil},
		{"residence permit 83", "830000199001011234", "830000199001011234", nil},
		{"17 digits", "11010519491231002", "11010519491231002", []string{"id_length"}},
		{"19 digits", "1101051949123100211", "1101051949123100211", []string{"id_length"}},
		{"letter O", "11O10519491231002X", "11O10519491231002X", []string{"id_chars"}},
		{"X in the middle", "110105194X1231002X", "110105194X1231002X", []string{"id_chars"}},
		{"15 digits ending X", "13050367040100X", "13050367040100X", []string{"id_chars"}},
		{"dash inside", "110105-19491231-002X", "110105-19491231-002X", []string{"id_chars"}},
		{"empty", "", "", []string{"id_empty"}},
		{"blank", " \u3000\t", "", []string{"id_empty"}},
		{"scientific notation", "1.10105E+17", "1.10105E+17", []string{"id_numeric_cell"}},
		{"15-digit 1899-born impossible: 19YY only", "130503990229001", "130503990229001", []string{"id_birth_date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, issues := checkID(tt.in, false, testNow)
			if norm != tt.norm {
				t.Errorf("normalized %q, want %q", norm, tt.norm)
			}
			checkIssues(t, tt.in, issues, tt.want)
		})
	}
}

func TestCheckIDToday(t *testing.T) {
	// 23:30 UTC on 15 June is already 16 June in Beijing: a child born that
	// day is valid, one born the day after is not.
	now := time.Date(2026, 6, 15, 23, 30, 0, 0, time.UTC)
	born16 := "110105" + "20260616" + "123"
	born16 += string(idCheckChar(born16))
	born17 := "110105" + "20260617" + "123"
	born17 += string(idCheckChar(born17))
	if _, is := checkID(born16, false, now); len(is) != 0 {
		t.Errorf("born today (Beijing): %v", codes(is))
	}
	if _, is := checkID(born17, false, now); !slices0(codes(is), "id_birth_date") {
		t.Errorf("born tomorrow: %v", codes(is))
	}
}

func slices0(got []string, want string) bool { return len(got) == 1 && got[0] == want }

func TestCheckIDPublic(t *testing.T) {
	// The exported wrapper uses the real clock; the examples stay valid.
	for _, id := range []string{"11010519491231002X", "130503670401001"} {
		if _, is := CheckID(id); HasError(is) {
			t.Errorf("%s: %v", id, codes(is))
		}
	}
}

func TestCheckIDCell(t *testing.T) {
	tests := []struct {
		name, in string
		numeric  bool
		norm     string
		want     []string
	}{
		{"18 digits from numeric cell", "110105194912310000", true, "110105194912310000", []string{"id_numeric_cell"}},
		{"18 digits incl. valid checksum from numeric cell", "110105194901011235", true, "110105194901011235", []string{"id_numeric_cell"}},
		{"scientific from numeric cell", "1.10105194912310E+17", true, "1.10105194912310E+17", []string{"id_numeric_cell"}},
		{"scientific lower-case e, text cell", "1.10105e17", false, "1.10105e17", []string{"id_numeric_cell"}},
		{"15 digits from numeric cell are intact", "130503670401001", true, "130503670401001", []string{"id_legacy!"}},
		{"15 digits with .0 from numeric cell", "130503670401001.0", true, "130503670401001", []string{"id_legacy!"}},
		{"18 digits from text cell", "11010519491231002X", false, "11010519491231002X", nil},
		{"16 digits from numeric cell", "1101051949123100", true, "1101051949123100", []string{"id_numeric_cell"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, issues := CheckIDCell(tt.in, tt.numeric)
			if norm != tt.norm {
				t.Errorf("normalized %q, want %q", norm, tt.norm)
			}
			checkIssues(t, tt.in, issues, tt.want)
			for _, is := range issues {
				if is.Code == CodeIDNumericCell && !contains(is.Message, "15 位有效数字") {
					t.Errorf("numeric-cell message does not explain: %s", is.Message)
				}
			}
		})
	}
}

func TestNormalizeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002x", "11010519491231002X"},
		{" 11010519491231002X ", "11010519491231002X"},
		{"１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"},
		{"110105\u00a019491231002X", "11010519491231002X"},
		{"", ""},
		{"abc", "abc"},
	}
	for _, tt := range tests {
		if got := NormalizeID(tt.in); got != tt.want {
			t.Errorf("NormalizeID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIDBirthDate(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"11010519491231002X", "1949-12-31", true},
		{"11010519491231002x", "1949-12-31", true},
		{"130503670401001", "1967-04-01", true},
		{"440524188001010014", "1880-01-01", true},
		{"110105200002291235", "2000-02-29", true},
		{"110105190002291239", "", false},
		{"110105194913010010", "", false},
		{"1101051949123100", "", false},
		{"", "", false},
		{"11010519491231002Y", "", false},
	}
	for _, tt := range tests {
		got, ok := IDBirthDate(tt.in)
		if ok != tt.wantOK || ok && got.Format(time.DateOnly) != tt.want {
			t.Errorf("IDBirthDate(%q) = %v, %v; want %s, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
		if ok && (got.Location() != time.UTC || got.Hour() != 0) {
			t.Errorf("IDBirthDate(%q) = %v, want UTC midnight", tt.in, got)
		}
	}
}

func TestIDMale(t *testing.T) {
	tests := []struct {
		in           string
		male, wantOK bool
	}{
		{"11010519491231002X", false, true}, // sequence 002
		{"440524188001010014", true, true},  // sequence 001
		{"130503670401001", true, true},     // sequence 001
		{"130503670401002", false, true},
		{"11010519491231002", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		male, ok := IDMale(tt.in)
		if male != tt.male || ok != tt.wantOK {
			t.Errorf("IDMale(%q) = %v, %v; want %v, %v", tt.in, male, ok, tt.male, tt.wantOK)
		}
	}
}

func TestUpgradeID15(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"130503670401001", "130503196704010016", true},
		{" １３０５０３６７０４０１００１ ", "130503196704010016", true},
		{"11010519491231002X", "", false},
		{"13050367040100X", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := UpgradeID15(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("UpgradeID15(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok {
			if _, is := checkID(got, false, testNow); len(is) != 0 {
				t.Errorf("upgraded %q does not validate: %v", got, codes(is))
			}
		}
	}
}
