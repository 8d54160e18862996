package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/period"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestLoadEmbedded(t *testing.T) {
	c := mustLoad(t)
	want := []string{
		"msj_project", "msj_indicator_source", "msj_indicator_allocation", "msj_disbursement",
		"msj_roster", "msj_publicity", "msj_expenditure", "cwgk_income", "cwgk_expense",
		"fp_household", "fp_policy", "cmp_fiscal_staff",
	}
	ds := c.Datasets()
	if len(ds) != len(want) {
		t.Fatalf("got %d datasets, want %d", len(ds), len(want))
	}
	for i, d := range ds {
		if d.Code != want[i] {
			t.Errorf("dataset %d = %q, want %q (order must be stable)", i, d.Code, want[i])
		}
		if g, ok := c.Get(d.Code); !ok || g.Name != d.Name {
			t.Errorf("Get(%q) = %v, %v", d.Code, g.Name, ok)
		}
	}
	if _, ok := c.Get("nope"); ok {
		t.Error("Get of an unknown code succeeded")
	}
	// Datasets returns a copy: changing it must not change the catalog.
	ds[0].Code = "changed"
	if c.Datasets()[0].Code != want[0] {
		t.Error("Datasets exposes the catalog's own slice")
	}
}

func hasHanT(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestCatalogInvariants restates the load-time checks as explicit test
// assertions, so a weakened checker cannot let a broken definition through.
func TestCatalogInvariants(t *testing.T) {
	c := mustLoad(t)
	codes := map[string]bool{}
	for _, d := range c.Datasets() {
		if codes[d.Code] {
			t.Errorf("duplicate dataset code %q", d.Code)
		}
		codes[d.Code] = true
		if !hasHanT(d.Name) {
			t.Errorf("%s: name %q is not Chinese", d.Code, d.Name)
		}
		if n := len(d.Fields); n < 3 || n > 12 {
			t.Errorf("%s: %d fields, want 3–12", d.Code, n)
		}
		wantKind := map[Domain]period.Kind{Livelihood: period.Monthly, VillageFinance: period.Quarterly, Poverty: period.Quarterly}[d.Domain]
		if wantKind == "" {
			t.Errorf("%s: unknown domain %q", d.Code, d.Domain)
		} else if d.Period != wantKind && !d.Comparison {
			t.Errorf("%s: period %q, want %q", d.Code, d.Period, wantKind)
		}
		fieldCodes := map[string]bool{}
		for _, f := range d.Fields {
			if fieldCodes[f.Code] {
				t.Errorf("%s: duplicate field code %q", d.Code, f.Code)
			}
			fieldCodes[f.Code] = true
			if !hasHanT(f.Label) || !hasHanT(f.Help) {
				t.Errorf("%s.%s: label or help not Chinese", d.Code, f.Code)
			}
			if f.Type == Enum && len(f.Values) == 0 {
				t.Errorf("%s.%s: enum without values", d.Code, f.Code)
			}
		}
		if len(d.Key) == 0 {
			t.Errorf("%s: no key fields", d.Code)
		}
		for _, k := range d.Key {
			if !fieldCodes[k] {
				t.Errorf("%s: key field %q does not exist", d.Code, k)
			}
		}
		if p := d.Parent; p != nil {
			if !fieldCodes[p.Field] {
				t.Errorf("%s: parent field %q does not exist", d.Code, p.Field)
			}
			pd, ok := c.Get(p.Dataset)
			if !ok {
				t.Errorf("%s: parent dataset %q does not exist", d.Code, p.Dataset)
			} else if _, ok := pd.Field(p.Field); !ok {
				t.Errorf("%s: parent %q has no field %q", d.Code, p.Dataset, p.Field)
			}
		}
	}
	for _, want := range []string{"cwgk_expense", "cwgk_income"} {
		d, _ := c.Get(want)
		if f, ok := d.Field("voucher"); !ok || f.Type != Attachment || f.Label != "票据凭证" {
			t.Errorf("%s: no 票据凭证 attachment field", want)
		}
	}
}

func TestRosterShape(t *testing.T) {
	d, ok := mustLoad(t).Get("msj_roster")
	if !ok {
		t.Fatal("no msj_roster")
	}
	if d.Name != "个人补助资金发放表" || d.Domain != Livelihood || d.Period != period.Monthly {
		t.Errorf("roster header = %q %q %q", d.Name, d.Domain, d.Period)
	}
	types := map[Type]string{}
	for _, f := range d.Fields {
		types[f.Type] = f.Code
	}
	for _, ty := range []Type{IDCard, Account, Money, Region12} {
		if types[ty] == "" {
			t.Errorf("roster has no %s field", ty)
		}
	}
	if d.Parent == nil || d.Parent.Dataset != "msj_project" || d.Parent.Field != "project_code" {
		t.Errorf("roster parent = %+v", d.Parent)
	}
	id, _ := d.Field("id_number")
	for _, a := range []string{"身份证号码", "公民身份号码"} {
		if !strings.Contains(strings.Join(id.Aliases, ","), a) {
			t.Errorf("id_number aliases lack %s", a)
		}
	}
	if f, _ := d.Field("phone"); f.Required {
		t.Error("联系电话 must be optional")
	}
}

const goodFile = `{"code":"a","name":"甲表","domain":"poverty","period":"quarterly","version":1,"key":["x"],
 "fields":[{"code":"x","label":"编号","type":"text","required":true,"maxLength":5,"help":"编号"}]}`

// TestLoadRejectsBroken feeds the loader broken definitions; each must
// fail with an Internal apperr naming the problem.
func TestLoadRejectsBroken(t *testing.T) {
	if _, err := loadFS(fstest.MapFS{"d/1_a.json": {Data: []byte(goodFile)}}, "d"); err != nil {
		t.Fatalf("good file rejected: %v", err)
	}
	cases := []struct{ name, from, to, want string }{
		{"bad json", `"version":1,`, `"version":1`, "invalid character"},
		{"unknown key", `"version":1,`, `"version":1,"colour":"red",`, "unknown field"},
		{"code vs file", `"code":"a"`, `"code":"b"`, "file name"},
		{"english name", `甲表`, `A table`, "no Chinese"},
		{"bad domain", `"poverty"`, `"health"`, "unknown domain"},
		{"wrong period", `"quarterly"`, `"monthly"`, "第十八条"},
		{"bad period", `"quarterly"`, `"weekly"`, "period kind"},
		{"version 0", `"version":1`, `"version":0`, "version"},
		{"no key", `"key":["x"]`, `"key":[]`, "no key"},
		{"missing key field", `"key":["x"]`, `"key":["y"]`, "does not exist"},
		{"bad type", `"type":"text"`, `"type":"string"`, "unknown type"},
		{"text no max", `"maxLength":5,`, ``, "maxLength"},
		{"enum no values", `"type":"text","required":true,"maxLength":5`, `"type":"enum","required":true`, "no values"},
		{"no help", `"help":"编号"`, `"help":""`, "help"},
		{"dup field", `"help":"编号"}]`, `"help":"编号"},{"code":"x","label":"编号二","type":"date","required":false,"help":"日期"}]`, "duplicate field"},
		{"dup header", `"help":"编号"}]`, `"help":"编号"},{"code":"y","label":"编号","type":"date","required":false,"help":"日期"}]`, "header"},
		{"parent missing", `"key":["x"],`, `"key":["x"],"parent":{"dataset":"zzz","field":"x"},`, "parent dataset"},
		{"key optional", `"required":true`, `"required":false`, "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodFile, tc.from, tc.to, 1)
			if src == goodFile {
				t.Fatalf("replacement %q did not apply", tc.from)
			}
			_, err := loadFS(fstest.MapFS{"d/1_a.json": {Data: []byte(src)}}, "d")
			if err == nil {
				t.Fatal("broken definition loaded")
			}
			if !apperr.Is(err, apperr.Internal) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want Internal mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := loadFS(fstest.MapFS{}, "d"); err == nil {
		t.Error("empty catalog loaded")
	}
	child := strings.NewReplacer(`"code":"a"`, `"code":"b"`, `"key":["x"],`, `"key":["y"],"parent":{"dataset":"a","field":"x"},`,
		`"help":"编号"}]`, `"help":"编号"},{"code":"y","label":"序号","type":"text","required":true,"maxLength":5,"help":"序号"}]`).Replace(goodFile)
	fam := fstest.MapFS{"d/1_a.json": {Data: []byte(goodFile)}, "d/2_b.json": {Data: []byte(child)}}
	if _, err := loadFS(fam, "d"); err != nil {
		t.Errorf("parent referencing a key field rejected: %v", err)
	}
	fam["d/2_b.json"] = &fstest.MapFile{Data: []byte(strings.Replace(child, `"field":"x"`, `"field":"y"`, 1))}
	if _, err := loadFS(fam, "d"); err == nil || !strings.Contains(err.Error(), "has no field") {
		t.Errorf("parent field missing in parent: err = %v", err)
	}
	two := fstest.MapFS{"d/1_a.json": {Data: []byte(goodFile)}, "d/2_a.json": {Data: []byte(goodFile)}}
	if _, err := loadFS(two, "d"); err == nil || !strings.Contains(err.Error(), "duplicate dataset") {
		t.Errorf("duplicate dataset: err = %v", err)
	}
}
