// Package token talks to USB CA keys (UKey) through their vendors' PKCS#11
// drivers: list keys, log in with the PIN, find certificates and sign.
//
// We call github.com/miekg/pkcs11 directly instead of crypto11 because we
// must own C_Initialize/C_Finalize: a driver is one process-wide library, so
// every Open of the same file shares one context, and it is finalized only
// when the last Module and Session using it are closed.
package token

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/miekg/pkcs11"

	"caiji/backend/apperr"
)

// TokenInfo describes a key sitting in a slot. Text fields are trimmed of the
// space padding PKCS#11 uses for fixed-size fields.
type TokenInfo struct {
	ModulePath   string `json:"modulePath"`
	SlotID       uint   `json:"slotId"`
	Label        string `json:"label"`
	Serial       string `json:"serial"`
	Manufacturer string `json:"manufacturer"`
	Model        string `json:"model"`
	PINLocked    bool   `json:"pinLocked"`
	PINFinalTry  bool   `json:"pinFinalTry"`
	PINCountLow  bool   `json:"pinCountLow"`
}

// library is one loaded driver, shared by every Module and Session that
// opened the same file.
type library struct {
	path string      // resolved path, the registry key
	ctx  *pkcs11.Ctx // never Destroy()ed: see release

	// mu serializes every call into the driver. Many vendor drivers are not
	// thread-safe whatever CKF_OS_LOCKING_OK says, and multi-call sequences
	// (FindObjectsInit..Final, SignInit+Sign) must not interleave.
	mu       sync.Mutex
	loggedIn map[uint]int // slot → our open logged-in Sessions; guarded by mu

	refs  int  // open Modules + Sessions; guarded by registryMu
	owner bool // we called C_Initialize, so C_Finalize is ours; guarded by registryMu
}

var (
	registryMu sync.Mutex
	libraries  = map[string]*library{}
)

// Module is one handle on a PKCS#11 driver. Handles on the same file share
// the underlying context; Close only finalizes it when nothing else uses it.
type Module struct {
	path   string
	lib    *library
	closed atomic.Bool
}

// Open loads and initializes the driver at path (or joins the context an
// earlier Open of the same file created).
func Open(path string) (*Module, error) {
	clean, key, err := normalizePath(path)
	if err != nil {
		return nil, err
	}
	lib, err := acquire(clean, key)
	if err != nil {
		return nil, err
	}
	return &Module{path: clean, lib: lib}, nil
}

