package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/buildinfo"
	"caiji/backend/config"
	"caiji/backend/store"
)

var quiet = slog.New(slog.DiscardHandler)

// newApp starts an App on dir and shuts it down at cleanup.
func newApp(t *testing.T, dir string) *App {
	t.Helper()
	ctx := context.Background()
	a := New(ctx, Options{DataDir: dir, Logger: quiet})
	t.Cleanup(func() { a.Shutdown(ctx) })
	return a
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// jsCode parses the JSON envelope a bound method's error carries.
func jsCode(t *testing.T, err error) jsError {
	t.Helper()
	if err == nil {
		t.Fatal("error = nil, want a JSON error")
	}
	var e jsError
	if jerr := json.Unmarshal([]byte(err.Error()), &e); jerr != nil {
		t.Fatalf("error %q is not JSON: %v", err.Error(), jerr)
	}
	if e.Code == "" || e.Message == "" {
		t.Fatalf("error %q lacks code or message", err.Error())
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestInfoFreshDemoInstallation(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	info, err := a.System.Info()
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if info.Problem != nil {
		t.Fatalf("Problem = %+v, want nil", info.Problem)
	}
	if info.Mode != "demo" {
		t.Errorf("Mode = %q, want demo", info.Mode)
	}
	if info.SchemaVersion != store.LatestVersion() {
		t.Errorf("SchemaVersion = %d, want %d", info.SchemaVersion, store.LatestVersion())
	}
	if len(info.InstallationID) != 32 {
		t.Errorf("InstallationID = %q, want 32 hex chars", info.InstallationID)
	}
	if info.Platform != "demo" {
		t.Errorf("Platform = %q, want demo (the bundled simulator)", info.Platform)
	}
	if info.DataDir != dir {
		t.Errorf("DataDir = %q, want %q", info.DataDir, dir)
	}
	if info.Build != buildinfo.Get() {
		t.Errorf("Build = %+v, want %+v", info.Build, buildinfo.Get())
	}
	if got := a.System.LatestSchemaVersion(); got != store.LatestVersion() {
		t.Errorf("LatestSchemaVersion = %d, want %d", got, store.LatestVersion())
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		t.Errorf("database not created in the data dir: %v", err)
	}

	// The frontend reads these JSON keys; "problem" is null when all is well.
	raw, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"build", "mode", "dataDir", "schemaVersion", "installationId", "platform", "problem"} {
		if _, ok := m[k]; !ok {
			t.Errorf("Info JSON lacks key %q: %s", k, raw)
		}
	}
	if m["problem"] != nil {
		t.Errorf("problem = %v, want null", m["problem"])
	}
}

func TestInstallationIDStableAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	a := New(ctx, Options{DataDir: dir, Logger: quiet})
	first, err := a.System.Info()
	a.Shutdown(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := newApp(t, dir)
	second, err := b.System.Info()
	if err != nil {
		t.Fatal(err)
	}
	if first.InstallationID == "" || first.InstallationID != second.InstallationID {
		t.Errorf("installation id changed across restarts: %q then %q", first.InstallationID, second.InstallationID)
	}
}

func TestNilLoggerUsesDefault(t *testing.T) {
	ctx := context.Background()
	a := New(ctx, Options{DataDir: t.TempDir()})
	t.Cleanup(func() { a.Shutdown(ctx) })
	if a.log == nil {
		t.Fatal("logger is nil")
	}
	if _, err := a.System.Info(); err != nil {
		t.Fatal(err)
	}
}

func TestBindings(t *testing.T) {
	a := newApp(t, t.TempDir())
	b := a.Bindings()
	want := []any{a.System, a.Session, a.Auth, a.Admin, a.Entry, a.Attachments, a.Imports, a.Exports, a.Review, a.Corrections, a.Audit, a.Sync}
	if len(b) != len(want) {
		t.Fatalf("Bindings() has %d services, want %d", len(b), len(want))
	}
	for i := range want {
		if b[i] != want[i] {
			t.Errorf("Bindings()[%d] = %T, want %T", i, b[i], want[i])
		}
	}
}

func TestCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, store.FileName)
	junk := bytes.Repeat([]byte("garbage, not SQLite\x00\xfe"), 500)
	writeFile(t, dbPath, string(junk))

	a := newApp(t, dir) // must not panic
	info, err := a.System.Info()
	if err != nil {
		t.Fatalf("Info returned an error instead of a Problem: %v", err)
	}
	if info.Problem == nil {
		t.Fatal("Problem = nil, want store_corrupt")
	}
	if info.Problem.Code != apperr.StoreCorrupt {
		t.Errorf("Problem.Code = %s, want store_corrupt", info.Problem.Code)
	}
	if !hasHan(info.Problem.Message) {
		t.Errorf("Problem.Message %q is not Chinese", info.Problem.Message)
	}
	if info.Mode != "demo" || info.SchemaVersion != 0 || info.InstallationID != "" {
		t.Errorf("Info = %+v; want demo mode and no schema/id", info)
	}

	cur, err := a.Session.Current()
	if e := jsCode(t, err); e.Code != apperr.StoreCorrupt {
		t.Errorf("Current() code = %s, want store_corrupt", e.Code)
	}
	if cur != nil {
		t.Errorf("Current() = %+v, want nil", cur)
	}
	if _, err := a.Auth.Tokens(); jsCode(t, err).Code != apperr.StoreCorrupt {
		t.Errorf("Tokens() error = %v, want store_corrupt", err)
	}
	if _, err := a.Auth.Begin("x", 0, "123456"); jsCode(t, err).Code != apperr.StoreCorrupt {
		t.Errorf("Begin() error = %v, want store_corrupt", err)
	}
	if _, err := a.Admin.ListUsers(); jsCode(t, err).Code != apperr.StoreCorrupt {
		t.Errorf("ListUsers() error = %v, want store_corrupt", err)
	}
	if err := a.Session.Logout(); err != nil {
		t.Errorf("Logout() = %v, want nil", err)
	}

	a.Shutdown(context.Background()) // with no store: must not panic
	got, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, junk) {
		t.Error("the corrupt database was modified")
	}
}

