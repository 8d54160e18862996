package importer

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/batch"
)

// The file the benchmarks share: 100,000 rows × 12 columns, written once.
var (
	benchOnce sync.Once
	benchFile string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchFile != "" {
		os.RemoveAll(filepath.Dir(benchFile))
	}
	os.Exit(code)
}

func roster100k(b *testing.B) string {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "caiji-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchFile = writeRoster(b, dir, 100000, nil)
	})
	return benchFile
}

// peakHeap samples the heap while f runs and reports the highest
// in-use size seen, in MB.
func peakHeap(b *testing.B, f func()) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	f()
	close(done)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}

// BenchmarkExcelizeIterate100k is the floor: excelize reading every
// cell of the file and doing nothing with it.
func BenchmarkExcelizeIterate100k(b *testing.B) {
	path := roster100k(b)
	b.ResetTimer()
	peakHeap(b, func() {
		for i := 0; i < b.N; i++ {
			f, err := excelize.OpenFile(path)
			if err != nil {
				b.Fatal(err)
			}
			rows, err := f.Rows("Sheet1")
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				cells, err := rows.Columns()
				if err != nil {
					b.Fatal(err)
				}
				n += len(cells)
			}
			rows.Close()
			f.Close()
			if n != 100001*12 {
				b.Fatalf("%d cells", n)
			}
		}
	})
}

// BenchmarkImport100k is the whole import of the same file: read, clean,
// validate against the batch and the org unit's tables, commit in one
// transaction into a fresh database.
func BenchmarkImport100k(b *testing.B) {
	path := roster100k(b)
	dir := b.TempDir()
	b.ResetTimer()
	peakHeap(b, func() {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			e := newEnv(b, filepath.Join(dir, "b"+itoa(i)+".db"))
			b.StartTimer()
			r := e.req(path)
			r.Commit, r.Mode = true, batch.Replace
			res, err := Run(context.Background(), r)
			if err != nil {
				b.Fatal(err)
			}
			if !res.Committed || res.Imported != 100000 {
				b.Fatalf("imported %d, %s (%d errors, first %+v)", res.Imported, res.NotCommitted, res.Errors, res.Issues[:min(1, len(res.Issues))])
			}
		}
	})
}

// BenchmarkDryRun100k is what the clerk waits for before committing.
func BenchmarkDryRun100k(b *testing.B) {
	path := roster100k(b)
	e := newEnv(b, filepath.Join(b.TempDir(), "d.db"))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), e.req(path)); err != nil {
			b.Fatal(err)
		}
	}
}
