package auth

import (
	"os"
	"runtime"
	"slices"
	"testing"
)

const softhsmLib = "/usr/lib/softhsm/libsofthsm2.so"

func TestProductionDropsSoftHSMUnlessNamed(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("paths below are Debian's")
	}
	if _, err := os.Stat(softhsmLib); err != nil {
		t.Skip("SoftHSM2 not installed")
	}
	if got := ModulePaths(nil, true, "linux"); !slices.Contains(got, softhsmLib) {
		t.Errorf("demo paths %v lack SoftHSM", got)
	}
	if got := ModulePaths(nil, false, "linux"); slices.Contains(got, softhsmLib) {
		t.Errorf("production paths %v offer SoftHSM without the admin naming it", got)
	}
	if got := ModulePaths([]string{softhsmLib}, false, "linux"); len(got) == 0 || got[0] != softhsmLib {
		t.Errorf("an explicitly configured module must come first: %v", got)
	}
}
