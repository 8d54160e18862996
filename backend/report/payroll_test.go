package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
)

var oneProject = map[string]map[string]string{"MS2026001": {"project_code": "MS2026001", "project_name": "城乡低保"}}

// payrollAmounts cycle through amounts that go wrong in float64.
var payrollAmounts = []struct {
	text string
	fen  int64
}{{"0.1", 10}, {"0.2", 20}, {"1,200.50", 120050}, {"0.05", 5}, {"10", 1000}, {"1001.5", 100150}}

func payrollRows(n int) ([]map[string]string, []int64) {
	rows := make([]map[string]string, n)
	fens := make([]int64, n)
	for i := range rows {
		a := payrollAmounts[i%len(payrollAmounts)]
		rows[i], fens[i] = rosterRow(i, a.text), a.fen
	}
	return rows, fens
}

func TestPayrollPages(t *testing.T) {
	d := dataset(t, "msj_roster")
	for _, n := range []int{0, 1, 19, 20, 21, 45} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			rows, fens := payrollRows(n)
			data := export(t, func(w io.Writer) error {
				return Payroll(w, d, seq(rows...), oneProject, testMeta, Options{})
			})
			f := open(t, data)
			const sh = "发放清册"
			if got := f.GetSheetList(); !slices.Equal(got, []string{sh}) {
				t.Fatalf("sheets %v", got)
			}
			title := "演示县民政局2026年11月城乡低保发放清册"
			if n == 0 {
				title = "演示县民政局2026年11月个人补助资金发放表发放清册" // no rows, no project
			}
			wantCell(t, f, sh, "A1", title)
			wantCell(t, f, sh, "A2", "填报单位：演示县民政局")
			wantCell(t, f, sh, "E2", "期间：2026年11月")
			wantCell(t, f, sh, "G2", "单位：元")
			all := rowsOf(t, f, sh)
			if got := strings.Join(all[2], " "); got != "序号 姓名 身份证号 账号 开户行 所在村 金额 领取人签字" {
				t.Errorf("header %q", got)
			}

			// Walk the expected layout: pages of RowsPerPage data rows, each
			// closed by 本页小计; a break before every page but the first.
			r, i := 4, 0
			var breaks []int
			var total int64
			for i < n {
				if i > 0 {
					breaks = append(breaks, r-1)
				}
				var page int64
				k := 0
				for ; k < RowsPerPage && i < n; k, i, r = k+1, i+1, r+1 {
					ref := func(col string) string { return col + strconv.Itoa(r) }
					wantCell(t, f, sh, ref("A"), strconv.Itoa(i+1))
					wantCell(t, f, sh, ref("B"), "张"+strconv.Itoa(i))
					if got := fenAt(t, f, sh, ref("G")); got != fens[i] {
						t.Errorf("row %d amount %d, want %d", r, got, fens[i])
					}
					page += fens[i]
				}
				wantCell(t, f, sh, "A"+strconv.Itoa(r), "本页小计")
				wantCell(t, f, sh, "C"+strconv.Itoa(r), fmt.Sprintf("共 %d 笔", k))
				if got := fenAt(t, f, sh, "G"+strconv.Itoa(r)); got != page {
					t.Errorf("本页小计 at row %d = %d fen, want %d", r, got, page)
				}
				total += page
				r++
			}
			wantCell(t, f, sh, "A"+strconv.Itoa(r), "合计")
			wantCell(t, f, sh, "C"+strconv.Itoa(r), fmt.Sprintf("共 %d 笔", n))
			if got := fenAt(t, f, sh, "G"+strconv.Itoa(r)); got != total {
				t.Errorf("合计 = %d fen, want %d", got, total)
			}
			wantCell(t, f, sh, "A"+strconv.Itoa(r+1), "合计金额（大写）")
			wantCell(t, f, sh, "C"+strconv.Itoa(r+1), Capital(total))
			sign := strings.Join(all[r+2], "|") // row r+3, 0-based r+2
			for _, s := range []string{"制表人：李会计", "审核人：", "单位负责人（签章）：", "日期："} {
				if !strings.Contains(sign, s) {
					t.Errorf("signature line %q lacks %s", sign, s)
				}
			}
			if len(all) != r+3 {
				t.Errorf("%d rows, want %d", len(all), r+3)
			}
			if got := rowBreaks(t, data, 1); !slices.Equal(got, breaks) {
				t.Errorf("page breaks after rows %v, want %v", got, breaks)
			}
			checkPrintSetup(t, f, sh, "landscape", "$1:$3")
		})
	}
}

