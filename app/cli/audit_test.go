package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caiji/backend/audit"
	"caiji/backend/batch"
	"caiji/backend/pki/devca"
	"caiji/backend/store"
)

// auditLog writes a data dir whose audit log has n entries.
func auditLog(t *testing.T, n int) string {
	t.Helper()
	return seededDir(t, func(ctx context.Context, st *store.Store, _ *batch.Service) {
		for i := 1; i <= n; i++ {
			if _, err := audit.Append(ctx, st.DB(), audit.Entry{At: time.Date(2026, 3, 1, 8, 0, i, 0, time.UTC),
				UserID: 1, CertFingerprint: "f1", Action: "batch.save", Object: fmt.Sprintf("batch:%d", i),
				Before: json.RawMessage(`{"amount":"100"}`), After: json.RawMessage(`{"amount":"120"}`)}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func decodeAuditVerify(t *testing.T, stdout string) auditVerifyJSON {
	t.Helper()
	got := decodeStrict[auditVerifyJSON](t, stdout)
	for _, k := range []string{`"ok"`, `"entries"`, `"first_broken"`, `"reason"`} {
		if !strings.Contains(stdout, k) {
			t.Errorf("JSON lacks %s:\n%s", k, stdout)
		}
	}
	return got
}

func TestAuditVerifyIntact(t *testing.T) {
	dir := auditLog(t, 12)
	code, stdout, stderr := run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, stderr, stdout)
	}
	got := decodeAuditVerify(t, stdout)
	if !got.OK || got.Entries != 12 || got.FirstBroken != nil || !strings.Contains(got.Reason, "完整") {
		t.Fatalf("report = %+v", got)
	}
	if !strings.Contains(stdout, `"first_broken": null`) {
		t.Errorf("first_broken is not null:\n%s", stdout)
	}
	code, stdout, _ = run("audit", "verify", "--data-dir", dir)
	if code != ExitOK || !strings.Contains(stdout, "审计日志完整：共 12 条") {
		t.Errorf("text: exit %d, %q", code, stdout)
	}
}

// Someone with the file edits entry 7 behind the app's back.
func TestAuditVerifyBroken(t *testing.T) {
	dir := auditLog(t, 12)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"DROP TRIGGER audit_log_no_update",
		`UPDATE audit_log SET "after" = '{"amount":"999"}' WHERE id = 7`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	code, stdout, stderr := run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitRefused {
		t.Fatalf("exit %d for a tampered log, stderr %q", code, stderr)
	}
	got := decodeAuditVerify(t, stdout)
	if got.OK || got.Entries != 12 || got.FirstBroken == nil || *got.FirstBroken != 7 || !strings.Contains(got.Reason, "第 7 条") {
		t.Fatalf("report = %+v", got)
	}
	code, stdout, _ = run("audit", "verify", "--data-dir", dir)
	if code != ExitRefused || !strings.Contains(stdout, "自第 7 条起不可信") {
		t.Errorf("text: exit %d, %q", code, stdout)
	}
}

func TestAuditVerifyNoDatabase(t *testing.T) {
	dir := t.TempDir()
	code, stdout, _ := run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitRefused || !strings.Contains(stdout, `"error":"not_found"`) {
		t.Fatalf("exit %d, %s", code, stdout)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 0 {
		t.Errorf("verify created %v", m)
	}
}

func TestAuditUsage(t *testing.T) {
	for _, args := range [][]string{{"audit"}, {"audit", "check"}, {"audit", "verify", "--bogus"}, {"audit", "verify", "extra"}} {
		code, stdout, stderr := run(args...)
		if code != ExitUsage || stdout != "" || stderr == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := run("audit", "verify", "--help"); code != ExitOK || !strings.Contains(stderr, "-data-dir") {
		t.Errorf("--help: exit %d, %q", code, stderr)
	}
}

// signedLog writes a data dir whose audit log has n entries and a head
// signed by a user's key, with the user's certificate kept and the CA in
// the installation's trust bundle (trust/roots.pem), as the app leaves it.
func signedLog(t *testing.T, n int) string {
	t.Helper()
	root, err := devca.NewRoot("测试省级根 CA", time.Now().AddDate(-1, 0, 0), time.Now().AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cert, key, err := root.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "陈晨"})
	if err != nil {
		t.Fatal(err)
	}
	dir := seededDir(t, func(ctx context.Context, st *store.Store, _ *batch.Service) {
		if err := audit.StoreCert(ctx, st.DB(), cert.Raw, time.Now()); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= n; i++ {
			if _, err := audit.Append(ctx, st.DB(), audit.Entry{UserID: 1, CertFingerprint: audit.CertFingerprint(cert.Raw),
				Action: "batch.save", Object: fmt.Sprintf("batch:%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := audit.SignHead(ctx, st.DB(), key, audit.CertFingerprint(cert.Raw)); err != nil {
			t.Fatal(err)
		}
	})
	if err := os.MkdirAll(filepath.Join(dir, "trust"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trust", "roots.pem"), devca.PEM(root.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// With the certificates kept and the CA bundle in place, verify checks
// every head's signature; one byte of a signature changed in the file is
// found, and the exit status says so.
func TestAuditVerifySignatures(t *testing.T) {
	dir := signedLog(t, 6)
	code, stdout, stderr := run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q, stdout %s", code, stderr, stdout)
	}
	got := decodeAuditVerify(t, stdout)
	if !got.OK || !got.SignaturesChecked || got.Heads != 1 || got.Entries != 6 || !strings.Contains(got.Reason, "签名有效") {
		t.Fatalf("report = %+v", got)
	}
	if stderr != "" {
		t.Errorf("stderr %q with the trust bundle in place", stderr)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	var sig []byte
	if err := db.QueryRow("SELECT signature FROM audit_heads WHERE id = 1").Scan(&sig); err != nil {
		t.Fatal(err)
	}
	sig[len(sig)/2] ^= 0x40
	for _, q := range []string{"DROP TRIGGER audit_heads_no_update"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("UPDATE audit_heads SET signature = ? WHERE id = 1", sig); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, stdout, stderr = run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitRefused {
		t.Fatalf("exit %d for an altered head signature, stderr %q", code, stderr)
	}
	got = decodeAuditVerify(t, stdout)
	if got.OK || !got.SignaturesChecked || got.FirstBroken == nil || *got.FirstBroken != 1 || !strings.Contains(got.Reason, "签名无效") {
		t.Fatalf("report = %+v", got)
	}
}

// A database copied without its installation's CA bundle: signatures are
// still checked against the kept certificates, and stderr says the chain
// was not.
func TestAuditVerifyWithoutTrustBundle(t *testing.T) {
	dir := signedLog(t, 3)
	if err := os.Remove(filepath.Join(dir, "trust", "roots.pem")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("audit", "verify", "--data-dir", dir, "--json")
	if code != ExitOK || !decodeAuditVerify(t, stdout).SignaturesChecked || !strings.Contains(stderr, "未核对签名证书的证书链") {
		t.Fatalf("exit %d, stdout %s, stderr %q", code, stdout, stderr)
	}
}
