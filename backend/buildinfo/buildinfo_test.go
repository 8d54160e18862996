package buildinfo

import (
	"runtime"
	"testing"
)

func TestGetReflectsVariablesAndRuntime(t *testing.T) {
	oldV, oldC, oldD := Version, Commit, Date
	t.Cleanup(func() { Version, Commit, Date = oldV, oldC, oldD })
	Version, Commit, Date = "1.2.3", "abc123", "2026-01-02"

	got := Get()
	want := Info{Version: "1.2.3", Commit: "abc123", Date: "2026-01-02", Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if got != want {
		t.Errorf("Get() = %+v, want %+v", got, want)
	}
}
