package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caiji/backend/config"
	"caiji/backend/store"
)

func dbCheckJSON(t *testing.T, args ...string) dbCheckResult {
	t.Helper()
	code, stdout, stderr := run(append([]string{"db", "check", "--json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("db check %v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
	}
	var res dbCheckResult
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("stdout %q is not the check JSON: %v", stdout, err)
	}
	return res
}

func TestDBCheck(t *testing.T) {
	dir := t.TempDir()
	first := dbCheckJSON(t, "--data-dir", dir)
	if !first.OK {
		t.Error("ok = false")
	}
	if first.SchemaVersion != store.LatestVersion() {
		t.Errorf("schema_version = %d, want %d", first.SchemaVersion, store.LatestVersion())
	}
	if first.InstallationID == "" {
		t.Error("installation_id is empty")
	}
	if want := filepath.Join(dir, store.FileName); first.Path != want {
		t.Errorf("path = %q, want %q", first.Path, want)
	}
	second := dbCheckJSON(t, "--data-dir", dir)
	if second.InstallationID != first.InstallationID {
		t.Errorf("installation_id changed between runs: %q then %q", first.InstallationID, second.InstallationID)
	}
}

func TestDBCheckFlagOrderAndEnv(t *testing.T) {
	envDir := t.TempDir()
	t.Setenv(config.EnvDataDir, envDir)
	// No flag: the environment decides.
	res := dbCheckJSON(t)
	if want := filepath.Join(envDir, store.FileName); res.Path != want {
		t.Errorf("path = %q, want %q (from %s)", res.Path, want, config.EnvDataDir)
	}
	// The flag wins over the environment, and may come before --json.
	flagDir := t.TempDir()
	code, stdout, _ := run("db", "check", "--data-dir="+flagDir, "--json")
	if code != ExitOK || !strings.Contains(stdout, filepath.Join(flagDir, store.FileName)) {
		t.Errorf("exit %d, stdout %q; want the flag's dir", code, stdout)
	}
}

func TestDBCheckText(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := run("db", "check", "--data-dir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, filepath.Join(dir, store.FileName)) || json.Valid([]byte(stdout)) {
		t.Errorf("stdout %q: want human text naming the database", stdout)
	}
}

func TestDBCheckCorrupt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	junk := bytes.Repeat([]byte("definitely not sqlite \x01\x02\x03"), 400)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, _ := run("db", "check", "--data-dir", dir, "--json")
	if code != ExitRefused {
		t.Errorf("exit %d, want %d", code, ExitRefused)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("stdout %q is not JSON: %v", stdout, err)
	}
	if m["error"] != "store_corrupt" || m["message"] == "" {
		t.Errorf("stdout = %v, want error store_corrupt with a message", m)
	}
	if len(m) != 2 {
		t.Errorf("stdout %v has keys other than error and message", m)
	}

	// Without --json the error goes to stderr.
	code, stdout, stderr := run("db", "check", "--data-dir", dir)
	if code != ExitRefused || stdout != "" || !strings.Contains(stderr, "store_corrupt") {
		t.Errorf("text mode: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, junk) {
		t.Error("db check modified the corrupt database")
	}
}

func TestDBCheckUnusableDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := run("db", "check", "--json", "--data-dir", filepath.Join(file, "sub"))
	if code != ExitRefused {
		t.Errorf("exit %d, want %d", code, ExitRefused)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("stdout %q is not JSON: %v", stdout, err)
	}
	if m["error"] != "data_dir_unusable" {
		t.Errorf("error = %q, want data_dir_unusable", m["error"])
	}
}
