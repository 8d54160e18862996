package token

import (
	"crypto/x509"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

// Session is a logged-in, read-only session on one key. It holds its own
// reference on the driver, so it outlives the Module it came from.
type Session struct {
	lib    *library
	info   TokenInfo
	handle pkcs11.SessionHandle
	closed bool // guarded by lib.mu
}

// Certificate is an X.509 certificate object on the key. Cert is nil when Go
// cannot parse it (e.g. an SM2 certificate); Raw is kept so callers can say why.
type Certificate struct {
	ID    []byte
	Label string
	Cert  *x509.Certificate
	Raw   []byte
}

var errSessionClosed = apperr.New(apperr.Internal, "USB Key 会话已关闭，请重新登录。")

// Login opens a read-only session on slotID and logs the user in. The PIN
// is passed to the driver and never kept.
func (m *Module) Login(slotID uint, pin string) (*Session, error) {
	if m.closed.Load() {
		return nil, errModuleClosed
	}
	l := m.lib
	l.addRef()
	s, err := m.login(slotID, pin)
	if err != nil {
		l.release()
		return nil, err
	}
	return s, nil
}

func (m *Module) login(slotID uint, pin string) (*Session, error) {
	l := m.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	ti, err := l.ctx.GetTokenInfo(slotID)
	if err != nil {
		// Whatever the driver says (SoftHSM: CKR_GENERAL_ERROR for a deleted
		// token), no readable key is in that slot.
		return nil, mapError(err, apperr.TokenAbsent, msgTokenAbsent)
	}
	if ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
		return nil, apperr.New(apperr.TokenAbsent, "该插槽中的 USB Key 尚未初始化，无法登录。请联系证书颁发机构或系统管理员。")
	}
	if ti.Flags&pkcs11.CKF_USER_PIN_LOCKED != 0 {
		return nil, apperr.New(apperr.PINLocked, msgPINLocked)
	}
	// Keys with a PIN pad (protected authentication path) take no PIN from us.
	if pin == "" && ti.Flags&pkcs11.CKF_PROTECTED_AUTHENTICATION_PATH == 0 {
		return nil, apperr.New(apperr.BadInput, "请输入 USB Key 的 PIN 码。")
	}
	h, err := l.ctx.OpenSession(slotID, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return nil, mapError(err, apperr.Internal, "无法与 USB Key 建立会话，请重新插拔 USB Key 后再试。")
	}
	err = l.ctx.Login(h, pkcs11.CKU_USER, pin)
	if isCKR(err, pkcs11.CKR_USER_ALREADY_LOGGED_IN) {
		// Another of our sessions holds the token's login, and the driver
		// answers without checking this PIN. A PIN must always be checked
		// (unlock, a second user at the PC), so log out and log in again;
		// our other sessions on this token share the new login state.
		_ = l.ctx.Logout(h)
		err = l.ctx.Login(h, pkcs11.CKU_USER, pin)
	}
	if err != nil {
		_ = l.ctx.CloseSession(h)
		if isCKR(err, pkcs11.CKR_PIN_INCORRECT) {
			// The retry counter flags are only updated after the failure.
			flags := ti.Flags
			if now, err := l.ctx.GetTokenInfo(slotID); err == nil {
				flags = now.Flags
			}
			if flags&pkcs11.CKF_USER_PIN_LOCKED != 0 {
				return nil, apperr.Wrap(apperr.PINLocked, msgPINLocked, err)
			}
			return nil, apperr.Wrap(apperr.PINIncorrect, pinIncorrectMessage(flags), err)
		}
		return nil, mapError(err, apperr.Internal, "USB Key 登录失败，请重新插拔 USB Key 后再试。")
	}
	l.loggedIn[slotID]++
	return &Session{lib: l, info: m.tokenInfo(slotID, ti), handle: h}, nil
}

// Token describes the key this session is on, as it was at login.
func (s *Session) Token() TokenInfo { return s.info }

