// Package devca is a small certificate authority for demo mode and tests.
//
// Its certificates must never be trusted in production: the keys live in
// ordinary files (or only in memory), anyone with the demo build can issue
// certificates from it, and nothing about it is audited. Production trusts
// only the provincial CA bundle that an administrator installs.
package devca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"time"

	"caiji/backend/apperr"
)

// File names used by Save and Load.
const (
	CertFile = "ca-cert.pem"
	KeyFile  = "ca-key.pem" // PKCS#8, mode 0600
)

// CA is a certificate authority: its certificate and private key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// NewRoot makes a self-signed ECDSA P-256 root CA.
func NewRoot(cn string, notBefore, notAfter time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法生成演示 CA 密钥。", err)
	}
	tmpl, err := caTemplate(cn, notBefore, notAfter)
	if err != nil {
		return nil, err
	}
	return sign(tmpl, tmpl, key, key)
}

// NewIntermediate makes an ECDSA P-256 CA signed by ca that may only issue
// end-entity certificates (path length 0), like a provincial issuing CA.
func (ca *CA) NewIntermediate(cn string, notBefore, notAfter time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法生成演示 CA 密钥。", err)
	}
	tmpl, err := caTemplate(cn, notBefore, notAfter)
	if err != nil {
		return nil, err
	}
	tmpl.MaxPathLen, tmpl.MaxPathLenZero = 0, true
	return sign(tmpl, ca.Cert, key, ca.Key)
}

func caTemplate(cn string, notBefore, notAfter time.Time) (*x509.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}, nil
}

func sign(tmpl, parent *x509.Certificate, key *ecdsa.PrivateKey, parentKey crypto.Signer) (*CA, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示 CA 证书。", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示 CA 证书。", err)
	}
	return &CA{Cert: cert, Key: key}, nil
}

// LeafOptions describes an end-entity (login) certificate.
type LeafOptions struct {
	CommonName, Organization, OrgUnit string
	Serial                            *big.Int      // nil = random 128-bit
	NotBefore, NotAfter               time.Time     // zero = now-1h / NotBefore+1 year
	KeyUsage                          x509.KeyUsage // 0 = DigitalSignature|ContentCommitment
	CRLURL                            string        // CRL distribution point; "" = none
}

// IssueFor certifies pub, typically a key generated on a token.
func (ca *CA) IssueFor(pub crypto.PublicKey, o LeafOptions) (*x509.Certificate, error) {
	serial := o.Serial
	if serial == nil {
		var err error
		if serial, err = randomSerial(); err != nil {
			return nil, err
		}
	}
	nb, na := o.NotBefore, o.NotAfter
	if nb.IsZero() {
		nb = time.Now().Add(-time.Hour)
	}
	if na.IsZero() {
		na = nb.AddDate(1, 0, 0)
	}
	ku := o.KeyUsage
	if ku == 0 {
		ku = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	}
	subject := pkix.Name{CommonName: o.CommonName}
	if o.Organization != "" {
		subject.Organization = []string{o.Organization}
	}
	if o.OrgUnit != "" {
		subject.OrganizationalUnit = []string{o.OrgUnit}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              ku,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	if o.CRLURL != "" {
		tmpl.CRLDistributionPoints = []string{o.CRLURL}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示证书。", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示证书。", err)
	}
	return cert, nil
}

// IssueWithKey generates a software key of kind "rsa2048" or "ecp256" and
// certifies it.
func (ca *CA) IssueWithKey(kind string, o LeafOptions) (*x509.Certificate, crypto.Signer, error) {
	var key crypto.Signer
	var err error
	switch kind {
	case "rsa2048":
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ecp256":
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, nil, apperr.New(apperr.BadInput, "不支持的密钥类型 "+kind+"，只能是 rsa2048 或 ecp256。")
	}
	if err != nil {
		return nil, nil, apperr.Wrap(apperr.Internal, "无法生成演示密钥。", err)
	}
	cert, err := ca.IssueFor(key.Public(), o)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

// CRL issues a DER certificate revocation list. revoked maps serial numbers
// (hex, as pki.SerialHex prints them) to revocation times.
func (ca *CA) CRL(revoked map[string]time.Time, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	entries := make([]x509.RevocationListEntry, 0, len(revoked))
	for s, at := range revoked {
		n, ok := new(big.Int).SetString(s, 16)
		if !ok {
			return nil, apperr.New(apperr.BadInput, "吊销列表中的序列号 "+s+" 不是十六进制数。")
		}
		entries = append(entries, x509.RevocationListEntry{SerialNumber: n, RevocationTime: at})
	}
	// Sorted so the same input gives the same CRL body.
	sort.Slice(entries, func(i, j int) bool { return entries[i].SerialNumber.Cmp(entries[j].SerialNumber) < 0 })
	// The CRL number must grow with each CRL; the issue time in ns does.
	number := big.NewInt(thisUpdate.UnixNano())
	if number.Sign() <= 0 {
		number = big.NewInt(1)
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		RevokedCertificateEntries: entries,
		Number:                    number,
		ThisUpdate:                thisUpdate,
		NextUpdate:                nextUpdate,
	}, ca.Cert, ca.Key)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法签发演示吊销列表。", err)
	}
	return der, nil
}

// Save writes the certificate (PEM) and the private key (PKCS#8 PEM, mode
// 0600) into dir, each through a temporary file so a crash leaves the old
// pair intact.
func (ca *CA) Save(dir string) error {
	keyDER, err := x509.MarshalPKCS8PrivateKey(ca.Key)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法保存演示 CA 密钥。", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建目录 "+dir+"，请检查磁盘空间和权限。", err)
	}
	if err := writeFile(filepath.Join(dir, KeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, CertFile), PEM(ca.Cert), 0o644)
}

func writeFile(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".devca-*")
	if err == nil {
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), mode)
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}
	if err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法写入 "+path+"，请检查磁盘空间和权限。", err)
	}
	return nil
}

// Load reads a CA written by Save and checks that key and certificate match.
func Load(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	bad := func(path string, err error) error {
		return apperr.Wrap(apperr.ConfigInvalid, "演示 CA 文件 "+path+" 缺失或已损坏，请删除目录 "+dir+" 让程序重新生成演示 CA。", err)
	}
	cert, err := readPEM(certPath, "CERTIFICATE", func(b []byte) (*x509.Certificate, error) { return x509.ParseCertificate(b) })
	if err != nil {
		return nil, bad(certPath, err)
	}
	key, err := readPEM(keyPath, "PRIVATE KEY", func(b []byte) (crypto.Signer, error) {
		k, err := x509.ParsePKCS8PrivateKey(b)
		if err != nil {
			return nil, err
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("key type %T cannot sign", k)
		}
		return s, nil
	})
	if err != nil {
		return nil, bad(keyPath, err)
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, bad(keyPath, errors.New("private key does not match certificate"))
	}
	return &CA{Cert: cert, Key: key}, nil
}

func readPEM[T any](path, typ string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	raw, err := os.ReadFile(path)
	if err != nil {
		return zero, err
	}
	b, _ := pem.Decode(raw)
	if b == nil || b.Type != typ {
		return zero, errors.New("no " + typ + " PEM block")
	}
	return parse(b.Bytes)
}

// PEM encodes certs as consecutive CERTIFICATE blocks, e.g. for a bundle.
func PEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

func randomSerial() (*big.Int, error) {
	// Uniform in [1, 2^128-1]: zero is not a valid serial (RFC 5280 4.1.2.2).
	limit := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	n, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法生成证书序列号。", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}
