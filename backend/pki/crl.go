package pki

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"caiji/backend/apperr"
)

const (
	// crlFetchTimeout bounds one download: a login must not hang on a
	// distribution point that does not answer.
	crlFetchTimeout = 10 * time.Second
	// maxCRLSize is generous: provincial CAs' CRLs reach tens of MB.
	maxCRLSize = 64 << 20
)

// checkRevocation checks the leaf and every intermediate of chain (leaf
// first, root last) against a current CRL from its issuer. Roots are not
// checked: nothing above them could revoke them.
func (c *Checker) checkRevocation(ctx context.Context, chain []*x509.Certificate, now time.Time, policy CRLPolicy) ([]Warning, error) {
	local, warnings := c.loadCRLFiles()
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		crl := c.findCRL(ctx, cert, issuer, local, now)
		if crl == nil {
			msg := fmt.Sprintf("无法取得「%s」当前有效的证书吊销列表（CRL），不能确认证书「%s」是否已被吊销。",
				DisplayName(issuer.Subject), DisplayName(cert.Subject))
			if policy == CRLRefuse {
				return nil, apperr.New(apperr.CRLUnavailable, msg+"请检查网络后重试，或联系系统管理员把最新的吊销列表放到本机。")
			}
			warnings = append(warnings, Warning{Code: apperr.CRLUnavailable, Message: msg + "请联系系统管理员更新吊销列表。"})
			continue
		}
		if at, revoked := revokedAt(crl, cert); revoked {
			if i == 0 {
				return nil, apperr.New(apperr.CertRevoked, fmt.Sprintf(
					"证书（序列号 %s）已于 %s 被发证机构吊销，不能再使用。请到发证机构办理新证书。", SerialHex(cert), day(at)))
			}
			return nil, apperr.New(apperr.CertRevoked, fmt.Sprintf(
				"上级 CA 证书「%s」已于 %s 被吊销，由它签发的证书都不再可信。请联系发证机构。", DisplayName(cert.Subject), day(at)))
		}
	}
	return warnings, nil
}

// loadCRLFiles parses the administrator's CRL files. One that cannot be read
// is skipped with a warning rather than failing the login: another source
// may still have a CRL, and the policy decides if none does.
func (c *Checker) loadCRLFiles() ([]*x509.RevocationList, []Warning) {
	var crls []*x509.RevocationList
	var warnings []Warning
	for _, path := range c.CRLFiles {
		raw, err := os.ReadFile(path)
		var parsed []*x509.RevocationList
		if err == nil {
			parsed, err = parseCRLs(raw)
		}
		if err != nil {
			warnings = append(warnings, Warning{Code: apperr.CRLUnavailable,
				Message: "吊销列表文件 " + path + " 无法读取或已损坏，已跳过。请联系系统管理员更换该文件。"})
			continue
		}
		crls = append(crls, parsed...)
	}
	return crls, warnings
}

// findCRL returns a current CRL signed by issuer: from the local files, else
// the cache, else a download from cert's distribution points. nil if none.
func (c *Checker) findCRL(ctx context.Context, cert, issuer *x509.Certificate, local []*x509.RevocationList, now time.Time) *x509.RevocationList {
	if best := newest(local, issuer, now); best != nil {
		return best
	}
	for _, u := range cert.CRLDistributionPoints {
		if crl := c.fromCache(issuer, u, now); crl != nil {
			return crl
		}
	}
	for _, u := range cert.CRLDistributionPoints {
		if crl := c.download(ctx, issuer, u, now); crl != nil {
			return crl
		}
	}
	return nil
}

// newest picks, among crls that issuer signed and that are current, the one
// issued last, since a later CRL supersedes earlier ones.
func newest(crls []*x509.RevocationList, issuer *x509.Certificate, now time.Time) *x509.RevocationList {
	var best *x509.RevocationList
	for _, crl := range crls {
		if usable(crl, issuer, now) && (best == nil || crl.ThisUpdate.After(best.ThisUpdate)) {
			best = crl
		}
	}
	return best
}

