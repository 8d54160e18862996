package cli

import (
	"fmt"
	"io"

	"caiji/backend/buildinfo"
)

func runVersion(e *env, args []string) int {
	fs := e.flags("version")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	info := buildinfo.Get()
	return e.emit(info, func(w io.Writer) {
		fmt.Fprintf(w, "caiji %s (%s, %s) %s %s/%s\n", info.Version, info.Commit, info.Date, info.Go, info.OS, info.Arch)
	})
}
