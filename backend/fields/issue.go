// Package fields validates and parses what clerks type into a subsidy roster:
// 身份证号, bank / 一卡通 accounts, amounts, dates and phone numbers, and masks
// them for display. Everything here is pure (no I/O, no globals that change),
// so one roster of 100,000 rows can be checked on any goroutine.
//
// Functions return the normalised value plus a list of Issues instead of an
// error: a row can have several problems at once, and warnings (for example
// a passbook number that fails the card checksum) must not block saving.
//
// Messages never repeat the ID or account they are about: issues end up in
// logs and exported error reports, and personal data must not.
package fields

// Severity tells whether an Issue blocks the row.
type Severity string

const (
	Error   Severity = "error"   // the value cannot be used as it is
	Warning Severity = "warning" // probably fine; show it, let the clerk decide
)

// Issue is one problem with one field. Code is stable snake_case (the
// frontend keys its translations on it); Message is zh-CN, says what is
// wrong and how to fix it.
type Issue struct {
	Code     string
	Severity Severity
	Message  string
}

// Issue codes. Never rename one: callers and the frontend match on them.
const (
	CodeIDEmpty       = "id_empty"
	CodeIDChars       = "id_chars"
	CodeIDLength      = "id_length"
	CodeIDRegion      = "id_region"
	CodeIDBirthDate   = "id_birth_date"
	CodeIDBirthOld    = "id_birth_old" // warning: older than anyone plausibly alive
	CodeIDChecksum    = "id_checksum"
	CodeIDLegacy      = "id_legacy" // warning: 15-digit first-generation number
	CodeIDNumericCell = "id_numeric_cell"

	CodeAccountEmpty       = "account_empty"
	CodeAccountChars       = "account_chars"
	CodeAccountLength      = "account_length"
	CodeAccountLuhn        = "account_luhn" // warning only
	CodeAccountNumericCell = "account_numeric_cell"

	CodeMoneyEmpty    = "money_empty"
	CodeMoneyNegative = "money_negative"
	CodeMoneyDecimals = "money_decimals"
	CodeMoneyFormat   = "money_format"
	CodeMoneyOverflow = "money_overflow"

	CodeDateEmpty   = "date_empty"
	CodeDateFormat  = "date_format"
	CodeDateInvalid = "date_invalid"

	CodePhoneEmpty  = "phone_empty"
	CodePhoneFormat = "phone_format"
)

// HasError reports whether any issue is an Error (warnings do not count).
func HasError(issues []Issue) bool {
	for _, is := range issues {
		if is.Severity == Error {
			return true
		}
	}
	return false
}

func errorIssue(code, msg string) Issue   { return Issue{Code: code, Severity: Error, Message: msg} }
func warningIssue(code, msg string) Issue { return Issue{Code: code, Severity: Warning, Message: msg} }

// one wraps a single issue; most failures stop checking at the first one,
// because later checks on a malformed value only add noise.
func one(code, msg string) []Issue { return []Issue{errorIssue(code, msg)} }
