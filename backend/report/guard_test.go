package report

import "testing"

func TestFormulaLike(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"=1+1", true}, {"+86 138", true}, {"-5", true}, {"@SUM(A1)", true},
		{"  =1", true}, {"\t=1", true}, {"\r\n+1", true}, {"\u3000=1", true}, {"\u00a0@x", true},
		{"＝1+1", true}, {"＋1", true}, {"－1", true}, {"＠x", true},
		{"", false}, {"   ", false}, {"张三", false}, {"a=b", false}, {"1-2", false},
		{"1200.50", false}, {"'=1", false}, {"备注：=1", false},
	} {
		if got := formulaLike(c.s); got != c.want {
			t.Errorf("formulaLike(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
