package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caiji/backend/apperr"
	"caiji/backend/attachments"
	"caiji/backend/catalog"
	"caiji/backend/fields"
	"caiji/backend/period"
)

// Format is the tag at the head of the canonical bytes. A change to what
// Canonical writes for the same batch is a new tag, never an edit of this
// one: signatures already made must keep verifying.
const Format = "caiji-batch-v1"

// maxExact is the largest integer every JSON reader holds exactly
// (2^53-1, I-JSON, RFC 7493): a JavaScript or double-based reader would
// silently round a larger amount, so Canonical refuses one instead.
const maxExact = 1<<53 - 1

// Header identifies the batch the rows belong to. Every part is signed.
type Header struct {
	Dataset        string // catalog code, e.g. "msj_roster"; must be the dataset's
	DatasetVersion int    // catalog version the batch was entered under; must be the dataset's
	OrgUnit        string // org unit code (org_units.code)
	Period         string // as period.Parse reads it; written as period.Period.String()
	Version        int    // 1, then 2, 3, … for corrections
	Replaces       int    // the version this one corrects; 0 if none
	Rectification  string // 整改 reference a correction serves; "" if none
	// Changes are a correction's changes against the version it replaces,
	// each with the clerk's reason; written (sorted) only when Replaces > 0.
	Changes []Change
}

// Change is one row a correction adds, changes or deletes: Row indexes
// this batch's rows, Base the replaced version's rows (both from 0, as
// the rows arrays are); -1 where there is none (Base for an added row, Row
// for a deleted one).
type Change struct {
	Row, Base int
	Reason    string
}

// Canonical returns the bytes that are signed for a batch: one line of JSON
// in the RFC 8785 (JCS) canonical form —
//
//	{"fields":[codes…],"format":"caiji-batch-v1","header":{…},"rows":[[values…],…]}
//
// keys sorted, no whitespace, integers only. fields are d's field codes in
// catalog order; each row is an array of values in that order, rows in the
// order given. A cell is typed by its field: money as integer fen, integer
// as a number, date as "YYYY-MM-DD", enum as its code, 身份证号 / account /
// phone as the validators normalise them, region codes as strings,
// attachments as an array of SHA-256 hex, text trimmed; an empty or blank
// cell is null. docs/signed-approval.md gives the rules in full.
//
// rows are the stored cells (field code → text as typed). A cell that does
// not read as its type, a key that is not a field of d, or a header that
// does not match d is a BadInput error naming the row and field (never the
// value: it may be a 身份证号). Only batches that validated are approved,
// so an error here means the batch changed or the catalog did.
func Canonical(h Header, d catalog.Dataset, rows []map[string]string) ([]byte, error) {
	per, err := checkHeader(&h, d)
	if err != nil {
		return nil, err
	}
	// A roster cell takes about 14 bytes: sized so a typical batch needs
	// one allocation, not a chain of copies of a 17 MB buffer.
	b := make([]byte, 0, 256+len(rows)*(2+16*len(d.Fields)))
	b = append(b, `{"fields":[`...)
	for i, f := range d.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.Code)
	}
	b = append(b, `],"format":`...)
	b = appendString(b, Format)
	b = append(b, `,"header":{`...)
	if h.Replaces > 0 {
		b = appendChanges(b, h.Changes)
		b = append(b, ',')
	}
	b = append(b, `"dataset":`...)
	b = appendString(b, d.Code)
	b = append(b, `,"datasetVersion":`...)
	b = strconv.AppendInt(b, int64(d.Version), 10)
	b = append(b, `,"orgUnit":`...)
	b = appendString(b, h.OrgUnit)
	b = append(b, `,"period":`...)
	b = appendString(b, per)
	b = append(b, `,"rectification":`...)
	b = appendString(b, h.Rectification)
	b = append(b, `,"replaces":`...)
	b = strconv.AppendInt(b, int64(h.Replaces), 10)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(h.Version), 10)
	b = append(b, `},"rows":[`...)
	for r, row := range rows {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		known := 0
		for i := range d.Fields {
			f := &d.Fields[i]
			raw, ok := row[f.Code]
			if ok {
				known++
			}
			if i > 0 {
				b = append(b, ',')
			}
			var why string
			if b, why = appendCell(b, f, raw); why != "" {
				return nil, apperr.New(apperr.BadInput, fmt.Sprintf(
					"第 %d 行「%s」：%s批次数据须通过校验才能签名审核，请退回改正后重新提交。", r+1, f.Label, why))
			}
		}
		if known != len(row) {
			return nil, apperr.New(apperr.BadInput, fmt.Sprintf(
				"第 %d 行有数据集「%s」第 %d 版没有的字段「%s」，不能签名。请重新校验批次（可能是程序升级后字段有变），改正后再审核。",
				r+1, d.Name, d.Version, unknownField(d, row)))
		}
		b = append(b, ']')
	}
	return append(b, "]}"...), nil
}