func TestStartupProblems(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T) string // returns the data dir
		want    apperr.Code
	}{
		{"invalid config", func(t *testing.T) string {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, config.FileName), `{"mode":"staging"}`)
			return dir
		}, apperr.ConfigInvalid},
		{"data dir under a file", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "file")
			writeFile(t, f, "x")
			return filepath.Join(f, "Caiji")
		}, apperr.DataDirUnusable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t, tt.prepare(t))
			info, err := a.System.Info()
			if err != nil {
				t.Fatal(err)
			}
			if info.Problem == nil || info.Problem.Code != tt.want {
				t.Fatalf("Problem = %+v, want code %s", info.Problem, tt.want)
			}
			if _, err := a.Session.Current(); jsCode(t, err).Code != tt.want {
				t.Errorf("Current() error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestToJS(t *testing.T) {
	if err := toJS(quiet, "M", nil); err != nil {
		t.Errorf("toJS(nil) = %v, want nil", err)
	}

	// Untyped errors become internal and never show their raw text.
	err := toJS(quiet, "M", errors.New("SQLITE_IOERR secret-path /home/zhang"))
	e := jsCode(t, err)
	if e.Code != apperr.Internal {
		t.Errorf("code = %s, want internal", e.Code)
	}
	if strings.Contains(err.Error(), "secret-path") || strings.Contains(err.Error(), "SQLITE") {
		t.Errorf("raw cause leaked to the frontend: %s", err)
	}

	// Typed errors keep code and message, but not the cause.
	typed := apperr.Wrap(apperr.Forbidden, "无权执行", errors.New("cause-text"))
	err = toJS(quiet, "M", typed)
	e = jsCode(t, err)
	if e.Code != apperr.Forbidden || e.Message != "无权执行" {
		t.Errorf("toJS(typed) = %+v", e)
	}
	if strings.Contains(err.Error(), "cause-text") {
		t.Errorf("cause leaked: %s", err)
	}
	// Exactly the two keys the frontend expects.
	var m map[string]any
	if err := json.Unmarshal([]byte(err.Error()), &m); err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 {
		t.Errorf("envelope %s has keys other than code and message", err)
	}
}
