package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDefaultIsDemo(t *testing.T) {
	if got := Default().Mode; got != ModeDemo {
		t.Errorf("Default().Mode = %q, want %q", got, ModeDemo)
	}
}

func TestLoadMissingFileGivesDefault(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if want := Default().resolve(dir); !reflect.DeepEqual(c, want) {
		t.Errorf("Load = %+v, want %+v", c, want)
	}
	if c.Mode != ModeDemo {
		t.Errorf("Mode = %q, want demo", c.Mode)
	}
}

func TestLoadValid(t *testing.T) {
	tests := []struct {
		body string
		want Mode
	}{
		{`{"mode":"production"}`, ModeProduction},
		{`{"mode": "demo"}`, ModeDemo},
		{"{\n  \"mode\": \"production\"\n}\n", ModeProduction},
	}
	for _, tt := range tests {
		c, err := Load(writeConfig(t, tt.body))
		if err != nil {
			t.Errorf("Load(%s): %v", tt.body, err)
			continue
		}
		if c.Mode != tt.want {
			t.Errorf("Load(%s).Mode = %q, want %q", tt.body, c.Mode, tt.want)
		}
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"unknown field", `{"mode":"demo","platform_url":"https://x"}`},
		{"bad mode", `{"mode":"test"}`},
		{"mode wrong case", `{"mode":"Production"}`},
		{"mode missing", `{}`},
		{"mode empty", `{"mode":""}`},
		{"mode not a string", `{"mode":1}`},
		{"invalid JSON", `{"mode":"demo"`},
		{"not JSON at all", `mode=production`},
		{"empty file", ``},
		{"null", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConfig(t, tt.body)
			c, err := Load(dir)
			if !apperr.Is(err, apperr.ConfigInvalid) {
				t.Fatalf("Load(%q) = %+v, %v; want code %s", tt.body, c, err, apperr.ConfigInvalid)
			}
			if !reflect.DeepEqual(c, Config{}) {
				t.Errorf("Load returned %+v with the error, want zero Config", c)
			}
			if msg := apperr.From(err).Message; !strings.Contains(msg, filepath.Join(dir, FileName)) {
				t.Errorf("message %q does not name the file", msg)
			}
		})
	}
}

func TestLoadUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be: exists, but cannot be read as a file.
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); !apperr.Is(err, apperr.ConfigInvalid) {
		t.Fatalf("Load = %v, want code %s", err, apperr.ConfigInvalid)
	}
}

func TestLoadRejectsTrailingData(t *testing.T) {
	for _, body := range []string{
		`{"mode":"demo"}{"mode":"production"}`,
		`{"mode":"production"} trailing junk`,
	} {
		if _, err := Load(writeConfig(t, body)); !apperr.Is(err, apperr.ConfigInvalid) {
			t.Errorf("Load(%q) = %v, want code %s", body, err, apperr.ConfigInvalid)
		}
	}
}

func TestLoadAcceptsUTF8BOM(t *testing.T) {
	c, err := Load(writeConfig(t, "\xef\xbb\xbf{\"mode\":\"production\"}\r\n"))
	if err != nil {
		t.Fatalf("Load with BOM: %v", err)
	}
	if c.Mode != ModeProduction {
		t.Errorf("mode = %q, want production", c.Mode)
	}
}

func TestLoadResolvesDefaultsAndRelativePaths(t *testing.T) {
	dir := writeConfig(t, `{"mode":"production","trustBundle":"ca/prov.pem","crlFiles":["crl/a.crl","/abs/b.crl"],"crlPolicy":"refuse"}`)
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.TrustBundle != filepath.Join(dir, "ca/prov.pem") {
		t.Errorf("trust bundle = %q", c.TrustBundle)
	}
	if !reflect.DeepEqual(c.CRLFiles, []string{filepath.Join(dir, "crl/a.crl"), "/abs/b.crl"}) {
		t.Errorf("crl files = %v", c.CRLFiles)
	}
	if c.CRLPolicy != "refuse" || c.IdleLockMinutes != 10 || c.PasswordMaxAgeDays != 90 {
		t.Errorf("defaults not applied: %+v", c)
	}
	d, _ := Load(t.TempDir())
	if d.CRLPolicy != "warn" || !strings.HasSuffix(d.TrustBundle, filepath.Join("trust", "roots.pem")) {
		t.Errorf("embedded default not resolved: %+v", d)
	}
}

func TestLoadRejectsBadPolicyValues(t *testing.T) {
	for _, body := range []string{`{"mode":"demo","crlPolicy":"maybe"}`, `{"mode":"demo","idleLockMinutes":-1}`} {
		if _, err := Load(writeConfig(t, body)); !apperr.Is(err, apperr.ConfigInvalid) {
			t.Errorf("Load(%q) = %v, want config_invalid", body, err)
		}
	}
}

func TestLoadPlatform(t *testing.T) {
	dir := writeConfig(t, `{"mode":"production","platform":{"url":"https://platform.example.gov.cn/","roots":"trust/platform.pem","receiptKey":"/etc/caiji/receipt.pem"}}`)
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Platform.URL != "https://platform.example.gov.cn/" || c.Platform.Roots != filepath.Join(dir, "trust", "platform.pem") ||
		c.Platform.ReceiptKey != "/etc/caiji/receipt.pem" {
		t.Fatalf("platform: %+v", c.Platform)
	}
	for _, body := range []string{
		`{"mode":"production","platform":{"url":"http://platform.example.gov.cn/"}}`, // production sends personal data: HTTPS only
		`{"mode":"demo","platform":{"url":"platform.example.gov.cn"}}`,
		`{"mode":"demo","platform":{"url":"ftp://x/"}}`,
		`{"mode":"demo","platform":{"adress":"x"}}`,
	} {
		if _, err := Load(writeConfig(t, body)); !apperr.Is(err, apperr.ConfigInvalid) {
			t.Errorf("%s: %v", body, err)
		}
	}
	if _, err := Load(writeConfig(t, `{"mode":"demo","platform":{"url":"http://127.0.0.1:8471/"}}`)); err != nil {
		t.Errorf("demo over loopback HTTP: %v", err)
	}
}
