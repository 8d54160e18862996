package fields

import (
	"strings"
	"unicode/utf8"
)

// Masking for screens, printouts and exports that do not need the full
// value. Each function works on any input, however short or malformed:
// when too little would stay hidden it masks everything rather than show
// a short value whole.

// MaskID keeps the first 3 and last 4 characters of a 身份证号 and stars the
// rest, keeping the length: 110***********1234. Input is normalised first
// (spaces, full width, x). Fewer than 8 characters are starred entirely.
func MaskID(s string) string { return maskMiddle(NormalizeID(s), 3, 4) }

// MaskAccount keeps the first 4 and last 4 digits of an account and stars
// the rest, keeping the length: 6222***********1234. Input is normalised
// first (spaces, dashes, full width). Fewer than 9 characters are starred
// entirely.
func MaskAccount(s string) string { return maskMiddle(NormalizeAccount(s), 4, 4) }

// maskMiddle keeps head and tail runes when at least one rune stays hidden.
func maskMiddle(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}

// compoundSurnames are the two-character surnames common enough in rosters
// to show whole, so that 欧阳娜娜 reads 欧阳** rather than 欧***.
var compoundSurnames = map[string]bool{
	"欧阳": true, "司马": true, "上官": true, "诸葛": true, "东方": true, "皇甫": true,
	"尉迟": true, "公孙": true, "慕容": true, "长孙": true, "宇文": true, "司徒": true,
	"夏侯": true, "轩辕": true, "令狐": true, "端木": true, "独孤": true, "南宫": true,
	"西门": true, "呼延": true, "澹台": true, "公冶": true, "太史": true, "申屠": true,
	"闻人": true, "万俟": true, "百里": true, "钟离": true, "宗政": true, "濮阳": true,
	"淳于": true, "单于": true, "赫连": true, "第五": true, "左丘": true, "东郭": true,
	"司空": true, "拓跋": true, "完颜": true,
}

// MaskName keeps the surname and stars each remaining character: 张三 →
// 张*, 欧阳娜娜 → 欧阳**. The "·" in transliterated minority names stays
// (买买提·艾力 → 买**·**). A name with nothing after its first character
// but dots is starred whole, and a name no longer than its compound surname
// keeps only its first character.
func MaskName(s string) string {
	r := []rune(trimBlank(s))
	if len(r) <= 1 {
		return strings.Repeat("*", len(r))
	}
	keep := 1
	if len(r) > 2 && compoundSurnames[string(r[:2])] {
		keep = 2
	}
	starred := false
	for i := keep; i < len(r); i++ {
		switch r[i] {
		case '·', '•', '・', '.':
		default:
			r[i] = '*'
			starred = true
		}
	}
	if !starred { // "张·": nothing but the surname, so hide that
		r[0] = '*'
	}
	return string(r)
}
