package token

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

func TestMapError(t *testing.T) {
	const fallbackMsg = "正在做的事失败了。"
	cases := []struct {
		err  error
		code apperr.Code
		msg  string // substring of the message
	}{
		{pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), apperr.PINIncorrect, "PIN 码错误"},
		{pkcs11.Error(pkcs11.CKR_PIN_LEN_RANGE), apperr.PINIncorrect, "PIN 码错误"},
		{pkcs11.Error(pkcs11.CKR_PIN_LOCKED), apperr.PINLocked, "锁定"},
		{pkcs11.Error(pkcs11.CKR_PIN_EXPIRED), apperr.PINLocked, "过期"},
		{pkcs11.Error(pkcs11.CKR_TOKEN_NOT_PRESENT), apperr.TokenAbsent, "拔出"},
		{pkcs11.Error(pkcs11.CKR_DEVICE_REMOVED), apperr.TokenAbsent, "拔出"},
		{pkcs11.Error(pkcs11.CKR_SESSION_HANDLE_INVALID), apperr.TokenAbsent, "拔出"},
		{pkcs11.Error(pkcs11.CKR_SLOT_ID_INVALID), apperr.TokenAbsent, "拔出"},
		{pkcs11.Error(pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED), apperr.ModuleUnavailable, "驱动"},
		{pkcs11.Error(pkcs11.CKR_USER_NOT_LOGGED_IN), apperr.SignFailed, "重新输入 PIN"},
		{pkcs11.Error(pkcs11.CKR_GENERAL_ERROR), apperr.SignFailed, fallbackMsg},
		{fmt.Errorf("sign: %w", pkcs11.Error(pkcs11.CKR_PIN_LOCKED)), apperr.PINLocked, "锁定"},
		{errors.New("driver exploded"), apperr.SignFailed, fallbackMsg},
		{apperr.New(apperr.KeyMissing, "已分类"), apperr.KeyMissing, "已分类"},
	}
	for _, c := range cases {
		err := mapError(c.err, apperr.SignFailed, fallbackMsg)
		ae := apperr.From(err)
		if ae.Code != c.code || !strings.Contains(ae.Message, c.msg) {
			t.Errorf("mapError(%v) = %v, want %s containing %q", c.err, err, c.code, c.msg)
		}
		var rv pkcs11.Error
		if errors.As(c.err, &rv) && !errors.Is(err, rv) {
			t.Errorf("mapError(%v) lost the driver error as cause", c.err)
		}
	}
	if mapError(nil, apperr.Internal, "x") != nil {
		t.Error("mapError(nil) != nil")
	}
}

// SoftHSM never lowers its PIN retry counter, so the warnings are checked
// from the token flags alone.
func TestPINIncorrectMessage(t *testing.T) {
	if m := pinIncorrectMessage(0); m != msgPINIncorrect {
		t.Errorf("no flags: %q", m)
	}
	if m := pinIncorrectMessage(pkcs11.CKF_USER_PIN_COUNT_LOW); !strings.Contains(m, "不多") {
		t.Errorf("count low: %q", m)
	}
	if m := pinIncorrectMessage(pkcs11.CKF_USER_PIN_COUNT_LOW | pkcs11.CKF_USER_PIN_FINAL_TRY); !strings.Contains(m, "最后一次") {
		t.Errorf("final try: %q", m)
	}
}
