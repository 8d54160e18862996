// Package apperr holds the typed errors every face (GUI, CLI, sync worker)
// shows to people. A Code is stable and shared with the frontend's i18n keys
// (frontend/src/i18n/*.ts, errors.<code>); Message is the Chinese fallback
// for places without i18n, such as the CLI.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a machine-readable error kind. Never rename one: the frontend and
// scripts match on it.
type Code string

const (
	Internal        Code = "internal"
	BadInput        Code = "bad_input"
	NotLoggedIn     Code = "not_logged_in"
	Forbidden       Code = "forbidden"
	DemoOnly        Code = "demo_only"
	NotAvailable    Code = "not_available"
	StoreCorrupt    Code = "store_corrupt"
	StoreTooNew     Code = "store_too_new"
	StoreLocked     Code = "store_locked"
	ConfigInvalid   Code = "config_invalid"
	DataDirUnusable Code = "data_dir_unusable"

	// USB key (PKCS#11)
	ModuleUnavailable Code = "module_unavailable" // the vendor library cannot be loaded
	TokenAbsent       Code = "token_absent"       // no key in the slot, or it was pulled out
	PINIncorrect      Code = "pin_incorrect"
	PINLocked         Code = "pin_locked"
	KeyMissing        Code = "key_missing" // certificate on the key but no private key beside it
	SignFailed        Code = "sign_failed"

	// Certificate checks
	CertExpired        Code = "cert_expired"
	CertNotYetValid    Code = "cert_not_yet_valid"
	CertUntrusted      Code = "cert_untrusted"
	CertRevoked        Code = "cert_revoked"
	CertKeyUsage       Code = "cert_key_usage"
	CertUnsupportedAlg Code = "cert_unsupported_algorithm" // e.g. SM2 before national-algorithm support
	CRLUnavailable     Code = "crl_unavailable"
	PossessionFailed   Code = "possession_failed" // the token could not prove it holds the certificate's key
	SoftwareKeyRefused Code = "software_key_refused"

	// Accounts
	UnknownUser       Code = "unknown_user" // certificate not bound to any account
	UserDisabled      Code = "user_disabled"
	PasswordIncorrect Code = "password_incorrect"
	PasswordWeak      Code = "password_weak"
	AccountLocked     Code = "account_locked"
	RolesConflict     Code = "roles_conflict" // 三员分立 violated
	AlreadyEnrolled   Code = "already_enrolled"
	SessionLocked     Code = "session_locked"
	NotFound          Code = "not_found"
)

// Data entry.
const (
	BatchNotEditable Code = "batch_not_editable" // submitted or later: read-only
	PeriodClosed     Code = "period_closed"      // previous year after 1 April, no lock exception
	PeriodNotOpen    Code = "period_not_open"    // a future period
	StaleEdit        Code = "stale_edit"         // the batch changed since the editor loaded it
)

// Voucher attachments (票据凭证), package backend/attachments.
const (
	AttachmentType     Code = "attachment_type"      // content is not JPEG, PNG or PDF (or the file is empty)
	AttachmentTooLarge Code = "attachment_too_large" // over attachments.MaxSize
	AttachmentCorrupt  Code = "attachment_corrupt"   // stored file missing or no longer matching its hash
)

// Spreadsheet import (package backend/importer): a file refused as a whole.
const (
	ImportNotSpreadsheet  Code = "import_not_spreadsheet"  // not .xlsx or CSV at all
	ImportLegacyXLS       Code = "import_legacy_xls"       // Excel 97–2003 .xls, or a web page saved as .xls
	ImportEncrypted       Code = "import_encrypted"        // password-protected workbook
	ImportTooLarge        Code = "import_too_large"        // over the row or size limits, or a zip bomb
	ImportCorrupt         Code = "import_corrupt"          // damaged or truncated file
	ImportEncoding        Code = "import_encoding"         // a CSV in an encoding we cannot read
	ImportNoHeader        Code = "import_no_header"        // no row looks like the dataset's header
	ImportMissingColumns  Code = "import_missing_columns"  // required columns absent
	ImportDuplicateColumn Code = "import_duplicate_column" // two columns for one field
	ImportEmpty           Code = "import_empty"            // a header but no data rows
	ImportHasErrors       Code = "import_has_errors"       // commit asked for while rows have errors
	Canceled              Code = "canceled"                // the user cancelled a long task
)

// Error is an error with a stable code and a message a clerk can act on.
type Error struct {
	Code    Code
	Message string // zh-CN: what is wrong and how to fix it
	Cause   error  // for logs and errors.Is; never shown as-is
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s (%v)", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Cause }

// New makes an Error without a cause.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Wrap makes an Error that keeps cause for logs.
func Wrap(code Code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Cause: cause}
}

// From returns err as an *Error; anything untyped becomes Internal so that
// raw driver or OS text never reaches a person as the whole story.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Wrap(Internal, "程序内部错误，请联系系统管理员并提供日志。", err)
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
