package catalog

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"caiji/backend/apperr"
)

// Rows of a small, consistent world: one project (100,000.00 元), one
// indicator source (60,000.00), one allocation (30,000.00), one
// disbursement (20,000.00), one expenditure (10,000.00).

func projectRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "project_name": "2026年城乡低保", "fund_category": "社会救助",
		"county_code": "410102", "department": "某县民政局", "total_amount": "100,000.00",
		"start_date": "2026-01-01", "end_date": "2026-12-31",
	}
}

func sourceRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "indicator_no": "豫财社〔2026〕12号", "source_level": "province",
		"amount": "60000", "issue_date": "2026-01-10",
	}
}

func allocRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "indicator_no": "豫财社〔2026〕12号", "allocation_no": "某财社〔2026〕3号",
		"to_region": "410102001000", "amount": "30000", "allocation_date": "2026-01-20",
	}
}

func disbRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "voucher_no": "PZ001", "payee": "某镇财政所", "payee_account": goodAccount,
		"amount": "20000", "pay_date": "2026-02-01", "pay_method": "treasury",
	}
}

func publicityRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "title": "2026年低保对象公示", "place": "某村村务公开栏",
		"method": "notice_board", "start_date": "2026-02-01", "end_date": "2026-02-07",
		"objections": "0", "result": "无异议",
	}
}

func expenditureRow() map[string]string {
	return map[string]string{
		"project_code": "MS2026001", "voucher_no": "JZ001", "item": "发放 2026 年 2 月低保金",
		"payee": "某镇财政所", "amount": "10000", "pay_date": "2026-02-05",
	}
}

func incomeRow() map[string]string {
	return map[string]string{
		"village_code": "410102001002", "voucher_no": "1", "entry_date": "2026-01-05",
		"category": "contract", "summary": "2026 年鱼塘承包费", "amount": "5000",
	}
}

func expenseRow() map[string]string {
	return map[string]string{
		"village_code": "410102001002", "voucher_no": "2", "entry_date": "2026-01-06", "category": "admin",
		"summary": "村道路灯维修", "payee": "某电器行", "amount": "800", "approver": "李四", "voucher": "att-1",
	}
}

func householdRow() map[string]string {
	return map[string]string{
		"name": "王五", "id_number": goodID, "village_code": "410102001002", "household_size": "3",
		"status": "已脱贫", "cause": "illness", "identified_date": "2016-03-01", "exit_date": "2019-12-01",
	}
}

func world() MapSource {
	return MapSource{
		"msj_project":              {projectRow()},
		"msj_indicator_source":     {sourceRow()},
		"msj_indicator_allocation": {allocRow()},
		"msj_disbursement":         {disbRow()},
		"msj_expenditure":          {expenditureRow()},
	}
}

// worldWith replaces the rows of one dataset in a fresh world.
func worldWith(ds string, rows ...map[string]string) MapSource {
	w := world()
	w[ds] = rows
	return w
}

func rows(rs ...map[string]string) []map[string]string { return rs }

// checkCounting is CheckRules that also reports how many evaluations
// failed: a shipped rule must never fail on ordinary data.
func checkCounting(t *testing.T, c *Catalog, d Dataset, rs []map[string]string, src Source) []RowIssue {
	t.Helper()
	progs := make([]*compiledRule, len(d.Rules))
	for i := range d.Rules {
		progs[i] = d.Rules[i].prog
		if progs[i] == nil {
			t.Fatalf("%s: rule %s not compiled by Load", d.Code, d.Rules[i].Code)
		}
	}
	r := newRuleRun(c, d, rs, src)
	out, err := r.run(progs)
	if err != nil {
		t.Fatalf("%s: %v", d.Code, err)
	}
	if r.evalErrs != 0 {
		t.Errorf("%s: %d rule evaluations failed", d.Code, r.evalErrs)
	}
	return out
}

func ruleSummary(is []RowIssue) string {
	var s []string
	for _, i := range is {
		s = append(s, fmt.Sprintf("%d:%s:%s", i.Row, i.Code, i.Severity))
	}
	return strings.Join(s, " ")
}

