package pki

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/pki/devca"
)

func TestCheckAcceptsGoodLeaves(t *testing.T) {
	h := pkiFixture(t)
	c := h.checker(t, h.rootCRL, h.interCRL)
	for name, leaf := range map[string]*x509.Certificate{"rsa": h.rsaLeaf, "ec": h.ecLeaf} {
		t.Run(name, func(t *testing.T) {
			v := mustCheck(t, c, leaf)
			if len(v.Chain) != 3 || !v.Chain[0].Equal(leaf) || !v.Chain[1].Equal(h.inter.Cert) || !v.Chain[2].Equal(h.root.Cert) {
				t.Fatalf("chain = %v, want leaf, intermediate, root", subjects(v.Chain))
			}
			if len(v.Warnings) != 0 {
				t.Errorf("warnings = %v, want none", v.Warnings)
			}
		})
	}
}

func subjects(chain []*x509.Certificate) []string {
	var out []string
	for _, c := range chain {
		out = append(out, DisplayName(c.Subject))
	}
	return out
}

func TestCheckExpiredGivesShanghaiDate(t *testing.T) {
	h := pkiFixture(t)
	// 16:30 UTC on 31 Jan is already 1 Feb in Beijing.
	leaf, _ := issueEC(t, h.inter, "过期", func(o *devca.LeafOptions) {
		o.NotBefore, o.NotAfter = testNow.AddDate(-1, 0, 0), time.Date(2026, 1, 31, 16, 30, 0, 0, time.UTC)
	})
	_, err := h.checker(t, h.rootCRL, h.interCRL).Check(context.Background(), leaf, nil)
	wantCode(t, err, apperr.CertExpired, "2026-02-01", "过期")
}

func TestCheckNotYetValid(t *testing.T) {
	h := pkiFixture(t)
	leaf, _ := issueEC(t, h.inter, "未生效", func(o *devca.LeafOptions) {
		o.NotBefore = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	})
	_, err := h.checker(t, h.rootCRL, h.interCRL).Check(context.Background(), leaf, nil)
	wantCode(t, err, apperr.CertNotYetValid, "2026-04-01")
}

func TestCheckForeignCAUntrusted(t *testing.T) {
	h := pkiFixture(t)
	other, err := devca.NewRoot("外省根 CA", testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	otherInter, err := other.NewIntermediate("外省 CA", testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	c := h.checker(t, h.rootCRL, h.interCRL)

	direct, _ := issueEC(t, other, "外省用户", nil)
	_, err = c.Check(context.Background(), direct, nil)
	wantCode(t, err, apperr.CertUntrusted, "「外省根 CA」")

	// Even with the foreign intermediate and root on the token, the
	// message names the root that is missing from the trust store.
	below, _ := issueEC(t, otherInter, "外省用户", nil)
	_, err = c.Check(context.Background(), below, []*x509.Certificate{otherInter.Cert, other.Cert})
	wantCode(t, err, apperr.CertUntrusted, "「外省根 CA」")
}

func TestCheckIntermediateFromToken(t *testing.T) {
	h := pkiFixture(t)
	c := h.checker(t, h.rootCRL, h.interCRL)
	c.Trust = NewTrustStore(h.root.Cert)

	_, err := c.Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CertUntrusted, "「演示省级 CA」")

	v := mustCheck(t, c, h.ecLeaf, h.inter.Cert)
	if len(v.Chain) != 3 || !v.Chain[2].Equal(h.root.Cert) {
		t.Fatalf("chain = %v", subjects(v.Chain))
	}
}

func TestCheckExpiredIntermediate(t *testing.T) {
	h := pkiFixture(t)
	old, err := h.root.NewIntermediate("旧省级 CA", testNow.AddDate(-6, 0, 0), testNow.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := issueEC(t, old, "王五", nil)
	c := h.checker(t)
	c.Trust = NewTrustStore(h.root.Cert, old.Cert)
	_, err = c.Check(context.Background(), leaf, nil)
	wantCode(t, err, apperr.CertUntrusted, "「旧省级 CA」", "有效期")
}

func TestCheckKeyUsage(t *testing.T) {
	h := pkiFixture(t)
	enc, _ := issueEC(t, h.inter, "加密证书", func(o *devca.LeafOptions) {
		o.KeyUsage = x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment
	})
	_, err := h.checker(t, h.rootCRL, h.interCRL).Check(context.Background(), enc, nil)
	wantCode(t, err, apperr.CertKeyUsage, "签名证书")
}

func TestCheckWeakRSARefused(t *testing.T) {
	h := pkiFixture(t)
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := h.inter.IssueFor(weak.Public(), leafOpts("弱密钥"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.checker(t, h.rootCRL, h.interCRL).Check(context.Background(), leaf, nil)
	wantCode(t, err, apperr.CertUnsupportedAlg, "1024")
}

func TestCheckConfigErrors(t *testing.T) {
	h := pkiFixture(t)
	_, err := (&Checker{}).Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.ConfigInvalid)

	c := h.checker(t)
	c.Policy = "maybe"
	_, err = c.Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.ConfigInvalid, "maybe")

	_, err = h.checker(t).Check(context.Background(), nil, nil)
	wantCode(t, err, apperr.BadInput)
}
