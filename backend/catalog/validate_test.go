package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"caiji/backend/fields"
	"caiji/backend/regions"
)

// idWith computes the GB 11643 check character for 17 digits.
func idWith(first17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

// luhnWith appends the Luhn check digit.
func luhnWith(body string) string { return body + string(fields.LuhnCheckDigit(body)) }

var (
	goodID      = idWith("41010219800101123")
	otherID     = idWith("41010219900202234")
	goodAccount = luhnWith("622202123456789012")
)

func roster(t testing.TB) Dataset {
	t.Helper()
	d, ok := mustLoad(t).Get("msj_roster")
	if !ok {
		t.Fatal("no msj_roster")
	}
	return d
}

func validRow() map[string]string {
	return map[string]string{
		"name": "张三", "id_number": goodID, "account": goodAccount, "bank": "某县农村信用社城关分社",
		"amount": "1,234.50", "village_code": "410102001002", "project_code": "MS2026001",
		"phone": "13812345678", "remark": "",
	}
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func summary(is []RowIssue) string {
	var s []string
	for _, i := range is {
		s = append(s, fmt.Sprintf("%d:%s:%s:%s", i.Row, i.Field, i.Code, i.Severity))
	}
	return strings.Join(s, " ")
}

func TestValidateRoster(t *testing.T) {
	d := roster(t)
	badChecksum := goodID[:17] + map[bool]string{true: "1", false: "0"}[goodID[17] == '0']
	badLuhn := goodAccount[:18] + strconv.Itoa((int(goodAccount[18]-'0')+1)%10)
	cases := []struct {
		name string
		rows []map[string]string
		want string // summary of issues
	}{
		{"valid", []map[string]string{validRow()}, ""},
		{"valid with optional fields blank or absent", []map[string]string{with(validRow(), "phone", "\x00", "remark", "  ")}, ""},
		{"missing required", []map[string]string{with(validRow(), "name", " ", "amount", "\x00")},
			"1:name:required:error 1:amount:required:error"},
		{"bad ID checksum", []map[string]string{with(validRow(), "id_number", badChecksum)}, "1:id_number:id_checksum:error"},
		{"Luhn failure is a warning", []map[string]string{with(validRow(), "account", badLuhn)}, "1:account:account_luhn:warning"},
		{"negative money", []map[string]string{with(validRow(), "amount", "-100")}, "1:amount:money_negative:error"},
		{"money decimals", []map[string]string{with(validRow(), "amount", "1.005")}, "1:amount:money_decimals:error"},
		{"duplicate ID", []map[string]string{validRow(), with(validRow(), "id_number", otherID), with(validRow(), "name", "李四")},
			"3:id_number:duplicate:error"},
		{"same ID other project is fine", []map[string]string{validRow(), with(validRow(), "project_code", "MS2026002")}, ""},
		{"unknown field", []map[string]string{with(validRow(), "zz_extra", "x", "aa_extra", "y")},
			"1:aa_extra:unknown_field:error 1:zz_extra:unknown_field:error"},
		{"village code length", []map[string]string{with(validRow(), "village_code", "41010200100")}, "1:village_code:region12:error"},
		{"village code chars", []map[string]string{with(validRow(), "village_code", "41010200100A")}, "1:village_code:region12:error"},
		{"village in the list", []map[string]string{with(validRow(), "village_code", "110105001024")}, ""},
		{"village not in the list, town is", []map[string]string{with(validRow(), "village_code", "410102001001")},
			"1:village_code:region_village_unlisted:warning"},
		{"village and town unknown", []map[string]string{with(validRow(), "village_code", "410102999001")},
			"1:village_code:region_unknown:error"},
		{"ID from an abolished county is fine", []map[string]string{with(validRow(), "id_number", idWith("11010319800101123"))}, ""},
		{"ID from a province code is fine", []map[string]string{with(validRow(), "id_number", idWith("41000019800101123"))}, ""},
		{"ID region not in any list warns", []map[string]string{with(validRow(), "id_number", idWith("41019919800101123"))},
			"1:id_number:id_region_unknown:warning"},
		{"legacy ID region not in any list warns", []map[string]string{with(validRow(), "id_number", "410199800101123")},
			"1:id_number:id_legacy:warning 1:id_number:id_region_unknown:warning"},
		{"invalid ID: no region warning on top", []map[string]string{with(validRow(), "id_number", idWith("41019919800101123")[:17]+"Z")},
			"1:id_number:id_chars:error"},
		{"bad phone", []map[string]string{with(validRow(), "phone", "12345")}, "1:phone:phone_format:error"},
		{"too long", []map[string]string{with(validRow(), "remark", strings.Repeat("备", 201))}, "1:remark:too_long:error"},
		{"row numbers are 1-based", []map[string]string{validRow(), with(validRow(), "id_number", otherID, "bank", "")},
			"2:bank:required:error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := summary(d.Validate(tc.rows)); got != tc.want {
				t.Errorf("issues = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDuplicateNamesFirstRow(t *testing.T) {
	d := roster(t)
	lower := with(validRow(), "id_number", strings.ToLower(goodID)) // x vs X is the same person
	is := d.Validate([]map[string]string{validRow(), with(validRow(), "id_number", otherID), with(validRow(), "id_number", " "+goodID), lower})
	if len(is) != 2 || is[0].Row != 3 || is[1].Row != 4 {
		t.Fatalf("issues = %s", summary(is))
	}
	for _, i := range is {
		if i.Code != CodeDuplicate || !strings.Contains(i.Message, "第 1 行") || !strings.Contains(i.Message, "身份证号") {
			t.Errorf("duplicate message %q should name row 1 and 身份证号", i.Message)
		}
	}
	if !HasError(is) {
		t.Error("duplicates must be errors")
	}
}

func TestValidateEnumIntegerRegion6(t *testing.T) {
	c := mustLoad(t)
	hh, _ := c.Get("fp_household")
	row := map[string]string{"name": "王五", "id_number": goodID, "village_code": "410102001002", "household_size": "4",
		"status": "已脱贫", "cause": "illness", "identified_date": "2016年3月1日"}
	if is := hh.Validate([]map[string]string{row}); len(is) != 0 {
		t.Fatalf("valid household: %s", summary(is))
	}
	bad := with(row, "status", "脱贫了", "household_size", "3.5", "identified_date", "2016-02-30")
	got := summary(hh.Validate([]map[string]string{bad}))
	if want := "1:household_size:integer:error 1:status:enum:error 1:identified_date:date_invalid:error"; got != want {
		t.Errorf("issues = %q, want %q", got, want)
	}
	is := hh.Validate([]map[string]string{bad})
	if !strings.Contains(is[1].Message, "已脱贫") {
		t.Errorf("enum message %q should list the allowed labels", is[1].Message)
	}

	pol, _ := c.Get("fp_policy")
	prow := map[string]string{"policy_no": "豫政办〔2026〕8号", "title": "关于做好产业帮扶的通知", "category": "产业帮扶",
		"issuer": "某县人民政府办公室", "issue_date": "2026-03-01", "region": "4101020", "summary": "要点"}
	if got := summary(pol.Validate([]map[string]string{prow})); got != "1:region:region6:error" {
		t.Errorf("region6 issues = %q", got)
	}
}

func TestValidateRegion6(t *testing.T) {
	pol, _ := mustLoad(t).Get("fp_policy")
	prow := map[string]string{"policy_no": "豫政办〔2026〕8号", "title": "关于做好产业帮扶的通知", "category": "产业帮扶",
		"issuer": "某县人民政府办公室", "issue_date": "2026-03-01", "region": "410102", "summary": "要点"}
	cases := []struct {
		region, want string
		msgHas       []string
	}{
		{"410102", "", nil},
		{"110105", "", nil},
		{"110103", "1:region:region_abolished:warning", []string{"北京市崇文区", "撤销", "2009 年 12 月版", "请改为"}},
		{"999999", "1:region:region_unknown:error", []string{"国家统计局2023年版", "请核对"}},
		{"410100", "1:region:region_unknown:error", []string{"不要填市或省的代码"}},
		{"4101020", "1:region:region6:error", nil},
	}
	for _, tc := range cases {
		is := pol.Validate([]map[string]string{with(prow, "region", tc.region)})
		if got := summary(is); got != tc.want {
			t.Errorf("region %s: issues = %q, want %q", tc.region, got, tc.want)
			continue
		}
		for _, m := range tc.msgHas {
			if !strings.Contains(is[0].Message, m) || strings.Contains(is[0].Message, tc.region) {
				t.Errorf("region %s: message %q should contain %q and not the code", tc.region, is[0].Message, m)
			}
		}
	}
}

func TestValidateRegion12Township(t *testing.T) {
	alloc, _ := mustLoad(t).Get("msj_indicator_allocation")
	row := map[string]string{"project_code": "MS2026001", "indicator_no": "豫财社〔2026〕1号", "allocation_no": "XD001",
		"to_region": "410102001000", "amount": "100000", "allocation_date": "2026-03-01"}
	cases := []struct {
		code, want string
		msgHas     []string
	}{
		{"410102001000", "", nil}, // 林山寨街道 as a whole
		{"410102001002", "", nil},
		{"410102001001", "1:to_region:region_village_unlisted:warning",
			[]string{"河南省郑州市中原区林山寨街道", "国家统计局2023年版", "新设立的村", "可以保存"}},
		{"410102999000", "1:to_region:region_unknown:error", []string{"乡镇也不存在"}},
	}
	for _, tc := range cases {
		is := alloc.Validate([]map[string]string{with(row, "to_region", tc.code)})
		if got := summary(is); got != tc.want {
			t.Errorf("to_region %s: issues = %q, want %q", tc.code, got, tc.want)
			continue
		}
		for _, m := range tc.msgHas {
			if !strings.Contains(is[0].Message, m) || strings.Contains(is[0].Message, tc.code) {
				t.Errorf("to_region %s: message %q should contain %q and not the code", tc.code, is[0].Message, m)
			}
		}
	}
}

// TestRegionListLoads fails loudly if the embedded list is broken: every
// region check depends on it.
func TestRegionListLoads(t *testing.T) {
	l, err := loadRegions()
	if err != nil {
		t.Fatalf("region list does not load: %v", err)
	}
	if v := l.Version(); v.Year == 0 || v.Source == "" {
		t.Fatalf("region list version %+v", v)
	}
}

// TestRegionListBroken: if the list could not load, region and ID cells
// are blocked with an error that says it is a program fault, never let
// through unchecked.
func TestRegionListBroken(t *testing.T) {
	saved := loadRegions
	t.Cleanup(func() { loadRegions = saved })
	loadRegions = func() (*regions.List, error) { return nil, errors.New("corrupt") }
	got := summary(roster(t).Validate([]map[string]string{validRow()}))
	if want := "1:id_number:region_unavailable:error 1:village_code:region_unavailable:error"; got != want {
		t.Errorf("issues = %q, want %q", got, want)
	}
	pol, _ := mustLoad(t).Get("fp_policy")
	is := pol.Validate([]map[string]string{{"policy_no": "1", "title": "t", "category": "产业帮扶", "issuer": "i",
		"issue_date": "2026-03-01", "region": "410102", "summary": "s"}})
	if got := summary(is); got != "1:region:region_unavailable:error" || !strings.Contains(is[0].Message, "技术支持") {
		t.Errorf("issues = %q %v", got, is)
	}
}

func TestMessagesNeverContainValues(t *testing.T) {
	d := roster(t)
	badChecksum := goodID[:17] + map[bool]string{true: "1", false: "0"}[goodID[17] == '0']
	rows := []map[string]string{
		with(validRow(), "id_number", badChecksum, "account", goodAccount[:18]+"0"),
		with(validRow(), "id_number", badChecksum, "account", "62220212345"),
		with(validRow(), "id_number", goodID[:16]),
		with(validRow(), "account", "6222a21234567890123"),
		validRow(), validRow(),
		with(validRow(), "village_code", goodID),  // an ID pasted into the wrong column
		with(validRow(), "remark", goodID+"多余内容"), // …or into a text field
		with(validRow(), "village_code", "410102001001", "id_number", idWith("41019919800101123")),
		with(validRow(), "village_code", "410102999001"),
	}
	is := d.Validate(rows)
	if len(is) < 11 {
		t.Fatalf("expected issues on every row, got %s", summary(is))
	}
	for _, i := range is {
		for _, secret := range []string{goodID, badChecksum, goodID[:16], goodID[:12], goodAccount[:12], "62220212345", "6222a2",
			"410102001001", "410102999001", "410199"} {
			if strings.Contains(i.Message, secret) {
				t.Errorf("row %d %s: message %q contains a raw value", i.Row, i.Code, i.Message)
			}
		}
		if i.Message == "" || !hasHanT(i.Message) {
			t.Errorf("row %d %s: message %q is not Chinese", i.Row, i.Code, i.Message)
		}
	}
}

// TestValidateAllDatasetsEmptyRow checks every dataset end to end: an empty
// row reports exactly its required fields.
func TestValidateAllDatasetsEmptyRow(t *testing.T) {
	for _, d := range mustLoad(t).Datasets() {
		want := 0
		for _, f := range d.Fields {
			if f.Required {
				want++
			}
		}
		is := d.Validate([]map[string]string{{}})
		if len(is) != want {
			t.Errorf("%s: %d issues for an empty row, want %d: %s", d.Code, len(is), want, summary(is))
		}
		for _, i := range is {
			if i.Code != CodeRequired || i.Severity != "error" {
				t.Errorf("%s: unexpected %s", d.Code, summary([]RowIssue{i}))
			}
		}
	}
}

func rosterRows(n int) []map[string]string {
	rows := make([]map[string]string, n)
	for i := range rows {
		// Distinct IDs: 1000 sequence numbers per birth day from 1950-01-01.
		day := 1 + i/1000%28
		month := 1 + i/28000%12
		first17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1950+i/336000, month, day, i%1000)
		rows[i] = map[string]string{
			"name": "张三", "id_number": idWith(first17), "account": luhnWith(fmt.Sprintf("622202%012d", i)),
			"bank": "某县农村信用社城关分社", "amount": strconv.Itoa(100+i%900) + ".50", "village_code": "410102001002",
			"project_code": "MS2026001", "phone": "13812345678",
		}
	}
	return rows
}

func TestGeneratedRosterValid(t *testing.T) {
	if is := roster(t).Validate(rosterRows(5000)); len(is) != 0 {
		t.Fatalf("generated rows have issues: %s", summary(is[:min(len(is), 5)]))
	}
}

// BenchmarkValidateRoster100k validates a whole roster of 100,000 valid
// rows per op.
func BenchmarkValidateRoster100k(b *testing.B) {
	d := roster(b)
	rows := rosterRows(100_000)
	if is := d.Validate(rows); len(is) != 0 {
		b.Fatalf("generated rows have issues: %s", summary(is[:min(len(is), 5)]))
	}
	b.ReportAllocs()
	for b.Loop() {
		d.Validate(rows)
	}
}
