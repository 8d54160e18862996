// Package buildinfo carries what the build stamped into the binary.
package buildinfo

import "runtime"

// Set by the Makefile through -ldflags "-X caiji/backend/buildinfo.Version=...".
var (
	Version = "0.0.0-dev"
	Commit  = "unknown"
	Date    = "unknown"
)

// Info is the build description shown by `caiji version` and the About box.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Get returns the build description of the running binary.
func Get() Info {
	return Info{Version: Version, Commit: Commit, Date: Date, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}
