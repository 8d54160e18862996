package cli

import (
	"bytes"
	"caiji/backend/token/softhsm"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/token"
)

// The token commands against real SoftHSM tokens: keys generated on the
// token, certificates from a devca root → intermediate.

const (
	softhsmPath = "/usr/lib/softhsm/libsofthsm2.so"
	testSOPIN   = "so-pin-4321"
	testPIN     = "user-pin-8765"
	wrongPIN    = "wrong-pin-0000"
)

// TestMain points SoftHSM at a token directory of this test binary. It
// must happen before the driver is first initialized in the process:
// SoftHSM reads SOFTHSM2_CONF only at C_Initialize. The package's other
// tests never load the driver.
func TestMain(m *testing.M) { os.Exit(softhsm.Run("caiji-cli-softhsm-", m.Run)) }

func needSoftHSM(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(softhsmPath); err != nil {
		t.Skipf("SoftHSM2 is not installed (%s missing; apt-get install softhsm2)", softhsmPath)
	}
}

// testPKI is a trusted root with an issuing intermediate, and the files
// `token check` reads: the trust bundle and current, empty CRLs of both.
type testPKI struct {
	root, inter                 *devca.CA
	dir, bundle, rootCRL, inCRL string
}

var makeCAs = sync.OnceValues(func() ([2]*devca.CA, error) {
	now := time.Now()
	root, err := devca.NewRoot("测试省级根 CA", now.Add(-24*time.Hour), now.AddDate(5, 0, 0))
	if err != nil {
		return [2]*devca.CA{}, err
	}
	inter, err := root.NewIntermediate("测试省级业务 CA", now.Add(-24*time.Hour), now.AddDate(5, 0, 0))
	return [2]*devca.CA{root, inter}, err
})

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	cas, err := makeCAs()
	if err != nil {
		t.Fatalf("test CAs: %v", err)
	}
	p := &testPKI{root: cas[0], inter: cas[1], dir: t.TempDir()}
	p.bundle = filepath.Join(p.dir, "bundle.pem")
	if err := os.WriteFile(p.bundle, devca.PEM(p.root.Cert, p.inter.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	p.rootCRL = p.crl(t, p.root)
	p.inCRL = p.crl(t, p.inter)
	return p
}

// crl writes a current CRL of ca listing revoked and returns its path.
func (p *testPKI) crl(t *testing.T, ca *devca.CA, revoked ...*x509.Certificate) string {
	t.Helper()
	now := time.Now()
	list := map[string]time.Time{}
	for _, c := range revoked {
		list[pki.SerialHex(c)] = now.Add(-time.Hour)
	}
	der, err := ca.CRL(list, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(p.dir, "*.crl")
	if err == nil {
		_, err = f.Write(der)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// makeToken initialises a SoftHSM token labelled label, generates a P-256
// key on it and stores the intermediate's certificate for that key. The
// module is closed again, so the command under test opens the driver as
// it would in a process of its own.
func (p *testPKI) makeToken(t *testing.T, label string, o devca.LeafOptions) *x509.Certificate {
	t.Helper()
	m, err := token.Open(softhsmPath)
	if err != nil {
		t.Fatalf("token.Open: %v", err)
	}
	defer m.Close()
	ti, err := token.InitToken(m, label, testSOPIN, testPIN)
	if err != nil {
		t.Fatalf("InitToken(%q): %v", label, err)
	}
	s, err := m.Login(ti.SlotID, testPIN)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	defer s.Close()
	id := []byte(label)
	pub, err := s.GenerateKeyPair(token.ECP256, id, label)
	if err != nil {
		t.Fatalf("GenerateKeyPair: %v", err)
	}
	if o.CommonName == "" {
		o.CommonName = "王小明"
	}
	cert, err := p.inter.IssueFor(pub, o)
	if err != nil {
		t.Fatalf("IssueFor: %v", err)
	}
	if err := s.ImportCertificate(id, label, cert); err != nil {
		t.Fatalf("ImportCertificate: %v", err)
	}
	return cert
}

// labelSeq keeps token labels unique within the process: the token
// directory lives as long as the test binary, so with -count=N a test
// would otherwise find the token an earlier run of it left behind.
var labelSeq atomic.Int64

func uniq(base string) string { return fmt.Sprintf("%s.%d", base, labelSeq.Add(1)) }

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// errorJSON is what a failed command prints under --json.
type errorJSON struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func wantErrorJSON(t *testing.T, stdout, code string) {
	t.Helper()
	var e errorJSON
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatalf("stdout %q is not JSON: %v", stdout, err)
	}
	if e.Error != code || !hasHan(e.Message) {
		t.Errorf("got %+v, want error %s with a Chinese message", e, code)
	}
}

func TestTokenListJSON(t *testing.T) {
	needSoftHSM(t)
	p := newPKI(t)
	label := uniq("cli-list")
	p.makeToken(t, label, devca.LeafOptions{})

	code, stdout, stderr := run("token", "list", "--module", softhsmPath, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	type tokenJSON struct {
		Label  string `json:"label"`
		Serial string `json:"serial"`
		SlotID *uint  `json:"slotId"`
	}
	var res struct {
		Modules []struct {
			Path   string           `json:"path"`
			Error  *json.RawMessage `json:"error"`
			Tokens []tokenJSON      `json:"tokens"`
		} `json:"modules"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout %q is not JSON: %v", stdout, err)
	}
	if len(res.Modules) != 1 || res.Modules[0].Path != softhsmPath || res.Modules[0].Error != nil {
		t.Fatalf("modules = %+v, want only %s without error", res.Modules, softhsmPath)
	}
	i := slices.IndexFunc(res.Modules[0].Tokens, func(tk tokenJSON) bool { return tk.Label == label })
	if i < 0 {
		t.Fatalf("token %s not listed: %s", label, stdout)
	}
	if tk := res.Modules[0].Tokens[i]; tk.Serial == "" || tk.SlotID == nil {
		t.Errorf("token %+v lacks serial or slot", tk)
	}
}

func TestTokenListMissingModule(t *testing.T) {
	code, stdout, _ := run("token", "list", "--module", "/nonexistent.so", "--json")
	if code != ExitRefused {
		t.Fatalf("exit %d, want %d; stdout %q", code, ExitRefused, stdout)
	}
	wantErrorJSON(t, stdout, "module_unavailable")
}

// checkJSON is `token check --json` output.
type checkJSON struct {
	Accepted   bool   `json:"accepted"`
	ReasonCode string `json:"reason_code"`
	Reason     string `json:"reason"`
	Subject    string `json:"subject"`
	NotAfter   string `json:"not_after"`
	Warnings   []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"warnings"`
}

func TestTokenCheck(t *testing.T) {
	needSoftHSM(t)
	p := newPKI(t)
	now := time.Now()
	goodKey, expiredKey, revokedKey := uniq("cli-good"), uniq("cli-expired"), uniq("cli-revoked")
	good := p.makeToken(t, goodKey, devca.LeafOptions{CommonName: "王小明"})
	expired := p.makeToken(t, expiredKey, devca.LeafOptions{CommonName: "过期者", NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.Add(-24 * time.Hour)})
	revoked := p.makeToken(t, revokedKey, devca.LeafOptions{CommonName: "吊销者"})
	revokedCRL := p.crl(t, p.inter, revoked)

	check := func(label, pin string, extra ...string) []string {
		args := []string{"token", "check", "--module", softhsmPath, "--token", label, "--pin", pin, "--trust", p.bundle, "--json"}
		return append(args, extra...)
	}
	withCRLs := []string{"--crl", p.rootCRL, "--crl", p.inCRL, "--crl-policy", "refuse"}

	for _, tc := range []struct {
		name     string
		args     []string
		want     string // reason code; "" = accepted
		cert     *x509.Certificate
		warnings int
	}{
		{"good with current CRLs", check(goodKey, testPIN, withCRLs...), "", good, 0},
		{"good without CRLs, policy warn", check(goodKey, testPIN), "", good, 2},
		{"wrong PIN", check(goodKey, wrongPIN, withCRLs...), "pin_incorrect", nil, 0},
		{"expired", check(expiredKey, testPIN, withCRLs...), "cert_expired", expired, 0},
		{"revoked", check(revokedKey, testPIN, "--crl", p.rootCRL, "--crl", revokedCRL), "cert_revoked", revoked, 0},
		{"no CRL, policy refuse", check(goodKey, testPIN, "--crl-policy", "refuse"), "crl_unavailable", good, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(tc.args...)
			wantExit := ExitOK
			if tc.want != "" {
				wantExit = ExitRefused
			}
			if code != wantExit {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, wantExit, stdout, stderr)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
				t.Fatalf("stdout %q is not JSON: %v", stdout, err)
			}
			for _, k := range []string{"accepted", "reason_code", "reason", "subject", "not_after", "warnings"} {
				if _, ok := keys[k]; !ok {
					t.Errorf("JSON lacks %q: %s", k, stdout)
				}
			}
			if w := bytes.TrimSpace(keys["warnings"]); w[0] != '[' {
				t.Errorf("warnings = %s, want an array", w)
			}
			var res checkJSON
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatal(err)
			}
			if res.Accepted != (tc.want == "") || res.ReasonCode != tc.want {
				t.Fatalf("accepted %v reason_code %q (%s), want code %q", res.Accepted, res.ReasonCode, res.Reason, tc.want)
			}
			if tc.want == "" && res.Reason != "" {
				t.Errorf("reason %q on an accepted key", res.Reason)
			}
			if tc.want != "" && !hasHan(res.Reason) {
				t.Errorf("reason %q is not Chinese", res.Reason)
			}
			if tc.cert != nil {
				if res.Subject != tc.cert.Subject.CommonName || res.NotAfter != tc.cert.NotAfter.UTC().Format(time.RFC3339) {
					t.Errorf("subject %q not_after %q, want %q %s", res.Subject, res.NotAfter,
						tc.cert.Subject.CommonName, tc.cert.NotAfter.UTC().Format(time.RFC3339))
				}
			}
			if len(res.Warnings) != tc.warnings {
				t.Errorf("warnings = %+v, want %d", res.Warnings, tc.warnings)
			}
			for _, w := range res.Warnings {
				if w.Code != "crl_unavailable" || !hasHan(w.Message) {
					t.Errorf("warning %+v, want crl_unavailable with a Chinese message", w)
				}
			}
			if strings.Contains(stdout+stderr, wrongPIN) || strings.Contains(stdout+stderr, testPIN) {
				t.Errorf("output leaks the PIN: %s %s", stdout, stderr)
			}
		})
	}

	t.Run("unknown label", func(t *testing.T) {
		code, stdout, stderr := run(check("cli-no-such-key", testPIN)...)
		if code != ExitRefused {
			t.Fatalf("exit %d, want %d; stderr %q", code, ExitRefused, stderr)
		}
		wantErrorJSON(t, stdout, "token_absent")
	})
	t.Run("text output", func(t *testing.T) {
		args := slices.DeleteFunc(check(goodKey, testPIN, withCRLs...), func(a string) bool { return a == "--json" })
		code, stdout, stderr := run(args...)
		if code != ExitOK || !strings.Contains(stdout, "通过") || !strings.Contains(stdout, "王小明") || json.Valid([]byte(stdout)) {
			t.Errorf("exit %d, stdout %q, stderr %q; want a Chinese acceptance line", code, stdout, stderr)
		}
	})
}

func TestTokenUsage(t *testing.T) {
	for _, args := range [][]string{
		{"token"},
		{"token", "frob"},
		{"token", "check", "--module", softhsmPath, "--token", "x", "--trust", "bundle.pem", "--json"},
		{"token", "check", "--module", softhsmPath, "--token", "x", "--pin", testPIN, "--trust", "bundle.pem", "--crl-policy", "maybe"},
		{"token", "list", "--module", softhsmPath, "extra"},
	} {
		code, stdout, stderr := run(args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d; stdout %q", args, code, ExitUsage, stdout)
		}
		if stderr == "" {
			t.Errorf("%v: nothing on stderr to say what is wrong", args)
		}
	}
	if _, _, stderr := run("token", "check", "--module", softhsmPath, "--token", "x", "--trust", "b.pem"); !strings.Contains(stderr, "--pin") {
		t.Errorf("missing --pin: stderr %q does not name it", stderr)
	}
}
