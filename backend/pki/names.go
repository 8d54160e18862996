package pki

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"time"
)

// shanghai is China Standard Time. A fixed zone is exact (no DST since 1991)
// and, unlike time.LoadLocation, needs no tzdata on Windows PCs.
var shanghai = time.FixedZone("CST", 8*60*60)

// day formats t as the calendar date a clerk in China would read it.
func day(t time.Time) string { return t.In(shanghai).Format("2006-01-02") }

// Fingerprint is the SHA-256 of the certificate's DER, lowercase hex.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}

// SerialHex is the serial number in lowercase hex without leading zeros, the
// form CAs print on their certificates and revocation notices.
func SerialHex(cert *x509.Certificate) string {
	if cert.SerialNumber == nil {
		return ""
	}
	return cert.SerialNumber.Text(16)
}

// SubjectKeyID is the hex of the Subject Key Identifier extension, or, when
// a CA left it out, the SHA-1 of the public key bits (RFC 5280 4.2.1.2
// method 1), so every certificate has one stable key identifier.
func SubjectKeyID(cert *x509.Certificate) string {
	if len(cert.SubjectKeyId) > 0 {
		return hex.EncodeToString(cert.SubjectKeyId)
	}
	var spki subjectPublicKeyInfo
	if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err != nil {
		sum := sha1.Sum(cert.RawSubjectPublicKeyInfo)
		return hex.EncodeToString(sum[:])
	}
	sum := sha1.Sum(spki.PublicKey.RightAlign())
	return hex.EncodeToString(sum[:])
}

// DisplayName is the CN if present, else the RFC 4514 form of the name.
func DisplayName(name pkix.Name) string {
	if name.CommonName != "" {
		return name.CommonName
	}
	return name.String()
}
