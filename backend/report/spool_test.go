package report

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestSpool(t *testing.T) {
	for _, n := range []int{0, 3, 60_000} { // 60,000 records of ~100 bytes spill to a file
		var s spool
		pad := strings.Repeat("甲", 30)
		for i := range n {
			if err := s.put(strconv.Itoa(i), "", pad+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
		}
		if spilled := s.file != nil; spilled != (n == 60_000) {
			t.Errorf("%d records: spilled %v", n, spilled)
		}
		i := 0
		err := s.each(3, func(rec []string) error {
			if rec[0] != strconv.Itoa(i) || rec[1] != "" || rec[2] != pad+strconv.Itoa(i) {
				t.Fatalf("record %d = %q", i, rec)
			}
			i++
			return nil
		})
		if err != nil || i != n {
			t.Fatalf("read %d of %d records: %v", i, n, err)
		}
		var name string
		if s.file != nil {
			name = s.file.Name()
		}
		s.close()
		if name != "" {
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				t.Errorf("spool file %s left behind", name)
			}
		}
	}
}
