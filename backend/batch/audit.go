package batch

import (
	"context"
	"strconv"
	"unicode/utf8"

	"caiji/backend/audit"
	"caiji/backend/catalog"
	"caiji/backend/fields"
)

// Every change to a batch, every export and every reveal appends one
// entry to the audit log (backend/audit, docs/audit-log.md) in the
// transaction of the change, so the change and its trace commit together
// or not at all.

// record appends an audit entry by actor a: action (a dotted verb,
// "batch.save"), object ("batch:12", see batchObject), and what changed
// before and after (anything json.Marshal takes; nil for none). Personal
// data must already be masked (auditCell); Append masks long digit runs
// again as a safety net. q is the change's transaction (*sql.Tx), or the
// *sql.DB for an event that changes nothing else.
//
// The workflow (Act) records its steps with it as well:
//
//	record(ctx, tx, a, "batch."+string(st.Action), batchObject(b.ID),
//		map[string]any{"status": b.Status}, map[string]any{"status": next})
func record(ctx context.Context, q audit.Querier, a Actor, action, object string, before, after any) error {
	_, err := audit.Append(ctx, q, audit.Entry{UserID: a.UserID, CertFingerprint: a.CertFingerprint,
		Action: action, Object: object, Before: audit.JSON(before), After: audit.JSON(after)})
	return err
}

func batchObject(id int64) string { return "batch:" + strconv.FormatInt(id, 10) }

// Limits that keep one entry small: a pasted column of 10,000 cells is
// recorded as its first maxAuditCells cells and the count.
const (
	maxAuditCells = 100
	maxAuditRows  = 20
	maxAuditText  = 40 // runes of a non-personal value
)

// auditCell is a cell's value as the audit log may hold it: 身份证号 and
// accounts masked as the grid shows them, free text (which may be a
// person's name) masked like a name, phone numbers masked by Append;
// amounts, dates, codes and enum values as they are. Long values are cut.
func auditCell(f catalog.Field, v string) string {
	switch {
	case v == "":
		return ""
	case Personal(f):
		return Mask(f, v)
	case f.Type == catalog.Text:
		v = fields.MaskName(v)
	}
	if utf8.RuneCountInString(v) > maxAuditText {
		v = string([]rune(v)[:maxAuditText]) + "…"
	}
	return v
}

// auditRow is a row's cells as auditCell shows them.
func auditRow(d catalog.Dataset, cells map[string]string) map[string]string {
	out := make(map[string]string, len(cells))
	for k, v := range cells {
		f, ok := d.Field(k)
		if !ok {
			f = catalog.Field{Code: k, Type: catalog.Text}
		}
		if s := auditCell(f, v); s != "" {
			out[k] = s
		}
	}
	return out
}

// cellChange is one changed cell in a batch.save entry.
type cellChange struct {
	Row   int64  `json:"row"`
	Field string `json:"field"`
	Value string `json:"value"`
}

// rowChange is one added or deleted row in a batch.save entry.
type rowChange struct {
	Row   int64             `json:"row"`
	Cells map[string]string `json:"cells"`
}
