package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"

	"caiji/backend/apperr"
)

// ProvePossession has signer sign a fresh random challenge and verifies the
// signature with cert's public key, so a copied certificate without its
// private key cannot log in. The digest is SHA-256; RSA keys sign PKCS#1
// v1.5 and ECDSA keys ASN.1, the mechanisms every USB key supports.
//
// Failures are PossessionFailed, except that a typed *apperr.Error from the
// signer (say TokenAbsent or PINLocked from the token package) is returned
// as is, since it tells the clerk more precisely what to do.
func ProvePossession(signer crypto.Signer, cert *x509.Certificate) error {
	if signer == nil || cert == nil {
		return apperr.New(apperr.PossessionFailed, "没有可用于签名的 USB Key 私钥或证书，请重新插入 USB Key 后再试。")
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return apperr.New(apperr.PossessionFailed,
			"USB Key 中的私钥与所选证书不匹配。请确认插入的是这张证书对应的 USB Key；如仍不行，请联系发证机构。")
	}

	challenge := make([]byte, 32)
	if _, err := rand.Read(challenge); err != nil {
		return apperr.Wrap(apperr.Internal, "无法生成随机数，请联系系统管理员并提供日志。", err)
	}
	digest := sha256.Sum256(challenge)
	sig, err := signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		var typed *apperr.Error
		if errors.As(err, &typed) {
			return typed
		}
		return apperr.Wrap(apperr.PossessionFailed, "USB Key 未能完成签名，请重新插入 USB Key 后再试。", err)
	}

	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		err = rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest[:], sig) {
			err = errors.New("ecdsa signature does not verify")
		}
	default:
		return apperr.New(apperr.PossessionFailed, "证书的密钥类型不受支持，无法验证 USB Key 的签名。目前只支持 RSA 和 ECDSA 证书。")
	}
	if err != nil {
		return apperr.Wrap(apperr.PossessionFailed,
			"USB Key 的签名验证失败，无法证明它持有该证书的私钥。请重新插入 USB Key 后再试；如仍失败，请联系发证机构检查 USB Key。", err)
	}
	return nil
}
