package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/config"
	"caiji/backend/pki"
	"caiji/backend/store"
)

type auditVerifyJSON struct {
	OK                bool   `json:"ok"`
	Entries           int    `json:"entries"`
	FirstBroken       *int64 `json:"first_broken"` // null when intact
	Reason            string `json:"reason"`
	Heads             int    `json:"heads"`              // signed chain heads checked against the log
	SignaturesChecked bool   `json:"signatures_checked"` // true: every head's signature was verified against its signer's certificate
}

// runAudit handles `caiji audit verify`: walk the audit log's hash chain
// and signed heads (docs/audit-log.md). Exit 0 only when the log is
// intact, 1 when it was tampered with or cannot be read, 2 for usage.
func runAudit(e *env, args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(e.stderr, "用法：caiji audit verify [--data-dir 目录] [--json]")
		return ExitUsage
	}
	fs := e.flags("audit verify")
	if ok, code := e.parse(fs, args[1:]); !ok {
		return code
	}
	dir, err := config.ResolveDataDir(e.dataDir)
	if err != nil {
		return e.fail(err)
	}
	path := filepath.Join(dir, store.FileName)
	// Verifying must not conjure up an empty, "intact" log where there
	// was none: store.Open would create the file.
	if _, err := os.Stat(path); errors.Is(err, iofs.ErrNotExist) {
		return e.fail(apperr.New(apperr.NotFound, "数据目录 "+dir+" 中没有数据库 "+store.FileName+"，请核对 --data-dir。"))
	}
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	// Heads are checked against the certificates kept in the database
	// (audit_certs), which must chain to the installation's trusted CA.
	// Without the CA bundle (a database copied on its own) signatures are
	// still checked, against the kept certificates only, and we say so.
	var trust audit.Trust
	if cfg, err := config.Load(dir); err != nil {
		fmt.Fprintln(e.stderr, "注意：无法读取配置文件，未核对签名证书的证书链："+apperr.From(err).Message)
	} else if ts, err := pki.LoadTrustBundle(cfg.TrustBundle); err != nil {
		fmt.Fprintln(e.stderr, "注意：未核对签名证书的证书链（"+apperr.From(err).Message+"），签名只与数据库中登记的证书核对。")
	} else {
		trust = audit.Trust{Roots: ts.Roots(), Intermediates: ts.Intermediates()}
	}
	verifier, err := audit.CertVerifier(ctx, st.DB(), trust)
	if err != nil {
		return e.fail(err)
	}
	rep, err := audit.Verify(ctx, st.DB(), verifier)
	if err != nil {
		return e.fail(err)
	}
	out := auditVerifyJSON{OK: rep.OK, Entries: rep.Entries, FirstBroken: rep.FirstBroken, Reason: rep.Reason,
		Heads: rep.Heads, SignaturesChecked: rep.SignaturesChecked}
	code := e.emit(out, func(w io.Writer) {
		if rep.OK {
			fmt.Fprintln(w, rep.Reason)
			return
		}
		fmt.Fprintf(w, "审计日志已被改动（共 %d 条，自第 %d 条起不可信）：%s\n", rep.Entries, *rep.FirstBroken, rep.Reason)
	})
	if code == ExitOK && !rep.OK {
		return ExitRefused
	}
	return code
}
