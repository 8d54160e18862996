package fields

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clerks type with a Chinese IME, which gives full-width digits and
// punctuation (１２３，．－), and paste from web pages and Word, which bring
// no-break and zero-width spaces. Everything here folds those first.

// foldWidth maps full-width ASCII variants (U+FF01..U+FF5E) to ASCII and the
// ideographic space to a space. A manual map rather than x/text/width: this
// range is all we need, and it keeps the hot path allocation-free for ASCII.
func foldWidth(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isBlank reports spaces of every kind, including the invisible ones that
// unicode.IsSpace does not count (zero-width space, BOM, word joiner).
func isBlank(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return unicode.IsSpace(r)
}

// trimBlank trims isBlank runes from both ends.
func trimBlank(s string) string { return strings.TrimFunc(s, isBlank) }

// isDash covers the dashes people put between digit groups.
func isDash(r rune) bool {
	switch r {
	case '-', 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63:
		return true
	}
	return false
}

// removeFunc drops every rune for which drop is true, without allocating
// when there is nothing to drop.
func removeFunc(s string, drop func(rune) bool) string {
	if strings.IndexFunc(s, drop) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if !drop(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// firstNonDigit returns the 1-based rune position and the rune of the first
// non-digit in s, for messages that point at the bad character.
func firstNonDigit(s string) (pos int, r rune) {
	for _, r := range s {
		pos++
		if r < '0' || r > '9' {
			return pos, r
		}
	}
	return 0, 0
}

// describeRune shows r in a message if it is visible, else its code point,
// so a stray control character is not printed raw.
func describeRune(r rune) string {
	if unicode.IsPrint(r) && !isBlank(r) {
		return "「" + string(r) + "」"
	}
	return fmt.Sprintf("（不可见字符 U+%04X）", r)
}