type ruleCase struct {
	name string
	ds   string
	rows []map[string]string
	src  Source
	want string // "row:code:severity …" of CheckRules, exactly
}

func shippedRuleCases() []ruleCase {
	w := world()
	p, s, a, db := projectRow(), sourceRow(), allocRow(), disbRow()
	pub, ex, inc, exp, hh, ro := publicityRow(), expenditureRow(), incomeRow(), expenseRow(), householdRow(), validRow()
	return []ruleCase{
		// Valid examples: no rule fires.
		{"project ok", "msj_project", rows(p), w, ""},
		{"project open-ended", "msj_project", rows(with(p, "end_date", "")), w, ""},
		{"source ok", "msj_indicator_source", rows(s), w, ""},
		{"allocation ok", "msj_indicator_allocation", rows(a), w, ""},
		{"allocation exactly the source", "msj_indicator_allocation",
			rows(with(a, "amount", "20000"), with(a, "to_region", "410102002000", "amount", "40000")), w, ""},
		{"disbursement ok", "msj_disbursement", rows(db), w, ""},
		{"disbursement exactly allocated", "msj_disbursement",
			rows(with(db, "amount", "10000"), with(db, "voucher_no", "PZ002", "amount", "20000")), w, ""},
		{"roster ok", "msj_roster", rows(ro), w, ""},
		{"roster without disbursements", "msj_roster", rows(with(ro, "amount", "999999")),
			worldWith("msj_disbursement"), ""},
		{"publicity ok", "msj_publicity", rows(pub), w, ""},
		{"publicity objections handled", "msj_publicity", rows(with(pub, "objections", "2", "result", "resolved")), w, ""},
		{"publicity objections not counted", "msj_publicity", rows(with(pub, "objections", "", "result", "resolved")), w, ""},
		{"expenditure ok", "msj_expenditure", rows(ex), w, ""},
		{"income ok", "cwgk_income", rows(inc), nil, ""},
		{"expense ok", "cwgk_expense", rows(exp), nil, ""},
		{"household exited", "fp_household", rows(hh), nil, ""},
		{"household in poverty", "fp_household", rows(with(hh, "status", "未脱贫", "exit_date", "")), nil, ""},
		{"household returned", "fp_household", rows(with(hh, "status", "returned")), nil, ""},

		// msj_project
		{"end before start", "msj_project", rows(with(p, "end_date", "2025-12-31")), w, "1:end_date_before_start:error"},
		{"project amount zero", "msj_project", rows(with(p, "total_amount", "0")), w,
			"1:amount_zero:warning 1:sources_exceed_project_total:warning"},
		{"sources exceed project", "msj_project", rows(with(p, "total_amount", "50000")), w,
			"1:sources_exceed_project_total:warning"},

		// msj_indicator_source
		{"source without project", "msj_indicator_source", rows(with(s, "project_code", "MS9999")), w, "1:project_missing:error"},
		{"source amount zero", "msj_indicator_source", rows(with(s, "amount", "0.00")), w, "1:amount_zero:warning"},

		// msj_indicator_allocation
		{"allocation without source", "msj_indicator_allocation", rows(with(a, "indicator_no", "豫财社〔2026〕99号")), w,
			"1:source_missing:error"},
		{"allocation other project", "msj_indicator_allocation", rows(with(a, "project_code", "MS2026002")), w,
			"1:allocation_project_mismatch:error"},
		{"allocations exceed source, reported once", "msj_indicator_allocation",
			rows(with(a, "amount", "40000"), with(a, "to_region", "410102002000", "amount", "40000"),
				with(a, "to_region", "410102003000", "amount", "1")), w,
			"1:allocation_exceeds_source:error"},
		{"allocation before source", "msj_indicator_allocation", rows(with(a, "allocation_date", "2026-01-05")), w,
			"1:allocation_before_source:warning"},
		{"allocation zero", "msj_indicator_allocation", rows(with(a, "amount", "0")), w, "1:amount_zero:warning"},

		// msj_disbursement
		{"disbursement without project", "msj_disbursement", rows(with(db, "project_code", "MS9999")), w,
			"1:project_missing:error"},
		{"disbursement zero", "msj_disbursement", rows(with(db, "amount", "0")), w, "1:amount_zero:error"},
		{"disbursed exceeds allocated, reported once", "msj_disbursement",
			rows(with(db, "amount", "20000"), with(db, "voucher_no", "PZ002", "amount", "20000")), w,
			"1:disbursed_exceeds_allocated:error"},
		{"disbursed without allocation", "msj_disbursement", rows(db, with(db, "voucher_no", "PZ002")),
			worldWith("msj_indicator_allocation"), "1:disbursed_without_allocation:warning"},
		{"disbursed exceeds project total", "msj_disbursement", rows(db),
			worldWith("msj_project", with(p, "total_amount", "10000")), "1:disbursed_exceeds_project_total:warning"},
		{"disbursed before project start", "msj_disbursement", rows(with(db, "pay_date", "2025-12-01")), w,
			"1:pay_before_project_start:warning"},

		// msj_roster
		{"roster without project", "msj_roster", rows(with(ro, "project_code", "MS9999")), w, "1:project_missing:error"},
		{"roster zero", "msj_roster", rows(with(ro, "amount", "0")), w, "1:amount_zero:warning"},
		{"roster exceeds disbursed, reported once", "msj_roster",
			rows(with(ro, "amount", "15000"), with(ro, "id_number", otherID, "amount", "5000.01")), w,
			"1:roster_exceeds_disbursed:error"},
		{"roster village in another county", "msj_roster", rows(with(ro, "village_code", "110105001024")), w,
			"1:village_outside_county:warning"},

		// msj_publicity
		{"publicity without project", "msj_publicity", rows(with(pub, "project_code", "MS9999")), w, "1:project_missing:error"},
		{"publicity ends before start", "msj_publicity", rows(with(pub, "end_date", "2026-01-31")), w,
			"1:end_date_before_start:error"},
		{"publicity six days", "msj_publicity", rows(with(pub, "end_date", "2026-02-06")), w, "1:publicity_too_short:warning"},
		{"objections but no objection", "msj_publicity", rows(with(pub, "objections", "2")), w,
			"1:objections_result_mismatch:warning"},
		{"no objections but pending", "msj_publicity", rows(with(pub, "result", "有异议待处理")), w,
			"1:objections_result_mismatch:warning"},

		// msj_expenditure
		{"expenditure without project", "msj_expenditure", rows(with(ex, "project_code", "MS9999")), w, "1:project_missing:error"},
		{"expenditure zero", "msj_expenditure", rows(with(ex, "amount", "0")), w, "1:amount_zero:error"},
		{"expenditure exceeds disbursed", "msj_expenditure",
			rows(ex, with(ex, "voucher_no", "JZ002", "amount", "10000.01")), w, "1:expenditure_exceeds_disbursed:warning"},
		{"expenditure before project start", "msj_expenditure", rows(with(ex, "pay_date", "2025-12-31")), w,
			"1:pay_before_project_start:warning"},

		// village finance
		{"income zero", "cwgk_income", rows(with(inc, "amount", "0")), nil, "1:amount_zero:error"},
		{"expense zero", "cwgk_expense", rows(with(exp, "amount", "0")), nil, "1:amount_zero:error"},
		{"expense approved by payee", "cwgk_expense", rows(with(exp, "approver", "某电器行")), nil,
			"1:approver_is_payee:warning"},

		// fp_household
		{"exited without date", "fp_household", rows(with(hh, "exit_date", "")), nil, "1:exit_date_missing:error"},
		{"in poverty with exit date", "fp_household", rows(with(hh, "status", "in_poverty")), nil,
			"1:exit_date_not_exited:warning"},
		{"exit before identification", "fp_household", rows(with(hh, "exit_date", "2015-01-01")), nil,
			"1:exit_before_identified:error"},
		{"household of nobody", "fp_household", rows(with(hh, "household_size", "0")), nil, "1:household_size_zero:error"},
	}
}