// checkHeader checks h against d and returns the period as written.
// Strings are trimmed: they come from the database, but a stray space must
// not make two PCs sign different bytes for one batch.
func checkHeader(h *Header, d catalog.Dataset) (string, error) {
	bad := func(msg string) (string, error) { return "", apperr.New(apperr.BadInput, msg) }
	h.OrgUnit = strings.TrimSpace(h.OrgUnit)
	h.Rectification = strings.TrimSpace(h.Rectification)
	switch {
	case h.Dataset != d.Code:
		return bad(fmt.Sprintf("批次属于数据集「%s」，却按数据集「%s」生成签名内容，请联系系统管理员。", h.Dataset, d.Code))
	case h.DatasetVersion != d.Version:
		return bad(fmt.Sprintf("批次按数据集「%s」第 %d 版填报，本程序内置的是第 %d 版，字段可能不同，不能签名。请重新校验批次后再审核，或联系系统管理员。",
			d.Name, h.DatasetVersion, d.Version))
	case h.OrgUnit == "":
		return bad("签名内容缺少填报单位代码，请联系系统管理员。")
	case h.Version < 1:
		return bad(fmt.Sprintf("批次版本号应从 1 开始，现在是 %d，请联系系统管理员。", h.Version))
	case h.Replaces < 0 || h.Replaces >= h.Version:
		return bad(fmt.Sprintf("第 %d 版批次不能更正第 %d 版，请联系系统管理员。", h.Version, h.Replaces))
	case h.Replaces == 0 && len(h.Changes) > 0:
		return bad("只有更正版本才有更正说明，请联系系统管理员。")
	}
	for _, c := range h.Changes {
		if c.Row < -1 || c.Base < -1 || (c.Row == -1 && c.Base == -1) {
			return bad("更正说明指向的行无效，请联系系统管理员。")
		}
		if !utf8.ValidString(c.Reason) {
			return bad("更正原因含有无效字符，请重新填写。")
		}
	}
	for _, s := range []string{h.OrgUnit, h.Rectification, d.Code} {
		if !utf8.ValidString(s) {
			return bad("签名内容的批次信息含有无效字符，请联系系统管理员。")
		}
	}
	for _, f := range d.Fields {
		if !utf8.ValidString(f.Code) {
			return bad("数据集定义含有无效字符，请联系系统管理员。")
		}
	}
	p, err := period.Parse(h.Period)
	if err != nil {
		return "", err
	}
	return p.String(), nil
}

