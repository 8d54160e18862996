package fields

import (
	"strings"
	"time"
)

// 身份证号, GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit
// sequence (odd for men), and a check character computed with ISO 7064
// MOD 11-2 over the first 17 digits. First-generation cards have 15 digits:
// region, YYMMDD (always 19YY), sequence, and no check character.

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars[sum%11] is the check character.
const idCheckChars = "10X98765432"

// chinaTime is Beijing time. A fixed zone, not LoadLocation: Windows has no
// zoneinfo unless time/tzdata is linked in, and China has had no DST since 1991.
var chinaTime = time.FixedZone("CST", 8*60*60)

// provinces holds the GB/T 2260 province-level codes. Only the province is
// checked: the six-digit region of an ID stays valid after the county it
// names is abolished or renamed, so a full region table would reject real people.
var provinces = func() (p [100]bool) {
	for _, c := range []int{
		11, 12, 13, 14, 15, // 京 津 冀 晋 蒙
		21, 22, 23, // 辽 吉 黑
		31, 32, 33, 34, 35, 36, 37, // 沪 苏 浙 皖 闽 赣 鲁
		41, 42, 43, 44, 45, 46, // 豫 鄂 湘 粤 桂 琼
		50, 51, 52, 53, 54, // 渝 川 贵 云 藏
		61, 62, 63, 64, 65, // 陕 甘 青 宁 新
		71, 81, 82, // 台 港 澳
		83, // 830000: 港澳台居民居住证 numbers, same format and checksum
	} {
		p[c] = true
	}
	return p
}()

// NormalizeID folds full-width characters, removes every kind of space
// (also inside: "110105 1949..." is a common way of typing it) and upper-cases
// x, the check character that IMEs and phones often give in lower case.
func NormalizeID(s string) string {
	s = removeFunc(foldWidth(s), isBlank)
	if strings.IndexByte(s, 'x') >= 0 {
		s = strings.ReplaceAll(s, "x", "X")
	}
	return s
}

// CheckID validates a 身份证号 typed or pasted as text. It returns the
// normalised number (see NormalizeID) and what is wrong with it; the number
// is usable when HasError(issues) is false. A 15-digit number passes with a
// CodeIDLegacy warning.
func CheckID(s string) (string, []Issue) { return checkID(s, false, time.Now()) }

// CheckIDCell is CheckID for a value read from a spreadsheet cell; numeric
// says the cell was a number rather than text. Excel keeps only 15
// significant digits of a number, so an 18-digit ID from a numeric cell has
// already lost its last digits and is rejected with CodeIDNumericCell.
func CheckIDCell(s string, numeric bool) (string, []Issue) {
	return checkID(s, numeric, time.Now())
}

// checkID takes the current time so tests can pin "today".
func checkID(s string, numeric bool, now time.Time) (string, []Issue) {
	n := NormalizeID(s)
	if n == "" {
		return n, one(CodeIDEmpty, "身份证号为空，请填写。")
	}
	if numeric {
		n = dropZeroFraction(n)
	}
	if isScientific(n) || numeric && leadingDigits(n) > 15 {
		return n, one(CodeIDNumericCell, numericCellMessage("身份证号"))
	}
	// All digits, except that an 18-digit number may end in X. (Before the
	// first non-digit everything is ASCII, so rune and byte positions agree.)
	if pos, r := firstNonDigit(n); pos > 0 && !(r == 'X' && pos == len(n)) {
		if r == 'X' {
			return n, one(CodeIDChars, "身份证号里只有最后一位可以是 X，请核对。")
		}
		return n, one(CodeIDChars, "身份证号第 "+itoa(pos)+" 位"+describeRune(r)+
			"不是数字，只有最后一位可以是 X。请核对后重新填写。")
	}
	switch {
	case len(n) == 15 && n[14] == 'X':
		return n, one(CodeIDChars, "15 位旧身份证号没有校验位，不会以 X 结尾，请核对位数。")
	case len(n) != 18 && len(n) != 15:
		return n, one(CodeIDLength, "身份证号应为 18 位（旧证 15 位），现在是 "+itoa(len(n))+
			" 位，请核对是否多输或漏输。")
	}

	var issues []Issue
	if !idRegionOK(n) {
		issues = append(issues, errorIssue(CodeIDRegion,
			"身份证号前两位不是有效的省级行政区划代码，请核对前几位。"))
	}
	if is, found := checkBirth(n, now); found {
		issues = append(issues, is)
	}
	if len(n) == 18 && idCheckChar(n[:17]) != n[17] {
		issues = append(issues, errorIssue(CodeIDChecksum,
			"身份证号校验位不符，可能有一位录错或两位顺序颠倒，请对照证件逐位核对。"))
	}
	if len(n) == 15 && !HasError(issues) {
		issues = append(issues, warningIssue(CodeIDLegacy,
			"这是 15 位旧身份证号。如发放系统要求 18 位，请向本人核实后改填 18 位号码。"))
	}
	return n, issues
}

