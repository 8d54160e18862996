package importer

import (
	"context"
	"sort"
	"strings"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
	"caiji/backend/fields"
)

func roster(t testing.TB) (*catalog.Catalog, catalog.Dataset) {
	t.Helper()
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	d, ok := cat.Get("msj_roster")
	if !ok {
		t.Fatal("msj_roster missing")
	}
	return cat, d
}

// where lists "row:column:code" of every error, sorted, for comparison.
func where(res Result, severity string) []string {
	var out []string
	for _, is := range res.Issues {
		if is.Severity == severity {
			out = append(out, itoa(is.Row)+":"+is.Column+":"+is.Code)
		}
	}
	sort.Strings(out)
	return out
}

// TestFixturesFromOtherWriters reads the files in testdata (made by
// ExcelJS, SheetJS and iconv-lite; see testdata/README.md for what each
// holds) and checks rows, totals and every issue against the README.
func TestFixturesFromOtherWriters(t *testing.T) {
	cat, d := roster(t)
	cases := []struct {
		file      string
		header    int
		rows      int
		valid     int
		totalFen  int64
		errors    []string
		skipped   []int
		ignored   []string
		checkCell func(t *testing.T, p *parsed)
	}{
		{file: "exceljs_title_merged.xlsx", header: 3, rows: 8, valid: 8, totalFen: 478680, skipped: []int{12}},
		{file: "exceljs_shuffled.xlsx", header: 1, rows: 6, valid: 6, totalFen: 340125, ignored: []string{"性别"},
			checkCell: func(t *testing.T, p *parsed) {
				if p.rows[0]["name"] != "王芳" || p.rows[1]["name"] != "李娜" {
					t.Errorf("names not trimmed: %q %q", p.rows[0]["name"], p.rows[1]["name"])
				}
			}},
		{file: "exceljs_numeric_id.xlsx", header: 1, rows: 5, valid: 3,
			errors: []string{"3:B:" + CodeNumericCell, "5:C:" + CodeNumericCell}},
		{file: "sheetjs_fullwidth.xlsx", header: 1, rows: 4, valid: 4, totalFen: 255050, skipped: []int{6},
			checkCell: func(t *testing.T, p *parsed) {
				if p.rows[0]["id_number"] != "410102198001010210" || p.rows[2]["village_code"] != "410102001002" ||
					p.rows[3]["id_number"] != "41010219800101035X" || p.rows[1]["amount"] != "1200.50" {
					t.Errorf("full-width not folded: %v", p.rows)
				}
			}},
		{file: "sheetjs_errors.xlsx", header: 1, rows: 6, valid: 1,
			errors: []string{"3:B:id_checksum", "4:A:required", "5:E:money_decimals", "6:F:region12", "7:B:duplicate"}},
		{file: "roster_gbk.csv", header: 1, rows: 3, valid: 3, totalFen: 197050},
		{file: "roster_gb18030.csv", header: 1, rows: 2, valid: 2, totalFen: 77050,
			checkCell: func(t *testing.T, p *parsed) {
				if p.rows[0]["name"] != "刘㛃" || p.rows[1]["name"] != "陈𠮷" {
					t.Errorf("GB18030 names: %q %q", p.rows[0]["name"], p.rows[1]["name"])
				}
			}},
		{file: "roster_utf8_bom.csv", header: 1, rows: 3, valid: 3, totalFen: 213050,
			checkCell: func(t *testing.T, p *parsed) {
				if p.rows[1]["remark"] != "已核实,按月发放" || p.rows[2]["remark"] != "已核实，按月发放" {
					t.Errorf("remarks changed: %q %q", p.rows[1]["remark"], p.rows[2]["remark"])
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := "testdata/" + c.file
			res, err := Run(context.Background(), Request{Path: path, Dataset: d, Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			if res.HeaderRow != c.header || res.Rows != c.rows || res.Valid != c.valid {
				t.Fatalf("header %d rows %d valid %d, want %d %d %d; issues %v", res.HeaderRow, res.Rows, res.Valid,
					c.header, c.rows, c.valid, where(res, "error"))
			}
			if got := where(res, "error"); strings.Join(got, " ") != strings.Join(c.errors, " ") {
				t.Errorf("errors %v, want %v", got, c.errors)
			}
			if len(where(res, "warning")) != 0 {
				t.Errorf("warnings %v", where(res, "warning"))
			}
			if strings.Join(intsText(res.Skipped), ",") != strings.Join(intsText(c.skipped), ",") {
				t.Errorf("skipped %v, want %v", res.Skipped, c.skipped)
			}
			if strings.Join(res.Ignored, ",") != strings.Join(c.ignored, ",") {
				t.Errorf("ignored %v, want %v", res.Ignored, c.ignored)
			}
			p, err := read(context.Background(), path, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.totalFen != 0 {
				var sum int64
				for _, r := range p.rows {
					fen, err := fields.ParseFen(r["amount"])
					if err != nil {
						t.Fatalf("amount %q: %v", r["amount"], err)
					}
					sum += fen
				}
				if sum != c.totalFen {
					t.Errorf("total %d fen, want %d", sum, c.totalFen)
				}
			}
			if c.checkCell != nil {
				c.checkCell(t, p)
			}
			for _, is := range res.Issues {
				if is.Code == "duplicate" && !strings.Contains(is.Message, "与文件第 2 行重复") {
					t.Errorf("duplicate names the wrong row: %s", is.Message)
				}
			}
		})
	}
}

func intsText(ns []int) []string {
	var out []string
	for _, n := range ns {
		out = append(out, itoa(n))
	}
	return out
}

// TestRefusedFiles: files that are not a readable table of the dataset
// are refused as a whole, with the reason, quickly and without a panic.
func TestRefusedFiles(t *testing.T) {
	cat, d := roster(t)
	cases := map[string]apperr.Code{
		"sheetjs_legacy.xls":     apperr.ImportLegacyXLS,
		"corrupt.xlsx":           apperr.ImportCorrupt,
		"not_a_spreadsheet.xlsx": apperr.ImportNotSpreadsheet,
		"zipbomb.xlsx":           apperr.ImportTooLarge,
		"encrypted.xlsx":         apperr.ImportEncrypted,
	}
	for file, code := range cases {
		t.Run(file, func(t *testing.T) {
			_, err := Run(context.Background(), Request{Path: "testdata/" + file, Dataset: d, Catalog: cat})
			if !apperr.Is(err, code) {
				t.Fatalf("err = %v, want %s", err, code)
			}
			if msg := apperr.From(err).Message; !strings.ContainsAny(msg, "请") {
				t.Errorf("message does not say what to do: %s", msg)
			}
		})
	}
	// A roster file offered as another dataset has no header for it.
	proj, _ := cat.Get("msj_publicity")
	if _, err := Run(context.Background(), Request{Path: "testdata/roster_gbk.csv", Dataset: proj, Catalog: cat}); !apperr.Is(err, apperr.ImportNoHeader) {
		t.Fatalf("wrong dataset: %v", err)
	}
}
