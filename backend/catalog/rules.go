package catalog

// Cross-field and cross-table rules. A dataset definition may carry rules
// written as github.com/expr-lang/expr expressions:
//
//	"rules": [{
//	  "code": "roster_exceeds_disbursed",     // snake_case issue code
//	  "severity": "error",                    // "error" blocks saving, "warning" does not
//	  "field": "amount",                      // the field the issue is shown on
//	  "when": "count(\"msj_disbursement\", \"project_code\", row.project_code) > 0", // optional
//	  "assert": "sum(...) <= sum(...)",       // must be true, or the issue is raised
//	  "oncePer": "project_code",              // optional, see below
//	  "message": "……合计 {{sum(...)}} 元……"  // Chinese: what is wrong and how to fix it
//	}]
//
// Rules are compiled when the catalog loads; a rule that does not compile,
// reads a field or dataset that does not exist, or has a bad severity fails
// Load, so a broken rule fails the tests and never reaches a clerk.
//
// # What a rule sees
//
//	row                        the row being checked, keyed by field code. Values are
//	                           typed: money → int (fen), integer → int, date →
//	                           "YYYY-MM-DD" (compares as text), enum → the value's
//	                           code (also when the clerk typed the label), 身份证号
//	                           and accounts → normalised text, anything else →
//	                           trimmed text; an empty cell → nil.
//	parent()                   the parent row (same typing) that the dataset's
//	                           "parent" reference points to, or nil.
//	lookup(ds, field, value)   the first row of dataset ds whose field equals value, or nil.
//	sum(ds, sumField, byField, value)
//	                           int total of sumField (fen for money) over the rows of
//	                           ds whose byField equals value; empty or unreadable
//	                           cells count as nothing.
//	count(ds, byField, value)  int number of rows of ds whose byField equals value.
//	exists(ds, field, value)   whether such a row exists.
//	days(from, to)             whole days from date from to date to (negative when
//	                           to is earlier), or nil when either is not a date.
//
// ds and field names must be string literals, and fields may be read only
// as row.x, parent().x or lookup(ds, …).x (also with ?.), so Load can check
// every name. Rows of the dataset being checked are the rows passed to
// CheckRules (the batch in progress), never a stored copy; rows of other
// datasets come from a Source.
//
// # When a rule does not run
//
// A rule is skipped for a row when a cell it reads (in when or assert, the
// parent reference cell for parent(), the oncePer cell) fails its own cell
// check or is empty: the cell check already reports that, and a rule must
// not pile a second, confusing message on top. A rule that compares a cell
// with nil itself (row.x == nil, row.x != nil, row.x ?? …) sees an empty
// optional cell as nil instead, so "已脱贫 needs a 脱贫日期" can be written.
// A rule that reads another dataset is skipped when there is no Source. A
// rule whose evaluation fails on a row (for example it compares a parent's
// empty amount) is skipped for that row; rules should guard with ?. and ??.
//
// oncePer names a field: the rule is judged once per distinct value of it,
// on the first row where it applies. Use it for totals (a project's roster
// total), which would otherwise repeat the same issue on every row.
//
// # Messages
//
// A message is static Chinese text. It may hold {{expr}} placeholders that
// are amounts: each must read only money fields (row.amount, parent().x,
// sum over a money field, integer constants and arithmetic) and is shown as
// yuan with two decimals and thousands separators ("12,345.60"); if it
// cannot be computed it shows "—". Nothing else can be placed in a message,
// so no 身份证号, account or name ever reaches an issue, a log or an error
// report.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"caiji/backend/apperr"
	"caiji/backend/fields"
)

// Rule is one cross-field or cross-table check of a dataset (see above).
type Rule struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Field    string `json:"field"`
	When     string `json:"when,omitempty"`
	Assert   string `json:"assert"`
	OncePer  string `json:"oncePer,omitempty"`
	Message  string `json:"message"`

	prog *compiledRule // built by Load; nil for a hand-made rule (compiled on demand)
}

// Source gives rules the rows of other datasets that are in scope (same org
// unit, same year), as raw cell text keyed by field code.
type Source interface {
	Rows(dataset string) ([]map[string]string, error)
}

