//go:build !dev

package main

import "flag"

// registerDevFlags: production accepts no Wails dev flags.
func registerDevFlags(*flag.FlagSet) {}
