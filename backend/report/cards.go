package report

import (
	"fmt"
	"io"
	"iter"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/fields"
	"caiji/backend/regions"
)

// Cards writes 惠民惠农补贴明白卡: one bordered card per recipient, telling
// them what they received. Rows are grouped by 身份证号 (normalised, so
// spaces or a lower-case x do not split a person), cards in order of each
// person's first row. A card shows 姓名, the masked 身份证号 (always masked:
// cards are handed out), 所在村, a table of 项目名称 / 资金类别 / 发放期间 /
// 金额, the 合计 in figures and in capitals, the 政策依据 (each project's
// policy_basis, else its fund category), the 监督举报电话 12388 and the
// issuing unit. Two cards per A4 page.
//
// projects maps project_code to a row of the project dataset (project), for
// names, categories and policy bases. Every amount must parse (see Payroll).
//
// Grouping needs every row first; what is kept is a few strings per row,
// not the rows.
func Cards(w io.Writer, roster catalog.Dataset, rows iter.Seq[RosterRow], projects map[string]map[string]string, project catalog.Dataset, m Meta) error {
	for _, code := range []string{fName, fID, fAmount} {
		if _, ok := roster.Field(code); !ok {
			return apperr.New(apperr.BadInput, fmt.Sprintf("「%s」不是按人发放的表（没有姓名、身份证号或金额列），"+
				"不能生成明白卡。明白卡用于个人补助资金发放表。", roster.Name))
		}
	}
	idField, _ := roster.Field(fID)
	var categories map[string]string
	if f, ok := project.Field(fCategory); ok {
		categories = enumLabels(f)
	}

	// Group. Strings repeated across rows (periods, project codes) are
	// interned so that a large roster keeps one copy of each.
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	var people []*cardPerson
	byKey := map[string]*cardPerson{}
	n := 0
	for r := range rows {
		n++
		where := fmt.Sprintf("第 %d 条记录", n)
		if r.Period != "" {
			where = fmt.Sprintf("%s期间的%s", periodLabel(r.Period), where)
		}
		fen, err := fenOf(roster, r.Cells, where)
		if err != nil {
			return err
		}
		key := fields.NormalizeID(r.Cells[fID])
		if key == "" {
			key = "\x00" + strings.TrimSpace(r.Cells[fName]) // no ID: one card per name
		}
		p := byKey[key]
		if p == nil {
			p = &cardPerson{name: strings.TrimSpace(r.Cells[fName]),
				id: batch.Mask(idField, r.Cells[fID]), village: r.Cells[fVillage]}
			byKey[key] = p
			people = append(people, p)
		}
		p.items = append(p.items, cardItem{project: in(strings.TrimSpace(r.Cells[fProject])),
			period: in(r.Period), fen: fen})
	}

	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	b.docProps(m.OrgUnit + m.PeriodLabel + "惠民惠农补贴明白卡")
	c := &cards{b: b, projects: projects, categories: categories}
	if _, ok := roster.Field(fVillage); ok {
		if c.regions, err = regionList(); err != nil {
			return err
		}
	}
	if err := c.startSheet(); err != nil {
		return err
	}
	for i, p := range people {
		if i > 0 && i%2 == 0 { // two cards a page
			if c.pagesOnSheet++; c.pagesOnSheet >= maxPagesPerSheet {
				if err := c.s.flush(); err != nil {
					return err
				}
				if err := c.startSheet(); err != nil {
					return err
				}
			} else if err := c.s.breakBefore(); err != nil {
				return err
			}
		} else if i%2 == 1 { // space between the two cards of a page
			if err := c.s.add(30); err != nil {
				return err
			}
		}
		if err := c.card(p); err != nil {
			return err
		}
	}
	if err := c.s.flush(); err != nil {
		return err
	}
	return b.write(w)
}

type cardPerson struct {
	name, id, village string
	items             []cardItem
}

type cardItem struct {
	project, period string
	fen             int64
}

type cards struct {
	b            *book
	projects     map[string]map[string]string
	categories   map[string]string
	regions      *regions.List // nil: the roster has no 所在村
	s            *sheet
	sheets       int
	pagesOnSheet int
}

var cardWidths = []float64{34, 14, 16, 22}

const cardCols = 4

func (c *cards) startSheet() error {
	c.sheets++
	s, err := c.b.newSheet(continuedName("明白卡", c.sheets), page{widths: cardWidths})
	if err != nil {
		return err
	}
	c.s, c.pagesOnSheet = s, 0
	return nil
}