// TestShippedRules: every shipped rule fires on a violating example and
// stays quiet on valid data; every example is clean for the cell checks.
func TestShippedRules(t *testing.T) {
	c := mustLoad(t)
	fired := map[string]bool{}
	for _, tc := range shippedRuleCases() {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := c.Get(tc.ds)
			if !ok {
				t.Fatalf("no dataset %s", tc.ds)
			}
			cell := d.Validate(tc.rows)
			if HasError(cell) {
				t.Fatalf("example rows fail the cell checks: %s", summary(cell))
			}
			got := checkCounting(t, c, d, tc.rows, tc.src)
			if s := ruleSummary(got); s != tc.want {
				t.Errorf("issues = %q, want %q", s, tc.want)
			}
			all, err := d.ValidateAll(c, tc.rows, tc.src)
			if err != nil || len(all) != len(cell)+len(got) {
				t.Errorf("ValidateAll = %s, %v; want the cell issues and %q", summary(all), err, tc.want)
			}
			for _, is := range got {
				fired[tc.ds+"."+is.Code] = true
				if _, ok := d.Field(is.Field); !ok {
					t.Errorf("%s reported on unknown field %q", is.Code, is.Field)
				}
				if !hasHanT(is.Message) || strings.Contains(is.Message, "{{") || strings.Contains(is.Message, "—") {
					t.Errorf("%s: message %q", is.Code, is.Message)
				}
				for _, secret := range []string{goodID, otherID, goodAccount, "MS20", "李四", "某电器行"} {
					if strings.Contains(is.Message, secret) {
						t.Errorf("%s: message contains a cell value: %q", is.Code, is.Message)
					}
				}
			}
		})
	}
	for _, d := range c.Datasets() {
		for _, r := range d.Rules {
			if !fired[d.Code+"."+r.Code] {
				t.Errorf("shipped rule %s.%s has no violating example", d.Code, r.Code)
			}
		}
	}
	for _, want := range []string{
		"msj_roster.project_missing", "msj_roster.roster_exceeds_disbursed",
		"msj_indicator_allocation.source_missing", "msj_indicator_allocation.allocation_exceeds_source",
		"msj_disbursement.disbursed_exceeds_allocated",
	} {
		if !fired[want] {
			t.Errorf("required rule %s is not shipped", want)
		}
	}
}

