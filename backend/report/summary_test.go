package report

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	roster := dataset(t, "msj_roster")
	const v1, v2 = "410102001002", "110105001024"
	row := func(person int, period, proj, village, amount string) RosterRow {
		r := rosterRow(person, amount)
		r["project_code"], r["village_code"] = proj, village
		return RosterRow{Period: period, Cells: r}
	}
	rows := []RosterRow{
		row(1, "2026-10", "P1", v1, "0.1"),
		row(2, "2026-10", "P1", v1, "0.2"),
		row(1, "2026-11", "P1", v1, "0.1"),
		row(1, "2026-11", "P2", v2, "100"),
		row(3, "2026-11", "P2", "", "1.5"),
	}
	type line struct {
		keys          []string
		people, count int
		fen           int64
	}
	for _, c := range []struct {
		by     string
		title  string
		header string
		lines  []line
	}{
		{ByProject, "按项目", "项目编码 项目名称 人数 笔数 金额合计（元）", []line{
			{[]string{"P1", "城乡低保"}, 2, 3, 40},
			{[]string{"P2", "高龄津贴"}, 2, 2, 10150},
		}},
		{ByRegion, "按村", "所在村代码 县（市、区） 乡（镇、街道） 村（社区） 人数 笔数 金额合计（元）", []line{
			{[]string{v2, "朝阳区", "建外街道", "南郎家园社区居委会"}, 1, 1, 10000},
			{[]string{v1, "中原区", "林山寨街道", "碧沙岗社区居委会"}, 2, 3, 40},
			{[]string{"", "", "", "（未填所在村）"}, 1, 1, 150}, // no key: last
		}},
		{ByMonth, "按期间", "发放期间 人数 笔数 金额合计（元）", []line{
			{[]string{"2026年10月"}, 2, 2, 30},
			{[]string{"2026年11月"}, 2, 3, 10160},
		}},
	} {
		t.Run(c.by, func(t *testing.T) {
			data := export(t, func(w io.Writer) error {
				return Summary(w, roster, seq(rows...), c.by, cardProjects, testMeta)
			})
			f := open(t, data)
			const sh = "汇总"
			wantCell(t, f, sh, "A1", "演示县民政局2026年11月补助资金发放汇总表（"+c.title+"）")
			all := rowsOf(t, f, sh)
			if got := strings.Join(all[2], " "); got != c.header {
				t.Errorf("header %q, want %q", got, c.header)
			}
			nk := len(c.lines[0].keys)
			num := func(col, row int) string {
				ref := string(rune('A'+col)) + strconv.Itoa(row)
				return raw(t, f, sh, ref)
			}
			for i, l := range c.lines {
				r := 4 + i
				got := all[r-1]
				for j, k := range l.keys {
					if j >= len(got) && k == "" {
						continue
					}
					if got[j] != k {
						t.Errorf("line %d key %d = %q, want %q", i, j, got[j], k)
					}
				}
				if p, n := num(nk, r), num(nk+1, r); p != strconv.Itoa(l.people) || n != strconv.Itoa(l.count) {
					t.Errorf("line %d: 人数 %s 笔数 %s, want %d %d", i, p, n, l.people, l.count)
				}
				if fen := fenAt(t, f, sh, string(rune('A'+nk+2))+strconv.Itoa(r)); fen != l.fen {
					t.Errorf("line %d: %d fen, want %d", i, fen, l.fen)
				}
			}
			// 合计: persons counted once over all lines (3, not the sum),
			// rows and amount added up exactly.
			r := 4 + len(c.lines)
			wantCell(t, f, sh, "A"+strconv.Itoa(r), "合计")
			if p, n := num(nk, r), num(nk+1, r); p != "3" || n != "5" {
				t.Errorf("合计: 人数 %s 笔数 %s, want 3 5", p, n)
			}
			if fen := fenAt(t, f, sh, string(rune('A'+nk+2))+strconv.Itoa(r)); fen != 10190 {
				t.Errorf("合计 %d fen, want 10190", fen)
			}
			if note := cell(t, f, sh, "A"+strconv.Itoa(r+1)); !strings.Contains(note, "去重") {
				t.Errorf("no note on distinct persons: %q", note)
			}
			panes, _ := f.GetPanes(sh)
			if !panes.Freeze || panes.YSplit != 3 {
				t.Errorf("panes %+v", panes)
			}
			orient := "portrait"
			if c.by == ByRegion {
				orient = "landscape"
			}
			checkPrintSetup(t, f, sh, orient, "$1:$3")
		})
	}
}

func TestSummaryRefusals(t *testing.T) {
	roster := dataset(t, "msj_roster")
	rows := []RosterRow{{Period: "2026-11", Cells: rosterRow(1, "1")}}
	var buf bytes.Buffer
	for _, by := range []string{"", "county", "Project"} {
		wantBadInput(t, Summary(&buf, roster, seq(rows...), by, nil, testMeta), "「"+by+"」", "project", "region", "month")
	}
	bad := []RosterRow{{Period: "2026-11", Cells: rosterRow(1, "1")}, {Period: "2026-11", Cells: rosterRow(2, "1.234")}}
	wantBadInput(t, Summary(&buf, roster, seq(bad...), ByMonth, nil, testMeta), "第 2 条记录", "1.234")
	wantBadInput(t, Summary(&buf, dataset(t, "fp_household"), seq(rows...), ByMonth, nil, testMeta), "金额")
	if buf.Len() != 0 {
		t.Errorf("refused exports wrote %d bytes", buf.Len())
	}
}
