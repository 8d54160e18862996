package token

import (
	"errors"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

// Messages shared by several calls. None of them, nor any Cause we wrap,
// ever contains a PIN: the driver's return value is only a number.
const (
	msgTokenAbsent  = "未检测到 USB Key，或 USB Key 已被拔出。请插好 USB Key 后重新登录。"
	msgPINIncorrect = "PIN 码错误，请重新输入。注意：连续输错多次会锁定 USB Key。"
	msgPINLocked    = "USB Key 的 PIN 码已被锁定，请联系证书颁发机构或系统管理员解锁。"
	msgPINExpired   = "USB Key 的 PIN 码已过期，请先用厂商管理工具修改 PIN 码后再登录。"
	msgNotLoggedIn  = "USB Key 已退出登录，请重新输入 PIN 码登录。"
	msgNotInit      = "USB Key 驱动模块未初始化，请重新启动程序后再试。"
)

// mapError turns a driver error into the *apperr.Error people see. Return
// values with a meaning of their own (wrong PIN, key pulled out) get their
// own code; anything else gets fallback and msg, which describe what we were
// doing. The pkcs11.Error stays as Cause for logs.
func mapError(err error, fallback apperr.Code, msg string) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae
	}
	var rv pkcs11.Error
	if !errors.As(err, &rv) {
		return apperr.Wrap(fallback, msg, err)
	}
	switch uint(rv) {
	case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
		return apperr.Wrap(apperr.PINIncorrect, msgPINIncorrect, err)
	case pkcs11.CKR_PIN_LOCKED:
		return apperr.Wrap(apperr.PINLocked, msgPINLocked, err)
	case pkcs11.CKR_PIN_EXPIRED:
		return apperr.Wrap(apperr.PINLocked, msgPINExpired, err)
	case pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_TOKEN_NOT_RECOGNIZED,
		pkcs11.CKR_SLOT_ID_INVALID, pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_SESSION_CLOSED:
		return apperr.Wrap(apperr.TokenAbsent, msgTokenAbsent, err)
	case pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED:
		return apperr.Wrap(apperr.ModuleUnavailable, msgNotInit, err)
	case pkcs11.CKR_USER_NOT_LOGGED_IN:
		return apperr.Wrap(fallback, msgNotLoggedIn, err)
	}
	return apperr.Wrap(fallback, msg, err)
}

// pinIncorrectMessage warns harder as the key gets close to locking itself.
func pinIncorrectMessage(tokenFlags uint) string {
	switch {
	case tokenFlags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0:
		return "PIN 码错误。只剩最后一次机会，再输错 USB Key 将被锁定，请确认 PIN 码后再试。"
	case tokenFlags&pkcs11.CKF_USER_PIN_COUNT_LOW != 0:
		return "PIN 码错误。剩余尝试次数已不多，再输错几次 USB Key 将被锁定，请确认 PIN 码后再试。"
	}
	return msgPINIncorrect
}
