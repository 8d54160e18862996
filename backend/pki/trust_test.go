package pki

import (
	"path/filepath"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/pki/devca"
)

func TestLoadTrustBundleGood(t *testing.T) {
	h := pkiFixture(t)
	ts, err := LoadTrustBundle(writeTemp(t, "ca.pem", append([]byte("# 省级 CA\n"), devca.PEM(h.inter.Cert, h.root.Cert)...)))
	if err != nil {
		t.Fatal(err)
	}
	if r := ts.Roots(); len(r) != 1 || !r[0].Equal(h.root.Cert) {
		t.Errorf("roots = %v", subjects(r))
	}
	if i := ts.Intermediates(); len(i) != 1 || !i[0].Equal(h.inter.Cert) {
		t.Errorf("intermediates = %v", subjects(i))
	}
}

func TestLoadTrustBundleDER(t *testing.T) {
	h := pkiFixture(t)
	ts, err := LoadTrustBundle(writeTemp(t, "root.cer", h.root.Cert.Raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Roots()) != 1 {
		t.Errorf("roots = %d, want 1", len(ts.Roots()))
	}
}

func TestLoadTrustBundleRefusals(t *testing.T) {
	h := pkiFixture(t)
	missing := filepath.Join(t.TempDir(), "nope.pem")
	cases := map[string]struct {
		path string
		want string
	}{
		"missing":      {missing, "nope.pem"},
		"empty":        {writeTemp(t, "empty.pem", nil), "没有可识别的证书"},
		"garbage":      {writeTemp(t, "garbage.pem", []byte("this is not a certificate\n")), "没有可识别的证书"},
		"broken PEM":   {writeTemp(t, "broken.pem", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")), "无法解析"},
		"leaf":         {writeTemp(t, "leaf.pem", devca.PEM(h.root.Cert, h.inter.Cert, h.ecLeaf)), "「李四」不是 CA 证书"},
		"private key":  {writeTemp(t, "key.pem", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")), "PRIVATE KEY"},
		"no root":      {writeTemp(t, "inter.pem", devca.PEM(h.inter.Cert)), "没有根证书"},
		"SM2 CA in it": {writeTemp(t, "sm2.pem", append(devca.PEM(h.root.Cert), pemBlock(sm2CurveCert(t))...)), "SM2"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ts, err := LoadTrustBundle(tc.path)
			if ts != nil {
				t.Errorf("got a trust store")
			}
			wantCode(t, err, apperr.ConfigInvalid, tc.path, tc.want)
		})
	}
}

func TestNewTrustStoreSkipsLeaves(t *testing.T) {
	h := pkiFixture(t)
	ts := NewTrustStore(h.root.Cert, h.ecLeaf, nil, h.inter.Cert)
	if len(ts.Roots()) != 1 || len(ts.Intermediates()) != 1 {
		t.Errorf("roots %v, intermediates %v", subjects(ts.Roots()), subjects(ts.Intermediates()))
	}
}
