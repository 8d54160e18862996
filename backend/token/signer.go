package token

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

// keySigner signs with a private key that never leaves the USB key.
type keySigner struct {
	s   *Session
	key pkcs11.ObjectHandle
	pub crypto.PublicKey // the certificate's, so callers can match it
	// id and keyType find the key again when its handle went stale: a
	// re-login on the token (Login checking a PIN) invalidates handles.
	id      []byte
	keyType uint
}

const msgKeyMissing = "USB Key 中有这张证书，但没有与之配对的私钥，无法签名。请联系证书颁发机构重新写入证书。"

// Signer finds the private key for c: the one with the same CKA_ID, or else
// the one whose public key matches the certificate.
func (s *Session) Signer(c Certificate) (crypto.Signer, error) {
	if c.Cert == nil {
		return nil, apperr.New(apperr.SignFailed, "无法解析 USB Key 中的这张证书（可能使用了国密 SM2 等本程序暂不支持的算法），不能用它签名。")
	}
	pub := c.Cert.PublicKey
	var keyType uint
	switch p := pub.(type) {
	case *rsa.PublicKey:
		keyType = pkcs11.CKK_RSA
	case *ecdsa.PublicKey:
		if p.Curve != elliptic.P256() && p.Curve != elliptic.P384() {
			return nil, apperr.New(apperr.SignFailed, fmt.Sprintf("暂不支持 %s 曲线的 ECDSA 密钥签名，仅支持 P-256 和 P-384。", p.Curve.Params().Name))
		}
		keyType = pkcs11.CKK_EC
	default:
		return nil, apperr.New(apperr.SignFailed, fmt.Sprintf("暂不支持 %s 类型的密钥签名，仅支持 RSA 和 ECDSA。", c.Cert.PublicKeyAlgorithm))
	}

	l := s.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.closed {
		return nil, errSessionClosed
	}
	key, found, err := s.findPrivateKey(c.ID, keyType, pub)
	if err != nil {
		return nil, mapError(err, apperr.SignFailed, "在 USB Key 中查找私钥失败，请重新插拔 USB Key 后再试。")
	}
	if !found {
		return nil, apperr.New(apperr.KeyMissing, msgKeyMissing)
	}
	return &keySigner{s: s, key: key, pub: pub, id: c.ID, keyType: keyType}, nil
}

// findPrivateKey: caller holds lib.mu.
func (s *Session) findPrivateKey(id []byte, keyType uint, pub crypto.PublicKey) (pkcs11.ObjectHandle, bool, error) {
	privTmpl := func(extra ...*pkcs11.Attribute) []*pkcs11.Attribute {
		return append([]*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
			pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, keyType),
		}, extra...)
	}
	rsaPub, isRSA := pub.(*rsa.PublicKey)
	if len(id) > 0 {
		objs, err := s.findAll(privTmpl(pkcs11.NewAttribute(pkcs11.CKA_ID, id)))
		if err != nil {
			return 0, false, err
		}
		for _, o := range objs {
			// A mismatched modulus means a stale key reusing the ID.
			if !isRSA || s.rsaModulusMatches(o, rsaPub) {
				return o, true, nil
			}
		}
	}
	if isRSA {
		// Every RSA private key object must carry CKA_MODULUS, sensitive or not.
		objs, err := s.findAll(privTmpl())
		if err != nil {
			return 0, false, err
		}
		for _, o := range objs {
			if s.rsaModulusMatches(o, rsaPub) {
				return o, true, nil
			}
		}
		return 0, false, nil
	}
	// EC private keys need not expose the point: match the public key object
	// and take the private key sharing its CKA_ID.
	want := pub.(*ecdsa.PublicKey)
	pubs, err := s.findAll([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
	})
	if err != nil {
		return 0, false, err
	}
	for _, o := range pubs {
		point, err := s.attr(o, pkcs11.CKA_EC_POINT)
		if err != nil {
			continue
		}
		got, err := parseECPoint(want.Curve, point)
		if err != nil || !got.Equal(want) {
			continue
		}
		pid, err := s.attr(o, pkcs11.CKA_ID)
		if err != nil || len(pid) == 0 || bytes.Equal(pid, id) {
			continue // the ID lookup above already failed for this ID
		}
		objs, err := s.findAll(privTmpl(pkcs11.NewAttribute(pkcs11.CKA_ID, pid)))
		if err != nil {
			return 0, false, err
		}
		if len(objs) > 0 {
			return objs[0], true, nil
		}
	}
	return 0, false, nil
}

func (s *Session) rsaModulusMatches(o pkcs11.ObjectHandle, pub *rsa.PublicKey) bool {
	n, err := s.attr(o, pkcs11.CKA_MODULUS)
	return err == nil && new(big.Int).SetBytes(n).Cmp(pub.N) == 0
}

// parseECPoint accepts CKA_EC_POINT both as the standard DER OCTET STRING
// and as the raw uncompressed point some drivers return.
func parseECPoint(curve elliptic.Curve, v []byte) (*ecdsa.PublicKey, error) {
	var inner []byte
	if rest, err := asn1.Unmarshal(v, &inner); err == nil && len(rest) == 0 {
		if k, err := ecdsa.ParseUncompressedPublicKey(curve, inner); err == nil {
			return k, nil
		}
	}
	return ecdsa.ParseUncompressedPublicKey(curve, v)
}

func (k *keySigner) Public() crypto.PublicKey { return k.pub }

