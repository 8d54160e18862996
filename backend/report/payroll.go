package report

import (
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/regions"
)

// Payroll writes a 发放清册, the payment roster printed, signed and filed:
//
//	<OrgUnit><PeriodLabel><项目名称>发放清册            (title)
//	填报单位：…   期间：…   单位：元
//	序号 姓名 身份证号 账号 开户行 所在村 金额 领取人签字   (header)
//	… RowsPerPage rows …
//	本页小计                          (then a page break)
//	…
//	合计   共 N 笔   amount
//	合计金额（大写） 壹仟贰佰元伍角整
//	制表人：…  审核人：  单位负责人（签章）：  日期：
//
// Printed A4 landscape, one page wide, the first three rows on every page.
// 领取人签字 is left blank for the recipient's signature. 身份证号 and 账号
// are masked unless o.Full.
//
// The title names the project when every row belongs to the same project
// and projects (project_code → project row, any number of them) gives its
// name; otherwise it uses the dataset name. Knowing that takes every row, so
// a first pass spools what the sheet will show (see spool) and the sheet is
// written from it: memory stays flat. Every amount must parse: a document
// whose total does not add up is refused, naming the row.
//
// Only datasets with name, id_number, account and amount fields can be
// printed this way; others are refused with apperr.BadInput.
func Payroll(w io.Writer, d catalog.Dataset, rows iter.Seq[map[string]string], projects map[string]map[string]string, m Meta, o Options) error {
	need := []struct{ code, label string }{
		{fName, "姓名"}, {fID, "身份证号"}, {fAccount, "账号"}, {fAmount, "金额"},
	}
	var missing []string
	for _, n := range need {
		if _, ok := d.Field(n.code); !ok {
			missing = append(missing, n.label)
		}
	}
	if len(missing) > 0 {
		return apperr.New(apperr.BadInput, fmt.Sprintf("「%s」没有%s列，不能生成发放清册。"+
			"发放清册用于按人发放的表（如个人补助资金发放表），需要姓名、身份证号、账号和金额四列；"+
			"其他表请使用“导出表格”。", d.Name, strings.Join(missing, "、")))
	}

	p := &payroll{o: o, subject: d.Name}
	p.idField, _ = d.Field(fID)
	p.accField, _ = d.Field(fAccount)
	_, hasBank := d.Field(fBank)
	var l *regions.List
	if _, ok := d.Field(fVillage); ok {
		var err error
		if l, err = regionList(); err != nil {
			return err
		}
	}

	// Pass 1: check amounts, find the project, spool the cells as shown.
	var sp spool
	defer sp.close()
	project, oneProject := "", true
	n := 0
	for row := range rows {
		n++
		fen, err := fenOf(d, row, fmt.Sprintf("第 %d 条记录", n))
		if err != nil {
			return err
		}
		if code := strings.TrimSpace(row[fProject]); n == 1 {
			project = code
		} else if code != project {
			oneProject = false
		}
		var bank, village string
		if hasBank {
			bank = row[fBank]
		}
		if l != nil {
			if village = villageName(l, row[fVillage]); village == "" {
				village = row[fVillage]
			}
		}
		if err := sp.put(row[fName],
			personalText(p.idField, row[fID], o.Full),
			personalText(p.accField, row[fAccount], o.Full),
			bank, village, strconv.FormatInt(fen, 10)); err != nil {
			return internal(err)
		}
	}
	if oneProject && project != "" {
		if name := strings.TrimSpace(projects[project][fProjName]); name != "" {
			p.subject = name
		}
	}
	p.title = m.OrgUnit + m.PeriodLabel + p.subject + "发放清册"

	// Pass 2: the sheet.
	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	p.b = b
	b.docProps(p.title)
	if err := p.startSheet(); err != nil {
		return err
	}
	if err := sp.each(payrollFields, p.addRow); err != nil {
		return internal(err)
	}
	if err := p.finish(); err != nil {
		return err
	}
	return b.write(w)
}

// payrollFields is the length of a spooled record: 姓名, 身份证号, 账号,
// 开户行, 所在村 as shown, and the amount in fen.
const payrollFields = 6

var payrollWidths = []float64{6, 10, 21, 24, 18, 24, 15, 16}

const payrollCols = 8

type payroll struct {
	b                 *book
	o                 Options
	subject           string // project name, or the dataset name
	title             string
	idField, accField catalog.Field

	s            *sheet
	sheets       int
	pagesOnSheet int
	pageRows     int
	pageFen      int64
	breakPending bool // a page just ended; break before the next data row
	count        int
	total        int64
}

