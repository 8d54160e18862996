package approval

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/smallstep/pkcs7"

	"caiji/backend/apperr"
	"caiji/backend/pki"
)

// Sign makes a detached CMS SignedData (RFC 5652) over content: SHA-256,
// signed attributes (content type, message digest, signing time from this
// PC's clock), the signer's certificate and chain included, the content
// itself left out (it travels beside the signature). chain is the signer's
// issuing CAs, issuer first; the root may be left out. signer is any
// crypto.Signer — a USB key's (backend/token), or a software key — with an
// RSA (PKCS#1 v1.5) or ECDSA key. The result is DER.
//
// The signer is asked once. Its own errors (PIN, key pulled out) come
// back unchanged so the UI can say what happened on the key.
func Sign(content []byte, signer crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate) ([]byte, error) {
	if signer == nil || cert == nil {
		return nil, apperr.New(apperr.BadInput, "签名需要审核员的签名证书和对应的密钥，请重新登录后再试。")
	}
	// pkcs7 checks the chain too, but its error would read like a key failure.
	prev := cert
	for _, c := range chain {
		if c == nil {
			return nil, apperr.New(apperr.BadInput, "签名证书链中有空证书，请联系系统管理员。")
		}
		if err := prev.CheckSignatureFrom(c); err != nil {
			return nil, apperr.Wrap(apperr.BadInput, fmt.Sprintf(
				"签名证书链不对：「%s」不是证书「%s」的签发机构（证书链应从直接签发机构开始，依次向上）。请联系系统管理员。",
				pki.DisplayName(c.Subject), pki.DisplayName(prev.Subject)), err)
		}
		prev = c
	}
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(signer.Public()) {
		// Caught here, the mistake is named; signed, it would only show
		// later as an invalid signature at the platform.
		return nil, apperr.New(apperr.SignFailed, fmt.Sprintf(
			"证书「%s」与用于签名的私钥不匹配，不能签名。请在登录时选择 USB Key 中与私钥配对的签名证书。", pki.DisplayName(cert.Subject)))
	}
	if !signingUsage(cert) {
		return nil, apperr.New(apperr.CertKeyUsage, fmt.Sprintf(
			"证书「%s」不能用于数字签名（可能是加密证书），不能用它签署审核结果。请使用 USB Key 中的签名证书。", pki.DisplayName(cert.Subject)))
	}
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法生成签名数据，请联系系统管理员并提供日志。", err)
	}
	// The package default is SHA-1 (a process-wide setting); set it per call.
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	// AddSignerChain takes the key as crypto.PrivateKey, asks it only for
	// Public() and Sign(), and so works for keys that never leave a token.
	if err := sd.AddSignerChain(cert, signer, chain, pkcs7.SignerInfoConfig{}); err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return nil, ae
		}
		return nil, apperr.Wrap(apperr.SignFailed, "签名失败，请重新插拔 USB Key 并登录后再试。", err)
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法生成签名数据，请联系系统管理员并提供日志。", err)
	}
	return der, nil
}

// signingUsage is false for a certificate whose key usage excludes
// signing, such as the encryption certificate of a dual-certificate USB
// key. No key usage extension at all means any use (RFC 5280).
func signingUsage(c *x509.Certificate) bool {
	const signing = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	return c.KeyUsage == 0 || c.KeyUsage&signing != 0
}
