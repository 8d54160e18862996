package batch

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

// Action is one step of the review workflow (seed 000 第二十条: nothing
// leaves the PC without a reviewer's approval). Values are stored.
type Action string

const (
	Submit  Action = "submit"  // clerk: draft or returned → submitted
	Approve Action = "approve" // reviewer: submitted → approved
	Return  Action = "return"  // reviewer: submitted → returned, with a comment
	Queue   Action = "queue"   // sync: approved → queued
	Accept  Action = "accept"  // the platform: queued → accepted
	Reject  Action = "reject"  // the platform: queued → rejected
)

// step is one edge of the state machine: from which statuses, to which,
// and who may take it ("" for the sync engine, never a person's call).
type step struct {
	from []Status
	to   Status
	role session.Role
}

// steps is the whole workflow, in one place.
var steps = map[Action]step{
	Submit:  {from: []Status{Draft, Returned}, to: Submitted, role: session.Clerk},
	Approve: {from: []Status{Submitted}, to: Approved, role: session.Reviewer},
	Return:  {from: []Status{Submitted}, to: Returned, role: session.Reviewer},
	Queue:   {from: []Status{Approved}, to: Queued},
	Accept:  {from: []Status{Queued}, to: Accepted},
	Reject:  {from: []Status{Queued}, to: Rejected},
}

// RowComment is a reviewer's note on one row (and field) of a return.
type RowComment struct {
	RowID   int64  `json:"rowId"`
	Field   string `json:"field"`
	Comment string `json:"comment"`
}

// Step asks for one workflow step on a batch.
type Step struct {
	Action   Action `json:"action"`
	Revision int64  `json:"revision"` // the batch revision the person acted on
	// Comment is required to return a batch; on submit it goes with the
	// confirmation of warnings.
	Comment     string       `json:"comment"`
	RowComments []RowComment `json:"rowComments"`
	// ConfirmWarnings: the clerk has looked at the warnings and submits
	// anyway. Without it a batch with warnings is not submitted.
	ConfirmWarnings bool `json:"confirmWarnings"`
	// Signer is the reviewer's key: approving signs the batch with it.
	Signer *Signer `json:"-"`
}

// MinWarningNote is how long the clerk's note must be when submitting
// over warnings: the reviewer reads why each warning stands.
const MinWarningNote = 2

// MinReturnComment is how long a return's reason must be, in characters:
// "不对" tells the clerk nothing.
const MinReturnComment = 4

