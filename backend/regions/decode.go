package regions

import (
	"compress/gzip"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The format is documented in internal/gen/main.go, which writes it.

//go:embed data/manifest.json data/divisions.bin.gz data/villages.bin.gz
var dataFS embed.FS

const formatVersion = 1

type manifest struct {
	Format         int            `json:"format"`
	Source         string         `json:"source"`
	StatisticsYear int            `json:"statisticsYear"`
	HistorySource  string         `json:"historySource"`
	Revisions      []string       `json:"revisions"`
	Generated      string         `json:"generated"`
	Counts         map[string]int `json:"counts"`
	Files          map[string]struct {
		RawBytes int `json:"rawBytes"`
	} `json:"files"`
}

func decode() (*List, error) {
	var m manifest
	b, err := dataFS.ReadFile("data/manifest.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("regions: manifest: %w", err)
	}
	if m.Format != formatVersion {
		return nil, fmt.Errorf("regions: data format %d, want %d: regenerate data/", m.Format, formatVersion)
	}
	if m.Source == "" || m.StatisticsYear == 0 || len(m.Revisions) == 0 || len(m.Revisions) > 256 {
		return nil, errors.New("regions: manifest lacks version fields")
	}
	l := &List{version: Version{Source: m.Source, Year: m.StatisticsYear, History: m.HistorySource,
		Revisions: m.Revisions, Generated: m.Generated}}

	// The village file is most of the work; inflate it while the
	// divisions are parsed.
	type result struct {
		s   string
		err error
	}
	vc := make(chan result, 1)
	go func() {
		s, err := inflate("villages.bin.gz", m.Files["villages.bin.gz"].RawBytes)
		vc <- result{s, err}
	}()
	div, err := inflate("divisions.bin.gz", m.Files["divisions.bin.gz"].RawBytes)
	if err == nil {
		err = l.parseDivisions(div, m.Counts)
	}
	v := <-vc
	if err != nil {
		return nil, err
	}
	if v.err != nil {
		return nil, v.err
	}
	if err := l.parseVillages(v.s, m.Counts["villages"]); err != nil {
		return nil, err
	}
	return l, nil
}

// inflate returns the decompressed file as one string; names stay
// substrings of it. gzip checks the CRC and length at EOF.
func inflate(name string, size int) (string, error) {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("regions: %s: %w", name, err)
	}
	var sb strings.Builder
	sb.Grow(size)
	if _, err := io.Copy(&sb, zr); err != nil {
		return "", fmt.Errorf("regions: %s: %w", name, err)
	}
	return sb.String(), nil
}

func (l *List) parseDivisions(s string, counts map[string]int) error {
	r := &reader{s: s, file: "divisions.bin.gz"}
	r.magic("caiji-divisions-1\n")
	for _, t := range []struct {
		name string
		t    *table
	}{{"provinces", &l.provinces}, {"cities", &l.cities}, {"counties", &l.counties}, {"towns", &l.towns}} {
		r.table(t.t, counts[t.name], nil)
	}
	r.table(&l.history, counts["history"], &l.histRev)
	for _, x := range l.histRev {
		if int(x) >= len(l.version.Revisions) {
			r.fail("revision index out of range")
		}
	}
	r.end()
	return r.err
}

func (l *List) parseVillages(s string, count int) error {
	r := &reader{s: s, file: "villages.bin.gz"}
	r.magic("caiji-villages-1\n")
	n := r.count(count)
	nt := len(l.towns.codes)
	l.townFirst = make([]uint32, nt+1)
	l.vSuffix = make([]uint16, 0, n)
	for t := 0; t < nt && r.err == nil; t++ {
		l.townFirst[t] = uint32(len(l.vSuffix))
		k := r.uvarint()
		if k > uint64(n-len(l.vSuffix)) {
			r.fail("village count")
			break
		}
		prev := uint64(0)
		for j := uint64(0); j < k; j++ {
			d := r.uvarint()
			if j > 0 && d == 0 || prev+d > 999 {
				r.fail("village suffix")
				break
			}
			prev += d
			l.vSuffix = append(l.vSuffix, uint16(prev))
		}
	}
	l.townFirst[nt] = uint32(len(l.vSuffix))
	if r.err == nil && len(l.vSuffix) != n {
		r.fail("village count")
	}
	k := r.uvarint()
	if k > 31 {
		r.fail("name endings")
	}
	endings := r.names(int(k))
	l.villageEnd = make([]string, k)
	for i := range l.villageEnd {
		l.villageEnd[i] = endings.name(i)
	}
	l.villages = r.names(n)
	r.end()
	return r.err
}

// reader walks a decoded file; the first error sticks and later calls
// return zero values.
type reader struct {
	s    string
	i    int
	file string
	err  error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("regions: %s: bad %s at byte %d", r.file, what, r.i)
	}
}

func (r *reader) magic(m string) {
	if !strings.HasPrefix(r.s, m) {
		r.fail("header")
		return
	}
	r.i = len(m)
}

func (r *reader) end() {
	if r.err == nil && r.i != len(r.s) {
		r.fail("trailing data")
	}
}

func (r *reader) uvarint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.err != nil || r.i >= len(r.s) {
			r.fail("varint")
			return 0
		}
		b := r.s[r.i]
		r.i++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return x
		}
	}
	r.fail("varint")
	return 0
}

// count reads a table length and checks it against the manifest.
func (r *reader) count(want int) int {
	n := r.uvarint()
	if r.err == nil && (want <= 0 || n != uint64(want)) {
		r.fail(fmt.Sprintf("count %d (manifest says %d)", n, want))
	}
	if r.err != nil {
		return 0
	}
	return want
}

func (r *reader) table(t *table, want int, extra *[]uint8) {
	n := r.count(want)
	t.codes = make([]uint32, n)
	var c uint64
	for j := range t.codes {
		d := r.uvarint()
		if j > 0 && d == 0 || c+d > 1<<32-1 {
			r.fail("code")
			return
		}
		c += d
		t.codes[j] = uint32(c)
	}
	if extra != nil {
		*extra = make([]uint8, n)
		for j := range *extra {
			x := r.uvarint()
			if x > 255 {
				r.fail("revision index")
				return
			}
			(*extra)[j] = uint8(x)
		}
	}
	t.names = r.names(n)
}

func (r *reader) names(n int) names {
	if r.err != nil {
		return names{}
	}
	off := make([]uint32, n+1)
	off[0] = uint32(r.i)
	for j := 1; j <= n; j++ {
		k := strings.IndexByte(r.s[r.i:], '\n')
		if k < 0 {
			r.fail("name")
			return names{}
		}
		r.i += k + 1
		off[j] = uint32(r.i)
	}
	return names{s: r.s, off: off}
}
