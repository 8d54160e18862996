package report

import (
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/fields"
	"caiji/backend/regions"
)

// Summary keys.
const (
	ByProject = "project" // 项目编码 + 项目名称
	ByRegion  = "region"  // 所在村, with county and town names
	ByMonth   = "month"   // the period of the batch (RosterRow.Period)
)

// Summary writes a summary of roster rows grouped by project, village or
// period: 人数 (distinct 身份证号), 笔数 (rows) and 金额合计, one line per
// group in key order, and a 合计 line. The 合计 人数 counts each person once
// over all groups, so it can be less than the sum of the lines; a note under
// the table says so. Unknown by is refused with apperr.BadInput. Every
// amount must parse (see Payroll).
func Summary(w io.Writer, roster catalog.Dataset, rows iter.Seq[RosterRow], by string, projects map[string]map[string]string, m Meta) error {
	var keyCols []string
	var title string
	switch by {
	case ByProject:
		keyCols, title = []string{"项目编码", "项目名称"}, "按项目"
	case ByRegion:
		keyCols, title = []string{"所在村代码", "县（市、区）", "乡（镇、街道）", "村（社区）"}, "按村"
	case ByMonth:
		keyCols, title = []string{"发放期间"}, "按期间"
	default:
		return apperr.New(apperr.BadInput, fmt.Sprintf("不支持的汇总方式「%s」。可选：project（按项目）、"+
			"region（按村）、month（按期间）。", by))
	}
	if _, ok := roster.Field(fAmount); !ok {
		return apperr.New(apperr.BadInput, fmt.Sprintf("「%s」没有金额列，不能生成发放汇总表。", roster.Name))
	}

	type group struct {
		people map[string]struct{}
		rows   int
		fen    int64
	}
	groups := map[string]*group{}
	everyone := map[string]struct{}{}
	var all group
	n := 0
	for r := range rows {
		n++
		var key string
		switch by {
		case ByProject:
			key = strings.TrimSpace(r.Cells[fProject])
		case ByRegion:
			key = strings.TrimSpace(r.Cells[fVillage])
		case ByMonth:
			key = r.Period
		}
		fen, err := fenOf(roster, r.Cells, fmt.Sprintf("第 %d 条记录", n))
		if err != nil {
			return err
		}
		g := groups[key]
		if g == nil {
			g = &group{people: map[string]struct{}{}}
			groups[key] = g
		}
		person := fields.NormalizeID(r.Cells[fID])
		if person == "" {
			person = "\x00" + strings.TrimSpace(r.Cells[fName])
		}
		g.people[person] = struct{}{}
		everyone[person] = struct{}{}
		g.rows++
		g.fen += fen
		all.rows++
		all.fen += fen
	}

	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	var l *regions.List
	if by == ByRegion {
		if l, err = regionList(); err != nil {
			return err
		}
	}
	heading := m.OrgUnit + m.PeriodLabel + "补助资金发放汇总表（" + title + "）"
	b.docProps(heading)
	widths := map[string][]float64{
		ByProject: {18, 40, 10, 10, 18},
		ByRegion:  {16, 16, 18, 28, 10, 10, 18},
		ByMonth:   {18, 10, 10, 18},
	}[by]
	ncol := len(keyCols) + 3
	s, err := b.newSheet("汇总", page{titleRows: 3, widths: widths, landscape: by == ByRegion})
	if err != nil {
		return err
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A4", ActiveCell: "A4", Pane: "bottomLeft"}}}); err != nil {
		return internal(err)
	}
	row := make([]any, ncol)
	if err := s.add(32, b.text(heading, stTitle)); err != nil {
		return err
	}
	if err := s.merge(1, ncol); err != nil {
		return err
	}
	clear(row)
	row[0] = b.text("制表单位："+m.OrgUnit+"　　制表人："+m.Preparer+"　　导出时间："+b.exportTime(), stInfo)
	row[ncol-1] = b.text("单位：元", stInfoRight)
	if err := s.add(20, row...); err != nil {
		return err
	}
	if err := s.merge(1, ncol-1); err != nil {
		return err
	}
	for i, h := range append(keyCols, "人数", "笔数", "金额合计（元）") {
		row[i] = b.text(h, stGridHeader)
	}
	if err := s.add(24, row...); err != nil {
		return err
	}

	keys := sortedKeys(groups)
	if len(keys) > 0 && keys[0] == "" { // rows without the key go last
		keys = append(keys[1:], "")
	}
	for _, k := range keys {
		g := groups[k]
		var names []string
		switch by {
		case ByProject:
			name := strings.TrimSpace(projects[k][fProjName])
			if k == "" {
				name = "（未填项目编码）"
			}
			names = []string{k, name}
		case ByRegion:
			names = regionNames(l, k)
		case ByMonth:
			names = []string{periodLabel(k)}
			if k == "" {
				names[0] = "（未注明期间）"
			}
		}
		for i, v := range names {
			row[i] = b.text(v, stGridText)
		}
		row[ncol-3] = b.number(len(g.people), stGridNumber)
		row[ncol-2] = b.number(g.rows, stGridNumber)
		row[ncol-1] = b.money(g.fen, stGridMoney)
		if err := s.add(20, row...); err != nil {
			return err
		}
	}
	for i := range keyCols {
		row[i] = b.text("", stGridTotal)
	}
	row[0] = b.text("合计", stGridTotal)
	row[ncol-3] = b.number(len(everyone), stGridTotalN)
	row[ncol-2] = b.number(all.rows, stGridTotalN)
	row[ncol-1] = b.money(all.fen, stGridTotalM)
	if err := s.add(22, row...); err != nil {
		return err
	}
	if len(keyCols) > 1 {
		if err := s.merge(1, len(keyCols)); err != nil {
			return err
		}
	}
	note := "注：合计行的人数按身份证号去重，同一人在多个" + map[string]string{
		ByProject: "项目", ByRegion: "村", ByMonth: "期间"}[by] + "领取的只计一次，因此可能小于各行人数之和。"
	if err := s.add(0, b.text(note, stInfo)); err != nil {
		return err
	}
	if err := s.merge(1, ncol); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.write(w)
}

// regionNames is a village code with its county, town and village names.
func regionNames(l *regions.List, code string) []string {
	if code == "" {
		return []string{"", "", "", "（未填所在村）"}
	}
	out := []string{code, "", "", ""}
	if len(code) >= 6 {
		if e, st := l.County(code[:6]); st != regions.Unknown {
			out[1] = e.Name
		}
	}
	e, st := l.Village(code)
	switch st {
	case regions.Current:
		if strings.HasSuffix(code, "000") { // a township code: the town itself
			out[2] = e.Name
		} else {
			out[2], out[3] = townName(l, code), e.Name
		}
	case regions.TownOnly:
		out[2], out[3] = e.Name, "（未收录）"
	default:
		out[3] = "（代码未收录）"
	}
	return out
}

// townName is the name of the town a 12-digit village code belongs to.
func townName(l *regions.List, code string) string {
	if len(code) != 12 {
		return ""
	}
	if e, st := l.Village(code[:9] + "000"); st == regions.Current {
		return e.Name
	}
	return ""
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
