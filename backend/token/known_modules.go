package token

import (
	"os"
	"path/filepath"
	"strings"
)

// KnownModule is a PKCS#11 driver we look for without being told.
type KnownModule struct {
	Vendor  string // in Chinese, as clerks know it
	Product string
	Path    string
}

// Default install locations. They vary by driver version and packaging, so
// they are only a first guess: administrators set the real path in config,
// and Discover tries those first. Real CA keys come before test drivers so a
// development SoftHSM never shadows a plugged-in key.
var knownModules = map[string][]KnownModule{
	"windows": {
		{"飞天诚信", "ePass2003", `C:\Windows\System32\eps2003csp11.dll`},
		{"龙脉科技", "mToken GM3000", `C:\Windows\System32\mtoken_gm3000.dll`},
		{"握奇数据", "Watchdata TimeCOS", `C:\Windows\System32\WDPKCS.dll`},
		{"海泰方圆", "Haitai HaiKey", `C:\Windows\System32\HtPkcs11.dll`},
		{"OpenSC（开源）", "OpenSC", `C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll`},
		{"SoftHSM（软件模拟，仅供测试）", "SoftHSM2", `C:\SoftHSM2\lib\softhsm2-x64.dll`},
	},
	"linux": {
		{"飞天诚信", "ePass2003", "/usr/lib/libcastle.so.1.0.0"},
		{"龙脉科技", "mToken GM3000", "/opt/LongMai/lib/libgm3000.1.0.so"},
		{"OpenSC（开源）", "OpenSC", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"},
		{"OpenSC（开源）", "OpenSC", "/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so"},
		{"SoftHSM（软件模拟，仅供测试）", "SoftHSM2", "/usr/lib/softhsm/libsofthsm2.so"},
	},
	"darwin": {
		{"OpenSC（开源）", "OpenSC", "/Library/OpenSC/lib/opensc-pkcs11.so"},
		{"SoftHSM（软件模拟，仅供测试）", "SoftHSM2", "/opt/homebrew/lib/softhsm/libsofthsm2.so"},
	},
}

// KnownModules lists the drivers we know for goos (a runtime.GOOS value).
func KnownModules(goos string) []KnownModule {
	return append([]KnownModule(nil), knownModules[goos]...)
}

// Discover returns the driver files that exist: extra (configured paths, in
// order) first, then the known ones for goos, without duplicates.
func Discover(extra []string, goos string) []string {
	candidates := append([]string(nil), extra...)
	for _, k := range knownModules[goos] {
		candidates = append(candidates, k.Path)
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range candidates {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		p = filepath.Clean(p)
		key := p
		if goos == "windows" { // case-insensitive file system
			key = strings.ToLower(p)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			out = append(out, p)
		}
	}
	return out
}
