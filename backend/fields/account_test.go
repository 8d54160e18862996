package fields

import "testing"

func TestCheckAccount(t *testing.T) {
	tests := []struct {
		name, in, norm string
		want           []string
	}{
		{"19-digit card", "6222021234567890128", "6222021234567890128", nil},
		{"16-digit card", "6228480012345671", "6228480012345671", nil},
		{"18-digit card", "621700123456789011", "621700123456789011", nil},
		{"grouped with spaces", "6222 0212 3456 7890 128", "6222021234567890128", nil},
		{"grouped with dashes", "6228-4800-1234-5671", "6228480012345671", nil},
		{"full-width and ideographic space", "６２２８\u3000４８００１２３４５６７１", "6228480012345671", nil},
		{"Luhn failure is a warning", "6222021234567890120", "6222021234567890120", []string{"account_luhn!"}},
		{"16-digit Luhn failure", "6228480012345679", "6228480012345679", []string{"account_luhn!"}},
		{"15-digit passbook, no Luhn", "101234567890123", "101234567890123", nil},
		{"12-digit passbook", "123456789012", "123456789012", nil},
		{"11 digits", "12345678901", "12345678901", []string{"account_length"}},
		{"20 digits", "62220212345678901280", "62220212345678901280", []string{"account_length"}},
		{"letter", "62220212345678901A8", "62220212345678901A8", []string{"account_chars"}},
		{"dot", "6222021234567890.128", "6222021234567890.128", []string{"account_chars"}},
		{"empty", "", "", []string{"account_empty"}},
		{"only separators", " - - ", "", []string{"account_empty"}},
		{"scientific", "6.22202E+18", "6.22202E+18", []string{"account_numeric_cell"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			norm, issues := CheckAccount(tt.in)
			if norm != tt.norm {
				t.Errorf("normalized %q, want %q", norm, tt.norm)
			}
			checkIssues(t, tt.in, issues, tt.want)
		})
	}
}

func TestCheckAccountCell(t *testing.T) {
	tests := []struct {
		name, in string
		numeric  bool
		want     []string
	}{
		{"16 digits from numeric cell", "6228480012345600", true, []string{"account_numeric_cell"}},
		{"19 digits from numeric cell", "6222021234567890000", true, []string{"account_numeric_cell"}},
		{"scientific from numeric cell", "6.22202123456789E+18", true, []string{"account_numeric_cell"}},
		{"15-digit passbook from numeric cell is intact", "101234567890123", true, nil},
		{"15 digits with .0 from numeric cell", "101234567890123.0", true, nil},
		{"16 digits from text cell", "6228480012345671", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, issues := CheckAccountCell(tt.in, tt.numeric)
			checkIssues(t, tt.in, issues, tt.want)
		})
	}
}

func TestLuhn(t *testing.T) {
	for in, want := range map[string]bool{
		"79927398713":      true, // the textbook example
		"79927398710":      false,
		"0":                true,
		"4111111111111111": true,
		"4111111111111112": false,
	} {
		if got := luhnOK(in); got != want {
			t.Errorf("luhnOK(%q) = %v, want %v", in, got, want)
		}
	}
}
