package pki

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"

	"caiji/backend/apperr"
)

// The certificate is parsed with encoding/asn1 rather than crypto/x509
// because x509.ParseCertificate rejects SM2 keys outright, and we must still
// tell the clerk that the key on the token is SM2.

type subjectPublicKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

type tbsCertificate struct {
	Raw             asn1.RawContent
	Version         int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber    asn1.RawValue
	Signature       asn1.RawValue
	Issuer          asn1.RawValue
	Validity        asn1.RawValue
	Subject         asn1.RawValue
	PublicKey       subjectPublicKeyInfo
	IssuerUniqueID  asn1.BitString `asn1:"optional,tag:1"`
	SubjectUniqueID asn1.BitString `asn1:"optional,tag:2"`
	Extensions      asn1.RawValue  `asn1:"optional,explicit,tag:3"`
}

type rawCertificate struct {
	TBS                tbsCertificate
	SignatureAlgorithm asn1.RawValue
	Signature          asn1.BitString
}

var (
	oidRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidECKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidEd25519   = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidSM2       = asn1.ObjectIdentifier{1, 2, 156, 10197, 1, 301} // curve sm2p256v1, also used as the key OID
	oidP256      = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidP384      = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidP521      = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	curveNameFor = map[string]string{oidP256.String(): "P-256", oidP384.String(): "P-384", oidP521.String(): "P-521"}
)

// Algorithm names the public-key algorithm of a raw DER certificate without
// needing Go to support it: "RSA", "ECDSA P-256", "ECDSA P-384",
// "ECDSA P-521", "Ed25519", "SM2", "ECDSA (curve OID)" for other curves, or
// "unknown (OID)". Input that is not a certificate gives
// "unknown (not a certificate)".
func Algorithm(rawCert []byte) string {
	spki, ok := parseSPKI(rawCert)
	if !ok {
		return "unknown (not a certificate)"
	}
	alg := spki.Algorithm.Algorithm
	switch {
	case alg.Equal(oidRSA):
		return "RSA"
	case alg.Equal(oidEd25519):
		return "Ed25519"
	case alg.Equal(oidSM2):
		return "SM2"
	case alg.Equal(oidECKey):
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &curve); err != nil {
			return "ECDSA (no named curve)"
		}
		if curve.Equal(oidSM2) {
			return "SM2"
		}
		if name, ok := curveNameFor[curve.String()]; ok {
			return "ECDSA " + name
		}
		return "ECDSA (" + curve.String() + ")"
	}
	return "unknown (" + alg.String() + ")"
}

// CheckAlgorithm accepts RSA of at least 2048 bits and ECDSA P-256/P-384,
// and refuses everything else with CertUnsupportedAlg.
func CheckAlgorithm(rawCert []byte) error {
	spki, ok := parseSPKI(rawCert)
	if !ok {
		return apperr.New(apperr.BadInput, "无法解析证书数据，请确认读取的是有效的证书；如 USB Key 中的证书损坏，请联系发证机构。")
	}
	switch name := Algorithm(rawCert); name {
	case "ECDSA P-256", "ECDSA P-384":
		return nil
	case "SM2":
		return apperr.New(apperr.CertUnsupportedAlg,
			"该证书使用国密 SM2 算法，本版本暂不支持国密 SM2 证书，国密算法支持将在后续版本提供。请暂时使用 RSA 或 ECDSA 证书，或向发证机构咨询。")
	case "RSA":
		bits := rsaBits(spki.PublicKey.RightAlign())
		if bits < 2048 {
			return apperr.New(apperr.CertUnsupportedAlg,
				fmt.Sprintf("证书的 RSA 密钥只有 %d 位，低于要求的 2048 位，不够安全。请到发证机构更换证书。", bits))
		}
		return nil
	default:
		return apperr.New(apperr.CertUnsupportedAlg,
			"证书使用的密钥算法（"+name+"）不受支持，目前只支持 RSA（2048 位及以上）和 ECDSA P-256/P-384 证书。请向发证机构咨询。")
	}
}

func parseSPKI(rawCert []byte) (subjectPublicKeyInfo, bool) {
	var c rawCertificate
	if _, err := asn1.Unmarshal(rawCert, &c); err != nil {
		return subjectPublicKeyInfo{}, false
	}
	return c.TBS.PublicKey, true
}

// rsaBits is the modulus size of a PKCS#1 RSAPublicKey, 0 if unparseable.
func rsaBits(pkcs1 []byte) int {
	var k struct{ N, E *big.Int }
	if _, err := asn1.Unmarshal(pkcs1, &k); err != nil || k.N == nil {
		return 0
	}
	return k.N.BitLen()
}