func TestPayrollTotalsExact(t *testing.T) {
	// 0.1 + 0.2 ten times over: float64 would drift, fen must not.
	d := dataset(t, "msj_roster")
	var rows []map[string]string
	for i := range 30 {
		rows = append(rows, rosterRow(i, []string{"0.1", "0.2"}[i%2]))
	}
	f := open(t, export(t, func(w io.Writer) error {
		return Payroll(w, d, seq(rows...), nil, testMeta, Options{})
	}))
	all := rowsOf(t, f, "发放清册")
	r := rowOf(all, "合计")
	if got := fenAt(t, f, "发放清册", "G"+strconv.Itoa(r)); got != 450 {
		t.Errorf("合计 %d fen, want 450", got)
	}
	if got := raw(t, f, "发放清册", "G"+strconv.Itoa(r)); got != "4.5" {
		t.Errorf("合计 stored as %q", got)
	}
	wantCell(t, f, "发放清册", "C"+strconv.Itoa(r+1), "肆元伍角整")
	// No project given: the title uses the dataset name.
	wantCell(t, f, "发放清册", "A1", "演示县民政局2026年11月个人补助资金发放表发放清册")
}

func TestPayrollMasking(t *testing.T) {
	d := dataset(t, "msj_roster")
	row := rosterRow(7, "100")
	row["village_code"] = "410102001002"
	for _, c := range []struct {
		o       Options
		id, acc string
	}{
		{Options{}, "410***********" + idNumber(7)[14:], "6222***********" + account(7)[15:]},
		{Options{Full: true}, idNumber(7), account(7)},
	} {
		f := open(t, export(t, func(w io.Writer) error {
			return Payroll(w, d, seq(row), oneProject, testMeta, c.o)
		}))
		wantCell(t, f, "发放清册", "C4", c.id)
		wantCell(t, f, "发放清册", "D4", c.acc)
		wantCell(t, f, "发放清册", "E4", "演示县农村信用社")
		wantCell(t, f, "发放清册", "F4", "碧沙岗社区居委会")
		wantCell(t, f, "发放清册", "H4", "")
		hf, _ := f.GetHeaderFooter("发放清册")
		if c.o.Full != strings.Contains(hf.OddHeader, fullWarning) {
			t.Errorf("Full=%v, header %q", c.o.Full, hf.OddHeader)
		}
	}
}