// MapSource is a Source over rows in memory, keyed by dataset code; a
// dataset that is not in the map has no rows.
type MapSource map[string][]map[string]string

// Rows returns the rows of dataset.
func (m MapSource) Rows(dataset string) ([]map[string]string, error) { return m[dataset], nil }

// compiledRule is a Rule ready to run.
type compiledRule struct {
	when, assert *vm.Program // when may be nil
	msg          []msgPart
	skipOn       []ruleRef // row cells whose problems skip the rule
	reads        []string  // every row field the rule and its message read
	needs        []string  // other datasets the when/assert read
	oncePer      string
}

type ruleRef struct {
	code  string
	nilOK bool // the rule tests this cell against nil itself
}

// msgPart is literal text or, when amount is set, an amount placeholder.
type msgPart struct {
	text   string
	amount *vm.Program
}

// ruleFunc describes a function rules may call: its number of arguments,
// whether argument 0 names a dataset, and how many arguments after it name
// fields of that dataset.
type ruleFunc struct {
	args      int
	dataset   bool
	fieldArgs int
}

var ruleFuncs = map[string]ruleFunc{
	"parent": {args: 0},
	"lookup": {args: 3, dataset: true, fieldArgs: 1},
	"exists": {args: 3, dataset: true, fieldArgs: 1},
	"count":  {args: 3, dataset: true, fieldArgs: 1},
	"sum":    {args: 4, dataset: true, fieldArgs: 2},
	"days":   {args: 2},
}

// envTemplate gives the compiler the names and types of the environment;
// each CheckRules call builds its own with functions bound to its rows.
var envTemplate = func() map[string]any {
	noop := func(...any) any { return nil }
	env := map[string]any{"row": map[string]any(nil)}
	for name := range ruleFuncs {
		env[name] = noop
	}
	return env
}()

// reservedCodes are issue codes the cell checks use; a rule must not reuse one.
var reservedCodes = map[string]bool{
	CodeRequired: true, CodeEnum: true, CodeTooLong: true, CodeInteger: true, CodeRegion6: true,
	CodeRegion12: true, CodeDuplicate: true, CodeUnknownField: true,
}

// compileAllRules compiles the rules of every dataset of c in place.
func compileAllRules(c *Catalog) error {
	for i := range c.list {
		d := c.list[i]
		progs, err := compileRules(c, d)
		if err != nil {
			return err
		}
		for j := range d.Rules {
			d.Rules[j].prog = progs[j]
		}
	}
	return nil
}

// compileRules compiles and checks the rules of d against catalog c.
func compileRules(c *Catalog, d Dataset) ([]*compiledRule, error) {
	out := make([]*compiledRule, len(d.Rules))
	seen := map[string]bool{}
	for i, r := range d.Rules {
		cr, err := compileRule(c, d, r)
		if err == nil && seen[r.Code] {
			err = fmt.Errorf("rule code listed twice")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: rule %d %q: %w", d.Code, i+1, r.Code, err)
		}
		seen[r.Code] = true
		out[i] = cr
	}
	return out, nil
}