// usable reports whether crl is signed by issuer and current at now. A CRL
// from another CA, or with a bad signature, is ignored rather than trusted;
// one past its NextUpdate (or without one) is stale and counts as missing.
func usable(crl *x509.RevocationList, issuer *x509.Certificate, now time.Time) bool {
	if !bytes.Equal(crl.RawIssuer, issuer.RawSubject) || crl.CheckSignatureFrom(issuer) != nil {
		return false
	}
	return !now.Before(crl.ThisUpdate) && !crl.NextUpdate.IsZero() && now.Before(crl.NextUpdate)
}

func revokedAt(crl *x509.RevocationList, cert *x509.Certificate) (time.Time, bool) {
	for _, e := range crl.RevokedCertificateEntries {
		if e.SerialNumber != nil && e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			return e.RevocationTime, true
		}
	}
	return time.Time{}, false
}

// parseCRLs reads DER or PEM ("X509 CRL" blocks, possibly several).
func parseCRLs(raw []byte) ([]*x509.RevocationList, error) {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("-----BEGIN")) {
		crl, err := x509.ParseRevocationList(raw)
		if err != nil {
			return nil, err
		}
		return []*x509.RevocationList{crl}, nil
	}
	var crls []*x509.RevocationList
	for rest := raw; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "X509 CRL" {
			continue
		}
		crl, err := x509.ParseRevocationList(b.Bytes)
		if err != nil {
			return nil, err
		}
		crls = append(crls, crl)
	}
	if len(crls) == 0 {
		return nil, errors.New("no X509 CRL block")
	}
	return crls, nil
}

// cachePath names the cache file by issuer (name and key) and URL, so two
// CAs publishing at one URL, or one CA at two URLs, never collide.
func (c *Checker) cachePath(issuer *x509.Certificate, u string) string {
	h := sha256.New()
	h.Write(issuer.RawSubject)
	h.Write(issuer.RawSubjectPublicKeyInfo)
	h.Write([]byte(u))
	return filepath.Join(c.CacheDir, hex.EncodeToString(h.Sum(nil))+".crl")
}

func (c *Checker) fromCache(issuer *x509.Certificate, u string, now time.Time) *x509.RevocationList {
	if c.CacheDir == "" {
		return nil
	}
	raw, err := os.ReadFile(c.cachePath(issuer, u))
	if err != nil {
		return nil
	}
	crl, err := x509.ParseRevocationList(raw)
	if err != nil || !usable(crl, issuer, now) {
		return nil
	}
	return crl
}

// download fetches a CRL over plain http only: CRLs are signed, and https
// distribution points would need revocation checking of their own.
func (c *Checker) download(ctx context.Context, issuer *x509.Certificate, u string, now time.Time) *x509.RevocationList {
	if c.HTTP == nil {
		return nil
	}
	if pu, err := url.Parse(u); err != nil || pu.Scheme != "http" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, crlFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxCRLSize+1))
	if err != nil || len(raw) > maxCRLSize {
		return nil
	}
	crls, err := parseCRLs(raw)
	if err != nil {
		return nil
	}
	crl := newest(crls, issuer, now)
	if crl != nil {
		c.store(issuer, u, crl.Raw)
	}
	return crl
}

// store writes the CRL to the cache through a temporary file and rename, so
// a concurrent reader never sees half a file. Failure only costs a download
// next time, so it is not reported.
func (c *Checker) store(issuer *x509.Certificate, u string, der []byte) {
	if c.CacheDir == "" || os.MkdirAll(c.CacheDir, 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(c.CacheDir, ".crl-*")
	if err != nil {
		return
	}
	_, werr := f.Write(der)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), c.cachePath(issuer, u)) != nil {
		os.Remove(f.Name())
	}
}