func TestRuleMessageAmounts(t *testing.T) {
	c := mustLoad(t)
	d, _ := c.Get("msj_indicator_allocation")
	a := allocRow()
	is, err := d.CheckRules(c, rows(with(a, "amount", "40000"), with(a, "to_region", "410102002000", "amount", "40,000.50")), world())
	if err != nil || len(is) != 1 {
		t.Fatalf("issues = %s, %v", ruleSummary(is), err)
	}
	for _, want := range []string{"80,000.50 元", "60,000.00 元"} {
		if !strings.Contains(is[0].Message, want) {
			t.Errorf("message %q lacks %q", is[0].Message, want)
		}
	}
	if is[0].Field != "amount" || is[0].Severity != "error" {
		t.Errorf("issue = %+v", is[0])
	}
}

// TestRulesSkipBadCells: a rule never adds to a cell that its own check
// already reports (bad or required-but-empty), and a rule that tests for
// nil still skips a bad cell.
func TestRulesSkipBadCells(t *testing.T) {
	c := mustLoad(t)
	cases := []struct {
		name, ds string
		row      map[string]string
		wantCell string // the only issue code expected from ValidateAll
	}{
		{"bad amount", "msj_roster", with(validRow(), "amount", "abc"), "money_format"},
		{"negative amount", "msj_roster", with(validRow(), "amount", "-5"), "money_negative"},
		{"project code too long", "msj_roster", with(validRow(), "project_code", strings.Repeat("X", 31)), "too_long"},
		{"project code empty", "msj_roster", with(validRow(), "project_code", ""), "required"},
		{"bad village", "msj_roster", with(validRow(), "village_code", "4101030010"), "region12"},
		{"bad end date", "msj_project", with(projectRow(), "end_date", "2026-13-01"), "date_invalid"},
		{"bad exit date", "fp_household", with(householdRow(), "exit_date", "2019-02-30"), "date_invalid"},
		{"bad status", "fp_household", with(householdRow(), "status", "脱贫"), "enum"},
		{"bad objections", "msj_publicity", with(publicityRow(), "objections", "2.5"), "integer"},
		{"bad household size", "fp_household", with(householdRow(), "household_size", "三"), "integer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := c.Get(tc.ds)
			is, err := d.ValidateAll(c, rows(tc.row), world())
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, i := range is {
				found = found || i.Code == tc.wantCell
				for _, r := range d.Rules {
					if i.Code == r.Code {
						t.Errorf("rule %s fired on a row whose cell check fails", r.Code)
					}
				}
			}
			if !found {
				t.Errorf("issues = %s, want %s", summary(is), tc.wantCell)
			}
		})
	}
}

