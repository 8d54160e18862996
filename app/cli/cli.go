// Package cli is Caiji's headless face: the same backend as the window,
// driven by subcommands for batch work and scripts. Exit codes: 0 done,
// 1 refused or failed (with {"error","message"} under --json), 2 usage.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"caiji/backend/apperr"
)

// Exit codes shared by every command.
const (
	ExitOK      = 0
	ExitRefused = 1
	ExitUsage   = 2
)

// env is what a command gets to work with.
type env struct {
	stdout, stderr io.Writer
	json           bool
	dataDir        string
}

type command struct {
	summary string
	run     func(e *env, args []string) int
}

var commands map[string]command

func init() {
	// Assigned here, not in the var, because "help" refers to commands itself.
	commands = map[string]command{
		"help":     {"显示帮助", runHelp},
		"version":  {"显示版本信息", runVersion},
		"db":       {"数据库维护：db check 检查完整性与版本", runDB},
		"token":    {"USB Key：token list 列出，token check 检查证书与 PIN", runToken},
		"datasets": {"列出内置数据集及其字段", runDatasets},
		"validate": {"校验已保存的批次：validate --dataset 数据集 --batch 批次编号", runValidate},
		"template": {"生成导入模板：template --dataset 数据集 -o 文件.xlsx", runTemplate},
		"import":   {"导入 Excel/CSV：import --dataset 数据集 --file 文件 [--org 单位 --period 期间 --user 账号] [--dry-run]", runImport},
		"export":   {"导出批次：export --batch 批次编号 --kind table|payroll|cards|summary_* -o 文件.xlsx", runExport},
		"audit":    {"审计日志：audit verify 核对哈希链与签名链头", runAudit},

		"platform-sim": {"省级平台模拟器：platform-sim --data 目录 [--addr 主机:端口] [--trust 证书包.pem] [--tls-cert 证书 --tls-key 私钥]", runPlatformSim},
	}
}

// IsCommand reports whether args ask for the CLI rather than the window.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-h", "-help", "--help", "-version", "--version":
		return true
	}
	_, ok := commands[args[0]]
	return ok || !strings.HasPrefix(args[0], "-")
}

// Run executes args (without the program name) and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	switch {
	case len(args) == 0, args[0] == "-h", args[0] == "-help", args[0] == "--help":
		return runHelp(e, nil)
	case args[0] == "--version", args[0] == "-version":
		return runVersion(e, args[1:])
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "未知命令 %q。运行 caiji --help 查看可用命令。\n", args[0])
		return ExitUsage
	}
	return cmd.run(e, args[1:])
}

// flags makes a flag set with the options every command accepts.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("caiji "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.BoolVar(&e.json, "json", false, "以 JSON 输出结果")
	fs.StringVar(&e.dataDir, "data-dir", "", "数据目录（默认：用户配置目录下的 Caiji，或环境变量 CAIJI_DATA_DIR）")
	return fs
}

// parse parses args and maps flag errors to the usage exit code.
func (e *env) parse(fs *flag.FlagSet, args []string) (ok bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, ExitOK
		}
		return false, ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return false, ExitUsage
	}
	return true, 0
}

// emit prints v as JSON, or text via human when --json is off.
func (e *env) emit(v any, human func(io.Writer)) int {
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return ExitRefused
		}
		return ExitOK
	}
	human(e.stdout)
	return ExitOK
}

// fail reports err as {"error": code, "message": 中文} (or text) and
// returns the refused exit code.
func (e *env) fail(err error) int {
	ae := apperr.From(err)
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(map[string]string{"error": string(ae.Code), "message": ae.Message})
	} else {
		fmt.Fprintf(e.stderr, "错误（%s）：%s\n", ae.Code, ae.Message)
	}
	return ExitRefused
}

func runHelp(e *env, _ []string) int {
	fmt.Fprintln(e.stdout, "采集（Caiji）互联网+监督 数据采集客户端")
	fmt.Fprintln(e.stdout, "")
	fmt.Fprintln(e.stdout, "用法：")
	fmt.Fprintln(e.stdout, "  caiji [--data-dir 目录]        启动图形界面")
	fmt.Fprintln(e.stdout, "  caiji <命令> [选项] [--json]   在命令行中运行")
	fmt.Fprintln(e.stdout, "")
	fmt.Fprintln(e.stdout, "命令：")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(e.stdout, "  %-*s %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(e.stdout, "")
	fmt.Fprintln(e.stdout, "每个命令都接受 --json（机器可读输出）和 --data-dir。退出码：0 成功，1 被拒绝或失败，2 用法错误。")
	return ExitOK
}
