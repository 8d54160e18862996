package report

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var cardProjects = map[string]map[string]string{
	"P1": {"project_code": "P1", "project_name": "城乡低保", "fund_category": "social_assistance",
		"policy_basis": "《某某省城乡居民最低生活保障办法》"},
	"P2": {"project_code": "P2", "project_name": "高龄津贴", "fund_category": "pension"}, // no policy: category
}

func TestCards(t *testing.T) {
	roster, project := dataset(t, "msj_roster"), dataset(t, "msj_project")
	a, b, c := 9, 2, 3 // idNumber(9) ends in X
	if !strings.HasSuffix(idNumber(a), "X") {
		t.Fatalf("fixture: %s should end in X", idNumber(a))
	}
	row := func(person int, period, proj, amount string) RosterRow {
		r := rosterRow(person, amount)
		r["project_code"] = proj
		return RosterRow{Period: period, Cells: r}
	}
	aAgain := row(a, "2026-11", "P1", "0.2")
	id := idNumber(a)
	aAgain.Cells["id_number"] = id[:6] + " " + strings.ToLower(id[6:]) // same person, typed differently
	rows := []RosterRow{
		row(a, "2026-10", "P1", "0.1"),
		row(b, "2026-10", "P2", "100"),
		aAgain,
		row(c, "2026-11", "P1", "1001.5"),
		row(a, "2026-11", "P2", "10"),
		row(b, "2026-11", "P9", "0.05"), // unknown project: its code
	}
	data := export(t, func(w io.Writer) error { return Cards(w, roster, seq(rows...), cardProjects, project, testMeta) })
	f := open(t, data)
	const sh = "明白卡"
	all := rowsOf(t, f, sh)
	title := "惠民惠农补贴明白卡（2026年11月）"
	var starts []int
	for i, r := range all {
		if len(r) > 0 && r[0] == title {
			starts = append(starts, i+1)
		}
	}
	if len(starts) != 3 {
		t.Fatalf("%d cards, want 3 (one per person): rows %v", len(starts), starts)
	}
	type item struct{ name, category, period string }
	for k, want := range []struct {
		person int
		items  []item
		fen    int64
		policy string
	}{
		{a, []item{{"城乡低保", "社会救助", "2026年10月"}, {"城乡低保", "社会救助", "2026年11月"}, {"高龄津贴", "养老保障", "2026年11月"}},
			1030, "《某某省城乡居民最低生活保障办法》；养老保障"},
		{b, []item{{"高龄津贴", "养老保障", "2026年10月"}, {"P9", "", "2026年11月"}}, 10005, "养老保障"},
		{c, []item{{"城乡低保", "社会救助", "2026年11月"}}, 100150, "《某某省城乡居民最低生活保障办法》"},
	} {
		r := starts[k]
		at := func(col string, row int) string { return col + strconv.Itoa(row) }
		wantCell(t, f, sh, at("A", r+1), "姓名")
		wantCell(t, f, sh, at("B", r+1), "张"+strconv.Itoa(want.person))
		wantCell(t, f, sh, at("C", r+1), "身份证号")
		id := idNumber(want.person)
		wantCell(t, f, sh, at("D", r+1), id[:3]+strings.Repeat("*", 11)+id[14:])
		wantCell(t, f, sh, at("A", r+2), "所在村")
		wantCell(t, f, sh, at("B", r+2), "林山寨街道碧沙岗社区居委会")
		if got := strings.Join(all[r+2], " "); got != "项目名称 资金类别 发放期间 金额（元）" {
			t.Errorf("card %d header %q", k, got)
		}
		for j, it := range want.items {
			got := all[r+3+j]
			if got[0] != it.name || got[1] != it.category || got[2] != it.period {
				t.Errorf("card %d item %d = %v, want %v", k, j, got, it)
			}
		}
		tot := r + 4 + len(want.items)
		wantCell(t, f, sh, at("A", tot), "合计（共 "+strconv.Itoa(len(want.items))+" 笔）")
		if got := fenAt(t, f, sh, at("D", tot)); got != want.fen {
			t.Errorf("card %d 合计 %d fen, want %d", k, got, want.fen)
		}
		wantCell(t, f, sh, at("B", tot+1), Capital(want.fen))
		wantCell(t, f, sh, at("A", tot+2), "政策依据")
		wantCell(t, f, sh, at("B", tot+2), want.policy)
		if got := cell(t, f, sh, at("A", tot+3)); !strings.Contains(got, "监督举报电话：12388") {
			t.Errorf("card %d: %q lacks the 12388 line", k, got)
		}
		wantCell(t, f, sh, at("A", tot+4), "发放单位：演示县民政局")
		wantCell(t, f, sh, at("C", tot+4), "制卡日期：2026年11月30日")
	}
	// Two cards a page: a break before the third.
	if got := rowBreaks(t, data, 1); !slices.Equal(got, []int{starts[2] - 1}) {
		t.Errorf("breaks %v, want before row %d", got, starts[2])
	}
	checkPrintSetup(t, f, sh, "portrait", "")
	// Cards are handed out: no full number anywhere.
	for _, r := range all {
		for _, v := range r {
			for _, p := range []int{a, b, c} {
				if strings.Contains(v, idNumber(p)) || strings.Contains(v, account(p)) {
					t.Fatalf("full number in %q", v)
				}
			}
		}
	}
}

func TestCardsPagesAndSheets(t *testing.T) {
	defer func(n int) { maxPagesPerSheet = n }(maxPagesPerSheet)
	maxPagesPerSheet = 2
	roster, project := dataset(t, "msj_roster"), dataset(t, "msj_project")
	var rows []RosterRow
	for i := range 9 { // 9 people: 5 pages, sheets of 2 pages
		rows = append(rows, RosterRow{Period: "2026-11", Cells: rosterRow(i, "1")})
	}
	data := export(t, func(w io.Writer) error { return Cards(w, roster, seq(rows...), cardProjects, project, testMeta) })
	f := open(t, data)
	want := []string{"明白卡", "明白卡（2）", "明白卡（3）"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i, n := range []int{4, 4, 1} {
		cards := 0
		for _, r := range rowsOf(t, f, want[i]) {
			if len(r) > 0 && strings.HasPrefix(r[0], "惠民惠农补贴明白卡") {
				cards++
			}
		}
		if cards != n {
			t.Errorf("%s: %d cards, want %d", want[i], cards, n)
		}
		if got := len(rowBreaks(t, data, i+1)); got != (n-1)/2 {
			t.Errorf("%s: %d breaks, want %d", want[i], got, (n-1)/2)
		}
	}
}

func TestCardsRefusals(t *testing.T) {
	project := dataset(t, "msj_project")
	rows := []RosterRow{{Period: "2026-11", Cells: rosterRow(1, "1")}, {Period: "2026-10", Cells: rosterRow(2, "abc")}}
	var buf bytes.Buffer
	wantBadInput(t, Cards(&buf, dataset(t, "msj_roster"), seq(rows...), nil, project, testMeta),
		"2026年10月", "第 2 条记录", "abc")
	wantBadInput(t, Cards(&buf, dataset(t, "cmp_fiscal_staff"), seq(rows...), nil, project, testMeta), "明白卡")
	if buf.Len() != 0 {
		t.Errorf("refused exports wrote %d bytes", buf.Len())
	}
}
