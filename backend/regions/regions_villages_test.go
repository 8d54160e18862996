package regions

import "testing"

func TestVillagesOfACounty(t *testing.T) {
	l, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	vs := l.Villages("410102")
	if len(vs) < 50 {
		t.Fatalf("中原区 has %d villages, want dozens", len(vs))
	}
	seen := map[string]bool{}
	for i, v := range vs {
		if e, st := l.Village(v.Code); st != Current || e.Name != v.Name {
			t.Fatalf("%s %q does not look itself up: %v %v", v.Code, v.Name, e, st)
		}
		if i > 0 && vs[i-1].Code >= v.Code {
			t.Fatalf("not in code order at %s", v.Code)
		}
		seen[v.Code] = true
	}
	if !seen["410102001002"] || !seen["410102002001"] {
		t.Fatal("known villages of 中原区 missing")
	}
	for _, bad := range []string{"", "41010", "999999", "410100"} {
		if got := l.Villages(bad); len(got) != 0 {
			t.Fatalf("Villages(%q) = %d entries", bad, len(got))
		}
	}
}
