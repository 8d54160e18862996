package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/fields"
)

var testMeta = Meta{
	OrgUnit:     "演示县民政局",
	Period:      "2026-11",
	PeriodLabel: "2026年11月",
	Preparer:    "李会计",
	GeneratedAt: time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC),
}

func dataset(t testing.TB, code string) catalog.Dataset {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := cat.Get(code)
	if !ok {
		t.Fatalf("no dataset %s", code)
	}
	return d
}

// idNumber is a valid 身份证号 for person i (Zhengzhou, born 1950-1977).
func idNumber(i int) string {
	first17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1950+i/336000, 1+i/28000%12, 1+i/1000%28, i%1000)
	return first17 + string(fields.IDCheckChar(first17))
}

// account is a 19-digit account for person i.
func account(i int) string { return fmt.Sprintf("6222020%012d", i) }

// rosterRow is a roster row of person i.
func rosterRow(i int, amount string) map[string]string {
	return map[string]string{
		"name": "张" + strconv.Itoa(i), "id_number": idNumber(i), "account": account(i),
		"bank": "演示县农村信用社", "amount": amount, "village_code": "410102001002",
		"project_code": "MS2026001", "phone": "13812345678", "remark": "",
	}
}

func seq[T any](rows ...T) iter.Seq[T] { return slices.Values(rows) }

// open reads an export back with excelize.
func open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("export does not open: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func cell(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// raw is a cell's stored value, unformatted: "0.3", not "0.30".
func raw(t testing.TB, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fenAt reads a money cell back as fen and checks it is a number.
func fenAt(t testing.TB, f *excelize.File, sheet, ref string) int64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("%s!%s: type %v, want a number", sheet, ref, typ)
	}
	v := raw(t, f, sheet, ref)
	fen, issues := fields.ParseFen(v)
	if len(issues) > 0 {
		t.Fatalf("%s!%s = %q: not an amount", sheet, ref, v)
	}
	return fen
}

func wantCell(t testing.TB, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	if got := cell(t, f, sheet, ref); got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, ref, got, want)
	}
}

// rowsOf returns every row of a sheet as text.
func rowsOf(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// part returns a file inside the xlsx zip.
func part(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s in the workbook", name)
	return nil
}

// quotePrefixed reads the saved style sheet and reports which cell formats
// have quotePrefix set.
func quotePrefixed(t testing.TB, data []byte) []bool {
	t.Helper()
	var ss struct {
		CellXfs struct {
			Xf []struct {
				QuotePrefix string `xml:"quotePrefix,attr"`
			} `xml:"xf"`
		} `xml:"cellXfs"`
	}
	if err := xml.Unmarshal(part(t, data, "xl/styles.xml"), &ss); err != nil {
		t.Fatal(err)
	}
	out := make([]bool, len(ss.CellXfs.Xf))
	for i, xf := range ss.CellXfs.Xf {
		out[i] = xf.QuotePrefix == "1" || xf.QuotePrefix == "true"
	}
	return out
}

// rowBreaks returns the manual page breaks of the n-th sheet: a break id
// r means a new page starts at row r+1.
func rowBreaks(t testing.TB, data []byte, n int) []int {
	t.Helper()
	var ws struct {
		RowBreaks struct {
			Brk []struct {
				ID  int  `xml:"id,attr"`
				Man bool `xml:"man,attr"`
			} `xml:"brk"`
		} `xml:"rowBreaks"`
	}
	if err := xml.Unmarshal(part(t, data, fmt.Sprintf("xl/worksheets/sheet%d.xml", n)), &ws); err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, b := range ws.RowBreaks.Brk {
		if !b.Man {
			t.Errorf("break at %d is not manual", b.ID)
		}
		ids = append(ids, b.ID)
	}
	return ids
}

// printTitles returns the _xlnm.Print_Titles of a sheet.
func printTitles(f *excelize.File, sheet string) string {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			return dn.RefersTo
		}
	}
	return ""
}

func wantBadInput(t testing.TB, err error, contains ...string) {
	t.Helper()
	if !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("err = %v, want bad_input", err)
	}
	msg := apperr.From(err).Message
	for _, c := range contains {
		if !strings.Contains(msg, c) {
			t.Errorf("message %q does not mention %q", msg, c)
		}
	}
}

// export runs fn into a buffer.
func export(t testing.TB, fn func(io.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowOf finds the first row (1-based) whose column A is text.
func rowOf(rows [][]string, text string) int {
	for i, r := range rows {
		if len(r) > 0 && r[0] == text {
			return i + 1
		}
	}
	return 0
}