// Sign signs a digest as crypto.Signer specifies: PKCS#1 v1.5 or PSS (when
// opts is *rsa.PSSOptions) for RSA, ASN.1 DER for ECDSA.
func (k *keySigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	h := opts.HashFunc()
	if h != 0 && len(digest) != h.Size() {
		return nil, apperr.New(apperr.BadInput, fmt.Sprintf("待签名摘要长度 %d 与哈希算法 %v 不符。", len(digest), h))
	}
	var (
		mech *pkcs11.Mechanism
		data = digest
	)
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		if pss, ok := opts.(*rsa.PSSOptions); ok {
			m, err := pssMechanism(pub, pss)
			if err != nil {
				return nil, err
			}
			mech = m
			break
		}
		prefix, ok := digestInfoPrefix[h]
		if !ok {
			return nil, apperr.New(apperr.SignFailed, fmt.Sprintf("USB Key 签名暂不支持哈希算法 %v。", h))
		}
		mech = pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS, nil)
		data = append(append([]byte{}, prefix...), digest...)
	case *ecdsa.PublicKey:
		// ECDSA uses the leftmost bits of the digest; P-256/P-384 sizes are
		// whole bytes. Truncating here spares drivers that reject long input.
		if n := (pub.Curve.Params().BitSize + 7) / 8; len(data) > n {
			data = data[:n]
		}
		mech = pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil)
	}

	l := k.s.lib
	l.mu.Lock()
	if k.s.closed {
		l.mu.Unlock()
		return nil, errSessionClosed
	}
	sig, err := k.sign(mech, data)
	if isCKR(err, pkcs11.CKR_OBJECT_HANDLE_INVALID) || isCKR(err, pkcs11.CKR_KEY_HANDLE_INVALID) {
		// Another Login on this token re-logged in and our handle went
		// stale; if we are still logged in, the key is found again.
		if key, found, ferr := k.s.findPrivateKey(k.id, k.keyType, k.pub); ferr == nil && found {
			k.key = key
			sig, err = k.sign(mech, data)
		}
	}
	// A pulled key shows up as odd errors (SoftHSM: CKR_OBJECT_HANDLE_INVALID);
	// tell the user the real reason.
	gone := err != nil && !k.s.presentLocked()
	l.mu.Unlock()
	if gone {
		return nil, apperr.Wrap(apperr.TokenAbsent, msgTokenAbsent, err)
	}
	if err != nil {
		return nil, mapError(err, apperr.SignFailed, "USB Key 签名失败，请重新插拔 USB Key 并登录后再试。")
	}
	if _, ok := k.pub.(*ecdsa.PublicKey); ok {
		return ecdsaDER(sig)
	}
	return sig, nil
}

// sign: caller holds lib.mu so SignInit and Sign stay paired.
func (k *keySigner) sign(mech *pkcs11.Mechanism, data []byte) ([]byte, error) {
	ctx := k.s.lib.ctx
	if err := ctx.SignInit(k.s.handle, []*pkcs11.Mechanism{mech}, k.key); err != nil {
		return nil, err
	}
	return ctx.Sign(k.s.handle, data)
}

// digestInfoPrefix is the DER DigestInfo header CKM_RSA_PKCS expects before
// the digest (RFC 8017 §9.2 note 1). Hash 0 signs the input as-is, as
// rsa.SignPKCS1v15 does.
var digestInfoPrefix = map[crypto.Hash][]byte{
	0:             {},
	crypto.SHA1:   {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384: {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
}

var pssHashes = map[crypto.Hash][2]uint{ // hash → {CKM_*, CKG_MGF1_*}
	crypto.SHA1:   {pkcs11.CKM_SHA_1, pkcs11.CKG_MGF1_SHA1},
	crypto.SHA256: {pkcs11.CKM_SHA256, pkcs11.CKG_MGF1_SHA256},
	crypto.SHA384: {pkcs11.CKM_SHA384, pkcs11.CKG_MGF1_SHA384},
	crypto.SHA512: {pkcs11.CKM_SHA512, pkcs11.CKG_MGF1_SHA512},
}

func pssMechanism(pub *rsa.PublicKey, opts *rsa.PSSOptions) (*pkcs11.Mechanism, error) {
	h := opts.HashFunc()
	p, ok := pssHashes[h]
	if !ok {
		return nil, apperr.New(apperr.SignFailed, fmt.Sprintf("USB Key 的 RSA-PSS 签名暂不支持哈希算法 %v。", h))
	}
	salt := opts.SaltLength
	switch salt {
	case rsa.PSSSaltLengthAuto: // as large as fits, like rsa.SignPSS
		salt = (pub.N.BitLen()-1+7)/8 - h.Size() - 2
	case rsa.PSSSaltLengthEqualsHash:
		salt = h.Size()
	}
	if salt < 0 {
		return nil, apperr.New(apperr.BadInput, "RSA-PSS 盐长度无效。")
	}
	return pkcs11.NewMechanism(pkcs11.CKM_RSA_PKCS_PSS, pkcs11.NewPSSParams(p[0], p[1], uint(salt))), nil
}

// ecdsaDER converts the token's r||s into the ASN.1 form crypto.Signer
// callers (x509, tls) expect.
func ecdsaDER(sig []byte) ([]byte, error) {
	if len(sig) == 0 || len(sig)%2 != 0 {
		return nil, apperr.New(apperr.SignFailed, "USB Key 返回的 ECDSA 签名格式不正确，请联系厂商更新驱动。")
	}
	n := len(sig) / 2
	return asn1.Marshal(struct{ R, S *big.Int }{
		new(big.Int).SetBytes(sig[:n]),
		new(big.Int).SetBytes(sig[n:]),
	})
}