// card writes one person's card.
func (c *cards) card(p *cardPerson) error {
	b, s := c.b, c.s
	edge := b.text("", stGridText) // keeps the border on merged-over cells
	title := "惠民惠农补贴明白卡"
	if b.meta.PeriodLabel != "" {
		title += "（" + b.meta.PeriodLabel + "）"
	}
	if err := s.add(34, b.text(title, stCardTitle), b.text("", stCardTitle), b.text("", stCardTitle),
		b.text("", stCardTitle)); err != nil {
		return err
	}
	if err := s.merge(1, cardCols); err != nil {
		return err
	}
	if err := s.add(22, b.text("姓名", stGridLabel), b.text(p.name, stGridText),
		b.text("身份证号", stGridLabel), b.text(p.id, stGridText)); err != nil {
		return err
	}
	if err := s.add(22, b.text("所在村", stGridLabel), b.text(c.village(p.village), stGridText), edge, edge); err != nil {
		return err
	}
	if err := s.merge(2, cardCols); err != nil {
		return err
	}
	if err := s.add(22, b.text("项目名称", stGridHeader), b.text("资金类别", stGridHeader),
		b.text("发放期间", stGridHeader), b.text("金额（元）", stGridHeader)); err != nil {
		return err
	}
	var total int64
	var policies []string
	seenPolicy := map[string]bool{}
	for _, it := range p.items {
		total += it.fen
		name, category, policy := c.project(it.project)
		if policy != "" && !seenPolicy[policy] {
			seenPolicy[policy] = true
			policies = append(policies, policy)
		}
		if err := s.add(20, b.text(name, stGridText), b.text(category, stGridCenter),
			b.text(periodLabel(it.period), stGridCenter), b.money(it.fen, stGridMoney)); err != nil {
			return err
		}
	}
	tot := b.text("", stGridTotal)
	if err := s.add(22, b.text(fmt.Sprintf("合计（共 %d 笔）", len(p.items)), stGridTotal), tot, tot,
		b.money(total, stGridTotalM)); err != nil {
		return err
	}
	if err := s.merge(1, cardCols-1); err != nil {
		return err
	}
	if err := s.add(22, b.text("金额大写", stGridLabel), b.text(Capital(total), stGridText), edge, edge); err != nil {
		return err
	}
	if err := s.merge(2, cardCols); err != nil {
		return err
	}
	policy := strings.Join(policies, "；")
	wide := b.text("", stGridWrap)
	if err := s.add(float64(20*lines(policy, cardWidths[1]+cardWidths[2]+cardWidths[3]-2)),
		b.text("政策依据", stGridLabel), b.text(policy, stGridWrap), wide, wide); err != nil {
		return err
	}
	if err := s.merge(2, cardCols); err != nil {
		return err
	}
	if err := s.add(22, b.text("如对补贴发放有疑问，请向发放单位咨询。监督举报电话：12388", stGridWrap),
		wide, wide, wide); err != nil {
		return err
	}
	if err := s.merge(1, cardCols); err != nil {
		return err
	}
	if err := s.add(22, b.text("发放单位："+b.meta.OrgUnit, stGridText), edge,
		b.text("制卡日期："+dateLabel(b.meta.GeneratedAt), stGridText), edge); err != nil {
		return err
	}
	return mergeRuns(s, [][2]int{{1, 2}, {3, 4}})
}

// project returns a project's name, fund category label and policy basis
// (its policy_basis, else the category).
func (c *cards) project(code string) (name, category, policy string) {
	p, ok := c.projects[code]
	if !ok {
		if code == "" {
			return "（未填项目编码）", "", ""
		}
		return code, "", ""
	}
	name = strings.TrimSpace(p[fProjName])
	if name == "" {
		name = code
	}
	raw := strings.TrimSpace(p[fCategory])
	category = raw
	if l, ok := c.categories[raw]; ok {
		category = l
	}
	policy = strings.TrimSpace(p[fPolicy])
	if policy == "" {
		policy = category
	}
	return name, category, policy
}

// village is 所在村 on a card: town and village, so that it reads like an
// address (城关镇东街村民委员会).
func (c *cards) village(code string) string {
	if c.regions == nil || code == "" {
		return code
	}
	code = strings.TrimSpace(code)
	e, st := c.regions.Village(code)
	switch {
	case st == regions.Current && !strings.HasSuffix(code, "000"):
		return townName(c.regions, code) + e.Name
	case st == regions.Current:
		return e.Name
	case st == regions.TownOnly:
		return e.Name + "（村未收录）"
	}
	return code
}
