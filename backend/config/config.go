package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/url"
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

// Config is the installation-wide configuration. Paths may be relative to
// the data directory.
type Config struct {
	Mode Mode `json:"mode"`
	// PKCS11Modules are vendor libraries tried before the built-in list of
	// common locations (token.KnownModules).
	PKCS11Modules []string `json:"pkcs11Modules,omitempty"`
	// TrustBundle is the PEM file of the provincial CA certificates;
	// default trust/roots.pem in the data directory.
	TrustBundle string `json:"trustBundle,omitempty"`
	// CRLFiles are revocation lists an administrator placed on disk.
	CRLFiles []string `json:"crlFiles,omitempty"`
	// CRLPolicy is what happens when no current CRL can be had: "warn"
	// (log in, show a warning: offline work must go on, seed 002 第十九条)
	// or "refuse".
	CRLPolicy string `json:"crlPolicy,omitempty"`
	// IdleLockMinutes locks the session after this much inactivity.
	IdleLockMinutes int `json:"idleLockMinutes,omitempty"`
	// PasswordMaxAgeDays is when a password change is due (seed 002 第十五条).
	PasswordMaxAgeDays int `json:"passwordMaxAgeDays,omitempty"`
	// Platform is where approved batches are sent (docs/platform-api.md).
	Platform Platform `json:"platform,omitempty"`
}

// Platform configures sync with the provincial platform.
type Platform struct {
	// URL is the platform's base address, https:// in production. Empty in
	// demo mode: the app starts the bundled simulator on loopback.
	URL string `json:"url,omitempty"`
	// Roots is a PEM file of the CAs that issue the platform's HTTPS
	// certificate; empty trusts the system's roots.
	Roots string `json:"roots,omitempty"`
	// ReceiptKey is a PEM public key receipts must be signed with; empty
	// pins the key the platform presents the first time.
	ReceiptKey string `json:"receiptKey,omitempty"`
	// DemoAddr is where demo mode's simulator listens; default
	// 127.0.0.1:0 (any free port).
	DemoAddr string `json:"demoAddr,omitempty"`
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
		return Default().resolve(dataDir), nil
	}
	if err != nil {
		return Config{}, apperr.Wrap(apperr.ConfigInvalid, "无法读取配置文件 "+path+"。", err)
	}
	c, err := parse(raw)
	if err != nil {
		return Config{}, apperr.Wrap(apperr.ConfigInvalid, "配置文件 "+path+" 有误："+err.Error()+"。请改正或删除该文件后重新启动。", err)
	}
	return c.resolve(dataDir), nil
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
	switch c.CRLPolicy {
	case "", "warn", "refuse":
	default:
		return Config{}, errors.New(`"crlPolicy" 只能是 "warn" 或 "refuse"`)
	}
	if u := c.Platform.URL; u != "" {
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" || (pu.Scheme != "https" && pu.Scheme != "http") {
			return Config{}, errors.New(`"platform.url" 应是完整的平台地址，例如 https://platform.example.gov.cn/`)
		}
		if c.Mode == ModeProduction && pu.Scheme != "https" {
			return Config{}, errors.New(`正式模式下 "platform.url" 必须使用 https://`)
		}
	}
	if c.IdleLockMinutes < 0 || c.PasswordMaxAgeDays < 0 {
		return Config{}, errors.New(`"idleLockMinutes" 和 "passwordMaxAgeDays" 不能为负数`)
	}
	return c, nil
}

// resolve fills defaults and makes paths absolute against dataDir.
func (c Config) resolve(dataDir string) Config {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dataDir, p)
	}
	if c.TrustBundle == "" {
		c.TrustBundle = filepath.Join("trust", "roots.pem")
	}
	c.TrustBundle = abs(c.TrustBundle)
	c.Platform.Roots = abs(c.Platform.Roots)
	c.Platform.ReceiptKey = abs(c.Platform.ReceiptKey)
	for i, f := range c.CRLFiles {
		c.CRLFiles[i] = abs(f)
	}
	for i, f := range c.PKCS11Modules {
		c.PKCS11Modules[i] = abs(f)
	}
	if c.CRLPolicy == "" {
		c.CRLPolicy = "warn"
	}
	if c.IdleLockMinutes == 0 {
		c.IdleLockMinutes = 10
	}
	if c.PasswordMaxAgeDays == 0 {
		c.PasswordMaxAgeDays = 90
	}
	return c
}
