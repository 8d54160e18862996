package pki

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"time"

	"caiji/backend/apperr"
)

// CRLPolicy says what to do when no current CRL can be had for a
// certificate in the chain.
type CRLPolicy string

const (
	CRLWarn   CRLPolicy = "warn"   // accept, with a CRLUnavailable warning
	CRLRefuse CRLPolicy = "refuse" // refuse with CRLUnavailable
)

// Checker validates login certificates. It only reads its fields, so one
// Checker may serve concurrent Checks.
type Checker struct {
	Trust    *TrustStore
	CRLFiles []string         // CRLs an admin put on disk (DER or PEM), used before any download
	CacheDir string           // downloaded CRLs cached here (file per issuer+URL hash); "" = no cache
	Policy   CRLPolicy        // "" means CRLRefuse: fail closed unless configured otherwise
	HTTP     *http.Client     // for CRL distribution points (http:// only); nil = no download
	Now      func() time.Time // nil = time.Now
}

// Warning is something the clerk or administrator should know although the
// certificate was accepted.
type Warning struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
}

// Verified is an accepted certificate with its chain, leaf first, root last.
type Verified struct {
	Chain    []*x509.Certificate
	Warnings []Warning
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Check validates leaf for login. extra are certificates found beside it on
// the token, used only as possible intermediates. The first failure wins:
// key algorithm, validity dates, chain to the trusted roots, key usage,
// then revocation of the leaf and each intermediate. Errors are *apperr.Error.
func (c *Checker) Check(ctx context.Context, leaf *x509.Certificate, extra []*x509.Certificate) (*Verified, error) {
	if leaf == nil {
		return nil, apperr.New(apperr.BadInput, "没有读到证书，请重新插入 USB Key 后再试。")
	}
	if c.Trust == nil || len(c.Trust.roots) == 0 {
		return nil, apperr.New(apperr.ConfigInvalid, "本机没有配置信任的省级 CA 证书，无法验证登录证书。请联系系统管理员安装 CA 证书。")
	}
	policy := c.Policy
	if policy == "" {
		policy = CRLRefuse
	}
	if policy != CRLWarn && policy != CRLRefuse {
		return nil, apperr.New(apperr.ConfigInvalid, fmt.Sprintf("吊销检查策略 %q 无效，只能是 warn 或 refuse。请联系系统管理员改正配置。", string(c.Policy)))
	}
	now := c.now()

	// Algorithm first: nothing else matters for a key we will not accept.
	if err := CheckAlgorithm(leaf.Raw); err != nil {
		return nil, err
	}
	// Dates before the chain: x509.Verify would only say "invalid", and a
	// clerk needs to know the certificate expired and when.
	if now.After(leaf.NotAfter) {
		return nil, apperr.New(apperr.CertExpired, "证书已于 "+day(leaf.NotAfter)+" 过期，请到发证机构更新证书。")
	}
	if now.Before(leaf.NotBefore) {
		return nil, apperr.New(apperr.CertNotYetValid, "证书要到 "+day(leaf.NotBefore)+" 才生效。请先确认本机日期和时间正确；如果正确，请在生效日期之后再登录。")
	}

	chain, err := c.verifyChain(leaf, extra, now)
	if err != nil {
		return nil, err
	}

	// A dual-certificate USB key also holds an encryption certificate; it
	// must not be used to log in.
	if leaf.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return nil, apperr.New(apperr.CertKeyUsage, "所选证书不能用于数字签名（可能是加密证书），不能用来登录。请选择 USB Key 中的签名证书，或到发证机构申请签名证书。")
	}

	warnings, err := c.checkRevocation(ctx, chain, now, policy)
	if err != nil {
		return nil, err
	}
	return &Verified{Chain: chain, Warnings: warnings}, nil
}

func (c *Checker) verifyChain(leaf *x509.Certificate, extra []*x509.Certificate, now time.Time) ([]*x509.Certificate, error) {
	roots := x509.NewCertPool()
	for _, r := range c.Trust.roots {
		roots.AddCert(r)
	}
	inters := x509.NewCertPool()
	known := append([]*x509.Certificate(nil), c.Trust.intermediates...)
	for _, e := range extra {
		// A self-signed certificate from the token is at best a copy of a
		// root; it must never stand in for one.
		if e != nil && !bytes.Equal(e.RawSubject, e.RawIssuer) {
			known = append(known, e)
		}
	}
	for _, k := range known {
		inters.AddCert(k)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inters,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		CurrentTime:   now,
	})
	if err == nil {
		return chains[0], nil
	}
	return nil, explainChainFailure(leaf, known, c.Trust.roots, now, err)
}

// explainChainFailure retraces the path x509.Verify could not complete, so
// the message names the CA that is missing or expired instead of repeating
// Go's English error.
func explainChainFailure(leaf *x509.Certificate, known, roots []*x509.Certificate, now time.Time, err error) *apperr.Error {
	cur := leaf
	for range len(known) + 1 {
		parent, isRoot := findParent(cur, roots, known)
		if parent == nil {
			return apperr.Wrap(apperr.CertUntrusted, fmt.Sprintf(
				"证书的颁发者「%s」不在本机信任的省级 CA 列表中。请确认证书由本省 CA 签发；如果是，请联系系统管理员更新信任的 CA 证书列表。",
				DisplayName(cur.Issuer)), err)
		}
		if now.Before(parent.NotBefore) || now.After(parent.NotAfter) {
			return apperr.Wrap(apperr.CertUntrusted, fmt.Sprintf(
				"上级 CA 证书「%s」不在有效期内（%s 至 %s），证书链无法验证。请联系系统管理员更新 CA 证书。",
				DisplayName(parent.Subject), day(parent.NotBefore), day(parent.NotAfter)), err)
		}
		if isRoot {
			break
		}
		cur = parent
	}
	return apperr.Wrap(apperr.CertUntrusted, fmt.Sprintf(
		"证书链无法验证：颁发者「%s」的 CA 证书不符合要求（例如不允许签发下级证书）。请联系发证机构或系统管理员。",
		DisplayName(leaf.Issuer)), err)
}

// findParent returns a certificate that signed c, preferring trusted roots.
func findParent(c *x509.Certificate, roots, others []*x509.Certificate) (parent *x509.Certificate, isRoot bool) {
	for i, set := range [][]*x509.Certificate{roots, others} {
		for _, p := range set {
			if bytes.Equal(p.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(p) == nil {
				return p, i == 0
			}
		}
	}
	return nil, false
}
