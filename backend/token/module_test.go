package token

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func TestOpenMissingPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-pkcs11.so")
	_, err := Open(missing)
	if !apperr.Is(err, apperr.ModuleUnavailable) {
		t.Fatalf("Open(missing) = %v, want %s", err, apperr.ModuleUnavailable)
	}
	if !strings.Contains(apperr.From(err).Message, missing) {
		t.Errorf("message %q does not name the path", apperr.From(err).Message)
	}

	if _, err := Open("  "); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("Open(blank) = %v, want %s", err, apperr.BadInput)
	}
	if _, err := Open("libno-such-pkcs11-driver.so"); !apperr.Is(err, apperr.ModuleUnavailable) {
		t.Errorf("Open(bare missing name) = %v, want %s", err, apperr.ModuleUnavailable)
	}
}

func TestOpenNotALibrary(t *testing.T) {
	// A file that exists but is no shared library, like a half-installed driver.
	bogus := filepath.Join(t.TempDir(), "bogus.so")
	if err := os.WriteFile(bogus, []byte("not a library"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(bogus)
	if !apperr.Is(err, apperr.ModuleUnavailable) || !strings.Contains(apperr.From(err).Message, bogus) {
		t.Fatalf("Open(bogus) = %v, want %s naming the path", err, apperr.ModuleUnavailable)
	}
}

func TestTokensListsNewToken(t *testing.T) {
	m := openSoftHSM(t)
	if m.Path() != softhsmPath {
		t.Errorf("Path() = %q, want %q", m.Path(), softhsmPath)
	}
	created, err := InitToken(m, "列表测试 list", testSOPIN, testPIN)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := m.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	var got *TokenInfo
	for i := range tokens {
		if tokens[i].Label == "" {
			t.Errorf("uninitialized or unlabelled token listed: %+v", tokens[i])
		}
		if tokens[i].Serial == created.Serial {
			got = &tokens[i]
		}
	}
	if got == nil {
		t.Fatalf("new token %+v not in %+v", created, tokens)
	}
	want := TokenInfo{
		ModulePath: softhsmPath, SlotID: created.SlotID, Label: "列表测试 list",
		Serial: created.Serial, Manufacturer: "SoftHSM project", Model: "SoftHSM v2",
	}
	if *got != want {
		t.Errorf("token = %+v, want %+v", *got, want)
	}
	if got.Serial == "" || strings.TrimSpace(got.Serial) != got.Serial {
		t.Errorf("serial %q not trimmed", got.Serial)
	}
}

func TestTokenInfoJSON(t *testing.T) {
	b, err := json.Marshal(TokenInfo{})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"label", "manufacturer", "model", "modulePath", "pinCountLow", "pinFinalTry", "pinLocked", "serial", "slotId"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("JSON keys = %v, want %v", keys, want)
	}
}

func TestModulesShareOneContext(t *testing.T) {
	a := openSoftHSM(t)
	start := refs(a.lib)
	// Different spellings of the same file, including its symlink target.
	b, err := Open("/usr/lib/softhsm/../softhsm/libsofthsm2.so")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	target, err := filepath.EvalSymlinks(softhsmPath)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(target)
	if err != nil {
		t.Fatal(err)
	}
	if a.lib != b.lib || a.lib != c.lib {
		t.Fatal("handles on the same driver file do not share one context")
	}
	if b.Path() != softhsmPath {
		t.Errorf("Path() = %q, want cleaned %q", b.Path(), softhsmPath)
	}
	if got := refs(a.lib); got != start+2 {
		t.Errorf("refs = %d, want %d", got, start+2)
	}
	c.Close()
	c.Close() // idempotent: must not drop a second reference
	if got := refs(a.lib); got != start+1 {
		t.Errorf("refs after double Close = %d, want %d", got, start+1)
	}

	ti, err := InitToken(a, "shared-ctx", testSOPIN, testPIN)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	if _, err := a.Tokens(); err == nil {
		t.Error("Tokens on a closed Module succeeded")
	}
	// b still works after a is closed: the context was not finalized.
	if _, err := b.Tokens(); err != nil {
		t.Fatalf("Tokens after closing the other handle: %v", err)
	}
	s, err := b.Login(ti.SlotID, testPIN)
	if err != nil {
		t.Fatalf("Login after closing the other handle: %v", err)
	}
	// A session outlives its Module.
	b.Close()
	if _, err := s.Certificates(); err != nil {
		t.Fatalf("Certificates after closing every Module: %v", err)
	}
	s.Close()
	if got := refs(a.lib); got != 0 {
		t.Errorf("refs after closing everything = %d, want 0", got)
	}

	// Reopening re-initializes the driver; the token persists.
	d, err := Open(softhsmPath)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	tokens, err := d.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		if tk.Serial == ti.Serial {
			return
		}
	}
	t.Errorf("token %q gone after re-initializing the driver", ti.Serial)
}

func refs(l *library) int {
	registryMu.Lock()
	defer registryMu.Unlock()
	return l.refs
}
