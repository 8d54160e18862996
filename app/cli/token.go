package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/pki"
	"caiji/backend/token"
)

// listFlag collects a repeatable flag (--crl A --crl B).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runToken(e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "用法：caiji token list [--module 路径] [--json] | caiji token check --module 路径 --token 标签 --pin PIN [--trust 证书包.pem] [--crl 文件]... [--crl-policy warn|refuse] [--json]")
		return ExitUsage
	}
	switch args[0] {
	case "list":
		return runTokenList(e, args[1:])
	case "check":
		return runTokenCheck(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "未知的 token 子命令 %q（可用：list、check）\n", args[0])
	return ExitUsage
}

type tokenListResult struct {
	Modules []moduleResult `json:"modules"`
}

type moduleResult struct {
	Path   string            `json:"path"`
	Error  *cliError         `json:"error,omitempty"`
	Tokens []token.TokenInfo `json:"tokens"`
}

type cliError struct {
	Code    apperr.Code `json:"error"`
	Message string      `json:"message"`
}

// runTokenList lists the keys of one module, or of every module found.
func runTokenList(e *env, args []string) int {
	fs := e.flags("token list")
	module := fs.String("module", "", "PKCS#11 模块路径（默认：尝试常见厂商路径）")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	paths := []string{*module}
	if *module == "" {
		paths = token.Discover(nil, runtime.GOOS)
	}
	res := tokenListResult{Modules: []moduleResult{}}
	for _, p := range paths {
		mr := moduleResult{Path: p, Tokens: []token.TokenInfo{}}
		m, err := token.Open(p)
		if err == nil {
			var ts []token.TokenInfo
			if ts, err = m.Tokens(); err == nil {
				mr.Tokens = ts
			}
			m.Close()
		}
		if err != nil {
			if *module != "" {
				return e.fail(err)
			}
			ae := apperr.From(err)
			mr.Error = &cliError{Code: ae.Code, Message: ae.Message}
		}
		res.Modules = append(res.Modules, mr)
	}
	return e.emit(res, func(w io.Writer) {
		if len(res.Modules) == 0 {
			fmt.Fprintln(w, "没有找到 PKCS#11 模块。请用 --module 指定 USB Key 厂商驱动的路径。")
		}
		for _, m := range res.Modules {
			fmt.Fprintf(w, "%s\n", m.Path)
			if m.Error != nil {
				fmt.Fprintf(w, "  不可用：%s\n", m.Error.Message)
			}
			for _, t := range m.Tokens {
				fmt.Fprintf(w, "  槽 %d  %s  （%s %s，序列号 %s）\n", t.SlotID, t.Label, t.Manufacturer, t.Model, t.Serial)
			}
		}
	})
}

type tokenCheckResult struct {
	Accepted   bool          `json:"accepted"`
	ReasonCode string        `json:"reason_code"`
	Reason     string        `json:"reason"`
	Subject    string        `json:"subject"`
	NotAfter   string        `json:"not_after"`
	Warnings   []pki.Warning `json:"warnings"`
}

// runTokenCheck is the login check without an account: PIN, certificate
// chain, dates, key usage, revocation and proof of possession.
func runTokenCheck(e *env, args []string) int {
	fs := e.flags("token check")
	module := fs.String("module", "", "PKCS#11 模块路径（必填）")
	label := fs.String("token", "", "USB Key 标签（必填）")
	pin := fs.String("pin", "", "PIN 码（必填）")
	trust := fs.String("trust", "", "信任的 CA 证书包（PEM，必填）")
	policy := fs.String("crl-policy", "warn", "取不到吊销列表时：warn 或 refuse")
	var crls listFlag
	fs.Var(&crls, "crl", "吊销列表文件，可重复")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if missing := missingFlags(fs, "module", "token", "pin", "trust"); missing != "" {
		fmt.Fprintf(e.stderr, "缺少参数：%s\n", missing)
		return ExitUsage
	}
	if *policy != "warn" && *policy != "refuse" {
		fmt.Fprintln(e.stderr, "--crl-policy 只能是 warn 或 refuse")
		return ExitUsage
	}
	ts, err := pki.LoadTrustBundle(*trust)
	if err != nil {
		return e.fail(err)
	}
	m, err := token.Open(*module)
	if err != nil {
		return e.fail(err)
	}
	defer m.Close()
	infos, err := m.Tokens()
	if err != nil {
		return e.fail(err)
	}
	slot, found := uint(0), false
	for _, t := range infos {
		if t.Label == *label {
			slot, found = t.SlotID, true
			break
		}
	}
	if !found {
		return e.fail(apperr.New(apperr.TokenAbsent, "没有找到标签为「"+*label+"」的 USB Key。用 caiji token list 查看已插入的 USB Key。"))
	}
	checker := &pki.Checker{Trust: ts, CRLFiles: crls, Policy: pki.CRLPolicy(*policy), HTTP: &http.Client{Timeout: 5 * time.Second}}
	view, warnings, err := auth.CheckToken(context.Background(), checker, auth.ModuleSource{M: m}, slot, *pin)
	res := tokenCheckResult{Accepted: err == nil, Subject: view.Subject, Warnings: warnings}
	if res.Warnings == nil {
		res.Warnings = []pki.Warning{}
	}
	if !view.NotAfter.IsZero() {
		res.NotAfter = view.NotAfter.UTC().Format(time.RFC3339)
	}
	if err != nil {
		ae := apperr.From(err)
		res.ReasonCode, res.Reason = string(ae.Code), ae.Message
	}
	e.emit(res, func(w io.Writer) {
		if res.Accepted {
			fmt.Fprintf(w, "通过：%s（有效期至 %s）\n", res.Subject, res.NotAfter)
			for _, wn := range res.Warnings {
				fmt.Fprintf(w, "  注意：%s\n", wn.Message)
			}
		} else {
			fmt.Fprintf(w, "拒绝（%s）：%s\n", res.ReasonCode, res.Reason)
		}
	})
	if !res.Accepted {
		return ExitRefused
	}
	return ExitOK
}

func missingFlags(fs *flag.FlagSet, names ...string) string {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var miss []string
	for _, n := range names {
		if !set[n] {
			miss = append(miss, "--"+n)
		}
	}
	return strings.Join(miss, " ")
}
