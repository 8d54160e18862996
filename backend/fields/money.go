package fields

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Amounts are int64 fen (分). Never float: 0.1+0.2 != 0.3 in binary, and a
// roster total must equal the sum of its rows to the fen.

// ParseFen reads an amount in yuan as clerks type it — "1234.5",
// "1,234.50", "１２３４．５０", "￥1234.50", "1234元" — and returns fen.
// Zero is accepted (whether it is allowed is the caller's rule). Negative
// amounts, more than two decimals, exponent forms and values beyond int64
// are rejected; nothing is ever rounded ("1.500" is fine, "1.505" is not).
func ParseFen(s string) (int64, []Issue) {
	t := trimBlank(foldWidth(s))
	if t == "" {
		return 0, one(CodeMoneyEmpty, "金额为空，请填写。")
	}
	for _, p := range []string{"¥", "￥", "RMB", "rmb"} {
		if strings.HasPrefix(t, p) {
			t = trimBlank(t[len(p):])
			break
		}
	}
	for _, suf := range []string{"元整", "元"} {
		if strings.HasSuffix(t, suf) {
			t = trimBlank(t[:len(t)-len(suf)])
			break
		}
	}
	if t == "" {
		return 0, one(CodeMoneyFormat, "金额只有货币符号或单位，没有数字，请填写金额。")
	}
	switch r, _ := utf8.DecodeRuneInString(t); {
	case isDash(r), r == '(', r == '（', strings.HasPrefix(t, "负"):
		return 0, one(CodeMoneyNegative, "金额不能是负数。如需冲减，请按退款或更正流程办理。")
	}
	if isScientific(strings.ReplaceAll(t, ",", "")) {
		return 0, one(CodeMoneyFormat, "金额是科学计数法形式（如 1.2E+5），请填写完整的数字，"+
			"如果来自 Excel，请把该列设为数值两位小数或文本后再复制。")
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if strings.IndexByte(whole, ',') >= 0 {
		if !groupingOK(whole) {
			return 0, one(CodeMoneyFormat, "金额中的千位分隔符（逗号）位置不对。小数点请用“.”，"+
				"例如 1,234.50 或 1234.50。")
		}
		whole = strings.ReplaceAll(whole, ",", "")
	}
	if whole == "" && frac == "" || whole != "" && !allDigits(whole) || frac != "" && !allDigits(frac) {
		msg := "金额只能包含数字和小数点，例如 1234.50、1,234.50 或 ￥1234.50。请核对后重新填写。"
		if hasDot && strings.IndexByte(frac, '.') >= 0 {
			msg = "金额中有多个小数点，请核对后重新填写。"
		}
		return 0, one(CodeMoneyFormat, msg)
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, one(CodeMoneyDecimals, "金额最多两位小数（精确到分），现在有 "+itoa(len(frac))+
				" 位，请核对原始金额。")
		}
		frac = frac[:2]
	}
	fen := int64(0)
	if len(frac) > 0 {
		fen = int64(frac[0]-'0') * 10
		if len(frac) == 2 {
			fen += int64(frac[1] - '0')
		}
	}
	whole = strings.TrimLeft(whole, "0")
	const maxYuan = math.MaxInt64 / 100
	if len(whole) > 18 {
		return 0, overflow()
	}
	var yuan int64 // at most 18 digits: cannot overflow
	for i := 0; i < len(whole); i++ {
		yuan = yuan*10 + int64(whole[i]-'0')
	}
	if yuan > maxYuan || yuan == maxYuan && fen > math.MaxInt64%100 {
		return 0, overflow()
	}
	return yuan*100 + fen, nil
}

func overflow() []Issue {
	return one(CodeMoneyOverflow, "金额太大，超出了可以处理的范围，请核对是否多输了数字。")
}

// groupingOK accepts "1,234" and "12,345,678": one to three digits, then
// groups of exactly three. Anything else is more likely a mistyped decimal
// point than a separator, so it is rejected rather than guessed.
func groupingOK(whole string) bool {
	groups := strings.Split(whole, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// FormatYuan shows fen as yuan with two decimals and no separators,
// "1234.50": the form for exports and bank files. ParseFen reads it back.
func FormatYuan(fen int64) string { return string(appendYuan(nil, fen, false)) }

// FormatYuanGrouped shows fen as yuan with thousands separators,
// "1,234.50": the form for screens and printed rosters.
func FormatYuanGrouped(fen int64) string { return string(appendYuan(nil, fen, true)) }

func appendYuan(b []byte, fen int64, grouped bool) []byte {
	u := uint64(fen)
	if fen < 0 {
		b = append(b, '-')
		u = -u // two's complement: right for math.MinInt64 too
	}
	digits := strconv.FormatUint(u/100, 10)
	if grouped {
		for i := range len(digits) {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b = append(b, ',')
			}
			b = append(b, digits[i])
		}
	} else {
		b = append(b, digits...)
	}
	f := u % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}