func TestRulesNilSource(t *testing.T) {
	c := mustLoad(t)
	d, _ := c.Get("msj_roster")
	// project_missing and roster_exceeds_disbursed need other datasets: skipped.
	is, err := d.CheckRules(c, rows(with(validRow(), "project_code", "MS9999", "amount", "0")), nil)
	if err != nil || ruleSummary(is) != "1:amount_zero:warning" {
		t.Errorf("nil source: %q, %v", ruleSummary(is), err)
	}
	// An empty source is a source: the project is then missing.
	is, err = d.CheckRules(c, rows(validRow()), MapSource{})
	if err != nil || ruleSummary(is) != "1:project_missing:error" {
		t.Errorf("empty source: %q, %v", ruleSummary(is), err)
	}
	// Rules over the dataset itself run without a source.
	a, _ := c.Get("msj_indicator_allocation")
	if is, err := a.CheckRules(c, rows(with(allocRow(), "amount", "0")), nil); err != nil || ruleSummary(is) != "1:amount_zero:warning" {
		t.Errorf("allocation, nil source: %q, %v", ruleSummary(is), err)
	}
	if is, err := d.CheckRules(c, nil, nil); err != nil || is != nil {
		t.Errorf("no rows: %v, %v", is, err)
	}
}

type failingSource struct{}

func (failingSource) Rows(string) ([]map[string]string, error) {
	return nil, apperr.New(apperr.StoreLocked, "数据库忙")
}

func TestRulesSourceError(t *testing.T) {
	c := mustLoad(t)
	d, _ := c.Get("msj_roster")
	_, err := d.CheckRules(c, rows(validRow()), failingSource{})
	if err == nil || !apperr.Is(err, apperr.StoreLocked) {
		t.Errorf("err = %v, want the source's StoreLocked", err)
	}
	if _, err := d.ValidateAll(c, rows(validRow()), failingSource{}); err == nil {
		t.Error("ValidateAll swallowed the source error")
	}
	if _, err := d.CheckRules(nil, rows(validRow()), nil); err == nil {
		t.Error("nil catalog accepted")
	}
}

