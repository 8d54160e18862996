package fields

import (
	"strconv"
	"testing"
)

// A roster has up to ~100,000 rows; each is checked on every edit and
// import, so per-row cost must stay in the sub-microsecond range.

var benchIDs = []string{
	"11010519491231002X", "11010519491231002x", "440524188001010014", "130503670401001",
	"１１０１０５１９４９１２３１００２Ｘ", "110105194912310021", " 110105 19491231 002X ",
}

var benchAmounts = []string{"1234.5", "1,234.50", "１２３４．５０", "￥1234.50", "1234元", "0.01", "1.234"}

func BenchmarkCheckID(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		CheckID(benchIDs[i%len(benchIDs)])
		i++
	}
}

func BenchmarkParseFen(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ParseFen(benchAmounts[i%len(benchAmounts)])
		i++
	}
}

func BenchmarkCheckAccount(b *testing.B) {
	accounts := []string{"6222021234567890128", "6222 0212 3456 7890 128", "101234567890123", "6222021234567890120"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		CheckAccount(accounts[i%len(accounts)])
		i++
	}
}

// BenchmarkRoster100k checks ID, account and amount of 100,000 distinct
// valid ASCII rows: one op is one whole roster.
func BenchmarkRoster100k(b *testing.B) {
	type row struct{ id, account, amount string }
	rows := make([]row, 100_000)
	for i := range rows {
		first17 := "1101051980010" + strconv.Itoa(1000+i%9000)
		first17 = first17[:17]
		rows[i] = row{first17 + string(idCheckChar(first17)), "6222021234567890128", strconv.Itoa(i) + ".50"}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			if _, is := CheckID(r.id); HasError(is) {
				b.Fatal(r.id, codes(is))
			}
			CheckAccount(r.account)
			ParseFen(r.amount)
		}
	}
}