func compileRule(c *Catalog, d Dataset, r Rule) (*compiledRule, error) {
	switch {
	case !codeRE.MatchString(r.Code):
		return nil, fmt.Errorf("code is not snake_case")
	case reservedCodes[r.Code]:
		return nil, fmt.Errorf("code is used by the cell checks")
	case r.Severity != string(fields.Error) && r.Severity != string(fields.Warning):
		return nil, fmt.Errorf("severity %q: must be error or warning", r.Severity)
	case strings.TrimSpace(r.Assert) == "":
		return nil, fmt.Errorf("no assert expression")
	case !hasHan(r.Message):
		return nil, fmt.Errorf("message missing or not Chinese")
	}
	if _, ok := fieldOf(d, r.Field); !ok {
		return nil, fmt.Errorf("unknown field %q (the field the issue is shown on)", r.Field)
	}
	if r.OncePer != "" {
		if _, ok := fieldOf(d, r.OncePer); !ok {
			return nil, fmt.Errorf("oncePer: unknown field %q", r.OncePer)
		}
	}

	rc := &refCollector{c: c, d: d, refs: map[string]bool{}, nilTested: map[string]bool{}, needs: map[string]bool{}}
	cr := &compiledRule{oncePer: r.OncePer}
	var err error
	if strings.TrimSpace(r.When) != "" {
		if cr.when, err = compileExpr(r.When, rc, expr.AsBool()); err != nil {
			return nil, fmt.Errorf("when: %w", err)
		}
	}
	if cr.assert, err = compileExpr(r.Assert, rc, expr.AsBool()); err != nil {
		return nil, fmt.Errorf("assert: %w", err)
	}
	if r.OncePer != "" {
		rc.refs[r.OncePer] = true
	}
	for code := range rc.refs {
		cr.skipOn = append(cr.skipOn, ruleRef{code: code, nilOK: rc.nilTested[code]})
	}
	sort.Slice(cr.skipOn, func(i, j int) bool { return cr.skipOn[i].code < cr.skipOn[j].code })
	for ds := range rc.needs {
		cr.needs = append(cr.needs, ds)
	}
	sort.Strings(cr.needs)

	// Placeholders may read more row fields; those are filled in but do not
	// decide whether the rule runs.
	mc := &refCollector{c: c, d: d, refs: rc.refs, nilTested: map[string]bool{}, needs: map[string]bool{}, amountsOnly: true}
	if cr.msg, err = compileMessage(r.Message, mc); err != nil {
		return nil, fmt.Errorf("message: %w", err)
	}
	for code := range rc.refs {
		cr.reads = append(cr.reads, code)
	}
	sort.Strings(cr.reads)
	return cr, nil
}

func compileExpr(src string, rc *refCollector, opts ...expr.Option) (*vm.Program, error) {
	opts = append([]expr.Option{expr.Env(envTemplate)}, opts...)
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	if err := rc.check(prog.Node()); err != nil {
		return nil, err
	}
	return prog, nil
}

// compileMessage splits a message into text and {{amount}} placeholders.
func compileMessage(msg string, rc *refCollector) ([]msgPart, error) {
	var parts []msgPart
	rest := msg
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if strings.Contains(rest, "}}") {
				return nil, fmt.Errorf("}} without {{")
			}
			if rest != "" {
				parts = append(parts, msgPart{text: rest})
			}
			return parts, nil
		}
		if strings.Contains(rest[:i], "}}") {
			return nil, fmt.Errorf("}} without {{")
		}
		if i > 0 {
			parts = append(parts, msgPart{text: rest[:i]})
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return nil, fmt.Errorf("{{ without }}")
		}
		src := rest[i+2 : i+2+j]
		prog, err := compileExpr(src, rc, expr.AsInt())
		if err != nil {
			return nil, fmt.Errorf("placeholder {{%s}}: %w", src, err)
		}
		parts = append(parts, msgPart{amount: prog})
		rest = rest[i+2+j+2:]
	}
}

// refCollector checks an expression's names against the catalog and
// collects the row fields and datasets it reads.
type refCollector struct {
	c           *Catalog
	d           Dataset
	amountsOnly bool // a message placeholder: only money may be read

	refs      map[string]bool // row fields read
	nilTested map[string]bool // row fields compared with nil
	needs     map[string]bool // other datasets read

	bases   map[ast.Node]bool // nodes used as the base of a member access
	callees map[ast.Node]bool // nodes used as the callee of a call
	keys    map[ast.Node]bool // nodes inside a lookup value argument: never shown
	err     error
}

func (rc *refCollector) check(root ast.Node) error {
	rc.bases, rc.callees, rc.keys, rc.err = map[ast.Node]bool{}, map[ast.Node]bool{}, map[ast.Node]bool{}, nil
	ast.Walk(&root, visitFunc(rc.collect))
	ast.Walk(&root, visitFunc(rc.verify))
	return rc.err
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n *ast.Node) { f(*n) }

func unchain(n ast.Node) ast.Node {
	if ch, ok := n.(*ast.ChainNode); ok {
		return ch.Node
	}
	return n
}

