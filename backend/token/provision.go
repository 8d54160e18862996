package token

import (
	"crypto"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

// Provisioning writes to a key. Demo mode and tests use it on SoftHSM; real
// CA keys come provisioned by the issuing CA.

// KeyKind selects the key pair GenerateKeyPair makes.
type KeyKind int

const (
	RSA2048 KeyKind = iota
	ECP256
)

var oidP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}

// InitToken initializes the first blank token of m with label and both PINs,
// and returns it. SoftHSM renumbers a slot when its token is initialized, so
// the new token is found again by label among tokens that were not there before.
func InitToken(m *Module, label, soPIN, userPIN string) (TokenInfo, error) {
	switch {
	case label == "" || len(label) > 32:
		return TokenInfo{}, apperr.New(apperr.BadInput, "USB Key 标签不能为空，且不能超过 32 字节（约 10 个汉字）。")
	case soPIN == "" || userPIN == "":
		return TokenInfo{}, apperr.New(apperr.BadInput, "请填写管理员 PIN 码（SO PIN）和用户 PIN 码。")
	}
	if m.closed.Load() {
		return TokenInfo{}, errModuleClosed
	}
	l := m.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	ctx := l.ctx

	before := map[string]bool{}
	blank, found := uint(0), false
	slots, err := ctx.GetSlotList(true)
	if err != nil {
		return TokenInfo{}, mapError(err, apperr.ModuleUnavailable, "读取 USB Key 列表失败，请重新插拔 USB Key 后再试。")
	}
	for _, slot := range slots {
		ti, err := ctx.GetTokenInfo(slot)
		switch {
		case err != nil:
		case ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED != 0:
			before[trimPad(ti.SerialNumber)] = true
		case !found:
			blank, found = slot, true
		}
	}
	if !found {
		return TokenInfo{}, apperr.New(apperr.TokenAbsent, "没有可初始化的空白 USB Key，请插入一个新的 USB Key 后再试。")
	}
	const failed = "初始化 USB Key 失败，请确认 PIN 码长度符合要求后重试。"
	if err := ctx.InitToken(blank, soPIN, label); err != nil {
		return TokenInfo{}, provisionError(err, failed)
	}

	slots, err = ctx.GetSlotList(true)
	if err != nil {
		return TokenInfo{}, mapError(err, apperr.Internal, failed)
	}
	slot, found := uint(0), false
	for _, s := range slots {
		ti, err := ctx.GetTokenInfo(s)
		if err == nil && ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED != 0 &&
			trimPad(ti.Label) == label && !before[trimPad(ti.SerialNumber)] {
			slot, found = s, true
			break
		}
	}
	if !found {
		return TokenInfo{}, apperr.New(apperr.Internal, "USB Key 初始化后找不到它了，请重新插拔后再试。")
	}

	h, err := ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return TokenInfo{}, mapError(err, apperr.Internal, failed)
	}
	defer ctx.CloseSession(h)
	if err := ctx.Login(h, pkcs11.CKU_SO, soPIN); err != nil {
		return TokenInfo{}, provisionError(err, failed)
	}
	err = ctx.InitPIN(h, userPIN)
	_ = ctx.Logout(h)
	if err != nil {
		return TokenInfo{}, provisionError(err, failed)
	}
	ti, err := ctx.GetTokenInfo(slot)
	if err != nil {
		return TokenInfo{}, mapError(err, apperr.TokenAbsent, msgTokenAbsent)
	}
	return m.tokenInfo(slot, ti), nil
}

// provisionError reports PIN format problems as bad input: while
// provisioning, the PINs are being chosen, not checked.
func provisionError(err error, msg string) error {
	if isCKR(err, pkcs11.CKR_PIN_LEN_RANGE) || isCKR(err, pkcs11.CKR_PIN_INVALID) {
		return apperr.Wrap(apperr.BadInput, "PIN 码长度或字符不符合 USB Key 的要求（SoftHSM 要求 4 到 255 个字符），请换一个 PIN 码。", err)
	}
	return mapError(err, apperr.Internal, msg)
}