// appendChanges writes "changes":[{"base":…,"reason":…,"row":…},…]: rows of
// this version in order first, then deleted rows by their place in the
// replaced version; -1 is written null.
func appendChanges(b []byte, cs []Change) []byte {
	cs = append([]Change(nil), cs...)
	sort.Slice(cs, func(i, j int) bool {
		a, c := cs[i], cs[j]
		if (a.Row == -1) != (c.Row == -1) {
			return c.Row == -1
		}
		if a.Row != c.Row {
			return a.Row < c.Row
		}
		return a.Base < c.Base
	})
	index := func(b []byte, i int) []byte {
		if i < 0 {
			return append(b, "null"...)
		}
		return strconv.AppendInt(b, int64(i), 10)
	}
	b = append(b, `"changes":[`...)
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"base":`...)
		b = index(b, c.Base)
		b = append(b, `,"reason":`...)
		b = appendString(b, strings.TrimSpace(c.Reason))
		b = append(b, `,"row":`...)
		b = index(b, c.Row)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendCell writes one typed value. why is the reason it could not, in
// words for the reviewer (from the validators, so it never repeats the value).
func appendCell(b []byte, f *catalog.Field, raw string) (_ []byte, why string) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return append(b, "null"...), ""
	}
	if !utf8.ValidString(v) {
		return b, "含有无效的字符编码。"
	}
	var (
		s      string
		issues []fields.Issue
	)
	switch f.Type {
	case catalog.Text:
		return appendString(b, v), ""
	case catalog.Money:
		var fen int64
		if fen, issues = fields.ParseFen(v); len(issues) > 0 {
			return b, issues[0].Message
		}
		if fen > maxExact {
			return b, "金额超过 " + fields.FormatYuanGrouped(maxExact) + " 元，超出了签名格式能精确表示的范围，请核对。"
		}
		return strconv.AppendInt(b, fen, 10), ""
	case catalog.Integer:
		n, err := strconv.ParseUint(v, 10, 64) // also refuses "+3", "3.0", " 3"
		if err != nil || n > maxExact {
			return b, "应为不带小数点的非负整数（如 3），请核对。"
		}
		return strconv.AppendUint(b, n, 10), ""
	case catalog.Date:
		var t time.Time
		if t, issues = fields.ParseDate(v); len(issues) > 0 {
			return b, issues[0].Message
		}
		return appendString(b, t.Format(time.DateOnly)), ""
	case catalog.Enum:
		for _, ev := range f.Values {
			if v == ev.Code || v == ev.Label {
				return appendString(b, ev.Code), ""
			}
		}
		return b, "不是可选的值。"
	case catalog.IDCard:
		s, issues = fields.CheckID(v)
	case catalog.Account:
		s, issues = fields.CheckAccount(v)
	case catalog.Phone:
		s, issues = fields.CheckPhone(v)
	case catalog.Region6, catalog.Region12:
		n := 6
		if f.Type == catalog.Region12 {
			n = 12
		}
		if len(v) != n || strings.Trim(v, "0123456789") != "" {
			return b, "应为 " + strconv.Itoa(n) + " 位数字的区划代码。"
		}
		return appendString(b, v), ""
	case catalog.Attachment:
		refs, err := attachments.ParseRef(v)
		if err != nil {
			return b, apperr.From(err).Message
		}
		if len(refs) == 0 {
			return append(b, "null"...), ""
		}
		b = append(b, '[')
		for i, ref := range refs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, ref)
		}
		return append(b, ']'), ""
	default:
		// A new field type needs a decision in the format (and a new tag).
		return b, "字段类型「" + string(f.Type) + "」还不能签名，请联系系统管理员升级程序。"
	}
	for _, is := range issues {
		if is.Severity == fields.Error {
			return b, is.Message
		}
	}
	return appendString(b, s), ""
}

// appendString writes s as a JSON string the way RFC 8785 does (the
// ECMAScript rules): only '"', '\\' and control characters are escaped —
// \b \t \n \f \r by name, others as \u00xx — and everything else, Chinese
// included, is written as its UTF-8 bytes. s must be valid UTF-8.
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\f':
			b = append(b, '\\', 'f')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// unknownField names the first (in sorted order, so the message is stable)
// key of row that is not a field of d.
func unknownField(d catalog.Dataset, row map[string]string) string {
	var out []string
	for k := range row {
		if _, ok := d.Field(k); !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return ""
	}
	return out[0]
}

// Digest is the SHA-256 of content: the CMS messageDigest of its signature.
func Digest(content []byte) [32]byte { return sha256.Sum256(content) }

// DigestHex is Digest in lowercase hex, as batch_signatures.digest stores it.
func DigestHex(content []byte) string {
	d := Digest(content)
	return hex.EncodeToString(d[:])
}
