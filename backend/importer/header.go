package importer

import (
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
)

// headerScan is how far down a sheet the header may sit: below a title,
// a unit line and a blank row or two, never further in real files.
const headerScan = 20

// Column is one column of the file and what it was taken as.
type Column struct {
	Index  int    `json:"index"`  // 0-based
	Letter string `json:"letter"` // A, B, …, AA
	Header string `json:"header"` // as written in the file
	Field  string `json:"field"`  // field code; "" when ignored
	Label  string `json:"label"`  // the field's label; "" when ignored
}

// header is the mapping from file columns to fields.
type header struct {
	line    int // the header's row number in the file
	columns []Column
	byIndex []int // column index → position in dataset fields, -1 ignored
	ignored []string
	codeRow bool // the next row repeats field codes (our template's hidden row)
}

// labelKey folds a header label for matching: full-width to half-width,
// no spaces or line breaks, no required-field stars, lower case, and the
// Chinese and ASCII parentheses alike.
func labelKey(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '*', r == '※', r == '★':
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// withoutUnit drops a trailing parenthesised unit: 补助金额(元) → 补助金额.
func withoutUnit(k string) string {
	if strings.HasSuffix(k, ")") {
		if i := strings.LastIndex(k, "("); i > 0 {
			return k[:i]
		}
	}
	return k
}

// ignoredHeaders are columns every Chinese roster has that carry no data.
var ignoredHeaders = map[string]bool{"序号": true, "序": true, "编号": true, "no.": true, "no": true}

// matcher maps folded labels, codes and aliases to field positions.
type matcher struct {
	d        catalog.Dataset
	required int // number of required fields
	byKey    map[string]int
	byCode   map[string]int
}

func newMatcher(d catalog.Dataset) *matcher {
	m := &matcher{d: d, byKey: map[string]int{}, byCode: map[string]int{}}
	add := func(s string, i int) {
		k := labelKey(s)
		if _, taken := m.byKey[k]; !taken {
			m.byKey[k] = i
		}
		if u := withoutUnit(k); u != k {
			if _, taken := m.byKey[u]; !taken {
				m.byKey[u] = i
			}
		}
	}
	// Labels and codes first, so an alias never shadows another field's label.
	for i, f := range d.Fields {
		if f.Required {
			m.required++
		}
		add(f.Label, i)
		m.byCode[strings.ToLower(f.Code)] = i
		add(f.Code, i)
	}
	for i, f := range d.Fields {
		for _, a := range f.Aliases {
			add(a, i)
		}
	}
	return m
}

func (m *matcher) field(cell string) (int, bool) {
	k := labelKey(cell)
	if k == "" {
		return -1, false
	}
	if i, ok := m.byKey[k]; ok {
		return i, true
	}
	if i, ok := m.byKey[withoutUnit(k)]; ok {
		return i, true
	}
	return -1, false
}

// score counts the distinct fields a row names, and the required ones
// among them. A header names at least two fields and half the required
// ones: a roster offered as the publicity table shares only 项目编码 and
// 备注 with it, and is "not this table", not "missing five columns".
func (m *matcher) score(row []string) (fields, required int) {
	seen := map[int]bool{}
	for _, c := range row {
		if i, ok := m.field(c); ok && !seen[i] {
			seen[i] = true
			if m.d.Fields[i].Required {
				required++
			}
		}
	}
	return len(seen), required
}

// codeRowScore counts cells that are exactly field codes.
func (m *matcher) codeRowScore(row []string) int {
	n := 0
	for _, c := range row {
		if _, ok := m.byCode[strings.ToLower(strings.TrimSpace(c))]; ok {
			n++
		}
	}
	return n
}

// build maps the chosen header row; it refuses a file that names one
// field twice or lacks a required one, since every row would be wrong.
func (m *matcher) build(line int, row []string) (*header, error) {
	h := &header{line: line, byIndex: make([]int, len(row))}
	first := map[int]int{} // field → column
	for ci, cell := range row {
		letter, _ := excelize.ColumnNumberToName(ci + 1)
		col := Column{Index: ci, Letter: letter, Header: strings.TrimSpace(cell)}
		h.byIndex[ci] = -1
		if fi, ok := m.field(cell); ok {
			if prev, dup := first[fi]; dup {
				pl, _ := excelize.ColumnNumberToName(prev + 1)
				return nil, apperr.New(apperr.ImportDuplicateColumn, "第 "+pl+" 列和第 "+letter+" 列都对应「"+
					m.d.Fields[fi].Label+"」，请删除其中一列后再导入。")
			}
			first[fi] = ci
			h.byIndex[ci] = fi
			col.Field, col.Label = m.d.Fields[fi].Code, m.d.Fields[fi].Label
		} else if col.Header != "" && !ignoredHeaders[labelKey(cell)] {
			h.ignored = append(h.ignored, col.Header)
		}
		h.columns = append(h.columns, col)
	}
	var missing []string
	for fi, f := range m.d.Fields {
		if _, ok := first[fi]; !ok && f.Required {
			missing = append(missing, "「"+f.Label+"」")
		}
	}
	if len(missing) > 0 {
		return nil, apperr.New(apperr.ImportMissingColumns, "文件缺少必填列 "+strings.Join(missing, "、")+
			"（在第 "+itoa(line)+" 行表头中没有找到）。请按模板补上这些列，或把表头改成字段名称后再导入。")
	}
	return h, nil
}

// noHeader explains what was looked for.
func noHeader(d catalog.Dataset) error {
	var labels []string
	for _, f := range d.Fields {
		if f.Required {
			labels = append(labels, f.Label)
		}
	}
	return apperr.New(apperr.ImportNoHeader, "在前 "+itoa(headerScan)+" 行中没有找到「"+d.Name+"」的表头（应包含 "+
		strings.Join(labels, "、")+" 等列）。请确认选择了正确的数据集和文件，或使用本系统下载的模板。")
}

// totalRow reports a 合计/总计/小计 line: its first non-blank cell says so.
func totalRow(row []string) bool {
	for _, c := range row {
		k := labelKey(c)
		if k == "" {
			continue
		}
		k = strings.TrimSuffix(strings.TrimSuffix(k, ":"), "：")
		switch k {
		case "合计", "总计", "小计", "本页小计", "本页合计", "累计", "总合计":
			return true
		}
		return false
	}
	return false
}
