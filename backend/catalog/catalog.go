// Package catalog holds Caiji's dataset definitions: which tables clerks
// fill in (民生资金, 村级财务, 精准扶贫 and the 基础比对数据 lists), their
// fields, and the row checks every face shares (grid, importer, CLI,
// submission). Definitions are JSON files embedded in the binary, one per
// dataset, and are checked when loaded: a broken file fails the tests, it
// never reaches a clerk.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/period"
)

//go:embed datasets/*.json
var embedded embed.FS

// Domain is the business area a dataset belongs to. Values are stored and
// sent to the frontend; never rename one.
type Domain string

const (
	Livelihood     Domain = "livelihood"      // 民生资金
	VillageFinance Domain = "village_finance" // 村级财务
	Poverty        Domain = "poverty"         // 精准扶贫
)

// Label is the Chinese name of the domain.
func (d Domain) Label() string {
	switch d {
	case Livelihood:
		return "民生资金"
	case VillageFinance:
		return "村级财务"
	case Poverty:
		return "精准扶贫"
	}
	return string(d)
}

// statutoryKind is the reporting period of the domain (seed 000 第十八条):
// livelihood funds monthly, village finance and poverty alleviation quarterly.
func (d Domain) statutoryKind() (period.Kind, bool) {
	switch d {
	case Livelihood:
		return period.Monthly, true
	case VillageFinance, Poverty:
		return period.Quarterly, true
	}
	return "", false
}

// Type is a field's value type. Values are stored; never rename one.
type Type string

const (
	Text       Type = "text"
	Integer    Type = "integer" // non-negative whole number
	Money      Type = "money"   // yuan as typed, stored as int64 fen
	Date       Type = "date"
	Enum       Type = "enum"
	IDCard     Type = "idcard"
	Account    Type = "account"
	Region6    Type = "region6"  // GB/T 2260 county-level code
	Region12   Type = "region12" // statistics bureau village code
	Phone      Type = "phone"
	Attachment Type = "attachment" // reference to an attached file (票据凭证)
)

var knownTypes = map[Type]bool{
	Text: true, Integer: true, Money: true, Date: true, Enum: true, IDCard: true,
	Account: true, Region6: true, Region12: true, Phone: true, Attachment: true,
}

// EnumValue is one allowed value of an enum field.
type EnumValue struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Field is one column of a dataset.
type Field struct {
	Code      string      `json:"code"`
	Label     string      `json:"label"`
	Type      Type        `json:"type"`
	Required  bool        `json:"required"`
	Values    []EnumValue `json:"values,omitempty"`    // enum only
	MaxLength int         `json:"maxLength,omitempty"` // text only, in characters
	Help      string      `json:"help"`
	Aliases   []string    `json:"aliases,omitempty"` // other header labels seen in real templates
}

// Parent says that rows of a dataset belong to rows of another: Field is a
// field of this dataset whose value is a key of Dataset, and the parent
// dataset has a field with the same code.
type Parent struct {
	Dataset string `json:"dataset"`
	Field   string `json:"field"`
}

// Dataset is one table clerks fill in and submit.
type Dataset struct {
	Code    string      `json:"code"`
	Name    string      `json:"name"`
	Domain  Domain      `json:"domain"`
	Period  period.Kind `json:"period"`
	Version int         `json:"version"`
	// Comparison marks a 基础比对数据 list, used for screening rather than
	// published; such lists may have their own period kind.
	Comparison bool `json:"comparison,omitempty"`
	// Layout is how clerks enter the table: "grid" (the default; rosters
	// and long lists) or "form" (master tables with few rows and many
	// fields, one record at a time).
	Layout string   `json:"layout,omitempty"`
	Key    []string `json:"key"` // fields that identify a row, for duplicate detection
	Parent *Parent  `json:"parent,omitempty"`
	Fields []Field  `json:"fields"`
	// Rules are the cross-field and cross-table checks (rules.go).
	Rules []Rule `json:"rules,omitempty"`

	idx *index // built by Load; nil for a hand-made Dataset (built on demand)
}

// Field returns the field with the given code.
func (d Dataset) Field(code string) (Field, bool) {
	ix := d.index()
	if i, ok := ix.byCode[code]; ok {
		return d.Fields[i], true
	}
	return Field{}, false
}

