package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"caiji/backend/config"
	"caiji/backend/store"
)

type dbCheckResult struct {
	OK             bool   `json:"ok"`
	Path           string `json:"path"`
	SchemaVersion  int    `json:"schema_version"`
	InstallationID string `json:"installation_id"`
}

// runDB handles `caiji db check`: open the database the way the app does
// (integrity check, then pending migrations) and report its version.
func runDB(e *env, args []string) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(e.stderr, "用法：caiji db check [--data-dir 目录] [--json]")
		return ExitUsage
	}
	fs := e.flags("db check")
	if ok, code := e.parse(fs, args[1:]); !ok {
		return code
	}
	dir, err := config.ResolveDataDir(e.dataDir)
	if err != nil {
		return e.fail(err)
	}
	if err := config.EnsureDataDir(dir); err != nil {
		return e.fail(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return e.fail(err)
	}
	id, err := st.InstallationID(ctx)
	if err != nil {
		return e.fail(err)
	}
	res := dbCheckResult{OK: true, Path: st.Path(), SchemaVersion: v, InstallationID: id}
	return e.emit(res, func(w io.Writer) {
		fmt.Fprintf(w, "数据库完好：%s（版本 %d）\n", res.Path, res.SchemaVersion)
	})
}