func (p *payroll) startSheet() error {
	p.sheets++
	pg := page{landscape: true, titleRows: 3, widths: payrollWidths}
	if p.o.Full {
		pg.headerNote = fullWarning
	}
	s, err := p.b.newSheet(continuedName("发放清册", p.sheets), pg)
	if err != nil {
		return err
	}
	p.s, p.pagesOnSheet = s, 0
	b := p.b
	if err := s.add(32, b.text(p.title, stTitle)); err != nil {
		return err
	}
	if err := s.merge(1, payrollCols); err != nil {
		return err
	}
	if err := s.add(20,
		b.text("填报单位："+b.meta.OrgUnit, stInfo), nil, nil, nil,
		b.text("期间："+b.meta.PeriodLabel, stInfoCenter), nil,
		b.text("单位：元", stInfoRight)); err != nil {
		return err
	}
	if err := mergeRuns(s, [][2]int{{1, 4}, {5, 6}, {7, 8}}); err != nil {
		return err
	}
	hdr := []string{"序号", "姓名", "身份证号", "账号", "开户行", "所在村", "金额", "领取人签字"}
	cells := make([]any, len(hdr))
	for i, h := range hdr {
		cells[i] = b.text(h, stGridHeader)
	}
	return s.add(24, cells...)
}

// addRow writes one spooled record (see payrollFields).
func (p *payroll) addRow(rec []string) error {
	fen, err := strconv.ParseInt(rec[5], 10, 64)
	if err != nil {
		return err
	}
	if p.breakPending {
		p.breakPending = false
		if p.pagesOnSheet >= maxPagesPerSheet {
			if err := p.s.flush(); err != nil {
				return err
			}
			if err := p.startSheet(); err != nil {
				return err
			}
		} else if err := p.s.breakBefore(); err != nil {
			return err
		}
	}
	b := p.b
	if err := p.s.add(20,
		b.number(p.count+1, stGridCenter),
		b.text(rec[0], stGridText),
		b.text(rec[1], stGridText),
		b.text(rec[2], stGridText),
		b.text(rec[3], stGridText),
		b.text(rec[4], stGridText),
		b.money(fen, stGridMoney),
		b.text("", stGridText),
	); err != nil {
		return err
	}
	p.count++
	p.total += fen
	p.pageRows++
	p.pageFen += fen
	if p.pageRows == RowsPerPage {
		return p.endPage()
	}
	return nil
}

// endPage writes the 本页小计 row; the page break follows only if another
// data row does.
func (p *payroll) endPage() error {
	if err := p.totalRow("本页小计", p.pageRows, p.pageFen); err != nil {
		return err
	}
	p.pageRows, p.pageFen = 0, 0
	p.pagesOnSheet++
	p.breakPending = true
	return nil
}

// totalRow writes 本页小计 or 合计: label, count, amount.
func (p *payroll) totalRow(label string, n int, fen int64) error {
	b := p.b
	blank := b.text("", stGridTotal)
	if err := p.s.add(20,
		b.text(label, stGridTotal), blank,
		b.text(fmt.Sprintf("共 %d 笔", n), stGridTotal), blank, blank, blank,
		b.money(fen, stGridTotalM), blank); err != nil {
		return err
	}
	return mergeRuns(p.s, [][2]int{{1, 2}, {3, 6}})
}

func (p *payroll) finish() error {
	if p.pageRows > 0 {
		if err := p.endPage(); err != nil {
			return err
		}
	}
	if err := p.totalRow("合计", p.count, p.total); err != nil {
		return err
	}
	b, s := p.b, p.s
	blank := b.text("", stGridText)
	if err := s.add(22, b.text("合计金额（大写）", stGridTotal), b.text("", stGridTotal),
		b.text(Capital(p.total), stGridText), blank, blank, blank, blank, blank); err != nil {
		return err
	}
	if err := mergeRuns(s, [][2]int{{1, 2}, {3, payrollCols}}); err != nil {
		return err
	}
	if err := s.add(12); err != nil {
		return err
	}
	if err := signatureRow(s, b.meta.Preparer); err != nil {
		return err
	}
	return s.flush()
}

// signatureRow writes 制表人 / 审核人 / 单位负责人（签章） / 日期 across
// eight columns, with room to sign.
func signatureRow(s *sheet, preparer string) error {
	b := s.b
	if err := s.add(32,
		b.text("制表人："+preparer, stSign), nil,
		b.text("审核人：", stSign), nil,
		b.text("单位负责人（签章）：", stSign), nil,
		b.text("日期：　　　年　　月　　日", stSign)); err != nil {
		return err
	}
	return mergeRuns(s, [][2]int{{1, 2}, {3, 4}, {5, 6}, {7, 8}})
}

// mergeRuns merges several column ranges of the last row.
func mergeRuns(s *sheet, runs [][2]int) error {
	for _, r := range runs {
		if err := s.merge(r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}
