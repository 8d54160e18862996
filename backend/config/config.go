package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"caiji/backend/apperr"
)

// FileName is the installation's configuration inside the data directory.
// Administrators (or the installer) write it; without it the embedded
// default applies.
const FileName = "config.json"

// Mode says whether this installation works with real keys and the real
// platform (production) or with the demo CA, demo token and demo platform.
type Mode string

const (
	ModeDemo       Mode = "demo"
	ModeProduction Mode = "production"
)

// Config is the installation-wide configuration.
type Config struct {
	Mode Mode `json:"mode"`
}

//go:embed default.json
var defaultJSON []byte

// Default is the embedded configuration: demo mode, so that `make run`
// on a fresh machine starts something a newcomer can use at once.
func Default() Config {
	c, err := parse(defaultJSON)
	if err != nil {
		panic("embedded default.json is invalid: " + err.Error())
	}
	return c
}

// Load reads dataDir/config.json, falling back to the embedded default when
// the file does not exist. A file that exists but is wrong is an error:
// silently running a production PC in demo mode would be worse.
func Load(dataDir string) (Config, error) {
	path := filepath.Join(dataDir, FileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return Config{}, apperr.Wrap(apperr.ConfigInvalid, "无法读取配置文件 "+path+"。", err)
	}
	c, err := parse(raw)
	if err != nil {
		return Config{}, apperr.Wrap(apperr.ConfigInvalid, "配置文件 "+path+" 有误："+err.Error()+"。请改正或删除该文件后重新启动。", err)
	}
	return c, nil
}

func parse(raw []byte) (Config, error) {
	// Windows Notepad saves UTF-8 with a BOM; that is not an error.
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return Config{}, errors.New("不是有效的 JSON 或含有未知字段（" + err.Error() + "）")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, errors.New("JSON 对象之后还有多余内容")
	}
	switch c.Mode {
	case ModeDemo, ModeProduction:
	default:
		return Config{}, errors.New(`"mode" 只能是 "demo" 或 "production"`)
	}
	return c, nil
}