// rowField reports the field code when n is row.x (or row?.x, row["x"]).
func rowField(n ast.Node) (string, bool) {
	m, ok := unchain(n).(*ast.MemberNode)
	if !ok {
		return "", false
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	if !ok || id.Value != "row" {
		return "", false
	}
	s, ok := m.Property.(*ast.StringNode)
	if !ok {
		return "", false
	}
	return s.Value, true
}

func (rc *refCollector) collect(n ast.Node) {
	switch n := n.(type) {
	case *ast.MemberNode:
		rc.bases[n.Node] = true
	case *ast.CallNode:
		rc.callees[n.Callee] = true
		// The value argument of sum(), lookup() and the like selects rows;
		// it is not shown, so a placeholder may use any field there.
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			if fn, ok := ruleFuncs[id.Value]; ok && fn.dataset && len(n.Arguments) == fn.args {
				ast.Walk(&n.Arguments[fn.args-1], visitFunc(func(k ast.Node) { rc.keys[k] = true }))
			}
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			if _, ok := n.Right.(*ast.NilNode); ok {
				if f, ok := rowField(n.Left); ok {
					rc.nilTested[f] = true
				}
			}
			if _, ok := n.Left.(*ast.NilNode); ok {
				if f, ok := rowField(n.Right); ok {
					rc.nilTested[f] = true
				}
			}
		case "??":
			if f, ok := rowField(n.Left); ok {
				rc.nilTested[f] = true
			}
		}
	}
}

func (rc *refCollector) fail(format string, args ...any) {
	if rc.err == nil {
		rc.err = fmt.Errorf(format, args...)
	}
}

func (rc *refCollector) dataset(code string) (Dataset, bool) {
	if code == rc.d.Code {
		return rc.d, true
	}
	return rc.c.Get(code)
}

func (rc *refCollector) verify(n ast.Node) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		switch {
		case n.Value == "$env":
			rc.fail("$env is not allowed; read fields as row.x")
		case n.Value == "row" && !rc.bases[n]:
			rc.fail("row may only be used as row.<field>")
		default:
			if _, isFn := ruleFuncs[n.Value]; isFn && !rc.callees[n] {
				rc.fail("%s must be called", n.Value)
			}
		}
	case *ast.MemberNode:
		rc.verifyMember(n)
	case *ast.CallNode:
		rc.verifyCall(n)
	}
}

// verifyMember checks a field access: row.x, parent().x or lookup(ds, …).x.
func (rc *refCollector) verifyMember(n *ast.MemberNode) {
	if n.Method {
		rc.fail("methods cannot be called in rules")
		return
	}
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		rc.fail("field names must be written out (row.x or row[\"x\"])")
		return
	}
	var ds Dataset
	switch base := n.Node.(type) {
	case *ast.IdentifierNode:
		if base.Value != "row" {
			rc.fail("fields can only be read from row, parent() or lookup(), not from %s", base.Value)
			return
		}
		ds = rc.d
		rc.refs[prop.Value] = true
	case *ast.CallNode:
		id, _ := base.Callee.(*ast.IdentifierNode)
		switch {
		case id != nil && id.Value == "parent" && rc.d.Parent != nil:
			ds, _ = rc.dataset(rc.d.Parent.Dataset)
		case id != nil && id.Value == "lookup" && len(base.Arguments) == 3:
			s, ok := base.Arguments[0].(*ast.StringNode)
			if !ok {
				return // verifyCall reports it
			}
			if ds, ok = rc.dataset(s.Value); !ok {
				return // verifyCall reports it
			}
		default:
			rc.fail("fields can only be read from row, parent() or lookup()")
			return
		}
	default:
		rc.fail("fields can only be read from row, parent() or lookup()")
		return
	}
	if ds.Code == "" {
		return
	}
	f, ok := ds.Field(prop.Value)
	if !ok {
		rc.fail("unknown field %q of dataset %s", prop.Value, ds.Code)
		return
	}
	if rc.amountsOnly && f.Type != Money && !rc.keys[n] {
		rc.fail("a message placeholder may only show amounts; field %q of %s is %s", f.Code, ds.Code, f.Type)
	}
}