// index is the lookup data Validate needs, built once per dataset.
type index struct {
	byCode map[string]int
	key    []int // positions of the key fields
}

func (d Dataset) index() *index {
	if d.idx != nil {
		return d.idx
	}
	return buildIndex(d)
}

func buildIndex(d Dataset) *index {
	ix := &index{byCode: make(map[string]int, len(d.Fields))}
	for i, f := range d.Fields {
		ix.byCode[f.Code] = i
	}
	for _, k := range d.Key {
		if i, ok := ix.byCode[k]; ok {
			ix.key = append(ix.key, i)
		}
	}
	return ix
}

// Catalog is the loaded set of datasets. It is read-only after Load and
// safe for concurrent use.
type Catalog struct {
	list   []Dataset
	byCode map[string]int
}

// Datasets returns every dataset, in a stable order: file name order, which
// groups domains and puts main tables before the tables that refer to them.
func (c *Catalog) Datasets() []Dataset {
	return append([]Dataset(nil), c.list...)
}

// Get returns the dataset with the given code.
func (c *Catalog) Get(code string) (Dataset, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return Dataset{}, false
	}
	return c.list[i], true
}

var loadOnce = sync.OnceValues(func() (*Catalog, error) { return loadFS(embedded, "datasets") })

// Load returns the embedded catalog, parsed and checked once per process.
func Load() (*Catalog, error) { return loadOnce() }