func TestPayrollContinuesOnNewSheet(t *testing.T) {
	defer func(n int) { maxPagesPerSheet = n }(maxPagesPerSheet)
	maxPagesPerSheet = 2
	d := dataset(t, "msj_roster")
	rows, fens := payrollRows(5*RowsPerPage - 3) // 5 pages, the last short
	var total int64
	for _, f := range fens {
		total += f
	}
	data := export(t, func(w io.Writer) error { return Payroll(w, d, seq(rows...), oneProject, testMeta, Options{}) })
	f := open(t, data)
	want := []string{"发放清册", "发放清册（2）", "发放清册（3）"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i, sh := range want {
		wantCell(t, f, sh, "A1", "演示县民政局2026年11月城乡低保发放清册")
		wantCell(t, f, sh, "A4", strconv.Itoa(i*2*RowsPerPage+1)) // 序号 goes on
		checkPrintSetup(t, f, sh, "landscape", "$1:$3")
		wantBreaks := []int{3 + RowsPerPage + 1} // one break between the sheet's two pages
		if i == 2 {
			wantBreaks = nil // the fifth page alone
		}
		if got := rowBreaks(t, data, i+1); !slices.Equal(got, wantBreaks) {
			t.Errorf("%s: breaks %v, want %v", sh, got, wantBreaks)
		}
	}
	last := rowsOf(t, f, want[2])
	r := rowOf(last, "合计")
	if r == 0 {
		t.Fatal("no 合计 on the last sheet")
	}
	if got := fenAt(t, f, want[2], "G"+strconv.Itoa(r)); got != total {
		t.Errorf("合计 %d, want %d (all sheets)", got, total)
	}
	if rowOf(rowsOf(t, f, want[0]), "合计") != 0 {
		t.Error("合计 on the first sheet")
	}
}

func TestPayrollRefusals(t *testing.T) {
	roster := dataset(t, "msj_roster")
	good, _ := payrollRows(3)
	badAmount, _ := payrollRows(3)
	badAmount[2]["amount"] = "12.345"
	for _, c := range []struct {
		name     string
		dataset  string
		rows     []map[string]string
		projects map[string]map[string]string
		mention  []string
	}{
		{"no account", "cmp_fiscal_staff", good, nil, []string{"财政供养人员", "账号", "金额"}},
		{"project master", "msj_project", good, nil, []string{"姓名", "身份证号", "账号", "金额"}},
		{"bad amount", "msj_roster", badAmount, nil, []string{"第 3 条记录", "张2", "12.345", "两位小数"}},
		{"blank amount", "msj_roster", append(slices.Clone(good), rosterRow(9, "")), nil, []string{"第 4 条记录", "为空"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := roster
			if c.dataset != "msj_roster" {
				d = dataset(t, c.dataset)
			}
			var buf bytes.Buffer
			err := Payroll(&buf, d, seq(c.rows...), c.projects, testMeta, Options{})
			wantBadInput(t, err, c.mention...)
			if buf.Len() != 0 {
				t.Errorf("a refused export wrote %d bytes", buf.Len())
			}
		})
	}
	if err := Payroll(io.Discard, roster, seq(good...), oneProject, testMeta, Options{}); apperr.Is(err, apperr.BadInput) {
		t.Errorf("good rows refused: %v", err)
	}
}

// checkPrintSetup: A4, orientation, one page wide, fit to page, titles.
func checkPrintSetup(t *testing.T, f *excelize.File, sheet, orient, titles string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != orient ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("%s: page layout size %v orientation %v fit %v×%v", sheet, deref(pl.Size), deref(pl.Orientation),
			deref(pl.FitToWidth), deref(pl.FitToHeight))
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("%s: fit to page not set", sheet)
	}
	want := ""
	if titles != "" {
		want = "'" + sheet + "'!" + titles
	}
	if got := printTitles(f, sheet); got != want {
		t.Errorf("%s: print titles %q, want rows %s", sheet, got, titles)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestPayrollTitle(t *testing.T) {
	d := dataset(t, "msj_roster")
	projects := map[string]map[string]string{
		"MS2026001": {"project_name": "城乡低保"},
		"MS2026002": {"project_name": "高龄津贴"},
		"MS2026003": {"project_name": ""},
	}
	rows := func(codes ...string) []map[string]string {
		var out []map[string]string
		for i, c := range codes {
			r := rosterRow(i, "1")
			r["project_code"] = c
			out = append(out, r)
		}
		return out
	}
	const org = "演示县民政局2026年11月"
	for _, c := range []struct {
		name     string
		rows     []map[string]string
		projects map[string]map[string]string
		want     string
	}{
		{"one project of many", rows("MS2026001", "MS2026001", " MS2026001"), projects, org + "城乡低保发放清册"},
		{"two projects", rows("MS2026001", "MS2026002"), projects, org + "个人补助资金发放表发放清册"},
		{"project and blank", rows("MS2026001", ""), projects, org + "个人补助资金发放表发放清册"},
		{"unknown project", rows("MS2026999"), projects, org + "个人补助资金发放表发放清册"},
		{"project without name", rows("MS2026003"), projects, org + "个人补助资金发放表发放清册"},
		{"no projects", rows("MS2026001"), nil, org + "个人补助资金发放表发放清册"},
		{"no rows", nil, projects, org + "个人补助资金发放表发放清册"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := open(t, export(t, func(w io.Writer) error {
				return Payroll(w, d, seq(c.rows...), c.projects, testMeta, Options{})
			}))
			wantCell(t, f, "发放清册", "A1", c.want)
		})
	}
}
