package cli

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"caiji/backend/buildinfo"
)

// run executes the CLI and returns exit code, stdout and stderr.
func run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := Run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestVersionJSON(t *testing.T) {
	for _, args := range [][]string{{"version", "--json"}, {"--version", "--json"}, {"version", "-json"}} {
		code, stdout, stderr := run(args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatalf("%v: stdout %q is not JSON: %v", args, stdout, err)
		}
		want := buildinfo.Get()
		for k, v := range map[string]string{"version": want.Version, "go": want.Go, "os": want.OS, "arch": want.Arch, "commit": want.Commit, "date": want.Date} {
			if m[k] != v {
				t.Errorf("%v: %s = %q, want %q", args, k, m[k], v)
			}
		}
	}
}

func TestVersionText(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, stdout, _ := run(args...)
		if code != ExitOK {
			t.Errorf("%v: exit %d", args, code)
		}
		if !strings.HasPrefix(stdout, "caiji "+buildinfo.Version) {
			t.Errorf("%v: stdout %q, want it to start with caiji %s", args, stdout, buildinfo.Version)
		}
		if json.Valid([]byte(stdout)) {
			t.Errorf("%v: text output is JSON without --json", args)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}, {}} {
		code, stdout, stderr := run(args...)
		if code != ExitOK {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
		if stderr != "" {
			t.Errorf("%v: unexpected stderr %q", args, stderr)
		}
		for _, n := range commandNames() {
			if !strings.Contains(stdout, "  "+n+" ") {
				t.Errorf("%v: help does not list command %q:\n%s", args, n, stdout)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args       []string
		stderrHas  string
		wantStdout bool
	}{
		{[]string{"frobnicate"}, "frobnicate", false},
		{[]string{"--bogus"}, "--bogus", false},
		{[]string{"version", "--bogus"}, "bogus", false},
		{[]string{"version", "extra"}, "extra", false},
		{[]string{"db"}, "db check", false},
		{[]string{"db", "frob"}, "db check", false},
		{[]string{"db", "check", "--bogus"}, "bogus", false},
		{[]string{"db", "check", "--data-dir"}, "data-dir", false},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(tt.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		if !strings.Contains(stderr, tt.stderrHas) {
			t.Errorf("%v: stderr %q, want it to mention %q", tt.args, stderr, tt.stderrHas)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q, want nothing (scripts parse stdout)", tt.args, stdout)
		}
	}
}

func TestCommandHelpFlag(t *testing.T) {
	for _, args := range [][]string{{"version", "-h"}, {"db", "check", "--help"}} {
		code, _, stderr := run(args...)
		if code != ExitOK {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
		if !strings.Contains(stderr, "-json") || !strings.Contains(stderr, "-data-dir") {
			t.Errorf("%v: flag help %q lacks -json/-data-dir", args, stderr)
		}
	}
}

func TestIsCommand(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{}, false},
		{[]string{"--data-dir", "x"}, false},
		{[]string{"-data-dir=x"}, false},
		{[]string{"version"}, true},
		{[]string{"db", "check"}, true},
		{[]string{"help"}, true},
		{[]string{"--help"}, true},
		{[]string{"-h"}, true},
		{[]string{"--version"}, true},
		{[]string{"frobnicate"}, true}, // so Run can say it is unknown
	}
	for _, tt := range tests {
		if got := IsCommand(tt.args); got != tt.want {
			t.Errorf("IsCommand(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
	for _, n := range commandNames() {
		if !IsCommand([]string{n}) {
			t.Errorf("IsCommand(%q) = false for a registered command", n)
		}
	}
}