// Present reports whether the same key (same serial) is still in the slot.
//
// Drivers disagree on how a pulled key shows up: real ones fail
// C_GetSessionInfo (CKR_SESSION_HANDLE_INVALID, CKR_DEVICE_REMOVED) or clear
// CKF_TOKEN_PRESENT; SoftHSM 2.6 keeps the session "valid" after its token is
// deleted and still lists the slot, but C_GetTokenInfo fails. So all three
// are checked, and the serial is compared in case another key took the slot.
func (s *Session) Present() bool {
	s.lib.mu.Lock()
	defer s.lib.mu.Unlock()
	return s.presentLocked()
}

func (s *Session) presentLocked() bool {
	l := s.lib
	if s.closed {
		return false
	}
	sess, err := l.ctx.GetSessionInfo(s.handle)
	if err != nil {
		return false
	}
	// Logged out underneath us (another Login with a wrong PIN logs the
	// whole token out): the key is unusable until the PIN is entered again.
	if sess.State == pkcs11.CKS_RO_PUBLIC_SESSION || sess.State == pkcs11.CKS_RW_PUBLIC_SESSION {
		return false
	}
	si, err := l.ctx.GetSlotInfo(s.info.SlotID)
	if err != nil || si.Flags&pkcs11.CKF_TOKEN_PRESENT == 0 {
		return false
	}
	ti, err := l.ctx.GetTokenInfo(s.info.SlotID)
	if err != nil || ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
		return false
	}
	return trimPad(ti.SerialNumber) == s.info.Serial
}

// Certificates returns every X.509 certificate object on the key.
func (s *Session) Certificates() ([]Certificate, error) {
	l := s.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.closed {
		return nil, errSessionClosed
	}
	objs, err := s.findAll([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
	})
	if err != nil {
		return nil, mapError(err, apperr.Internal, "读取 USB Key 中的证书失败，请重新插拔 USB Key 后再试。")
	}
	var out []Certificate
	for _, o := range objs {
		raw, err := s.attr(o, pkcs11.CKA_VALUE)
		if err != nil {
			return nil, mapError(err, apperr.Internal, "读取 USB Key 中的证书失败，请重新插拔 USB Key 后再试。")
		}
		id, _ := s.attr(o, pkcs11.CKA_ID)
		label, _ := s.attr(o, pkcs11.CKA_LABEL)
		c := Certificate{ID: id, Label: trimPad(string(label)), Raw: raw}
		c.Cert, _ = x509.ParseCertificate(raw)
		out = append(out, c)
	}
	return out, nil
}

// Close logs out and closes the session; idempotent. It logs out only when
// this is our last session on the slot, because PKCS#11 login state is shared
// by all of an application's sessions on a token.
func (s *Session) Close() error {
	l := s.lib
	l.mu.Lock()
	if s.closed {
		l.mu.Unlock()
		return nil
	}
	s.closed = true
	slot := s.info.SlotID
	if l.loggedIn[slot]--; l.loggedIn[slot] <= 0 {
		delete(l.loggedIn, slot)
		_ = l.ctx.Logout(s.handle)
	}
	// Errors are expected when the key was pulled out; nothing to do about them.
	_ = l.ctx.CloseSession(s.handle)
	l.mu.Unlock()
	l.release()
	return nil
}

// findAll runs a whole FindObjects sequence; the caller holds lib.mu.
func (s *Session) findAll(tmpl []*pkcs11.Attribute) ([]pkcs11.ObjectHandle, error) {
	ctx := s.lib.ctx
	if err := ctx.FindObjectsInit(s.handle, tmpl); err != nil {
		return nil, err
	}
	var out []pkcs11.ObjectHandle
	for {
		objs, _, err := ctx.FindObjects(s.handle, 64)
		if err != nil {
			_ = ctx.FindObjectsFinal(s.handle)
			return nil, err
		}
		if len(objs) == 0 {
			break
		}
		out = append(out, objs...)
	}
	return out, ctx.FindObjectsFinal(s.handle)
}

// attr reads one attribute; reading them one by one keeps a missing or
// sensitive optional attribute from failing the others. Caller holds lib.mu.
func (s *Session) attr(o pkcs11.ObjectHandle, typ uint) ([]byte, error) {
	a, err := s.lib.ctx.GetAttributeValue(s.handle, o, []*pkcs11.Attribute{pkcs11.NewAttribute(typ, nil)})
	if err != nil {
		return nil, err
	}
	return a[0].Value, nil
}
