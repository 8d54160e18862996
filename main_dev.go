//go:build dev

package main

import "flag"

// registerDevFlags accepts the flags Wails reads itself in dev builds
// (browser mode for E2E), so our strict parser does not refuse them.
func registerDevFlags(fs *flag.FlagSet) {
	for _, name := range []string{"assetdir", "devserver", "frontenddevserverurl", "loglevel"} {
		fs.String(name, "", "Wails dev flag")
	}
}
