package approval

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/catalog"
)

func canonical(t testing.TB, h Header, d catalog.Dataset, rows []map[string]string) string {
	t.Helper()
	b, err := Canonical(h, d, rows)
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	return string(b)
}

// The golden bytes: if this fails, the format drifted, and every signature
// already made would stop verifying. Make a new Format tag instead.
func TestCanonicalGolden(t *testing.T) {
	got := canonical(t, exampleHeader(), exampleDataset(), exampleRows())
	if got != exampleCanonical {
		t.Fatalf("Canonical =\n%s\nwant\n%s", got, exampleCanonical)
	}
}

// docs/signed-approval.md shows the example's bytes and digest; integrators
// test their own code against them, so they must be exactly ours.
func TestCanonicalAsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/signed-approval.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- golden:canonical -->\\s*```json\\n(.*?)\\n```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/signed-approval.md: no ```json block after <!-- golden:canonical -->")
	}
	if string(m[1]) != exampleCanonical {
		t.Errorf("document shows\n%s\nCanonical gives\n%s", m[1], exampleCanonical)
	}
	digest := DigestHex([]byte(exampleCanonical))
	if !bytes.Contains(doc, []byte("SHA-256 `"+digest+"`")) {
		t.Errorf("docs/signed-approval.md does not give the example's digest SHA-256 `%s`", digest)
	}
	for _, c := range exampleDataset().Fields {
		if !bytes.Contains(doc, []byte("| `"+c.Code+"` |")) {
			t.Errorf("docs/signed-approval.md: the example's field table lacks %s", c.Code)
		}
	}
}

// The same batch gives the same bytes however its cells were typed and in
// whatever order the maps were built.
func TestCanonicalIgnoresMapOrderAndTyping(t *testing.T) {
	d := exampleDataset()
	want := canonical(t, exampleHeader(), d, exampleRows())
	retyped := []map[string]string{
		{"remark": "  ", "voucher": " ; " + exampleVoucher + " ;" + exampleVoucher, "phone": "13803712345",
			"village_code": " 410102001002", "persons": "003", "category": "dibao", "pay_date": "20260305",
			"amount": "１，２３４．５０元", "account": "6217002430012345675", "id_number": "41010219800101123X", "name": "张三\u3000"},
		{"remark": "代领：\n王五", "village_code": "410102001003", "persons": "1", "category": " 特困 ",
			"pay_date": "2026-03-05", "amount": "￥800.00", "account": "6217-0024-3001", "id_number": "11010519491231002x",
			"name": `李四"小李"`, "phone": "", "voucher": ""},
	}
	if got := canonical(t, exampleHeader(), d, retyped); got != want {
		t.Fatalf("retyped batch gives\n%s\nwant\n%s", got, want)
	}
	h := exampleHeader()
	h.OrgUnit, h.Rectification = " mzj-410102 ", "郑纪整改〔2026〕3号 "
	if got := canonical(t, h, d, exampleRows()); got != want {
		t.Fatalf("header with stray spaces gives\n%s\nwant\n%s", got, want)
	}
	// Rebuild the maps with keys inserted in random orders, many times.
	for i := range 50 {
		var rows []map[string]string
		for _, r := range exampleRows() {
			keys := make([]string, 0, len(r))
			for k := range r {
				keys = append(keys, k)
			}
			rand.Shuffle(len(keys), func(a, b int) { keys[a], keys[b] = keys[b], keys[a] })
			m := make(map[string]string, len(keys))
			for _, k := range keys {
				m[k] = r[k]
			}
			rows = append(rows, m)
		}
		if got := canonical(t, exampleHeader(), d, rows); got != want {
			t.Fatalf("round %d: different bytes for the same batch", i)
		}
	}
}

// Fields come in catalog order and every row follows it; row order is kept.
func TestCanonicalFieldAndRowOrder(t *testing.T) {
	d := exampleDataset()
	d.Fields[0], d.Fields[3] = d.Fields[3], d.Fields[0] // amount first, name fourth
	rows := exampleRows()
	rows[0], rows[1] = rows[1], rows[0]
	var doc struct {
		Fields []string
		Rows   [][]any
	}
	if err := json.Unmarshal([]byte(canonical(t, exampleHeader(), d, rows)), &doc); err != nil {
		t.Fatal(err)
	}
	if strings.Join(doc.Fields[:4], ",") != "amount,id_number,account,name" {
		t.Errorf("fields = %v, want the dataset's order", doc.Fields)
	}
	if doc.Rows[0][0] != 80000.0 || doc.Rows[0][3] != `李四"小李"` || doc.Rows[1][0] != 123450.0 || doc.Rows[1][3] != "张三" {
		t.Errorf("rows = %v, want the rows in the given order, values in field order", doc.Rows)
	}
}

// cell canonicalises one value of a one-field dataset.
func cell(t *testing.T, f catalog.Field, v string) (string, error) {
	t.Helper()
	d := catalog.Dataset{Code: "x", Name: "测试", Version: 1, Fields: []catalog.Field{f}}
	h := Header{Dataset: "x", DatasetVersion: 1, OrgUnit: "ou", Period: "2026", Version: 1}
	b, err := Canonical(h, d, []map[string]string{{f.Code: v}})
	if err != nil {
		return "", err
	}
	const head = `{"fields":["f"],"format":"caiji-batch-v1","header":{"dataset":"x","datasetVersion":1,"orgUnit":"ou","period":"2026","rectification":"","replaces":0,"version":1},"rows":[[`
	s := string(b)
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, "]]}") {
		t.Fatalf("unexpected frame: %s", s)
	}
	return s[len(head) : len(s)-3], nil
}

func fieldOf(typ catalog.Type) catalog.Field {
	f := catalog.Field{Code: "f", Label: "字段", Type: typ, MaxLength: 50}
	if typ == catalog.Enum {
		f.Values = []catalog.EnumValue{{Code: "dibao", Label: "低保"}, {Code: "tekun", Label: "特困"}}
	}
	return f
}

// Money is integer fen whatever form the clerk typed.
func TestCanonicalMoneyAsFen(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1,234.5", "123450"},
		{"¥1234.50", "123450"},
		{"￥ 1,234.50 元", "123450"},
		{"１２３４．５", "123450"},
		{"RMB1234.5", "123450"},
		{"1234.500", "123450"},
		{" 1234.5\t", "123450"},
		{"0", "0"},
		{"0.01", "1"},
		{".5", "50"},
		{"90071992547409.91", "9007199254740991"}, // 2^53-1 fen, the largest exact
	} {
		got, err := cell(t, fieldOf(catalog.Money), c.in)
		if err != nil || got != c.want {
			t.Errorf("money %q → %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestCanonicalTypes(t *testing.T) {
	for _, c := range []struct {
		typ      catalog.Type
		in, want string
	}{
		{catalog.Integer, "007", "7"},
		{catalog.Integer, "9007199254740991", "9007199254740991"},
		{catalog.Date, "2026-3-5", `"2026-03-05"`},
		{catalog.Date, "2026.03.05", `"2026-03-05"`},
		{catalog.Date, "２０２６年３月５日", `"2026-03-05"`},
		{catalog.Enum, "低保", `"dibao"`},
		{catalog.Enum, "tekun", `"tekun"`},
		{catalog.IDCard, "１１０１０５１９４９１２３１００２ｘ", `"11010519491231002X"`},
		{catalog.Account, "6217-0024-3001", `"621700243001"`},
		{catalog.Phone, "（0371）6789 1234", `"0371-67891234"`},
		{catalog.Region6, "410102", `"410102"`},
		{catalog.Region12, "010102001002", `"010102001002"`}, // a code, so leading zeros stay
		{catalog.Attachment, exampleVoucher + ";" + strings.ToUpper(exampleVoucher), `["` + exampleVoucher + `"]`},
		{catalog.Attachment, " ; ", "null"},
		{catalog.Text, "  a  b  ", `"a  b"`},
		{catalog.Text, "１２３", `"１２３"`}, // text is as typed: no width folding
	} {
		got, err := cell(t, fieldOf(c.typ), c.in)
		if err != nil || got != c.want {
			t.Errorf("%s %q → %s, %v; want %s", c.typ, c.in, got, err, c.want)
		}
	}
}

// An empty or blank cell is null whatever the type, and so is a missing one.
func TestCanonicalEmptyIsNull(t *testing.T) {
	for _, typ := range []catalog.Type{catalog.Text, catalog.Integer, catalog.Money, catalog.Date, catalog.Enum,
		catalog.IDCard, catalog.Account, catalog.Region6, catalog.Region12, catalog.Phone, catalog.Attachment} {
		for _, in := range []string{"", "   ", "\u3000", "\t\n"} {
			if got, err := cell(t, fieldOf(typ), in); err != nil || got != "null" {
				t.Errorf("%s %q → %s, %v; want null", typ, in, got, err)
			}
		}
	}
	d := exampleDataset()
	got := canonical(t, exampleHeader(), d, []map[string]string{{}})
	if !strings.HasSuffix(got, `"rows":[[null,null,null,null,null,null,null,null,null,null,null]]}`) {
		t.Errorf("row without cells: %s", got)
	}
	if got := canonical(t, exampleHeader(), d, nil); !strings.HasSuffix(got, `"rows":[]}`) {
		t.Errorf("batch without rows: %s", got)
	}
}

// A value that does not read as its type is refused, naming the row and
// field but never the value (it may be a 身份证号).
func TestCanonicalRefusesBadValues(t *testing.T) {
	for _, c := range []struct {
		typ catalog.Type
		in  string
	}{
		{catalog.Money, "12.345"},
		{catalog.Money, "-5"},
		{catalog.Money, "3.4E+7"},
		{catalog.Money, "12,34"},
		{catalog.Money, "abc"},
		{catalog.Money, "90071992547409.92"}, // 2^53 fen: a double-based reader would round
		{catalog.Integer, "3.5"},
		{catalog.Integer, "-3"},
		{catalog.Integer, "+3"},
		{catalog.Integer, "9007199254740992"},
		{catalog.Date, "2026-02-30"},
		{catalog.Date, "3/5/2026"},
		{catalog.Enum, "其他"},
		{catalog.IDCard, "110105194912310021"},
		{catalog.Account, "6217abc00243001"},
		{catalog.Phone, "12345"},
		{catalog.Region6, "41010"},
		{catalog.Region12, "41010200100A"},
		{catalog.Attachment, "scan.pdf"},
		{catalog.Text, "bad \xff byte"},
		{catalog.Type("signature"), "x"},
	} {
		f := fieldOf(c.typ)
		f.Label = "某字段"
		d := catalog.Dataset{Code: "x", Name: "测试", Version: 1, Fields: []catalog.Field{f}}
		h := Header{Dataset: "x", DatasetVersion: 1, OrgUnit: "ou", Period: "2026", Version: 1}
		_, err := Canonical(h, d, []map[string]string{{}, {"f": c.in}})
		if err == nil {
			t.Errorf("%s %q: accepted", c.typ, c.in)
			continue
		}
		wantCode(t, err, apperr.BadInput)
		msg := apperr.From(err).Message
		if !strings.Contains(msg, "第 2 行「某字段」") {
			t.Errorf("%s %q: message %q does not name row 2 and the field", c.typ, c.in, msg)
		}
		if strings.Contains(msg, c.in) {
			t.Errorf("%s %q: message %q repeats the value", c.typ, c.in, msg)
		}
	}
}

func TestCanonicalRefusesUnknownField(t *testing.T) {
	rows := exampleRows()
	rows[1]["bank"] = "" // even empty: Validate reports it, and a signature must cover every stored cell
	_, err := Canonical(exampleHeader(), exampleDataset(), rows)
	wantCode(t, err, apperr.BadInput)
	if msg := apperr.From(err).Message; !strings.Contains(msg, "第 2 行") || !strings.Contains(msg, "「bank」") {
		t.Errorf("message %q should name row 2 and the field bank", msg)
	}
}

func TestCanonicalHeader(t *testing.T) {
	d := exampleDataset()
	for name, edit := range map[string]func(*Header){
		"other dataset":              func(h *Header) { h.Dataset = "msj_roster" },
		"older catalog":              func(h *Header) { h.DatasetVersion = 1 },
		"no org unit":                func(h *Header) { h.OrgUnit = "  " },
		"bad period":                 func(h *Header) { h.Period = "2026-3" },
		"no period":                  func(h *Header) { h.Period = "" },
		"version 0":                  func(h *Header) { h.Version = 0 },
		"replaces itself":            func(h *Header) { h.Replaces = 2 },
		"replaces negative":          func(h *Header) { h.Replaces = -1 },
		"invalid UTF-8 in ID":        func(h *Header) { h.Rectification = "\xff" },
		"changes of a first version": func(h *Header) { h.Replaces = 0 },
		"change pointing nowhere":    func(h *Header) { h.Changes = []Change{{Row: -1, Base: -1}} },
		"change below -1":            func(h *Header) { h.Changes = []Change{{Row: -2, Base: 0}} },
		"reason not UTF-8":           func(h *Header) { h.Changes = []Change{{Row: 0, Base: 0, Reason: "\xff"}} },
	} {
		h := exampleHeader()
		edit(&h)
		_, err := Canonical(h, d, exampleRows())
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantCode(t, err, apperr.BadInput)
	}
	h := exampleHeader()
	h.Period = "2026-Q1"
	if got := canonical(t, h, d, nil); !strings.Contains(got, `"period":"2026Q1"`) {
		t.Errorf("period 2026-Q1 written as %s, want 2026Q1 (period.Period.String)", got)
	}
	h = exampleHeader()
	h.Version, h.Replaces, h.Rectification, h.Changes = 1, 0, "", nil
	if got := canonical(t, h, d, nil); !strings.Contains(got, `"header":{"dataset"`) ||
		!strings.Contains(got, `"rectification":"","replaces":0,"version":1}`) {
		t.Errorf("first version: %s", got)
	}
	// A correction always says what it changes, even when that is nothing
	// yet, and the order the changes come in does not matter.
	h = exampleHeader()
	h.Changes = nil
	if got := canonical(t, h, d, nil); !strings.Contains(got, `"header":{"changes":[],"dataset"`) {
		t.Errorf("correction without changes: %s", got)
	}
	h = exampleHeader()
	h.Changes[0], h.Changes[2] = h.Changes[2], h.Changes[0]
	if got := canonical(t, h, d, exampleRows()); got != exampleCanonical {
		t.Errorf("changes in another order: %s", got)
	}
}

// The bytes are RFC 8785 (JCS): parsing them and writing them back with
// sorted keys, no whitespace and no HTML escaping gives the same bytes.
// Go's encoder agrees with JCS except for U+2028/U+2029, checked apart.
func TestCanonicalIsJCS(t *testing.T) {
	d := exampleDataset()
	rows := exampleRows()
	rows = append(rows, map[string]string{
		"name": "\"\\/<>&'", "remark": "ctl\x01\x08\x09\x0a\x0c\x0d\x1f\x7f end 🙂 中文",
		"amount": "0", "persons": "0",
	})
	got := canonical(t, exampleHeader(), d, rows)
	var v any
	dec := json.NewDecoder(strings.NewReader(got))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if again := strings.TrimSuffix(buf.String(), "\n"); again != got {
		t.Fatalf("not canonical:\n%s\nre-encoded\n%s", got, again)
	}
	if !strings.Contains(got, `"ctl\u0001\b\t\n\f\r\u001f`+"\x7f"+` end 🙂 中文"`) || !strings.Contains(got, `"\"\\/<>&'"`) {
		t.Errorf("escapes differ from RFC 8785: %s", got)
	}
	if s, err := cell(t, fieldOf(catalog.Text), "a\u2028b"); err != nil || s != "\"a\u2028b\"" {
		t.Errorf("U+2028 written as %s, %v; RFC 8785 writes it unescaped", s, err)
	}
}

func TestDigest(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 appendix B.1.
	if got := DigestHex([]byte("abc")); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("DigestHex(abc) = %s", got)
	}
	d := Digest([]byte("abc"))
	if d[0] != 0xba || d[31] != 0xad {
		t.Errorf("Digest(abc) = %x", d)
	}
}