// idRegionOK checks the province code. Foreigners' permanent residence cards
// issued since 2023 use the same 18-character layout with a leading 9 and
// the issuing province in digits 2–3.
func idRegionOK(n string) bool {
	p := int(n[0]-'0')*10 + int(n[1]-'0')
	if n[0] == '9' && len(n) == 18 {
		p = int(n[1]-'0')*10 + int(n[2]-'0')
	}
	return provinces[p]
}

// checkBirth validates the embedded birth date and returns the issue found,
// an error or a warning, if any.
//
// Years from 1800 are accepted because GB 11643 itself uses a birth year of
// 1880 in its example (440524188001010014); anyone over 110 gets a warning
// instead, which catches typed years like 1890 for 1980.
func checkBirth(n string, now time.Time) (is Issue, found bool) {
	y, m, d := idBirthFields(n)
	const where = "身份证号第 7–14 位是出生日期（旧证第 7–12 位），"
	switch {
	case m < 1 || m > 12:
		return errorIssue(CodeIDBirthDate, where+"其中月份不存在，请核对。"), true
	case d < 1 || d > daysIn(y, time.Month(m)):
		return errorIssue(CodeIDBirthDate, where+"其中日期不存在（该月没有这一天），请核对。"), true
	case y < 1800:
		return errorIssue(CodeIDBirthDate, where+"其中年份早于 1800 年，请核对。"), true
	}
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	ty, tm, td := now.In(chinaTime).Date()
	today := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	if birth.After(today) {
		return errorIssue(CodeIDBirthDate, where+"其中出生日期晚于今天，请核对。"), true
	}
	if birth.Before(today.AddDate(-110, 0, 0)) {
		return warningIssue(CodeIDBirthOld, where+"按此计算本人已超过 110 岁，请核对出生年份。"), true
	}
	return Issue{}, false
}

// idBirthFields reads year, month and day from a shape-checked number.
func idBirthFields(n string) (y, m, d int) {
	if len(n) == 15 {
		return 1900 + atoi(n[6:8]), atoi(n[8:10]), atoi(n[10:12])
	}
	return atoi(n[6:10]), atoi(n[10:12]), atoi(n[12:14])
}

// IDCheckChar computes the GB 11643 check character of 17 digits (test
// data and benchmark fixtures build valid numbers with it).
func IDCheckChar(first17 string) byte { return idCheckChar(first17) }

// idCheckChar computes the GB 11643 check character of 17 digits.
func idCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// idShapeOK reports a normalised number of 15 digits, or 17 digits plus a
// digit or X; the helpers below need nothing more.
func idShapeOK(n string) bool {
	switch len(n) {
	case 15:
		return allDigits(n)
	case 18:
		return allDigits(n[:17]) && (isDigit(n[17]) || n[17] == 'X')
	}
	return false
}

// IDBirthDate returns the birth date in an ID (UTC midnight). ok is false
// when the number is not shaped like an ID or the date does not exist; the
// checksum is not verified here, use CheckID for that.
func IDBirthDate(id string) (birth time.Time, ok bool) {
	n := NormalizeID(id)
	if !idShapeOK(n) {
		return time.Time{}, false
	}
	y, m, d := idBirthFields(n)
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

// IDMale reports whether the ID belongs to a man (odd sequence digit: the
// 17th of 18, the 15th of 15). ok is false when the number is not
// shaped like an ID.
func IDMale(id string) (male, ok bool) {
	n := NormalizeID(id)
	if !idShapeOK(n) {
		return false, false
	}
	seq := n[14]
	if len(n) == 18 {
		seq = n[16]
	}
	return (seq-'0')%2 == 1, true
}

// UpgradeID15 converts a 15-digit ID to its 18-digit form: "19" is put in
// front of the year and the check character appended, as the public
// security bureau does when it re-issues the card.
func UpgradeID15(id string) (string, bool) {
	n := NormalizeID(id)
	if len(n) != 15 || !allDigits(n) {
		return "", false
	}
	first17 := n[:6] + "19" + n[6:]
	return first17 + string(idCheckChar(first17)), true
}
