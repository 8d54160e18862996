package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"caiji/backend/apperr"
)

// TrustStore is the set of CA certificates this PC trusts: self-signed roots
// and the intermediates that hang below them, as an administrator installed
// them from the provincial CA's bundle.
type TrustStore struct {
	roots         []*x509.Certificate
	intermediates []*x509.Certificate
}

type caKind int

const (
	kindRoot caKind = iota
	kindIntermediate
	kindNotCA
	kindBadSelfSignature
)

func classify(c *x509.Certificate) caKind {
	if bytes.Equal(c.RawSubject, c.RawIssuer) {
		// v1 roots predate basicConstraints; Go trusts them as roots too.
		if !c.IsCA && c.Version >= 3 {
			return kindNotCA
		}
		if c.CheckSignatureFrom(c) != nil {
			return kindBadSelfSignature
		}
		return kindRoot
	}
	if !c.BasicConstraintsValid || !c.IsCA {
		return kindNotCA
	}
	return kindIntermediate
}

// NewTrustStore sorts certs into roots and intermediates. Certificates that
// are not CAs, or self-signed ones whose signature does not verify, are
// left out: they could only widen trust by mistake. LoadTrustBundle refuses
// them instead, so an administrator learns about the mistake.
func NewTrustStore(certs ...*x509.Certificate) *TrustStore {
	t := &TrustStore{}
	for _, c := range certs {
		if c == nil {
			continue
		}
		switch classify(c) {
		case kindRoot:
			t.roots = append(t.roots, c)
		case kindIntermediate:
			t.intermediates = append(t.intermediates, c)
		}
	}
	return t
}

// Roots returns the trusted self-signed CA certificates.
func (t *TrustStore) Roots() []*x509.Certificate {
	if t == nil {
		return nil
	}
	return append([]*x509.Certificate(nil), t.roots...)
}

// Intermediates returns the CA certificates below the roots.
func (t *TrustStore) Intermediates() []*x509.Certificate {
	if t == nil {
		return nil
	}
	return append([]*x509.Certificate(nil), t.intermediates...)
}

// LoadTrustBundle reads the CA bundle an administrator installed: PEM
// CERTIFICATE blocks (a single DER certificate is accepted too, since CAs
// often hand out .cer files). Anything wrong with the file is ConfigInvalid
// naming it, including a non-CA certificate: a leaf in a trust bundle is a
// mistake that must not pass silently.
func LoadTrustBundle(path string) (*TrustStore, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.Wrap(apperr.ConfigInvalid,
			"找不到信任证书文件 "+path+"，请联系系统管理员安装省级 CA 证书。", err)
	}
	if err != nil {
		return nil, apperr.Wrap(apperr.ConfigInvalid,
			"无法读取信任证书文件 "+path+"，请检查文件是否存在以及读取权限。", err)
	}

	ders, err := certBlocks(path, raw)
	if err != nil {
		return nil, err
	}
	t := &TrustStore{}
	for i, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			if Algorithm(der) == "SM2" {
				return nil, apperr.Wrap(apperr.ConfigInvalid, fmt.Sprintf(
					"信任证书文件 %s 中第 %d 个证书使用国密 SM2 算法，本版本暂不支持国密 SM2，国密算法支持将在后续版本提供。请改用 RSA 或 ECDSA 的 CA 证书。", path, i+1), err)
			}
			return nil, apperr.Wrap(apperr.ConfigInvalid, fmt.Sprintf(
				"信任证书文件 %s 中第 %d 个证书无法解析，请联系系统管理员换上发证机构提供的正确 CA 证书文件。", path, i+1), err)
		}
		switch classify(c) {
		case kindRoot:
			t.roots = append(t.roots, c)
		case kindIntermediate:
			t.intermediates = append(t.intermediates, c)
		case kindNotCA:
			return nil, apperr.New(apperr.ConfigInvalid, fmt.Sprintf(
				"信任证书文件 %s 中的证书「%s」不是 CA 证书（可能误放了个人证书），请从文件中删除它后重新启动。", path, DisplayName(c.Subject)))
		case kindBadSelfSignature:
			return nil, apperr.New(apperr.ConfigInvalid, fmt.Sprintf(
				"信任证书文件 %s 中的根证书「%s」签名无效，文件可能已损坏，请从发证机构重新获取。", path, DisplayName(c.Subject)))
		}
	}
	if len(t.roots) == 0 {
		return nil, apperr.New(apperr.ConfigInvalid,
			"信任证书文件 "+path+" 中没有根证书（自签名的 CA 证书），请联系系统管理员补上省级 CA 根证书。")
	}
	return t, nil
}

// certBlocks returns the DER of each certificate in a PEM (or single DER) file.
func certBlocks(path string, raw []byte) ([][]byte, error) {
	var ders [][]byte
	rest := raw
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, apperr.New(apperr.ConfigInvalid,
				"信任证书文件 "+path+" 中有非证书内容（"+b.Type+"），请只保留 CA 证书。")
		}
		ders = append(ders, b.Bytes)
	}
	if len(ders) == 0 && len(bytes.TrimSpace(raw)) > 0 && raw[0] == 0x30 { // DER SEQUENCE
		ders = append(ders, raw)
	}
	if len(ders) == 0 {
		return nil, apperr.New(apperr.ConfigInvalid,
			"信任证书文件 "+path+" 中没有可识别的证书，请联系系统管理员换上 PEM 格式的省级 CA 证书文件。")
	}
	return ders, nil
}
