package importer

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"caiji/backend/catalog"
)

// CodeNumericCell marks a 身份证号 or account that Excel stored as a
// number: only 15 significant digits survive, so the rest are gone and
// no fix on our side can bring them back.
const CodeNumericCell = "numeric_cell"

// scientific is how a number of more than 15 digits reaches us from
// excelize (1.10101199003071E+17) or from a clerk who reformatted it.
var scientific = regexp.MustCompile(`^[0-9](\.[0-9]+)?[Ee]\+?[0-9]+$`)

// invisible characters that copy-paste from web pages and Word leaves in
// cells; they are never data.
var invisible = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", "\u2060", "")

// clean turns a cell as the spreadsheet shows it into the text the
// validators read. Structured values (numbers, codes, dates) have their
// full-width characters folded and inner spaces removed; free text keeps
// its Chinese punctuation and is only trimmed. numeric is true when the
// cell is a personal number that arrived as a number.
func clean(f *catalog.Field, raw string) (v string, numeric bool) {
	v = raw
	if strings.ContainsAny(v, "\u200b\u200c\u200d\ufeff\u2060") { // rare; Replace would copy every cell
		v = invisible.Replace(v)
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	switch f.Type {
	case catalog.Text, catalog.Attachment:
		return v, false
	case catalog.IDCard, catalog.Account:
		v = squeeze(width.Fold.String(v))
		return v, scientific.MatchString(v)
	case catalog.Money:
		v = squeeze(width.Fold.String(v))
		v = strings.TrimLeft(v, "¥￥")
		v = strings.TrimSuffix(v, "元")
		return roundFen(v), false
	case catalog.Region6, catalog.Region12:
		v = width.Fold.String(v)
		// A drop-down of "410102001002 碧沙岗社区" keeps the name after
		// the code; the code is what we store.
		if i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' }); i >= 6 {
			v = v[:i]
		}
		return squeeze(v), false
	case catalog.Integer, catalog.Phone:
		return squeeze(width.Fold.String(v)), false
	}
	return width.Fold.String(v), false
}

// squeeze removes inner spaces: 6217 0024 3001 2345 678.
func squeeze(s string) string {
	if !strings.ContainsAny(s, " \t\u00a0\u3000") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

var longDecimal = regexp.MustCompile(`^-?[0-9]+\.[0-9]{3,}$`)

// roundFen undoes binary floating point noise in a number cell
// (1200.4999999999998 is 1200.50 as the clerk typed and Excel shows it),
// but leaves a real third decimal (12.345) for the validator to refuse.
func roundFen(v string) string {
	if !longDecimal.MatchString(v) {
		return v
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	fen := math.Round(x * 100)
	if math.Abs(x*100-fen) > 1e-6 {
		return v
	}
	return strconv.FormatFloat(fen/100, 'f', 2, 64)
}

func numericIssue(f *catalog.Field) catalog.RowIssue {
	return catalog.RowIssue{Field: f.Code, Code: CodeNumericCell, Severity: "error",
		Message: "「" + f.Label + "」被 Excel 当作数字保存，只保留了 15 位有效数字，后面几位已经丢失。" +
			"请把这一列设置为“文本”格式，重新输入完整号码后再导入。"}
}

func itoa(n int) string { return strconv.Itoa(n) }
