package approval

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/smallstep/pkcs7"

	"caiji/backend/apperr"
	"caiji/backend/period"
	"caiji/backend/pki"
)

// Verify checks a detached signature der over content and returns the
// signer's certificate. roots are the trusted provincial CA roots; the
// chain up to them is built from the certificates in der. The chain is
// judged at time at (zero: now) — normally when the signature was made, as
// recorded beside it, since a certificate may lawfully expire later.
//
// Failures, in the order they are checked:
//   - SignatureMalformed: not the DER form Sign writes (one signer, signed
//     attributes, detached id-data), or no certificate for the signer;
//   - SignatureInvalid: the signature over the signed attributes does not
//     verify with the signer's certificate, the digest is weaker than
//     SHA-256, or the signed signing time is outside the certificate's
//     validity;
//   - ContentChanged: the signature is sound but content is not what it
//     covers — the data changed after approval;
//   - CertExpired, CertNotYetValid, CertUntrusted, CertKeyUsage: the
//     signer's certificate at time at.
//
// Revocation is not checked here.
func Verify(content, der []byte, roots *x509.CertPool, at time.Time) (*x509.Certificate, error) {
	if roots == nil {
		return nil, apperr.New(apperr.ConfigInvalid, "没有配置信任的省级 CA 根证书，无法验证签名。请联系系统管理员安装 CA 证书。")
	}
	if at.IsZero() {
		at = time.Now()
	}
	malformed := func(why string, cause error) error {
		return apperr.Wrap(SignatureMalformed, "签名文件无法识别："+why+"。文件可能已损坏或不是审核签名，请重新获取签名文件或重新签名。", cause)
	}
	if len(der) == 0 {
		return nil, malformed("内容为空", nil)
	}
	sd, err := checkDER(der)
	if err != nil {
		return nil, malformed("不是本程序生成的 CMS 分离式签名（DER 格式、一个签名人）", err)
	}
	p7, err := pkcs7.Parse(der)
	if err != nil {
		return nil, malformed("不是有效的 CMS 签名数据", err)
	}
	// pkcs7 ignores errors inside SignedData and returns what it read so
	// far; the signer's ID, which checkDER takes raw, can still fail here.
	if len(p7.Signers) != 1 {
		return nil, malformed("签名人信息无法解析", nil)
	}
	ee := p7.GetOnlySigner()
	if ee == nil {
		return nil, malformed("缺少签名人的证书", nil)
	}
	// RFC 5652 §11.1; pkcs7 leaves this attribute unchecked.
	var ct asn1.ObjectIdentifier
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeContentType, &ct); err != nil || !ct.Equal(pkcs7.OIDData) {
		return nil, malformed("内容类型属性缺失或不是 data", err)
	}

	// The signature first, on its own: pkcs7 compares the digest before
	// the signature, so a forged messageDigest attribute would pass for
	// changed content there.
	si := &sd.SignerInfos[0]
	alg, ok := signatureAlgorithm(ee, si.DigestAlgorithm.Algorithm)
	if !ok {
		return nil, apperr.New(SignatureInvalid, fmt.Sprintf("签名使用的算法（%s 密钥，摘要 %s）不予认可：摘要至少应为 SHA-256，密钥应为 RSA 或 ECDSA。请重新签名。",
			ee.PublicKeyAlgorithm, si.DigestAlgorithm.Algorithm))
	}
	signed, err := si.signedBytes()
	if err == nil {
		err = ee.CheckSignature(alg, signed, si.Signature)
	}
	if err != nil {
		return nil, apperr.Wrap(SignatureInvalid, "签名值验证失败：签名文件被改动过，或不是用签名证书对应的私钥签署的。请重新审核签名。", err)
	}

	// Then pkcs7 itself, with no trust store (the chain is checked below,
	// at at, with errors we can explain): the digest, the signing time, and
	// the signature once more by the reference code.
	p7.Content = content
	err = p7.Verify()
	var mismatch *pkcs7.MessageDigestMismatchError
	var badTime *pkcs7.SigningTimeNotValidError
	switch {
	case errors.As(err, &mismatch):
		return nil, apperr.Wrap(ContentChanged, "批次数据与签名时的不一致：审核签名之后，数据被改动过。"+
			"这份数据不能作为已审核数据使用，请核查改动来源；如需更改，请走更正流程并重新审核签名。", err)
	case errors.As(err, &badTime):
		return nil, apperr.Wrap(SignatureInvalid, fmt.Sprintf("签名时间 %s 不在签名证书的有效期（%s 至 %s）内，签名不予认可。请确认签名电脑的日期正确后重新签名。",
			date(badTime.SigningTime), date(badTime.NotBefore), date(badTime.NotAfter)), err)
	case err != nil:
		return nil, apperr.Wrap(SignatureInvalid, "签名验证失败，签名文件可能被改动过。请重新审核签名。", err)
	}

	name := pki.DisplayName(ee.Subject)
	switch {
	case at.After(ee.NotAfter):
		return nil, apperr.New(apperr.CertExpired, fmt.Sprintf("签名证书「%s」已于 %s 过期，%s 时不能认可它的签名。", name, date(ee.NotAfter), date(at)))
	case at.Before(ee.NotBefore):
		return nil, apperr.New(apperr.CertNotYetValid, fmt.Sprintf("签名证书「%s」到 %s 才生效，%s 时不能认可它的签名。", name, date(ee.NotBefore), date(at)))
	}
	inters := x509.NewCertPool()
	for _, c := range p7.Certificates {
		if c != ee {
			inters.AddCert(c)
		}
	}
	_, err = ee.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inters,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		CurrentTime:   at,
	})
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return nil, apperr.Wrap(apperr.CertExpired, fmt.Sprintf("签名证书「%s」的上级 CA 证书在 %s 不在有效期内，不能认可该签名。请联系系统管理员核对 CA 证书。", name, date(at)), err)
	case err != nil:
		return nil, apperr.Wrap(apperr.CertUntrusted, fmt.Sprintf("签名证书「%s」不是由本机信任的省级 CA 签发的，不能认可该签名。"+
			"请确认审核员使用的是发证机构签发的 USB Key；如果 CA 证书有更新，请系统管理员安装新的 CA 证书。", name), err)
	}
	if !signingUsage(ee) {
		return nil, apperr.New(apperr.CertKeyUsage, fmt.Sprintf("签名证书「%s」不允许用于数字签名（可能是加密证书），不能认可该签名。请使用 USB Key 中的签名证书重新签名。", name))
	}
	return ee, nil
}

// signatureAlgorithm is how ee's key signs with the given digest; ok is
// false for anything but SHA-256/384/512 with an RSA or ECDSA key.
func signatureAlgorithm(ee *x509.Certificate, digest asn1.ObjectIdentifier) (x509.SignatureAlgorithm, bool) {
	i := -1
	for j, oid := range []asn1.ObjectIdentifier{pkcs7.OIDDigestAlgorithmSHA256, pkcs7.OIDDigestAlgorithmSHA384, pkcs7.OIDDigestAlgorithmSHA512} {
		if digest.Equal(oid) {
			i = j
		}
	}
	if i < 0 {
		return 0, false
	}
	switch ee.PublicKey.(type) {
	case *rsa.PublicKey:
		return []x509.SignatureAlgorithm{x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA}[i], true
	case *ecdsa.PublicKey:
		return []x509.SignatureAlgorithm{x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512}[i], true
	}
	return 0, false
}

// date is a day in Beijing time, for messages.
func date(t time.Time) string { return t.In(period.Zone()).Format(time.DateOnly) }