// normalizePath returns the cleaned absolute path and the registry key (the
// same with symlinks resolved, so /usr/lib/softhsm/libsofthsm2.so and its
// target share one context instead of finalizing each other). A bare file
// name is left to the OS loader's search path.
func normalizePath(path string) (clean, key string, err error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", "", apperr.New(apperr.BadInput, "未指定 USB Key 驱动模块路径，请在设置中填写厂商驱动的文件路径。")
	}
	if !strings.ContainsAny(path, `/\`) {
		return path, path, nil
	}
	clean, err = filepath.Abs(path)
	if err != nil {
		return "", "", apperr.Wrap(apperr.BadInput, fmt.Sprintf("USB Key 驱动模块路径无效：%s。请检查设置中的驱动路径。", path), err)
	}
	if _, err := os.Stat(clean); err != nil {
		return "", "", apperr.Wrap(apperr.ModuleUnavailable,
			fmt.Sprintf("找不到 USB Key 驱动模块 %s。请安装 USB Key 厂商驱动，或在设置中填写正确的驱动路径。", clean), err)
	}
	key = clean
	if resolved, err := filepath.EvalSymlinks(clean); err == nil {
		key = resolved
	}
	return clean, key, nil
}

func acquire(clean, key string) (*library, error) {
	registryMu.Lock()
	defer registryMu.Unlock()
	lib := libraries[key]
	if lib == nil {
		ctx := pkcs11.New(key)
		if ctx == nil {
			return nil, apperr.New(apperr.ModuleUnavailable,
				fmt.Sprintf("无法加载 USB Key 驱动模块 %s（文件损坏、32/64 位不匹配或缺少依赖库）。请重新安装厂商驱动，或在设置中换用正确的驱动。", clean))
		}
		lib = &library{path: key, ctx: ctx, loggedIn: map[uint]int{}}
		libraries[key] = lib
	}
	if lib.refs == 0 {
		err := lib.ctx.Initialize()
		switch {
		case err == nil:
			lib.owner = true
		case isCKR(err, pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED):
			// Someone else in this process initialized it; it is theirs to finalize.
			lib.owner = false
		default:
			return nil, apperr.Wrap(apperr.ModuleUnavailable,
				fmt.Sprintf("USB Key 驱动模块 %s 初始化失败。请重新插拔 USB Key 或重新安装厂商驱动后再试。", clean), err)
		}
	}
	lib.refs++
	return lib, nil
}

// addRef is for a Session, which keeps the context alive after its Module
// is closed. The caller already holds a reference, so refs > 0.
func (l *library) addRef() {
	registryMu.Lock()
	l.refs++
	registryMu.Unlock()
}

// release drops one reference and finalizes on the last one. The library
// stays loaded: vendor drivers often leave threads behind, and unloading
// code under them crashes the process.
func (l *library) release() {
	registryMu.Lock()
	defer registryMu.Unlock()
	l.refs--
	if l.refs > 0 || !l.owner {
		return
	}
	l.mu.Lock()
	_ = l.ctx.Finalize()
	clear(l.loggedIn)
	l.mu.Unlock()
	l.owner = false
}

// Path is the cleaned absolute path the module was opened with.
func (m *Module) Path() string { return m.path }

var errModuleClosed = apperr.New(apperr.Internal, "USB Key 驱动模块已关闭，请重新打开后再试。")

// Tokens lists the initialized keys currently plugged in.
func (m *Module) Tokens() ([]TokenInfo, error) {
	if m.closed.Load() {
		return nil, errModuleClosed
	}
	l := m.lib
	l.mu.Lock()
	defer l.mu.Unlock()
	slots, err := l.ctx.GetSlotList(true)
	if err != nil {
		return nil, mapError(err, apperr.ModuleUnavailable, "读取 USB Key 列表失败，请重新插拔 USB Key 后再试。")
	}
	var out []TokenInfo
	for _, slot := range slots {
		ti, err := l.ctx.GetTokenInfo(slot)
		if err != nil {
			// Pulled out between the two calls, or a half-removed token
			// (SoftHSM keeps listing a deleted token's slot): not there.
			continue
		}
		if ti.Flags&pkcs11.CKF_TOKEN_INITIALIZED == 0 {
			continue
		}
		out = append(out, m.tokenInfo(slot, ti))
	}
	return out, nil
}

func (m *Module) tokenInfo(slot uint, ti pkcs11.TokenInfo) TokenInfo {
	return TokenInfo{
		ModulePath:   m.path,
		SlotID:       slot,
		Label:        trimPad(ti.Label),
		Serial:       trimPad(ti.SerialNumber),
		Manufacturer: trimPad(ti.ManufacturerID),
		Model:        trimPad(ti.Model),
		PINLocked:    ti.Flags&pkcs11.CKF_USER_PIN_LOCKED != 0,
		PINFinalTry:  ti.Flags&pkcs11.CKF_USER_PIN_FINAL_TRY != 0,
		PINCountLow:  ti.Flags&pkcs11.CKF_USER_PIN_COUNT_LOW != 0,
	}
}

// trimPad strips PKCS#11 blank padding; some drivers pad with NULs instead.
func trimPad(s string) string { return strings.TrimSpace(strings.TrimRight(s, " \x00")) }

// Close releases this handle; idempotent. Sessions opened from it stay usable.
func (m *Module) Close() error {
	if m.closed.CompareAndSwap(false, true) {
		m.lib.release()
	}
	return nil
}

func isCKR(err error, rv uint) bool {
	var e pkcs11.Error
	return errors.As(err, &e) && uint(e) == rv
}
