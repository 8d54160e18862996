// Package config decides where Caiji keeps its state and how it runs.
package config

import (
	"os"
	"path/filepath"

	"caiji/backend/apperr"
)

// EnvDataDir overrides the data directory (tests, portable installs).
const EnvDataDir = "CAIJI_DATA_DIR"

// appDirName is the folder under the OS user config directory
// (%AppData% on Windows, ~/.config on Linux).
const appDirName = "Caiji"

// ResolveDataDir picks the data directory: the flag wins, then the
// environment, then the OS user config directory.
func ResolveDataDir(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv(EnvDataDir)
	}
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", apperr.Wrap(apperr.DataDirUnusable, "找不到当前用户的配置目录，请用 --data-dir 指定数据目录。", err)
		}
		dir = filepath.Join(base, appDirName)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", apperr.Wrap(apperr.DataDirUnusable, "数据目录路径无效："+dir, err)
	}
	return abs, nil
}

// EnsureDataDir creates dir with owner-only permissions: it will hold
// other people's ID numbers and bank accounts.
func EnsureDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建数据目录 "+dir+"，请检查磁盘空间和权限。", err)
	}
	probe, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "数据目录 "+dir+" 不可写，请检查权限或换一个目录。", err)
	}
	name := probe.Name()
	probe.Close()
	os.Remove(name)
	return nil
}
