// Package softhsm points SoftHSM2, the software PKCS#11 token used by demo
// mode and the tests, at a token directory of our own. SoftHSM reads
// SOFTHSM2_CONF once, at C_Initialize, so this must happen before the
// library is first initialized in the process.
package softhsm

import (
	"fmt"
	"os"
	"path/filepath"
)

// Use writes dir/softhsm2.conf for tokens in dir/tokens and sets
// SOFTHSM2_CONF to it. softhsm2-util run by the process inherits it.
func Use(dir string) (tokenDir string, err error) {
	tokenDir = filepath.Join(dir, "tokens")
	if err := os.MkdirAll(tokenDir, 0o700); err != nil {
		return "", err
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	body := fmt.Sprintf("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n", tokenDir)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		return "", err
	}
	return tokenDir, os.Setenv("SOFTHSM2_CONF", conf)
}

// Run gives a test binary one SoftHSM configuration in a fresh temporary
// directory for its whole run (pass m.Run), removed afterwards. Tests keep
// apart by giving their tokens distinct labels.
func Run(prefix string, run func() int) int {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if _, err := Use(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return run()
}