func (rc *refCollector) verifyCall(n *ast.CallNode) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		rc.fail("only the rule functions can be called")
		return
	}
	fn, ok := ruleFuncs[id.Value]
	if !ok {
		return // a let variable or an unknown name: the compiler has judged it
	}
	if len(n.Arguments) != fn.args {
		rc.fail("%s takes %d arguments, not %d", id.Value, fn.args, len(n.Arguments))
		return
	}
	if rc.amountsOnly && id.Value != "sum" && id.Value != "parent" && id.Value != "lookup" && !rc.keys[n] {
		rc.fail("a message placeholder may only show amounts, not %s()", id.Value)
		return
	}
	if id.Value == "parent" {
		if rc.d.Parent == nil {
			rc.fail("parent() used but dataset %s has no parent", rc.d.Code)
			return
		}
		rc.refs[rc.d.Parent.Field] = true
		rc.needs[rc.d.Parent.Dataset] = true
		return
	}
	if !fn.dataset {
		return
	}
	s, ok := n.Arguments[0].(*ast.StringNode)
	if !ok {
		rc.fail("%s: the dataset must be a quoted dataset code", id.Value)
		return
	}
	ds, ok := rc.dataset(s.Value)
	if !ok {
		rc.fail("%s: unknown dataset %q", id.Value, s.Value)
		return
	}
	if ds.Code != rc.d.Code {
		rc.needs[ds.Code] = true
	}
	for k := 1; k <= fn.fieldArgs; k++ {
		fs, ok := n.Arguments[k].(*ast.StringNode)
		if !ok {
			rc.fail("%s: argument %d must be a quoted field code", id.Value, k+1)
			return
		}
		f, ok := ds.Field(fs.Value)
		if !ok {
			rc.fail("%s: unknown field %q of dataset %s", id.Value, fs.Value, ds.Code)
			return
		}
		if id.Value == "sum" && k == 1 {
			if f.Type != Money && f.Type != Integer {
				rc.fail("sum: field %q of %s is %s, not money or integer", f.Code, ds.Code, f.Type)
			} else if rc.amountsOnly && f.Type != Money {
				rc.fail("a message placeholder may only show amounts; field %q of %s is %s", f.Code, ds.Code, f.Type)
			}
		}
	}
}

// CheckRules runs the dataset's rules over rows (raw cell text keyed by
// field code, as for Validate) and returns the issues they raise, sorted by
// row, then field order. Other datasets are read from src, only as far as
// a rule needs them, and at most once per call; src may be nil, and then
// only the rules that read no other dataset run. An error means src
// failed (or c is nil); the issues are then incomplete and not returned.
func (d Dataset) CheckRules(c *Catalog, rows []map[string]string, src Source) ([]RowIssue, error) {
	if len(d.Rules) == 0 || len(rows) == 0 {
		return nil, nil
	}
	if c == nil {
		return nil, apperr.New(apperr.Internal, "数据集规则检查缺少数据集目录。")
	}
	progs := make([]*compiledRule, len(d.Rules))
	for i := range d.Rules {
		progs[i] = d.Rules[i].prog
		if progs[i] == nil {
			var err error
			if progs, err = compileRules(c, d); err != nil {
				return nil, broken("", err)
			}
			break
		}
	}
	r := newRuleRun(c, d, rows, src)
	out, err := r.run(progs)
	if err != nil {
		return nil, err
	}
	sortIssues(d, out)
	return out, nil
}

// ValidateAll is Validate and CheckRules together: every issue of the
// rows, sorted by row, then field order (cell checks before rules within a
// field; issues on unknown fields last).
func (d Dataset) ValidateAll(c *Catalog, rows []map[string]string, src Source) ([]RowIssue, error) {
	ruleIssues, err := d.CheckRules(c, rows, src)
	if err != nil {
		return nil, err
	}
	out := append(d.Validate(rows), ruleIssues...)
	sortIssues(d, out)
	return out, nil
}

func sortIssues(d Dataset, is []RowIssue) {
	ix := d.index()
	pos := func(code string) int {
		if p, ok := ix.byCode[code]; ok {
			return p
		}
		return len(d.Fields)
	}
	sort.SliceStable(is, func(i, j int) bool {
		if is[i].Row != is[j].Row {
			return is[i].Row < is[j].Row
		}
		return pos(is[i].Field) < pos(is[j].Field)
	})
}

