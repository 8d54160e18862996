package auth

import (
	"path/filepath"
	"strings"

	"caiji/backend/token"
)

// ModulePaths is the list of PKCS#11 libraries this installation tries:
// the administrator's own first, then the known vendor locations. Outside
// demo mode the software token SoftHSM2 is dropped unless the administrator
// named it explicitly: its keys are files, not a USB key, and a production
// PC that merely has it installed must not offer it as one.
func ModulePaths(configured []string, demo bool, goos string) []string {
	explicit := map[string]bool{}
	for _, p := range configured {
		explicit[filepath.Clean(p)] = true
	}
	var out []string
	for _, p := range token.Discover(configured, goos) {
		if !demo && isSoftHSM(p) && !explicit[filepath.Clean(p)] {
			continue
		}
		out = append(out, p)
	}
	return out
}

func isSoftHSM(path string) bool {
	return strings.Contains(strings.ToLower(filepath.Base(path)), "softhsm")
}