// Act takes a person's workflow step. roles are the acting account's
// roles; the step's role must be among them. A reviewer who entered or
// changed the batch cannot approve it; submission runs the full
// validation first.
func (s *Service) Act(ctx context.Context, a Actor, roles []session.Role, batchID int64, st Step) (Batch, error) {
	def, ok := steps[st.Action]
	if !ok || def.role == "" {
		return Batch{}, apperr.New(apperr.BadInput, "不支持的审核操作。")
	}
	if !hasRole(roles, def.role) {
		return Batch{}, apperr.New(apperr.Forbidden, "您的角色不能"+actionLabel(st.Action)+"。")
	}
	comment := strings.TrimSpace(st.Comment)
	if st.Action == Return && utf8.RuneCountInString(comment) < MinReturnComment {
		return Batch{}, apperr.New(apperr.BadInput, "退回时请写明原因（至少 "+strconv.Itoa(MinReturnComment)+" 个字），录入员会看到这条意见。")
	}
	// Status first: "already submitted" says more than any validation.
	cur, err := s.Get(ctx, a, batchID)
	if err != nil {
		return Batch{}, err
	}
	if !fromAllowed(def.from, cur.Status) {
		return Batch{}, notFrom(cur.Status, st.Action)
	}
	var rep Report
	if st.Action == Submit {
		// Validation reads in its own transaction; the revision check
		// below makes sure the batch did not change in between.
		if rep, err = s.Validate(ctx, a, batchID); err != nil {
			return Batch{}, err
		}
		if rep.Revision != st.Revision {
			return Batch{}, stale(rep.Revision)
		}
		if rep.Errors > 0 {
			return Batch{}, apperr.New(apperr.BadInput, "批次还有 "+strconv.Itoa(rep.Errors)+" 个错误，改正后才能提交审核。")
		}
		if rep.Warnings > 0 && !st.ConfirmWarnings {
			return Batch{}, apperr.New(apperr.BadInput, "批次有 "+strconv.Itoa(rep.Warnings)+" 处提醒，请逐条核对并确认后再提交。")
		}
		if rep.Warnings > 0 && utf8.RuneCountInString(comment) < MinWarningNote {
			return Batch{}, apperr.New(apperr.BadInput, "确认提醒后提交时，请写明说明（至少 "+strconv.Itoa(MinWarningNote)+" 个字），例如为什么金额为零是对的。")
		}
	}

	var digest string
	var cms []byte
	if st.Action == Approve {
		// Refuse self-approval before the key is asked to sign anything.
		if err := s.checkNotEditor(ctx, s.db, batchID, a.UserID); err != nil {
			return Batch{}, err
		}
		if cur.Revision != st.Revision {
			return Batch{}, stale(cur.Revision)
		}
		if digest, cms, err = s.sign(ctx, cur, st.Signer); err != nil {
			return Batch{}, err
		}
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Batch{}, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	b, err := s.get(ctx, tx, a, batchID)
	if err != nil {
		return Batch{}, err
	}
	if b.Revision != st.Revision {
		return Batch{}, stale(b.Revision)
	}
	if !fromAllowed(def.from, b.Status) {
		return Batch{}, notFrom(b.Status, st.Action)
	}
	if st.Action == Submit && !b.Editable {
		return Batch{}, s.editError(b) // a closed period without a lock exception
	}
	if st.Action == Submit {
		if err := s.checkCorrection(ctx, tx, b); err != nil {
			return Batch{}, err
		}
	}
	now := ts(s.now())
	if st.Action == Approve {
		// The revision is the one signed: the rows are what was signed.
		if err := storeSignature(ctx, tx, batchID, a.UserID, digest, cms, st.Signer.Cert, now); err != nil {
			return Batch{}, err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO batch_reviews (batch_id, action, from_status, to_status, user_id, comment, warnings, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, batchID, string(st.Action), string(b.Status), string(def.to), a.UserID, comment, rep.Warnings, now)
	if err != nil {
		return Batch{}, internal("无法记录审核操作。", err)
	}
	reviewID, _ := res.LastInsertId()
	if st.Action == Return {
		d, err := s.dataset(b.Dataset)
		if err != nil {
			return Batch{}, err
		}
		for _, rc := range st.RowComments {
			if strings.TrimSpace(rc.Comment) == "" {
				continue
			}
			if _, ok := d.Field(rc.Field); rc.Field != "" && !ok {
				return Batch{}, apperr.New(apperr.BadInput, "行意见指向的字段「"+rc.Field+"」不在该数据集中，请重新选择单元格。")
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM batch_rows WHERE id = ? AND batch_id = ?", rc.RowID, batchID).Scan(&n); err != nil {
				return Batch{}, internal("无法读取批次数据。", err)
			}
			if n != 1 {
				return Batch{}, apperr.New(apperr.BadInput, "行意见指向的行不在该批次中，请刷新后重新填写。")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_row_comments (review_id, row_id, field, comment)
				VALUES (?, ?, ?, ?)`, reviewID, rc.RowID, rc.Field, strings.TrimSpace(rc.Comment)); err != nil {
				return Batch{}, internal("无法记录行意见。", err)
			}
		}
	}
	// Comments are free text that may name a recipient: the log points to
	// the review (batch_reviews keeps the text for the clerk and reviewer).
	after := map[string]any{"status": def.to, "review": reviewID}
	if comment != "" {
		after["comment_chars"] = utf8.RuneCountInString(comment)
	}
	if n := len(st.RowComments); n > 0 && st.Action == Return {
		after["row_comments"] = n
	}
	if rep.Warnings > 0 {
		after["warnings_confirmed"] = rep.Warnings
	}
	if digest != "" {
		after["digest"] = digest
	}
	if err := record(ctx, tx, a, "batch."+string(st.Action), batchObject(batchID),
		map[string]any{"status": b.Status, "revision": b.Revision}, after); err != nil {
		return Batch{}, err
	}
	// The revision moves too: an editor still open on the batch learns
	// that it changed hands.
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET status = ?, revision = revision + 1, updated_at = ? WHERE id = ?`,
		string(def.to), now, batchID); err != nil {
		return Batch{}, internal("无法更新批次状态。", err)
	}
	if err := tx.Commit(); err != nil {
		return Batch{}, internal("无法保存审核操作，请重试。", err)
	}
	return s.Get(ctx, a, batchID)
}

// checkNotEditor refuses a reviewer who entered or changed the batch.
func (s *Service) checkNotEditor(ctx context.Context, q querier, batchID, userID int64) error {
	var edited int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM batch_editors WHERE batch_id = ? AND user_id = ?",
		batchID, userID).Scan(&edited); err != nil {
		return internal("无法读取批次的录入人。", err)
	}
	if edited > 0 {
		return apperr.New(apperr.Forbidden, "您录入或修改过这个批次，不能审核自己的数据，请由其他审核员审核。")
	}
	return nil
}

// markEditor records that the actor changed the batch's rows.
func markEditor(ctx context.Context, q querier, batchID, userID int64) error {
	if _, err := q.ExecContext(ctx, "INSERT OR IGNORE INTO batch_editors (batch_id, user_id) VALUES (?, ?)", batchID, userID); err != nil {
		return internal("无法保存。", err)
	}
	return nil
}

func notFrom(s Status, a Action) error {
	return apperr.New(apperr.BatchNotEditable, "该批次现在是「"+StatusLabel(s)+"」，不能"+actionLabel(a)+"。")
}

func stale(rev int64) error {
	return apperr.New(apperr.StaleEdit, "该批次已在别处被修改（版本 "+strconv.FormatInt(rev, 10)+"），请刷新后再操作。")
}

func hasRole(roles []session.Role, r session.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

func fromAllowed(from []Status, s Status) bool {
	for _, f := range from {
		if f == s {
			return true
		}
	}
	return false
}

func actionLabel(a Action) string {
	switch a {
	case Submit:
		return "提交审核"
	case Approve:
		return "审核通过"
	case Return:
		return "退回"
	}
	return string(a)
}

// Waiting lists the org unit's batches submitted for review, oldest
// first: the reviewer's queue.
func (s *Service) Waiting(ctx context.Context, a Actor) ([]Batch, error) {
	all, err := s.List(ctx, a, "")
	if err != nil {
		return nil, err
	}
	out := []Batch{}
	for _, b := range all {
		if b.Status == Submitted {
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].UpdatedAt.Before(out[j].UpdatedAt) })
	return out, nil
}

// Review is one workflow step as the clerk and the reviewer see it.
type Review struct {
	ID          int64        `json:"id"`
	Action      Action       `json:"action"`
	From        Status       `json:"from"`
	To          Status       `json:"to"`
	UserName    string       `json:"userName"`
	Comment     string       `json:"comment"`
	Warnings    int          `json:"warnings"`
	At          time.Time    `json:"at"`
	RowComments []RowComment `json:"rowComments"`
}

// Reviews returns a batch's workflow trail, oldest first, with the row
// comments of returns: what a returned batch shows on its rows.
func (s *Service) Reviews(ctx context.Context, a Actor, batchID int64) ([]Review, error) {
	if _, err := s.get(ctx, s.db, a, batchID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.action, r.from_status, r.to_status, COALESCE(u.name, '平台'),
		r.comment, r.warnings, r.created_at FROM batch_reviews r LEFT JOIN users u ON u.id = r.user_id
		WHERE r.batch_id = ? ORDER BY r.id`, batchID)
	if err != nil {
		return nil, internal("无法读取审核记录。", err)
	}
	out := []Review{}
	for rows.Next() {
		var r Review
		var at string
		if err := rows.Scan(&r.ID, &r.Action, &r.From, &r.To, &r.UserName, &r.Comment, &r.Warnings, &at); err != nil {
			rows.Close()
			return nil, internal("无法读取审核记录。", err)
		}
		r.At, _ = time.Parse(tsLayout, at)
		r.RowComments = []RowComment{}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取审核记录。", err)
	}
	for i := range out {
		rc, err := s.db.QueryContext(ctx, "SELECT row_id, field, comment FROM review_row_comments WHERE review_id = ? ORDER BY rowid", out[i].ID)
		if err != nil {
			return nil, internal("无法读取审核记录。", err)
		}
		for rc.Next() {
			var c RowComment
			if err := rc.Scan(&c.RowID, &c.Field, &c.Comment); err != nil {
				rc.Close()
				return nil, internal("无法读取审核记录。", err)
			}
			out[i].RowComments = append(out[i].RowComments, c)
		}
		rc.Close()
	}
	return out, nil
}