// ruleRun is the state of one CheckRules call.
type ruleRun struct {
	c      *Catalog
	d      Dataset
	src    Source
	self   *ruleTable
	tables map[string]*ruleTable // other datasets, loaded on first use; nil entry: unavailable
	row    map[string]any        // the current row's typed cells
	env    map[string]any
	err    error // first Source error; aborts the run
	// evalErrs counts rule evaluations that failed (and were skipped); tests
	// use it to catch rules that never work.
	evalErrs int
}

func newRuleRun(c *Catalog, d Dataset, rows []map[string]string, src Source) *ruleRun {
	r := &ruleRun{c: c, d: d, src: src, tables: map[string]*ruleTable{}, row: map[string]any{}}
	r.self = newRuleTable(d, rows)
	r.env = map[string]any{
		"row":    r.row,
		"parent": r.fnParent,
		"lookup": r.fnLookup,
		"exists": r.fnExists,
		"count":  r.fnCount,
		"sum":    r.fnSum,
		"days":   fnDays,
	}
	return r
}

// refState is what the cell check says of one referenced cell.
type refState uint8

const (
	refOK refState = iota
	refEmpty
	refBad
)

func (r *ruleRun) run(progs []*compiledRule) ([]RowIssue, error) {
	d := r.d
	ix := d.index()
	// The union of fields the rules read, with their typed columns.
	var reads []int
	seenField := map[int]bool{}
	active := make([]bool, len(progs))
	type skipRef struct {
		fi    int
		nilOK bool
	}
	skips := make([][]skipRef, len(progs))
	for k, p := range progs {
		active[k] = r.src != nil || len(p.needs) == 0
		if !active[k] {
			continue
		}
		for _, ref := range p.skipOn {
			skips[k] = append(skips[k], skipRef{ix.byCode[ref.code], ref.nilOK})
		}
		for _, code := range p.reads {
			if fi, ok := ix.byCode[code]; ok && !seenField[fi] {
				seenField[fi] = true
				reads = append(reads, fi)
			}
		}
	}
	sort.Ints(reads)
	cols := make([][]any, len(d.Fields))
	for _, fi := range reads {
		cols[fi] = r.self.col(fi)
	}
	state := make([]refState, len(d.Fields))
	memo := make([]map[string]bool, len(d.Fields))
	once := make([]map[any]bool, len(progs))
	var machine vm.VM
	var scratch []RowIssue
	var out []RowIssue

	for i, raw := range r.self.rows {
		for _, fi := range reads {
			f := &d.Fields[fi]
			r.row[f.Code] = cols[fi][i]
			s := raw[f.Code]
			switch {
			case strings.TrimSpace(s) == "":
				state[fi] = refEmpty
				if f.Required {
					state[fi] = refBad
				}
			default:
				// The same text gets the same verdict: remember it for
				// columns that repeat (项目编码, 村代码), up to a bound.
				bad, seen := memo[fi][s]
				if !seen {
					scratch = checkCell(scratch[:0], i+1, f, s)
					bad = HasError(scratch)
					if memo[fi] == nil {
						memo[fi] = map[string]bool{}
					}
					if len(memo[fi]) < memoLimit {
						memo[fi][s] = bad
					}
				}
				state[fi] = refOK
				if bad {
					state[fi] = refBad
				}
			}
		}
	rules:
		for k, p := range progs {
			if !active[k] {
				continue
			}
			for _, ref := range skips[k] {
				switch state[ref.fi] {
				case refBad:
					continue rules
				case refEmpty:
					if !ref.nilOK {
						continue rules
					}
				}
			}
			var key any
			if p.oncePer != "" {
				key = r.row[p.oncePer]
				if once[k][key] {
					continue
				}
			}
			if p.when != nil {
				ok, skip, err := r.eval(&machine, p.when)
				if err != nil {
					return nil, err
				}
				if skip || !ok {
					continue
				}
			}
			ok, skip, err := r.eval(&machine, p.assert)
			if err != nil {
				return nil, err
			}
			if skip {
				continue
			}
			if p.oncePer != "" {
				if once[k] == nil {
					once[k] = map[any]bool{}
				}
				once[k][key] = true
			}
			if !ok {
				rule := &d.Rules[k]
				out = append(out, RowIssue{Row: i + 1, Field: rule.Field, Code: rule.Code,
					Severity: rule.Severity, Message: r.message(&machine, p.msg)})
			}
		}
	}
	return out, nil
}

