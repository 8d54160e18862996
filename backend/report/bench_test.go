package report

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/regions"
)

// Benchmarks of the exports against a bare excelize StreamWriter writing the
// same values. Besides time and allocations each reports:
//
//	peak-live-MB  the most heap the export kept live, above what was live
//	              before (the input rows are not counted). Measured in one
//	              extra run after the timed ones, with GOGC=5 so that the
//	              collector runs every few MB and /gc/heap/live:bytes,
//	              sampled every millisecond, tracks what is really retained
//	              rather than garbage not yet collected. Flat means it does
//	              not grow with the number of rows.
//	xlsx-MB       the size of the file written.

var (
	benchOnce sync.Once
	benchData []map[string]string
)

// benchRows returns n realistic roster rows (generated once, 100,000 max):
// varied names, valid ID numbers, accounts, banks, amounts in the forms
// clerks type, real village codes, a few remarks.
func benchRows(tb testing.TB, n int) []map[string]string {
	benchOnce.Do(func() {
		l, err := regions.Load()
		if err != nil {
			tb.Fatal(err)
		}
		var villages []string
		for town := 1; town <= 12; town++ {
			for v := 1; v <= 40; v++ {
				c := fmt.Sprintf("410102%03d%03d", town, v)
				if _, st := l.Village(c); st == regions.Current {
					villages = append(villages, c)
				}
			}
		}
		if len(villages) == 0 {
			villages = []string{"410102001002"}
		}
		surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
		given := []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"}
		banks := []string{"演示县农村信用合作联社城关信用社", "中国邮政储蓄银行演示县支行", "中国农业银行演示县支行", "演示县农商银行东关分理处"}
		amounts := []string{"1200.50", "860", "1,050.00", "300.5", "0.1", "0.2", "2,400.00", "75.25"}
		benchData = make([]map[string]string, 100_000)
		for i := range benchData {
			remark := ""
			if i%17 == 0 {
				remark = "新增对象，" + strconv.Itoa(i%12+1) + "月起发放"
			}
			benchData[i] = map[string]string{
				"name":         string(surnames[i%len(surnames)]) + given[i/len(surnames)%len(given)],
				"id_number":    idNumber(i),
				"account":      account(i),
				"bank":         banks[i%len(banks)],
				"amount":       amounts[i%len(amounts)],
				"village_code": villages[i%len(villages)],
				"project_code": "MS2026" + fmt.Sprintf("%03d", 1+i%3),
				"phone":        "138" + fmt.Sprintf("%08d", i),
				"remark":       remark,
			}
		}
	})
	return benchData[:n]
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// peakLive runs fn once and returns the most live heap seen during it above
// the live heap before it, in bytes.
func peakLive(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 { metrics.Read(s); return s[0].Value.Uint64() }
	runtime.GC()
	base, peak := read(), uint64(0)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	runtime.GC() // a last mark, so that the end of fn is seen too
	peak = max(peak, read())
	close(stop)
	<-done
	return peak - min(peak, base)
}

func benchExport(b *testing.B, n int, export func(w io.Writer, rows []map[string]string) error) {
	rows := benchRows(b, n)
	if _, err := regions.Load(); err != nil { // decoded once, outside the timer
		b.Fatal(err)
	}
	b.ReportAllocs()
	var w countWriter
	for b.Loop() {
		w.n = 0
		if err := export(&w, rows); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(w.n)/1e6, "xlsx-MB")
	var err error
	live := peakLive(func() { err = export(io.Discard, rows) })
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(live)/1e6, "peak-live-MB")
}

func BenchmarkExportTable100k(b *testing.B) {
	d := dataset(b, "msj_roster")
	benchExport(b, 100_000, func(w io.Writer, rows []map[string]string) error {
		return Table(w, d, slices.Values(rows), testMeta, Options{})
	})
}

// BenchmarkExportTable10k is the same at a tenth of the size: peak heap
// should be about the same as for 100k.
func BenchmarkExportTable10k(b *testing.B) {
	d := dataset(b, "msj_roster")
	benchExport(b, 10_000, func(w io.Writer, rows []map[string]string) error {
		return Table(w, d, slices.Values(rows), testMeta, Options{})
	})
}

func BenchmarkExportPayroll100k(b *testing.B) {
	d := dataset(b, "msj_roster")
	benchExport(b, 100_000, func(w io.Writer, rows []map[string]string) error {
		return Payroll(w, d, slices.Values(rows), nil, testMeta, Options{})
	})
}

// BenchmarkBareStreamWriter100k is the baseline: excelize's StreamWriter
// writing the same 100,000 × 9 values as plain strings, no styles, saved
// with File.Write.
func BenchmarkBareStreamWriter100k(b *testing.B) {
	d := dataset(b, "msj_roster")
	codes := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		codes[i] = f.Code
	}
	benchExport(b, 100_000, func(w io.Writer, rows []map[string]string) error {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return err
		}
		vals := make([]any, len(codes))
		for i, r := range rows {
			for j, c := range codes {
				vals[j] = r[c]
			}
			if err := sw.SetRow("A"+strconv.Itoa(i+1), vals); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		return f.Write(w)
	})
}
