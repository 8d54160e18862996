package batch

import (
	"context"
	"strings"

	"caiji/backend/attachments"
	"caiji/backend/catalog"
)

// Issue codes of attachment cells. The catalog sees only that a cell is
// filled; whether the files exist is known here, next to the database.
const (
	CodeAttachmentRef     = "attachment_ref"
	CodeAttachmentMissing = "attachment_missing"
)

// checkAttachments reports attachment cells that are not a list of
// attachment ids, or name a file this installation does not hold.
func checkAttachments(ctx context.Context, q querier, d catalog.Dataset, rows []Row) ([]Issue, error) {
	var fs []catalog.Field
	for _, f := range d.Fields {
		if f.Type == catalog.Attachment {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return nil, nil
	}
	known := map[string]bool{}
	exists := func(sha string) (bool, error) {
		if v, ok := known[sha]; ok {
			return v, nil
		}
		var n int
		if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM attachments WHERE sha256 = ?", sha).Scan(&n); err != nil {
			return false, internal("无法读取附件记录。", err)
		}
		known[sha] = n > 0
		return n > 0, nil
	}
	var out []Issue
	for i, r := range rows {
		for _, f := range fs {
			cell := strings.TrimSpace(r.Cells[f.Code])
			if cell == "" {
				continue
			}
			refs, err := attachments.ParseRef(cell)
			if err != nil {
				out = append(out, Issue{RowID: r.ID, RowIssue: catalog.RowIssue{Row: i + 1, Field: f.Code,
					Code: CodeAttachmentRef, Severity: "error",
					Message: "「" + f.Label + "」应通过“上传附件”添加，不能手工填写。"}})
				continue
			}
			missing := 0
			for _, sha := range refs {
				ok, err := exists(sha)
				if err != nil {
					return nil, err
				}
				if !ok {
					missing++
				}
			}
			if missing > 0 {
				out = append(out, Issue{RowID: r.ID, RowIssue: catalog.RowIssue{Row: i + 1, Field: f.Code,
					Code: CodeAttachmentMissing, Severity: "error",
					Message: "「" + f.Label + "」中有附件在本机找不到（可能来自其他电脑），请重新上传票据原件。"}})
			}
		}
	}
	return out, nil
}
