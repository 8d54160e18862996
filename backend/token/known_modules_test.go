package token

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestKnownModules(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		mods := KnownModules(goos)
		if len(mods) == 0 {
			t.Fatalf("KnownModules(%q) is empty", goos)
		}
		for _, k := range mods {
			if k.Vendor == "" || k.Product == "" || k.Path == "" {
				t.Errorf("%s: incomplete entry %+v", goos, k)
			}
		}
	}
	win := KnownModules("windows")
	if !slices.ContainsFunc(win, func(k KnownModule) bool {
		return k.Vendor == "飞天诚信" && strings.HasSuffix(k.Path, `\eps2003csp11.dll`)
	}) {
		t.Errorf("Feitian ePass2003 missing from %+v", win)
	}
	win[0].Path = "changed"
	if KnownModules("windows")[0].Path == "changed" {
		t.Error("KnownModules returns the shared table")
	}
	if len(KnownModules("plan9")) != 0 {
		t.Error("KnownModules(unknown OS) not empty")
	}
}

func TestDiscover(t *testing.T) {
	dir := t.TempDir()
	configured := filepath.Join(dir, "vendor-pkcs11.so")
	if err := os.WriteFile(configured, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.so")
	got := Discover([]string{missing, configured, dir, "", configured + "/."}, "linux")
	if len(got) == 0 || got[0] != configured {
		t.Fatalf("Discover = %v, want %s first", got, configured)
	}
	if slices.Contains(got, missing) || slices.Contains(got, dir) {
		t.Errorf("Discover = %v includes a missing file or a directory", got)
	}
	for i, p := range got {
		if slices.Index(got, p) != i {
			t.Errorf("Discover = %v has duplicates", got)
		}
	}
	if _, err := os.Stat(softhsmPath); err == nil {
		// Configured again explicitly: listed once, in the configured position.
		got = Discover([]string{softhsmPath, configured}, "linux")
		if len(got) < 2 || got[0] != softhsmPath || got[1] != configured || slices.Index(got[2:], softhsmPath) >= 0 {
			t.Errorf("Discover = %v, want [%s %s ...] without repeats", got, softhsmPath, configured)
		}
	}
}