// eval runs a boolean program on the current row. skip reports that the
// evaluation failed (the rule is then skipped for the row); err is a Source
// error, which aborts the whole check.
func (r *ruleRun) eval(machine *vm.VM, p *vm.Program) (ok, skip bool, err error) {
	v, runErr := machine.Run(p, r.env)
	if r.err != nil {
		return false, true, r.err
	}
	if runErr != nil {
		r.evalErrs++
		return false, true, nil
	}
	b, isBool := v.(bool)
	return b, !isBool, nil
}

func (r *ruleRun) message(machine *vm.VM, parts []msgPart) string {
	var b strings.Builder
	for _, part := range parts {
		if part.amount == nil {
			b.WriteString(part.text)
			continue
		}
		v, err := machine.Run(part.amount, r.env)
		if n, ok := v.(int); err == nil && r.err == nil && ok {
			b.WriteString(fields.FormatYuanGrouped(int64(n)))
		} else {
			b.WriteString("—")
		}
	}
	return b.String()
}

// ruleTable is the rows of one dataset with lazily built typed columns, typed
// rows and indexes.
type ruleTable struct {
	ds     Dataset
	rows   []map[string]string
	cols   [][]any                      // by field position
	full   []map[string]any             // typed whole rows, for parent() and lookup()
	groups map[string]map[any]ruleGroup // byField → value → rows
	sums   map[[2]string]map[any]int64  // (sumField, byField) → value → total
}

type ruleGroup struct{ first, n int }

// memoLimit bounds the per-column memos of run and col: columns of unique
// values (身份证号) stop being remembered once it is reached.
const memoLimit = 4096

func newRuleTable(d Dataset, rows []map[string]string) *ruleTable {
	return &ruleTable{ds: d, rows: rows, cols: make([][]any, len(d.Fields))}
}

// col returns the typed values of field position fi, one per row.
func (t *ruleTable) col(fi int) []any {
	if t.cols[fi] == nil {
		f := &t.ds.Fields[fi]
		c := make([]any, len(t.rows))
		// Columns repeat (项目编码, 村代码, amounts): share the typed value
		// of the same text, up to a bound, instead of boxing it again.
		seen := map[string]any{}
		for i, row := range t.rows {
			raw := row[f.Code]
			v, ok := seen[raw]
			if !ok {
				v = typedCell(f, raw)
				if len(seen) < memoLimit {
					seen[raw] = v
				}
			}
			c[i] = v
		}
		t.cols[fi] = c
	}
	return t.cols[fi]
}

func (t *ruleTable) colOf(code string) []any {
	fi, ok := t.ds.index().byCode[code]
	if !ok {
		return nil
	}
	return t.col(fi)
}

func (t *ruleTable) fullRow(i int) map[string]any {
	if t.full == nil {
		t.full = make([]map[string]any, len(t.rows))
	}
	if t.full[i] == nil {
		m := make(map[string]any, len(t.ds.Fields))
		for fi := range t.ds.Fields {
			m[t.ds.Fields[fi].Code] = t.col(fi)[i]
		}
		t.full[i] = m
	}
	return t.full[i]
}

func (t *ruleTable) group(byField string) map[any]ruleGroup {
	if g, ok := t.groups[byField]; ok {
		return g
	}
	g := map[any]ruleGroup{}
	for i, v := range t.colOf(byField) {
		if v == nil {
			continue
		}
		e, ok := g[v]
		if !ok {
			e.first = i
		}
		e.n++
		g[v] = e
	}
	if t.groups == nil {
		t.groups = map[string]map[any]ruleGroup{}
	}
	t.groups[byField] = g
	return g
}

func (t *ruleTable) sum(sumField, byField string) map[any]int64 {
	k := [2]string{sumField, byField}
	if s, ok := t.sums[k]; ok {
		return s
	}
	s := map[any]int64{}
	amounts := t.colOf(sumField)
	for i, v := range t.colOf(byField) {
		if v == nil {
			continue
		}
		if n, ok := amounts[i].(int); ok {
			s[v] = addSat(s[v], int64(n))
		}
	}
	if t.sums == nil {
		t.sums = map[[2]string]map[any]int64{}
	}
	t.sums[k] = s
	return s
}

