package config

import (
	"os"
	"path/filepath"
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
	c, err := Load(t.TempDir())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c != Default() {
		t.Errorf("Load = %+v, want Default() %+v", c, Default())
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
			if c != (Config{}) {
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
