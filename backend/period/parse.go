package period

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"caiji/backend/apperr"
)

const formatHint = "格式应为 2026-10（月）、2026Q3 或 2026-Q3（季度）、2026（年）"

// Parse reads a period as String writes it, also accepting "2026-Q3". It is
// strict on purpose: periods key stored data, so "2026-1", " 2026-10" or a
// full-width "２０２６－１０" is refused with a message saying what to fix
// rather than guessed at.
func Parse(s string) (Period, error) {
	if s == "" {
		return Period{}, apperr.New(apperr.BadInput, "期间不能为空，"+formatHint)
	}
	bad := func(why string) (Period, error) {
		return Period{}, apperr.New(apperr.BadInput, fmt.Sprintf("期间「%s」无效：%s", quote(s), why))
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return bad("含有空格，请删除空格后重试")
	}
	if strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
		return bad("含有全角或中文字符，请切换到半角（英文）输入，" + formatHint)
	}
	if len(s) < 4 || !digits(s[:4]) || (len(s) > 4 && s[4] >= '0' && s[4] <= '9') {
		return bad("年份应为四位数字，" + formatHint)
	}
	year := atoi(s[:4])
	if year < 1000 {
		return bad("年份应为四位数字且不以 0 开头")
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Kind: Yearly, Year: year, N: 1}, nil
	case strings.HasPrefix(rest, "Q") || strings.HasPrefix(rest, "-Q"):
		q := rest[strings.IndexByte(rest, 'Q')+1:]
		if !digits(q) {
			return bad(formatHint)
		}
		if len(q) != 1 || q[0] < '1' || q[0] > '4' {
			return bad("季度应为 1–4")
		}
		return Period{Kind: Quarterly, Year: year, N: int(q[0] - '0')}, nil
	case strings.HasPrefix(rest, "q") || strings.HasPrefix(rest, "-q"):
		return bad(fmt.Sprintf("季度请用大写字母 Q，如 %dQ3", year))
	case rest[0] == '-':
		m := rest[1:]
		if !digits(m) {
			return bad(formatHint)
		}
		if len(m) != 2 {
			return bad(fmt.Sprintf("月份应写两位数字，如 %d-03", year))
		}
		n := atoi(m)
		if n < 1 || n > 12 {
			return bad("月份应为 1–12")
		}
		return Period{Kind: Monthly, Year: year, N: n}, nil
	}
	return bad(formatHint)
}

// ParseKind checks a kind that came from outside the program (the
// frontend, a file), so that Current and Due never see an unknown one.
func ParseKind(s string) (Kind, error) {
	k := Kind(s)
	if k.perYear() == 0 {
		return "", apperr.New(apperr.BadInput, fmt.Sprintf("期间类型「%s」无效：应为 monthly、quarterly 或 yearly", quote(s)))
	}
	return k, nil
}

// digits reports whether s is non-empty and all ASCII digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads a short all-digit string; callers check digits first.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// quote shortens what a person pasted so that a whole spreadsheet cell
// does not end up in an error dialog.
func quote(s string) string {
	const max = 20
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