// addSat adds non-negative amounts without wrapping around.
func addSat(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// typedCell is the value a rule sees for one cell: nil when it is empty or
// cannot be read as its type.
func typedCell(f *Field, raw string) any {
	v := strings.TrimSpace(raw)
	if v == "" {
		return nil
	}
	switch f.Type {
	case Money:
		fen, issues := fields.ParseFen(v)
		if len(issues) > 0 {
			return nil
		}
		return int(fen)
	case Integer:
		if !asciiDigits(v) || len(v) > 18 {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil
		}
		return n
	case Date:
		t, issues := fields.ParseDate(v)
		if len(issues) > 0 {
			return nil
		}
		return t.Format(time.DateOnly)
	case Enum:
		for _, ev := range f.Values {
			if v == ev.Code || v == ev.Label {
				return ev.Code
			}
		}
		return nil
	case IDCard:
		return fields.NormalizeID(v)
	case Account:
		return fields.NormalizeAccount(v)
	}
	return v
}

// table returns the rows of dataset code: the batch for the dataset being
// checked, otherwise what src gives (nil when there is no src or it failed).
func (r *ruleRun) table(code string) *ruleTable {
	if code == r.d.Code {
		return r.self
	}
	if t, ok := r.tables[code]; ok {
		return t
	}
	var t *ruleTable
	if ds, ok := r.c.Get(code); ok && r.src != nil && r.err == nil {
		rows, err := r.src.Rows(code)
		if err != nil {
			r.err = fmt.Errorf("catalog: rules of %s: reading %s: %w", r.d.Code, code, err)
		} else {
			t = newRuleTable(ds, rows)
		}
	}
	r.tables[code] = t
	return t
}

// lookupKey accepts the values a row can hold as a lookup key.
func lookupKey(v any) (any, bool) {
	switch v.(type) {
	case string, int, bool:
		return v, true
	}
	return nil, false
}

func argString(args []any, i int) string {
	if i < len(args) {
		s, _ := args[i].(string)
		return s
	}
	return ""
}

// find returns the table and group of rows of ds whose field equals value.
func (r *ruleRun) find(args []any, fieldArg, valueArg int) (*ruleTable, ruleGroup, bool) {
	if len(args) <= valueArg {
		return nil, ruleGroup{}, false
	}
	t := r.table(argString(args, 0))
	k, ok := lookupKey(args[valueArg])
	if t == nil || !ok {
		return t, ruleGroup{}, false
	}
	g, ok := t.group(argString(args, fieldArg))[k]
	return t, g, ok
}

func (r *ruleRun) fnParent(...any) any {
	p := r.d.Parent
	if p == nil {
		return nil
	}
	t, g, ok := r.find([]any{p.Dataset, p.Field, r.row[p.Field]}, 1, 2)
	if !ok {
		return nil
	}
	return t.fullRow(g.first)
}

func (r *ruleRun) fnLookup(args ...any) any {
	t, g, ok := r.find(args, 1, 2)
	if !ok {
		return nil
	}
	return t.fullRow(g.first)
}

func (r *ruleRun) fnExists(args ...any) any {
	t, _, ok := r.find(args, 1, 2)
	if t == nil {
		return nil
	}
	return ok
}

func (r *ruleRun) fnCount(args ...any) any {
	t, g, _ := r.find(args, 1, 2)
	if t == nil {
		return nil
	}
	return g.n
}

func (r *ruleRun) fnSum(args ...any) any {
	if len(args) != 4 {
		return nil
	}
	t := r.table(argString(args, 0))
	if t == nil {
		return nil
	}
	k, ok := lookupKey(args[3])
	if !ok {
		return 0
	}
	return int(t.sum(argString(args, 1), argString(args, 2))[k])
}

func fnDays(args ...any) any {
	if len(args) != 2 {
		return nil
	}
	a, ok1 := args[0].(string)
	b, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil
	}
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return nil
	}
	return int(tb.Sub(ta).Hours()) / 24
}