// TestRulesSeeBatchInProgress: within the dataset being checked, the
// functions read the rows passed in, never the stored copy from the source.
func TestRulesSeeBatchInProgress(t *testing.T) {
	c := mustLoad(t)
	d, _ := c.Get("msj_indicator_allocation")
	a := allocRow()
	big := rows(with(a, "amount", "40000"), with(a, "to_region", "410102002000", "amount", "40000"))
	src := worldWith("msj_indicator_allocation", with(a, "amount", "1"))
	if is, _ := d.CheckRules(c, big, src); ruleSummary(is) != "1:allocation_exceeds_source:error" {
		t.Errorf("big batch, small stored copy: %q", ruleSummary(is))
	}
	src = worldWith("msj_indicator_allocation", big...)
	if is, _ := d.CheckRules(c, rows(a), src); len(is) != 0 {
		t.Errorf("small batch, big stored copy: %q", ruleSummary(is))
	}

	// lookup, exists and count over the batch itself, in a small catalog.
	fam := fstest.MapFS{"d/1_a.json": {Data: []byte(ruleFile(
		`{"code":"needs_boss","severity":"error","field":"x","when":"row.n != nil","assert":"exists(\"a\", \"x\", row.n)","message":"上级编号不存在"}`,
		`{"code":"boss_bigger","severity":"warning","field":"m","when":"lookup(\"a\", \"x\", row.n) != nil","assert":"lookup(\"a\", \"x\", row.n).m >= row.m","message":"金额超过上级 {{lookup(\"a\", \"x\", row.n).m}} 元"}`,
		`{"code":"one_boss","severity":"warning","field":"n","assert":"count(\"a\", \"n\", row.n) <= 2","oncePer":"n","message":"下级不能超过两个"}`,
	))}}
	cat, err := loadFS(fam, "d")
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := cat.Get("a")
	batch := rows(
		map[string]string{"x": "A", "m": "100"},
		map[string]string{"x": "B", "n": "A", "m": "50"},
		map[string]string{"x": "C", "n": "A", "m": "150.5"},
		map[string]string{"x": "D", "n": "Z", "m": "1"},
		map[string]string{"x": "E", "n": "A", "m": "1"},
	)
	is, err := ds.CheckRules(cat, batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ruleSummary(is), "2:one_boss:warning 3:boss_bigger:warning 4:needs_boss:error"; got != want {
		t.Errorf("issues = %q, want %q", got, want)
	}
	for _, i := range is {
		if i.Code == "boss_bigger" && !strings.Contains(i.Message, "100.00 元") {
			t.Errorf("message %q", i.Message)
		}
	}
}

// ruleFile is a one-dataset catalog file ("a": x text key, n text, m money)
// with the given rules.
func ruleFile(rules ...string) string {
	return `{"code":"a","name":"甲表","domain":"poverty","period":"quarterly","version":1,"key":["x"],
 "fields":[{"code":"x","label":"编号","type":"text","required":true,"maxLength":5,"help":"编号"},
  {"code":"n","label":"上级编号","type":"text","required":false,"maxLength":5,"help":"上级编号"},
  {"code":"m","label":"金额","type":"money","required":false,"help":"金额"},
  {"code":"day","label":"日期","type":"date","required":false,"help":"日期"}],
 "rules":[` + strings.Join(rules, ",") + `]}`
}

const childFile = `{"code":"b","name":"乙表","domain":"poverty","period":"quarterly","version":1,"key":["y"],
 "parent":{"dataset":"a","field":"x"},
 "fields":[{"code":"y","label":"序号","type":"text","required":true,"maxLength":5,"help":"序号"},
  {"code":"x","label":"编号","type":"text","required":true,"maxLength":5,"help":"编号"}],
 "rules":[%s]}`

func TestLoadRejectsBrokenRules(t *testing.T) {
	rule := func(assert string) string {
		return fmt.Sprintf(`{"code":"r","severity":"error","field":"x","assert":%q,"message":"有误"}`, assert)
	}
	good := rule(`row.m > 0 && sum("a", "m", "x", row.x) >= 0 && days(row.day, "2026-01-01") > 0`)
	if _, err := loadFS(fstest.MapFS{"d/1_a.json": {Data: []byte(ruleFile(good))}}, "d"); err != nil {
		t.Fatalf("good rule rejected: %v", err)
	}
	cases := []struct{ name, rule, want string }{
		{"syntax", rule(`row.m >`), "assert"},
		{"not bool", rule(`1 + 2`), "assert"},
		{"unknown row field", rule(`row.nope > 0`), `unknown field "nope"`},
		{"unknown dataset", rule(`exists("zzz", "x", row.x)`), `unknown dataset "zzz"`},
		{"unknown field of dataset", rule(`sum("a", "nope", "x", row.x) > 0`), `unknown field "nope"`},
		{"unknown by field", rule(`count("a", "nope", row.x) > 0`), `unknown field "nope"`},
		{"unknown lookup field", rule(`lookup("a", "x", row.n).nope != nil`), `unknown field "nope"`},
		{"sum of text", rule(`sum("a", "x", "x", row.x) > 0`), "not money or integer"},
		{"dataset not literal", rule(`count(row.n, "x", row.x) > 0`), "quoted dataset"},
		{"field not literal", rule(`count("a", row.n, row.x) > 0`), "quoted field"},
		{"arity", rule(`count("a", "x") > 0`), "takes 3 arguments"},
		{"parent without parent", rule(`parent() != nil`), "has no parent"},
		{"bare row", rule(`len(row) > 0`), "row may only be used"},
		{"dynamic field", rule(`row[row.n] != nil`), "written out"},
		{"env", rule(`$env.row.x != nil`), "$env"},
		{"function value", rule(`sum != nil`), "must be called"},
		{"nested field", rule(`row.x.y != nil`), "only be read from row"},
		{"unknown name", rule(`nope > 1`), "unknown name"},
		{"bad severity", strings.Replace(good, `"error"`, `"fatal"`, 1), "severity"},
		{"no severity", strings.Replace(good, `"severity":"error",`, ``, 1), "severity"},
		{"unknown issue field", strings.Replace(good, `"field":"x"`, `"field":"nope"`, 1), "unknown field"},
		{"unknown oncePer", strings.Replace(good, `"field":"x"`, `"field":"x","oncePer":"nope"`, 1), "oncePer"},
		{"bad code", strings.Replace(good, `"code":"r"`, `"code":"Bad-Code"`, 1), "snake_case"},
		{"reserved code", strings.Replace(good, `"code":"r"`, `"code":"required"`, 1), "cell checks"},
		{"english message", strings.Replace(good, `有误`, `wrong`, 1), "message"},
		{"empty assert", rule(` `), "no assert"},
		{"bad when", strings.Replace(good, `"field":"x"`, `"field":"x","when":"row.zz == 1"`, 1), "when"},
		{"unknown json key", strings.Replace(good, `"field":"x"`, `"field":"x","colour":"red"`, 1), "unknown field"},
		{"placeholder text", strings.Replace(good, `有误`, `有误 {{row.x}}`, 1), "only show amounts"},
		{"placeholder count", strings.Replace(good, `有误`, `有误 {{count(\"a\", \"x\", row.x)}}`, 1), "only show amounts"},
		{"placeholder lookup text", strings.Replace(good, `有误`, `有误 {{lookup(\"a\", \"x\", row.n).n}}`, 1), "only show amounts"},
		{"placeholder open", strings.Replace(good, `有误`, `有误 {{row.m`, 1), "without"},
		{"placeholder close", strings.Replace(good, `有误`, `有误 row.m}}`, 1), "without"},
		{"placeholder not int", strings.Replace(good, `有误`, `有误 {{row.m > 1}}`, 1), "placeholder"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadFS(fstest.MapFS{"d/1_a.json": {Data: []byte(ruleFile(tc.rule))}}, "d")
			if err == nil {
				t.Fatal("broken rule loaded")
			}
			if !apperr.Is(err, apperr.Internal) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want Internal mentioning %q", err, tc.want)
			}
		})
	}
	two := ruleFile(good, good)
	if _, err := loadFS(fstest.MapFS{"d/1_a.json": {Data: []byte(two)}}, "d"); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate rule code: %v", err)
	}

	// parent() and parent().field are checked against the parent dataset.
	for _, tc := range []struct{ rule, want string }{
		{rule(`parent() != nil && parent().m >= 0`), ""},
		{strings.Replace(rule(`parent()?.nope != nil`), `"field":"x"`, `"field":"y"`, 1), `unknown field "nope" of dataset a`},
		{rule(`lookup("b", "y", row.y) != nil`), ""},
	} {
		fam := fstest.MapFS{
			"d/1_a.json": {Data: []byte(ruleFile(good))},
			"d/2_b.json": {Data: []byte(fmt.Sprintf(childFile, tc.rule))},
		}
		_, err := loadFS(fam, "d")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.rule, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.rule, err, tc.want)
		}
	}
}

