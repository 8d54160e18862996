package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain gives the whole package one SoftHSM configuration. SoftHSM reads
// SOFTHSM2_CONF once, at C_Initialize, and the driver is loaded once per
// process, so a per-test configuration would be silently ignored whenever
// another test still held the context open. Tests keep apart by giving
// their tokens distinct labels. softhsm2-util, run by the removal test,
// inherits the variable and so sees the same tokens.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "caiji-auth-softhsm-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tokenDir := filepath.Join(dir, "tokens")
	conf := filepath.Join(dir, "softhsm2.conf")
	err = os.Mkdir(tokenDir, 0o700)
	if err == nil {
		err = os.WriteFile(conf, []byte("directories.tokendir = "+tokenDir+
			"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	}
	if err == nil {
		err = os.Setenv("SOFTHSM2_CONF", conf)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
