package approval

import (
	"fmt"
	"testing"
	"time"

	"caiji/backend/catalog"
	"caiji/backend/fields"
)

// benchBatch is 100,000 roster rows of 12 fields, typed in the varied ways
// clerks type them, so the benchmark pays for the parsing a real batch needs.
func benchBatch(b *testing.B) (Header, catalog.Dataset, []map[string]string) {
	b.Helper()
	d := exampleDataset()
	d.Fields = append(d.Fields[:10:10], catalog.Field{Code: "bank", Label: "开户行", Type: catalog.Text, MaxLength: 50}, d.Fields[10])
	if len(d.Fields) != 12 {
		b.Fatalf("%d fields", len(d.Fields))
	}
	amounts := []string{"1,234.50", "¥800", "350.5", "１２００", "2000.00元"}
	dates := []string{"2026-03-05", "2026/3/5", "2026年3月5日", "20260305"}
	rows := make([]map[string]string, 100_000)
	for i := range rows {
		id17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1940+i%60, 1+i%12, 1+i%28, i%1000)
		acct := fmt.Sprintf("621700%012d", i)
		rows[i] = map[string]string{
			"name":         fmt.Sprintf("姓名%d", i),
			"id_number":    id17 + string(fields.IDCheckChar(id17)),
			"account":      acct + string(fields.LuhnCheckDigit(acct)),
			"amount":       amounts[i%len(amounts)],
			"pay_date":     dates[i%len(dates)],
			"category":     []string{"低保", "tekun"}[i%2],
			"persons":      fmt.Sprint(1 + i%6),
			"village_code": fmt.Sprintf("410102%06d", i%500),
			"phone":        fmt.Sprintf("138%08d", i),
			"bank":         "郑州农商银行金水支行",
			"remark":       []string{"", "代领"}[i%2],
		}
		if i%10 == 0 {
			rows[i]["voucher"] = exampleVoucher
		}
	}
	return exampleHeader(), d, rows
}

// BenchmarkCanonical100k is what approving a large batch costs on the PC:
// the canonical bytes and their signature (software ECDSA key; a USB key
// adds its own signing time, see backend/token's benchmarks).
func BenchmarkCanonical100k(b *testing.B) {
	h, d, rows := benchBatch(b)
	r := theReviewer(b, "ecp256")
	chain := thePKI(b).chain()
	var size int
	for b.Loop() {
		content, err := Canonical(h, d, rows)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Sign(content, r.key, r.cert, chain); err != nil {
			b.Fatal(err)
		}
		size = len(content)
	}
	b.ReportMetric(float64(size)/1e6, "MB/batch")
}

// BenchmarkVerify100k is checking such a batch's signature (sync, platform).
func BenchmarkVerify100k(b *testing.B) {
	h, d, rows := benchBatch(b)
	r := theReviewer(b, "ecp256")
	p := thePKI(b)
	content, err := Canonical(h, d, rows)
	if err != nil {
		b.Fatal(err)
	}
	der, err := Sign(content, r.key, r.cert, p.chain())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Verify(content, der, p.roots, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}