// loadFS reads every *.json under dir of fsys. Files are read in name
// order, which is the order Datasets returns (file names carry a numeric
// prefix for that purpose: "010_msj_project.json").
func loadFS(fsys fs.FS, dir string) (*Catalog, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, broken("", err)
	}
	sort.Strings(names)
	c := &Catalog{byCode: map[string]int{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, broken(name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var d Dataset
		if err := dec.Decode(&d); err != nil {
			return nil, broken(name, err)
		}
		if dec.More() {
			return nil, broken(name, fmt.Errorf("trailing data after the dataset object"))
		}
		if want := fileCode(name); d.Code != want {
			return nil, broken(name, fmt.Errorf("code %q does not match file name (want %q)", d.Code, want))
		}
		if err := checkDataset(d); err != nil {
			return nil, broken(name, err)
		}
		if _, dup := c.byCode[d.Code]; dup {
			return nil, broken(name, fmt.Errorf("duplicate dataset code %q", d.Code))
		}
		d.idx = buildIndex(d)
		c.byCode[d.Code] = len(c.list)
		c.list = append(c.list, d)
	}
	if len(c.list) == 0 {
		return nil, broken(dir, fmt.Errorf("no dataset definitions"))
	}
	if err := checkParents(c); err != nil {
		return nil, broken("", err)
	}
	if err := compileAllRules(c); err != nil {
		return nil, broken("", err)
	}
	return c, nil
}

func broken(file string, err error) error {
	if file != "" {
		err = fmt.Errorf("%s: %w", file, err)
	}
	return apperr.Wrap(apperr.Internal, "程序内置的数据集定义有误，请联系系统管理员并提供日志。", err)
}

// fileCode is the dataset code a file name promises: "010_msj_project.json"
// → "msj_project".
func fileCode(name string) string {
	base := strings.TrimSuffix(path.Base(name), ".json")
	if i := strings.IndexByte(base, '_'); i > 0 && strings.Trim(base[:i], "0123456789") == "" {
		base = base[i+1:]
	}
	return base
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// checkDataset checks one definition on its own; checkParents checks the
// references between them.
func checkDataset(d Dataset) error {
	switch {
	case !codeRE.MatchString(d.Code):
		return fmt.Errorf("dataset code %q is not snake_case", d.Code)
	case !hasHan(d.Name):
		return fmt.Errorf("dataset name %q has no Chinese", d.Name)
	case d.Version < 1:
		return fmt.Errorf("version %d: must be at least 1", d.Version)
	case len(d.Fields) == 0:
		return fmt.Errorf("no fields")
	}
	kind, ok := d.Domain.statutoryKind()
	if !ok {
		return fmt.Errorf("unknown domain %q", d.Domain)
	}
	if _, err := period.ParseKind(string(d.Period)); err != nil {
		return fmt.Errorf("unknown period kind %q", d.Period)
	}
	if d.Layout != "" && d.Layout != "grid" && d.Layout != "form" {
		return fmt.Errorf("layout %q: must be grid or form", d.Layout)
	}
	if !d.Comparison && d.Period != kind {
		return fmt.Errorf("period %q: %s data is reported %s (seed 000 第十八条)", d.Period, d.Domain, kind)
	}

	codes := map[string]bool{}
	headers := map[string]string{} // label or alias → field code; header matching must be unambiguous
	for _, f := range d.Fields {
		if err := checkField(f); err != nil {
			return fmt.Errorf("field %q: %w", f.Code, err)
		}
		if codes[f.Code] {
			return fmt.Errorf("duplicate field code %q", f.Code)
		}
		codes[f.Code] = true
		for _, h := range append([]string{f.Label}, f.Aliases...) {
			if other, dup := headers[h]; dup {
				return fmt.Errorf("header %q is used by both %q and %q", h, other, f.Code)
			}
			headers[h] = f.Code
		}
	}

	if len(d.Key) == 0 {
		return fmt.Errorf("no key fields")
	}
	seen := map[string]bool{}
	for _, k := range d.Key {
		f, ok := fieldOf(d, k)
		switch {
		case !ok:
			return fmt.Errorf("key field %q does not exist", k)
		case seen[k]:
			return fmt.Errorf("key field %q listed twice", k)
		case !f.Required:
			return fmt.Errorf("key field %q must be required", k)
		case f.Type == Attachment:
			return fmt.Errorf("key field %q cannot be an attachment", k)
		}
		seen[k] = true
	}
	if d.Parent != nil {
		if _, ok := fieldOf(d, d.Parent.Field); !ok {
			return fmt.Errorf("parent field %q does not exist", d.Parent.Field)
		}
		if d.Parent.Dataset == d.Code {
			return fmt.Errorf("dataset is its own parent")
		}
	}
	return nil
}

func checkField(f Field) error {
	switch {
	case !codeRE.MatchString(f.Code):
		return fmt.Errorf("code is not snake_case")
	case !hasHan(f.Label):
		return fmt.Errorf("label %q has no Chinese", f.Label)
	case !hasHan(f.Help):
		return fmt.Errorf("help text missing or not Chinese")
	case !knownTypes[f.Type]:
		return fmt.Errorf("unknown type %q", f.Type)
	case f.Type == Text && f.MaxLength <= 0:
		return fmt.Errorf("text field needs a maxLength")
	case f.Type != Text && f.MaxLength != 0:
		return fmt.Errorf("maxLength is only for text fields")
	case f.Type == Enum && len(f.Values) == 0:
		return fmt.Errorf("enum field has no values")
	case f.Type != Enum && len(f.Values) != 0:
		return fmt.Errorf("values are only for enum fields")
	}
	vals := map[string]bool{}
	for _, v := range f.Values {
		switch {
		case strings.TrimSpace(v.Code) == "" || !hasHan(v.Label):
			return fmt.Errorf("enum value %q/%q needs a code and a Chinese label", v.Code, v.Label)
		case vals[v.Code] || vals[v.Label]:
			return fmt.Errorf("enum value %q/%q is not unique", v.Code, v.Label)
		}
		vals[v.Code], vals[v.Label] = true, true
	}
	for _, a := range f.Aliases {
		if strings.TrimSpace(a) == "" {
			return fmt.Errorf("empty alias")
		}
	}
	return nil
}

func fieldOf(d Dataset, code string) (Field, bool) {
	for _, f := range d.Fields {
		if f.Code == code {
			return f, true
		}
	}
	return Field{}, false
}

// checkParents checks that every parent reference names an existing
// dataset that has the referenced field among its key fields.
func checkParents(c *Catalog) error {
	for _, d := range c.list {
		if d.Parent == nil {
			continue
		}
		p, ok := c.Get(d.Parent.Dataset)
		if !ok {
			return fmt.Errorf("%s: parent dataset %q does not exist", d.Code, d.Parent.Dataset)
		}
		if _, ok := p.Field(d.Parent.Field); !ok {
			return fmt.Errorf("%s: parent dataset %q has no field %q", d.Code, p.Code, d.Parent.Field)
		}
		isKey := false
		for _, k := range p.Key {
			isKey = isKey || k == d.Parent.Field
		}
		if !isKey {
			return fmt.Errorf("%s: field %q is not a key of parent dataset %q", d.Code, d.Parent.Field, p.Code)
		}
	}
	return nil
}
