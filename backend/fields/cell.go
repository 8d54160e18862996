package fields

import "strconv"

// Excel stores numbers as doubles and keeps 15 significant digits: typed
// into a numeric cell, 110105194912310027 becomes 110105194912310000 (shown
// as 1.10105E+17). The lost digits cannot be recovered from the file, so the
// only fix is to make the column text and type the numbers again.

func numericCellMessage(what string) string {
	return what + "所在的单元格是数字格式，Excel 已把它改坏：数字格式的单元格只保留 15 位有效数字，" +
		"请把该列设为文本后重新填写。"
}

// isScientific reports text like "1.10105E+17": a long number written out
// from a numeric cell. Whatever the caller knows about the cell, its digits
// are already gone.
func isScientific(s string) bool {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i == len(s) || s[i] != 'E' && s[i] != 'e' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	return i < len(s) && allDigits(s[i:])
}

// leadingDigits counts the digits before the first non-digit.
func leadingDigits(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// dropZeroFraction turns "130503670401001.0", as some readers render a
// whole number from a numeric cell, into "130503670401001".
func dropZeroFraction(s string) string {
	i := leadingDigits(s)
	if i == 0 || i == len(s) || s[i] != '.' {
		return s
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] != '0' {
			return s
		}
	}
	return s[:i]
}

func itoa(n int) string { return strconv.Itoa(n) }

// atoi reads a short run of ASCII digits that the caller has checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
