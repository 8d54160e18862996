package pki

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/pki/devca"
)

func TestRevokedViaCRLFile(t *testing.T) {
	h := pkiFixture(t)
	revokedAt := time.Date(2026, 2, 10, 20, 0, 0, 0, time.UTC) // 2026-02-11 in Beijing
	crl, err := h.inter.CRL(map[string]time.Time{SerialHex(h.ecLeaf): revokedAt}, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	// Admins may drop PEM as well as DER files.
	pemCRL := pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})
	c := h.checker(t, h.rootCRL, pemCRL)

	_, err = c.Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CertRevoked, SerialHex(h.ecLeaf), "2026-02-11")
	mustCheck(t, c, h.rsaLeaf) // not listed
}

func TestRevokedViaDownloadThenCache(t *testing.T) {
	h := pkiFixture(t)
	var crl atomic.Pointer[[]byte]
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/inter.crl" {
			http.NotFound(w, r)
			return
		}
		w.Write(*crl.Load())
	}))
	defer srv.Close()

	withURL := func(o *devca.LeafOptions) { o.CRLURL = srv.URL + "/inter.crl" }
	good, _ := issueEC(t, h.inter, "在用", withURL)
	bad, _ := issueEC(t, h.inter, "已吊销", withURL)
	der, err := h.inter.CRL(map[string]time.Time{SerialHex(bad): testNow.AddDate(0, 0, -3)}, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	crl.Store(&der)

	c := h.checker(t, h.rootCRL) // the intermediate's CRL only online
	c.HTTP = srv.Client()
	c.CacheDir = t.TempDir()

	_, err = c.Check(context.Background(), bad, nil)
	wantCode(t, err, apperr.CertRevoked)
	if v := mustCheck(t, c, good); len(v.Warnings) != 0 {
		t.Errorf("warnings = %v", v.Warnings)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server hits = %d, want 1 (second check from cache)", n)
	}
	if files, _ := os.ReadDir(c.CacheDir); len(files) != 1 {
		t.Errorf("cache holds %d files, want 1", len(files))
	}

	srv.Close()
	_, err = c.Check(context.Background(), bad, nil)
	wantCode(t, err, apperr.CertRevoked)
	mustCheck(t, c, good)

	// Without the cache the closed server means no CRL at all.
	c.CacheDir = ""
	_, err = c.Check(context.Background(), good, nil)
	wantCode(t, err, apperr.CRLUnavailable)
}

func TestCRLFromWrongCAIgnored(t *testing.T) {
	h := pkiFixture(t)
	// Same name as the real intermediate, different key: its CRL names the
	// right issuer but its signature must not verify.
	impostor, err := devca.NewRoot("演示省级 CA", testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	other, err := devca.NewRoot("其他 CA", testNow.AddDate(-1, 0, 0), testNow.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	revoke := map[string]time.Time{SerialHex(h.ecLeaf): testNow.AddDate(0, 0, -1)}
	var crls [][]byte
	for _, ca := range []*devca.CA{impostor, other} {
		der, err := ca.CRL(revoke, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7))
		if err != nil {
			t.Fatal(err)
		}
		crls = append(crls, der)
	}
	c := h.checker(t, h.rootCRL, crls[0], crls[1])
	_, err = c.Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CRLUnavailable, "演示省级 CA")

	c.Policy = CRLWarn
	v := mustCheck(t, c, h.ecLeaf)
	if len(v.Warnings) != 1 || v.Warnings[0].Code != apperr.CRLUnavailable {
		t.Errorf("warnings = %v, want one crl_unavailable", v.Warnings)
	}
}

func TestExpiredCRLIsUnavailable(t *testing.T) {
	h := pkiFixture(t)
	stale, err := h.inter.CRL(map[string]time.Time{SerialHex(h.ecLeaf): testNow.AddDate(0, 0, -20)}, testNow.AddDate(0, 0, -10), testNow.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.checker(t, h.rootCRL, stale).Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CRLUnavailable)
}

func TestNoCRLWarnAccepts(t *testing.T) {
	h := pkiFixture(t)
	c := h.checker(t)
	c.Policy = CRLWarn
	c.CRLFiles = []string{"/nonexistent/caiji-test.crl"}
	v := mustCheck(t, c, h.ecLeaf)
	// One for the unreadable file, one each for leaf and intermediate.
	if len(v.Warnings) != 3 {
		t.Fatalf("warnings = %v, want 3", v.Warnings)
	}
	for _, w := range v.Warnings {
		if w.Code != apperr.CRLUnavailable || w.Message == "" {
			t.Errorf("warning = %+v", w)
		}
	}
}

func TestNoCRLRefuse(t *testing.T) {
	h := pkiFixture(t)
	_, err := h.checker(t).Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CRLUnavailable, "李四")

	// The empty policy fails closed too.
	c := h.checker(t)
	c.Policy = ""
	_, err = c.Check(context.Background(), h.ecLeaf, nil)
	wantCode(t, err, apperr.CRLUnavailable)
}

func TestIntermediateRevokedByRootCRL(t *testing.T) {
	h := pkiFixture(t)
	arl, err := h.root.CRL(map[string]time.Time{SerialHex(h.inter.Cert): testNow.AddDate(0, 0, -2)}, testNow.Add(-time.Hour), testNow.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.checker(t, arl, h.interCRL).Check(context.Background(), h.rsaLeaf, nil)
	wantCode(t, err, apperr.CertRevoked, "演示省级 CA")
}
