package auth

import (
	"caiji/backend/token/softhsm"
	"os"
	"testing"
)

// TestMain gives the whole package one SoftHSM configuration. SoftHSM reads
// SOFTHSM2_CONF once, at C_Initialize, and the driver is loaded once per
// process, so a per-test configuration would be silently ignored whenever
// another test still held the context open. Tests keep apart by giving
// their tokens distinct labels. softhsm2-util, run by the removal test,
// inherits the variable and so sees the same tokens.
func TestMain(m *testing.M) { os.Exit(softhsm.Run("caiji-auth-softhsm-", m.Run)) }
