package catalog

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"caiji/backend/fields"
)

// Row checks. Validate looks at each cell on its own (type, required, enum,
// length) and at the batch as a whole for duplicate keys. Cross-field and
// cross-table rules (发放金额 ≤ 拨付金额, a roster's 项目编码 existing in the
// project table, the versioned region list, comparison against 财政供养人员)
// are deliberately out of scope here and belong to a later rules layer.
//
// Messages never contain cell values: issues end up in logs and exported
// error reports, and a value in the wrong column may be an ID or account.

// Issue codes added by this package; per-type codes come from
// backend/fields (id_checksum, account_luhn, money_negative, …).
const (
	CodeRequired     = "required"
	CodeEnum         = "enum"
	CodeTooLong      = "too_long"
	CodeInteger      = "integer"
	CodeRegion6      = "region6"
	CodeRegion12     = "region12"
	CodeDuplicate    = "duplicate"
	CodeUnknownField = "unknown_field"
)

// RowIssue is one problem in one cell (or, for duplicates and unknown
// fields, one row). Row is 1-based within the batch.
type RowIssue struct {
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	// Other is, for a duplicate, the row it repeats (same numbering as Row).
	Other int `json:"other,omitempty"`
}

var sevError = string(fields.Error)

// HasError reports whether any issue blocks saving (warnings do not).
func HasError(issues []RowIssue) bool {
	for _, is := range issues {
		if is.Severity == sevError {
			return true
		}
	}
	return false
}

// Validate checks rows of raw cell text keyed by field code and returns
// every issue found, in row order; within a row in field order, then
// unknown fields, then the duplicate check. Empty or blank cells count as
// missing. Enum cells may hold the value's code or its Chinese label. A
// duplicate is reported on the last key field, the most specific one
// (身份证号 rather than 项目编码 on the roster), and names the first row.
func (d Dataset) Validate(rows []map[string]string) []RowIssue {
	ix := d.index()
	var out []RowIssue
	firstRow := make(map[string]int, len(rows))
	keyVals := make([]string, len(ix.key))
	var unknown []string
	for r, row := range rows {
		n := r + 1
		for i := range d.Fields {
			f := &d.Fields[i]
			out = checkCell(out, n, f, row[f.Code])
		}
		if len(row) > 0 {
			unknown = unknown[:0]
			for k := range row {
				if _, ok := ix.byCode[k]; !ok {
					unknown = append(unknown, k)
				}
			}
			sort.Strings(unknown)
			for _, k := range unknown {
				out = append(out, RowIssue{Row: n, Field: k, Code: CodeUnknownField, Severity: sevError,
					Message: "数据集「" + d.Name + "」没有字段「" + k + "」，请检查表头或列对应关系。"})
			}
		}
		if key, ok := rowKey(d, ix, row, keyVals); ok {
			if first, dup := firstRow[key]; dup {
				out = append(out, RowIssue{Row: n, Field: d.Key[len(d.Key)-1], Code: CodeDuplicate, Severity: sevError,
					Other: first, Message: d.DuplicateMessage("第 " + strconv.Itoa(first) + " 行")})
			} else {
				firstRow[key] = n
			}
		}
	}
	return out
}

// DuplicateMessage says a row repeats another, named by where ("第 3 行",
// "文件第 5 行", "批次中已有的第 2 行"): one text for the grid and imports.
func (d Dataset) DuplicateMessage(where string) string {
	return "与" + where + "重复（" + keyLabels(d, d.index()) + "相同），请删除重复行或核对。"
}

// rowKey joins the normalised key values of row; ok is false when any key
// cell is blank (that is reported as required, not as a duplicate).
func rowKey(d Dataset, ix *index, row map[string]string, buf []string) (string, bool) {
	for j, fi := range ix.key {
		f := &d.Fields[fi]
		v := strings.TrimSpace(row[f.Code])
		if v == "" {
			return "", false
		}
		switch f.Type {
		case IDCard:
			v = fields.NormalizeID(v)
		case Account:
			v = fields.NormalizeAccount(v)
		}
		buf[j] = v
	}
	if len(buf) == 1 {
		return buf[0], true
	}
	return strings.Join(buf, "\x1f"), true
}

func keyLabels(d Dataset, ix *index) string {
	ls := make([]string, len(ix.key))
	for j, fi := range ix.key {
		ls[j] = "「" + d.Fields[fi].Label + "」"
	}
	return strings.Join(ls, "、")
}

// checkCell appends the issues of one cell.
func checkCell(out []RowIssue, row int, f *Field, raw string) []RowIssue {
	v := strings.TrimSpace(raw)
	if v == "" {
		if f.Required {
			out = append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRequired, Severity: sevError,
				Message: "「" + f.Label + "」是必填项，请填写。"})
		}
		return out
	}
	var issues []fields.Issue
	switch f.Type {
	case IDCard:
		var id string
		id, issues = fields.CheckID(v)
		if !fields.HasError(issues) {
			issues = checkIDRegion(issues, id)
		}
	case Account:
		_, issues = fields.CheckAccount(v)
	case Money:
		_, issues = fields.ParseFen(v)
	case Date:
		_, issues = fields.ParseDate(v)
	case Phone:
		_, issues = fields.CheckPhone(v)
	case Text:
		if n := utf8.RuneCountInString(v); n > f.MaxLength {
			return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeTooLong, Severity: sevError,
				Message: "「" + f.Label + "」最多 " + strconv.Itoa(f.MaxLength) + " 个字，现在是 " +
					strconv.Itoa(n) + " 个字，请精简。"})
		}
	case Integer:
		if !asciiDigits(v) || len(v) > 18 {
			return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeInteger, Severity: sevError,
				Message: "「" + f.Label + "」应为不带小数点的非负整数（如 3），请核对。"})
		}
	case Region6:
		if len(v) != 6 || !asciiDigits(v) {
			return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegion6, Severity: sevError,
				Message: "「" + f.Label + "」应为 6 位数字的行政区划代码（如 410102），请核对位数。"})
		}
		return checkRegion6(out, row, f, v)
	case Region12:
		if len(v) != 12 || !asciiDigits(v) {
			return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeRegion12, Severity: sevError,
				Message: "「" + f.Label + "」应为 12 位数字的统计用区划代码（村级，如 410102001002），请核对位数。"})
		}
		return checkRegion12(out, row, f, v)
	case Enum:
		for _, ev := range f.Values {
			if v == ev.Code || v == ev.Label {
				return out
			}
		}
		return append(out, RowIssue{Row: row, Field: f.Code, Code: CodeEnum, Severity: sevError,
			Message: "「" + f.Label + "」只能填写以下之一：" + enumLabels(f) + "。"})
	case Attachment:
		// Presence is all that can be checked here; the attachment store
		// checks that the file exists.
	}
	for _, is := range issues {
		out = append(out, RowIssue{Row: row, Field: f.Code, Code: is.Code, Severity: string(is.Severity),
			Message: "「" + f.Label + "」：" + is.Message})
	}
	return out
}

func enumLabels(f *Field) string {
	ls := make([]string, len(f.Values))
	for i, ev := range f.Values {
		ls[i] = ev.Label
	}
	return strings.Join(ls, "、")
}

func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
