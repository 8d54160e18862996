package audit

import (
	"encoding/json"
	"testing"
)

func TestMaskText(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"batch:12":            "batch:12",
		"11010519491231002X":  "110***********002X",
		"11010519491231002x":  "110***********002x",
		"110105194912310021":  "110***********0021",
		"110105491231002":     "110********1002", // legacy 15-digit
		"13812345678":         "138****5678",     // phone
		"1381234567":          "1381234567",      // 10 digits: an amount in fen, kept
		"6228480402564890018": "622************0018",
		"6222 0212 3456 7890": "622* **** **** 7890",
		"6222-0212-3456-7890": "622*-****-****-7890",
		"2026-01-01 12:00":    "2026-01-01 12:00",
		"100 200 300 400":     "100 200 300 400", // grouped, but only 12 digits
		"身份证１１０１０５１９４９１２３１００２Ｘ":                          "身份证１１０***********００２Ｘ",
		"行 3：11010519491231002X 与 110105194912310021 重复": "行 3：110***********002X 与 110***********0021 重复",
		"ids 1234567890123456789012345":                  "ids 123******************2345",
		"110105194912310021X":                            "110***********0021X", // X after 18 digits is not a check char
	} {
		if got := MaskText(in); got != want {
			t.Errorf("MaskText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"id_number":"11010519491231002X","amount":12000}`: `{"amount":12000,"id_number":"110***********002X"}`,
		`[6228480402564890018, 1.5, true, null, "张*"]`:      `["622************0018",1.5,true,null,"张*"]`,
		`{"13812345678":{"note":"<a&b> 13812345678"}}`:      `{"138****5678":{"note":"<a&b> 138****5678"}}`,
		`null`:                               `null`,
		` "x" `:                              `"x"`,
		`{"amount":12345678901234567890123}`: `{"amount":"123****************0123"}`,
	} {
		got, err := MaskJSON(json.RawMessage(in))
		if err != nil || string(got) != want {
			t.Errorf("MaskJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if got, err := MaskJSON(nil); got != nil || err != nil {
		t.Errorf("MaskJSON(nil) = %s, %v", got, err)
	}
	for _, bad := range []string{``, `{`, `{} {}`, `01`} {
		if _, err := MaskJSON(json.RawMessage(bad)); err == nil {
			t.Errorf("MaskJSON(%q) accepted", bad)
		}
	}
}
