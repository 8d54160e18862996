package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/buildinfo"
	"caiji/backend/config"
	"caiji/backend/session"
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
	if info.Platform != "not_configured" {
		t.Errorf("Platform = %q, want not_configured", info.Platform)
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
	if len(b) != 2 || b[0] != any(a.System) || b[1] != any(a.Session) {
		t.Errorf("Bindings() = %v, want [System Session]", b)
	}
}

func TestDemoSessionFlow(t *testing.T) {
	a := newApp(t, t.TempDir())
	cur, err := a.Session.Current()
	if err != nil || cur != nil {
		t.Fatalf("Current() before login = %+v, %v; want nil, nil", cur, err)
	}
	users, err := a.Session.DemoUsers()
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 5 {
		t.Errorf("DemoUsers() = %d users, want 5", len(users))
	}

	view, err := a.Session.DemoLogin("demo-clerk")
	if err != nil {
		t.Fatalf("DemoLogin: %v", err)
	}
	wantPages := []session.Page{session.PageWorkbench, session.PageEntry, session.PageSync}
	if !slices.Equal(view.Pages, wantPages) {
		t.Errorf("Pages = %v, want %v", view.Pages, wantPages)
	}
	if !view.Demo || view.User.ID != "demo-clerk" {
		t.Errorf("view = %+v, want demo-clerk with Demo", view)
	}
	if _, err := time.Parse(time.RFC3339, view.StartedAt); err != nil {
		t.Errorf("StartedAt %q is not RFC 3339: %v", view.StartedAt, err)
	}

	cur, err = a.Session.Current()
	if err != nil {
		t.Fatal(err)
	}
	if cur == nil || cur.User.ID != view.User.ID || !slices.Equal(cur.Pages, view.Pages) ||
		cur.StartedAt != view.StartedAt || cur.Demo != view.Demo {
		t.Errorf("Current() = %+v, want %+v", cur, view)
	}

	if err := a.Session.Logout(); err != nil {
		t.Fatal(err)
	}
	if cur, err := a.Session.Current(); err != nil || cur != nil {
		t.Errorf("Current() after Logout = %+v, %v; want nil, nil", cur, err)
	}
}

func TestDemoLoginPagesPerUser(t *testing.T) {
	a := newApp(t, t.TempDir())
	want := map[string][]session.Page{
		"demo-clerk":    {session.PageWorkbench, session.PageEntry, session.PageSync},
		"demo-reviewer": {session.PageWorkbench, session.PageReview, session.PageSync},
		"demo-sysadmin": {session.PageWorkbench, session.PageAdmin},
		"demo-secadmin": {session.PageWorkbench, session.PageAdmin},
		"demo-auditor":  {session.PageWorkbench, session.PageAudit},
	}
	users, err := a.Session.DemoUsers()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		view, err := a.Session.DemoLogin(u.ID)
		if err != nil {
			t.Fatalf("DemoLogin(%s): %v", u.ID, err)
		}
		if !slices.Equal(view.Pages, want[u.ID]) {
			t.Errorf("%s: Pages = %v, want %v", u.ID, view.Pages, want[u.ID])
		}
	}
}

func TestDemoLoginUnknownUser(t *testing.T) {
	a := newApp(t, t.TempDir())
	view, err := a.Session.DemoLogin("demo-nobody")
	if e := jsCode(t, err); e.Code != apperr.BadInput {
		t.Errorf("code = %s, want bad_input", e.Code)
	}
	if view != nil {
		t.Errorf("view = %+v, want nil", view)
	}
	if cur, _ := a.Session.Current(); cur != nil {
		t.Errorf("failed login left a session: %+v", cur)
	}
}

func TestProductionRefusesDemo(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, config.FileName), `{"mode":"production"}`)
	a := newApp(t, dir)

	info, err := a.System.Info()
	if err != nil || info.Problem != nil {
		t.Fatalf("Info = %+v, %v; want no problem", info, err)
	}
	if info.Mode != "production" {
		t.Errorf("Mode = %q, want production", info.Mode)
	}

	users, err := a.Session.DemoUsers()
	if err != nil {
		t.Fatal(err)
	}
	if users == nil || len(users) != 0 {
		t.Errorf("DemoUsers() = %#v, want an empty (non-nil, JSON []) list", users)
	}

	view, err := a.Session.DemoLogin("demo-clerk")
	e := jsCode(t, err)
	if e.Code != apperr.DemoOnly {
		t.Errorf("code = %s, want demo_only", e.Code)
	}
	if !hasHan(e.Message) {
		t.Errorf("message %q is not the Chinese text", e.Message)
	}
	if view != nil {
		t.Errorf("view = %+v, want nil", view)
	}
	if cur, err := a.Session.Current(); err != nil || cur != nil {
		t.Errorf("Current() = %+v, %v; want nobody logged in", cur, err)
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
	if _, err := a.Session.DemoUsers(); jsCode(t, err).Code != apperr.StoreCorrupt {
		t.Errorf("DemoUsers() error = %v, want store_corrupt", err)
	}
	if _, err := a.Session.DemoLogin("demo-clerk"); jsCode(t, err).Code != apperr.StoreCorrupt {
		t.Errorf("DemoLogin() error = %v, want store_corrupt", err)
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

func TestShutdownEndsSession(t *testing.T) {
	ctx := context.Background()
	a := New(ctx, Options{DataDir: t.TempDir(), Logger: quiet})
	if _, err := a.Session.DemoLogin("demo-auditor"); err != nil {
		t.Fatal(err)
	}
	a.Shutdown(ctx)
	if s := a.sessions.Current(); s != nil {
		t.Errorf("session survives Shutdown: %+v", s)
	}
	a.Shutdown(ctx) // a second Shutdown is harmless
}

func TestConcurrentBoundCalls(t *testing.T) {
	a := newApp(t, t.TempDir())
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				switch (i + j) % 4 {
				case 0:
					if _, err := a.System.Info(); err != nil {
						t.Error(err)
					}
				case 1:
					if _, err := a.Session.DemoLogin("demo-reviewer"); err != nil {
						t.Error(err)
					}
				case 2:
					if _, err := a.Session.Current(); err != nil {
						t.Error(err)
					}
				case 3:
					_ = a.Session.Logout()
				}
			}
		}(i)
	}
	wg.Wait()
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
