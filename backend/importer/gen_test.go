package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"caiji/backend/fields"
	"caiji/backend/regions"
)

func villages(t testing.TB) []regions.Entry {
	t.Helper()
	l, err := regions.Load()
	if err != nil {
		t.Fatal(err)
	}
	return l.Villages("410102")
}

// idNumber is a valid ID of county 410102 with sequence n.
func idNumber(n int) string {
	body := "410102" + strconv.Itoa(1950+n/1000%60) + pad(1+n/60000%12, 2) + "01" + pad(n%1000, 3)
	return body + string(fields.IDCheckChar(body))
}

func pad(n, w int) string {
	s := strconv.Itoa(n)
	for len(s) < w {
		s = "0" + s
	}
	return s
}

// rosterHeader is 12 columns: 序号, the nine roster fields, and two
// columns real rosters carry that are not fields (ignored).
var rosterHeader = []any{"序号", "姓名", "身份证号码", "一卡通/银行账号", "开户行", "补助金额（元）", "所在村", "项目编码", "联系电话", "备注", "性别", "民族"}

// writeRoster writes an n-row roster with excelize's StreamWriter;
// mutate may change row i's values before they are written.
func writeRoster(t testing.TB, dir string, n int, mutate func(i int, row []any)) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", rosterHeader); err != nil {
		t.Fatal(err)
	}
	vs := []string{"410102001002", "410102002001"}
	row := make([]any, len(rosterHeader))
	for i := 0; i < n; i++ {
		row[0] = i + 1
		row[1] = "张" + strconv.Itoa(i)
		row[2] = idNumber(i)
		row[3] = luhn("62170024" + pad(i, 10))
		row[4] = "演示县农村信用社城关分社"
		row[5] = float64(300+i%500) + 0.5
		row[6] = vs[i%2]
		row[7] = "MSJ-2026-001"
		row[8] = "138" + pad(i, 8)
		row[9] = ""
		row[10] = "女"
		row[11] = "汉族"
		if mutate != nil {
			mutate(i, row)
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "roster-"+strconv.Itoa(n)+".xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// luhn appends the Luhn check digit, as bank card numbers carry.
func luhn(body string) string { return body + string(fields.LuhnCheckDigit(body)) }

// writeRosterCSV writes the same rows as writeRoster as UTF-8 CSV: far
// cheaper to read, for tests that need many rows but not a workbook.
func writeRosterCSV(t testing.TB, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	for i, h := range rosterHeader {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(h.(string))
	}
	b.WriteString("\r\n")
	vs := []string{"410102001002", "410102002001"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,张%d,%s,%s,演示县农村信用社城关分社,%d.50,%s,MSJ-2026-001,138%s,,女,汉族\r\n",
			i+1, i, idNumber(i), luhn("62170024"+pad(i, 10)), 300+i%500, vs[i%2], pad(i, 8))
	}
	path := filepath.Join(dir, "roster-"+strconv.Itoa(n)+".csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
