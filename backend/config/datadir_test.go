package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestResolveDataDirPrecedence(t *testing.T) {
	flagDir := filepath.Join(t.TempDir(), "from-flag")
	envDir := filepath.Join(t.TempDir(), "from-env")
	cfgHome := t.TempDir()
	// Pin the OS user config dir on Linux so the fallback is predictable.
	t.Setenv("XDG_CONFIG_HOME", cfgHome)

	tests := []struct {
		name string
		flag string
		env  string
		want string // "" means: any absolute path whose base is "Caiji"
	}{
		{"flag beats env", flagDir, envDir, flagDir},
		{"flag alone", flagDir, "", flagDir},
		{"env when no flag", "", envDir, envDir},
		{"user config dir when neither", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDataDir, tt.env)
			got, err := ResolveDataDir(tt.flag)
			if err != nil {
				t.Fatalf("ResolveDataDir(%q) error: %v", tt.flag, err)
			}
			if !filepath.IsAbs(got) {
				t.Errorf("ResolveDataDir(%q) = %q, not absolute", tt.flag, got)
			}
			switch {
			case tt.want != "":
				if got != tt.want {
					t.Errorf("ResolveDataDir(%q) = %q, want %q", tt.flag, got, tt.want)
				}
			case runtime.GOOS == "linux":
				if want := filepath.Join(cfgHome, "Caiji"); got != want {
					t.Errorf("ResolveDataDir(\"\") = %q, want %q", got, want)
				}
			default:
				if filepath.Base(got) != "Caiji" {
					t.Errorf("ResolveDataDir(\"\") = %q, want a path ending in Caiji", got)
				}
			}
		})
	}
}

func TestResolveDataDirRelativeBecomesAbsolute(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ResolveDataDir(filepath.Join("rel", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(wd, "rel", "data"); got != want {
		t.Errorf("ResolveDataDir(rel/data) = %q, want %q", got, want)
	}

	t.Setenv(EnvDataDir, "envrel")
	got, err = ResolveDataDir("")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(wd, "envrel"); got != want {
		t.Errorf("ResolveDataDir with relative env = %q, want %q", got, want)
	}
}

func TestResolveDataDirNoUserConfigDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("how the user config dir is found is OS-specific; checked on Linux")
	}
	t.Setenv(EnvDataDir, "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "")
	_, err := ResolveDataDir("")
	if !apperr.Is(err, apperr.DataDirUnusable) {
		t.Fatalf("err = %v, want code %s", err, apperr.DataDirUnusable)
	}
}

func TestEnsureDataDirCreatesPrivateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b", "Caiji")
	if err := EnsureDataDir(dir); err != nil {
		t.Fatalf("EnsureDataDir: %v", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() {
		t.Fatalf("%s is not a directory", dir)
	}
	if runtime.GOOS != "windows" {
		if perm := fi.Mode().Perm(); perm != 0o700 {
			t.Errorf("data dir mode = %o, want 700", perm)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("write probe left files behind: %v", entries)
	}
	// A second call on an existing directory is fine.
	if err := EnsureDataDir(dir); err != nil {
		t.Errorf("EnsureDataDir on existing dir: %v", err)
	}
}

func TestEnsureDataDirUnusable(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{
		"under a regular file": filepath.Join(file, "sub"),
		"is a regular file":    file,
	} {
		t.Run(name, func(t *testing.T) {
			err := EnsureDataDir(dir)
			if !apperr.Is(err, apperr.DataDirUnusable) {
				t.Fatalf("EnsureDataDir(%q) = %v, want code %s", dir, err, apperr.DataDirUnusable)
			}
			if msg := apperr.From(err).Message; !strings.Contains(msg, dir) {
				t.Errorf("message %q does not name the directory %q", msg, dir)
			}
		})
	}
}
