package main

import (
	"crypto/sha256"
	"encoding/hex"
)

// singleInstanceKey lets two data directories (e.g. tests) run side by side
// while one data directory never has two windows.
func singleInstanceKey(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return hex.EncodeToString(sum[:8])
}