// TestRulesNilAware: a rule that compares a cell with nil sees an empty
// optional cell as nil; other rules skip the row.
func TestRulesNilAware(t *testing.T) {
	fam := fstest.MapFS{"d/1_a.json": {Data: []byte(ruleFile(
		`{"code":"need_m","severity":"error","field":"m","when":"row.n != nil","assert":"row.m != nil","message":"有上级时必须填金额"}`,
		`{"code":"m_small","severity":"warning","field":"m","assert":"row.m < 100","message":"金额过大"}`,
		`{"code":"m_default","severity":"warning","field":"m","assert":"(row.m ?? 0) < 500","message":"金额过大"}`,
	))}}
	c, err := loadFS(fam, "d")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := c.Get("a")
	is, err := d.ValidateAll(c, rows(
		map[string]string{"x": "A"},
		map[string]string{"x": "B", "n": "A"},
		map[string]string{"x": "C", "n": "A", "m": "600"},
		map[string]string{"x": "D", "m": "1,2"},
	), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(is), "2:m:need_m:error 3:m:m_small:warning 3:m:m_default:warning 4:m:money_format:error"; got != want {
		t.Errorf("issues = %q\nwant      %q", got, want)
	}
}

// TestValidateAllOrder: cell and rule issues are merged by row, then field
// order, with unknown fields last.
func TestValidateAllOrder(t *testing.T) {
	c := mustLoad(t)
	d := roster(t)
	rs := rows(
		with(validRow(), "phone", "12", "project_code", "MS9999", "amount", "0", "colour", "red"),
		with(validRow(), "id_number", otherID, "village_code", "110105001024"),
	)
	is, err := d.ValidateAll(c, rs, world())
	if err != nil {
		t.Fatal(err)
	}
	want := "1:amount:amount_zero:warning 1:project_code:project_missing:error 1:phone:phone_format:error " +
		"1:colour:unknown_field:error 2:village_code:village_outside_county:warning"
	if got := summary(is); got != want {
		t.Errorf("issues = %q\nwant      %q", got, want)
	}
}

// TestHandMadeRules: a Dataset built in code (not by Load) has its rules
// compiled on demand, and a broken one is an error, not a panic.
func TestHandMadeRules(t *testing.T) {
	c := mustLoad(t)
	d := roster(t)
	d.Rules = []Rule{{Code: "big", Severity: "warning", Field: "amount", Assert: "row.amount < 100000", Message: "金额偏大，请核对。"}}
	is, err := d.CheckRules(c, rows(with(validRow(), "amount", "1000")), nil)
	if err != nil || ruleSummary(is) != "1:big:warning" {
		t.Errorf("hand-made rule: %q, %v", ruleSummary(is), err)
	}
	d.Rules[0].Assert = "row.nope"
	if _, err := d.CheckRules(c, rows(validRow()), nil); err == nil {
		t.Error("broken hand-made rule accepted")
	}
}

func TestFnDays(t *testing.T) {
	for _, tc := range []struct {
		a, b any
		want any
	}{
		{"2026-02-01", "2026-02-07", 6},
		{"2026-02-07", "2026-02-01", -6},
		{"2024-02-28", "2024-03-01", 2},
		{"2026-03-28", "2026-03-30", 2}, // across a DST change elsewhere: still whole days
		{"2026-02-01", nil, nil},
		{"2026-02-01", "2026-2-1", nil},
	} {
		if got := fnDays(tc.a, tc.b); got != tc.want {
			t.Errorf("days(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestMapSource(t *testing.T) {
	if rs, err := (MapSource{}).Rows("x"); rs != nil || err != nil {
		t.Errorf("MapSource of missing dataset = %v, %v", rs, err)
	}
}

// BenchmarkCheckRules100k checks a roster of 100,000 rows over 100
// projects against a project table (100 rows) and a disbursement table
// (1,000 rows): project_missing and village_outside_county look up the
// parent for every row, roster_exceeds_disbursed sums the roster and the
// disbursements per project.
func BenchmarkCheckRules100k(b *testing.B) {
	c := mustLoad(b)
	d := roster(b)
	rs := rosterRows(100_000)
	for i, r := range rs {
		r["project_code"] = fmt.Sprintf("MS2026%03d", i%100)
	}
	src := MapSource{}
	for p := range 100 {
		code := fmt.Sprintf("MS2026%03d", p)
		src["msj_project"] = append(src["msj_project"], with(projectRow(), "project_code", code))
		for k := range 10 {
			src["msj_disbursement"] = append(src["msj_disbursement"],
				with(disbRow(), "project_code", code, "voucher_no", fmt.Sprintf("PZ%03d%02d", p, k), "amount", "60000"))
		}
	}
	if is, err := d.CheckRules(c, rs, src); err != nil || len(is) != 0 {
		b.Fatalf("issues: %s, %v", ruleSummary(is[:min(len(is), 5)]), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.CheckRules(c, rs, src); err != nil {
			b.Fatal(err)
		}
	}
}
