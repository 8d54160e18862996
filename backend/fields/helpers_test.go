package fields

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// codes lists issue codes with a "!" suffix for warnings, so one string
// in a table says both what was found and how serious it is.
func codes(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		c := is.Code
		if is.Severity == Warning {
			c += "!"
		}
		out = append(out, c)
	}
	return out
}

// checkIssues compares codes and checks every message is usable: Chinese
// text that does not echo the value it is about.
func checkIssues(t *testing.T, input string, got []Issue, want []string) {
	t.Helper()
	if !slices.Equal(codes(got), want) {
		t.Errorf("%q: issues %v, want %v (%+v)", input, codes(got), want, got)
	}
	for _, is := range got {
		if is.Message == "" || is.Severity != Error && is.Severity != Warning {
			t.Errorf("%q: malformed issue %+v", input, is)
		}
		// Long enough to be an ID, account or phone number: must not be echoed.
		if utf8.RuneCountInString(input) >= 11 && strings.Contains(is.Message, strings.TrimSpace(input)) {
			t.Errorf("%q: message repeats the input: %s", input, is.Message)
		}
	}
}

func TestHasError(t *testing.T) {
	if HasError(nil) || HasError([]Issue{warningIssue("w", "w")}) {
		t.Error("warnings alone must not count as errors")
	}
	if !HasError([]Issue{warningIssue("w", "w"), errorIssue("e", "e")}) {
		t.Error("an error was not seen")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
