package fields

// Bank card and passbook (存折) accounts. 一卡通 subsidies are often paid to
// passbooks of rural credit cooperatives, whose 12–19 digit numbers follow no
// public checksum, and some UnionPay cards fail Luhn too: so the only hard
// rules are "digits" and "12 to 19 of them", and Luhn is a warning.

const (
	accountMinLen = 12
	accountMaxLen = 19
)

// NormalizeAccount folds full-width digits and removes spaces and dashes,
// which people type between digit groups ("6222 0212 3456 7890 123").
func NormalizeAccount(s string) string {
	return removeFunc(foldWidth(s), func(r rune) bool { return isBlank(r) || isDash(r) })
}

// CheckAccount validates a bank card or passbook account typed as text and
// returns it normalised (see NormalizeAccount).
func CheckAccount(s string) (string, []Issue) { return CheckAccountCell(s, false) }

// CheckAccountCell is CheckAccount for a spreadsheet cell; numeric says the
// cell was a number. A numeric cell keeps 15 significant digits, so an
// account of 16 or more digits read from one is rejected with
// CodeAccountNumericCell. (A numeric cell also drops leading zeros, which
// cannot be detected here.)
func CheckAccountCell(s string, numeric bool) (string, []Issue) {
	n := NormalizeAccount(s)
	if n == "" {
		return n, one(CodeAccountEmpty, "银行账号为空，请填写。")
	}
	if numeric {
		n = dropZeroFraction(n)
	}
	if isScientific(n) || numeric && leadingDigits(n) > 15 {
		return n, one(CodeAccountNumericCell, numericCellMessage("银行账号"))
	}
	if pos, r := firstNonDigit(n); pos > 0 {
		return n, one(CodeAccountChars, "银行账号第 "+itoa(pos)+" 位"+describeRune(r)+
			"不是数字，账号只能由数字组成（空格和横线会自动去掉）。请核对后重新填写。")
	}
	if len(n) < accountMinLen || len(n) > accountMaxLen {
		return n, one(CodeAccountLength, "银行账号应为 12–19 位数字，现在是 "+itoa(len(n))+
			" 位，请对照银行卡或存折核对是否多输或漏输。")
	}
	// Cards are 16–19 digits; shorter numbers are passbooks, for which a Luhn
	// warning would be noise on every row.
	if len(n) >= 16 && !luhnOK(n) {
		return n, []Issue{warningIssue(CodeAccountLuhn,
			"账号未通过银行卡号校验。如果是存折账号或部分银联卡，可以忽略；如果是银行卡，请对照卡面逐位核对。")}
	}
	return n, nil
}

// luhnOK runs the Luhn (mod 10) check over a string of digits.
func luhnOK(digits string) bool {
	return len(digits) > 0 && LuhnCheckDigit(digits[:len(digits)-1]) == digits[len(digits)-1]
}

// LuhnCheckDigit is the digit a bank card number ends with for the given
// digits before it (ISO/IEC 7812). Exported for tests that build valid
// card numbers, and used by the check itself.
func LuhnCheckDigit(body string) byte {
	sum := 0
	double := true
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}