// GenerateKeyPair makes a token key pair whose private half can sign but
// never leave the key. It opens its own read-write session; the login is
// shared with it by PKCS#11.
func (s *Session) GenerateKeyPair(kind KeyKind, id []byte, label string) (crypto.PublicKey, error) {
	if len(id) == 0 {
		return nil, apperr.New(apperr.BadInput, "密钥 ID 不能为空：证书靠它与私钥配对。")
	}
	common := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
	}
	pubT := append([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
	}, common...)
	privT := append([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
	}, common...)
	var mech *pkcs11.Mechanism
	switch kind {
	case RSA2048:
		mech = pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN, nil)
		pubT = append(pubT,
			pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA),
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS_BITS, 2048),
			pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, []byte{1, 0, 1}))
		privT = append(privT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_RSA))
	case ECP256:
		params, _ := asn1.Marshal(oidP256)
		mech = pkcs11.NewMechanism(pkcs11.CKM_EC_KEY_PAIR_GEN, nil)
		pubT = append(pubT,
			pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
			pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, params))
		privT = append(privT, pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC))
	default:
		return nil, apperr.New(apperr.BadInput, fmt.Sprintf("不支持的密钥类型 %d。", kind))
	}

	const failed = "在 USB Key 上生成密钥失败，请确认 USB Key 已登录且空间充足后重试。"
	var pub crypto.PublicKey
	err := s.withRW(func(ctx *pkcs11.Ctx, rw pkcs11.SessionHandle) error {
		pubH, _, err := ctx.GenerateKeyPair(rw, []*pkcs11.Mechanism{mech}, pubT, privT)
		if err != nil {
			return err
		}
		pub, err = readPublicKey(ctx, rw, pubH, kind)
		return err
	})
	if err != nil {
		return nil, mapError(err, apperr.Internal, failed)
	}
	return pub, nil
}

func readPublicKey(ctx *pkcs11.Ctx, h pkcs11.SessionHandle, o pkcs11.ObjectHandle, kind KeyKind) (crypto.PublicKey, error) {
	if kind == RSA2048 {
		a, err := ctx.GetAttributeValue(h, o, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_MODULUS, nil),
			pkcs11.NewAttribute(pkcs11.CKA_PUBLIC_EXPONENT, nil),
		})
		if err != nil {
			return nil, err
		}
		e := new(big.Int).SetBytes(a[1].Value)
		if !e.IsInt64() || e.Int64() > 1<<31-1 {
			return nil, fmt.Errorf("RSA public exponent too large")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(a[0].Value), E: int(e.Int64())}, nil
	}
	a, err := ctx.GetAttributeValue(h, o, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
	if err != nil {
		return nil, err
	}
	return parseECPoint(elliptic.P256(), a[0].Value)
}

// ImportCertificate stores cert on the key under id, the CKA_ID of its
// private key.
func (s *Session) ImportCertificate(id []byte, label string, cert *x509.Certificate) error {
	if cert == nil || len(id) == 0 {
		return apperr.New(apperr.BadInput, "要写入的证书或密钥 ID 为空。")
	}
	serial, err := asn1.Marshal(cert.SerialNumber)
	if err != nil {
		return apperr.Wrap(apperr.BadInput, "证书序列号无效，无法写入 USB Key。", err)
	}
	tmpl := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_CERTIFICATE),
		pkcs11.NewAttribute(pkcs11.CKA_CERTIFICATE_TYPE, pkcs11.CKC_X_509),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, false),
		pkcs11.NewAttribute(pkcs11.CKA_ID, id),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_SUBJECT, cert.RawSubject),
		pkcs11.NewAttribute(pkcs11.CKA_ISSUER, cert.RawIssuer),
		pkcs11.NewAttribute(pkcs11.CKA_SERIAL_NUMBER, serial),
		pkcs11.NewAttribute(pkcs11.CKA_VALUE, cert.Raw),
	}
	err = s.withRW(func(ctx *pkcs11.Ctx, rw pkcs11.SessionHandle) error {
		_, err := ctx.CreateObject(rw, tmpl)
		return err
	})
	return mapError(err, apperr.Internal, "向 USB Key 写入证书失败，请确认 USB Key 已登录且空间充足后重试。")
}

// withRW runs fn in a short-lived read-write session on the same slot,
// holding lib.mu throughout.
func (s *Session) withRW(fn func(*pkcs11.Ctx, pkcs11.SessionHandle) error) error {
	l := s.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.closed {
		return errSessionClosed
	}
	rw, err := l.ctx.OpenSession(s.info.SlotID, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
	if err != nil {
		return err
	}
	// Not our last session on the slot (s stays open), so no logout happens.
	defer l.ctx.CloseSession(rw)
	return fn(l.ctx, rw)
}
