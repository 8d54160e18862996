package identity

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
)

// Refusal is one refused operation: an audit log entry with action
// "refused", the method as its object and the error code in after.
// Refusals used to have a table of their own (0002 refusals); its rows
// were copied into the audit log once (CopyRefusals) and it is no longer
// written.
type Refusal struct {
	ID       int64       `json:"id"` // the audit log entry
	At       time.Time   `json:"at"`
	UserID   int64       `json:"userId"`   // 0: nobody was identified
	UserName string      `json:"userName"` // for the auditor; "" when anonymous
	Method   string      `json:"method"`
	Code     apperr.Code `json:"code"`
}

const (
	defaultRefusalLimit = 100
	maxRefusalLimit     = 1000
)

// RecordRefusal appends a refused call to the audit log. userID 0 means
// anonymous (e.g. no session); certFingerprint is the certificate of the
// session that was refused, "" if none. Only the code is kept, never the
// input that was refused, so no password can end up here.
func (r *Registry) RecordRefusal(ctx context.Context, userID int64, certFingerprint, method string, code apperr.Code) error {
	method = strings.TrimSpace(method)
	if method == "" || code == "" {
		return apperr.New(apperr.BadInput, "拒绝记录缺少操作名或错误码。")
	}
	_, err := audit.Append(ctx, r.db, audit.Entry{At: r.now(), UserID: userID, CertFingerprint: certFingerprint,
		Action: audit.ActRefused, Object: method, After: audit.JSON(map[string]string{"code": string(code)})})
	return err
}

// Refusals returns the newest refusals first, from the audit log; limit
// <= 0 means 100, and at most 1000 are returned.
func (r *Registry) Refusals(ctx context.Context, limit int) ([]Refusal, error) {
	if limit <= 0 {
		limit = defaultRefusalLimit
	}
	limit = min(limit, maxRefusalLimit)
	rows, err := r.db.QueryContext(ctx, `SELECT l.id, l.at, COALESCE(l.user_id, 0), COALESCE(u.name, ''), l.object,
		COALESCE(json_extract(l."after", '$.code'), '')
		FROM audit_log l LEFT JOIN users u ON u.id = l.user_id
		WHERE l.action = ? ORDER BY l.id DESC LIMIT ?`, audit.ActRefused, limit)
	if err != nil {
		return nil, internal("无法读取拒绝记录。", err)
	}
	defer rows.Close()
	out := []Refusal{}
	for rows.Next() {
		var f Refusal
		var at, code string
		if err := rows.Scan(&f.ID, &at, &f.UserID, &f.UserName, &f.Method, &code); err != nil {
			return nil, internal("无法读取拒绝记录。", err)
		}
		if f.At, err = parseTS(at); err != nil {
			return nil, internal("拒绝记录的时间格式有误。", err)
		}
		f.Code = apperr.Code(code)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取拒绝记录。", err)
	}
	return out, nil
}

// CopyRefusals copies the rows of the old refusals table into the audit
// log, once: each becomes a "refused" entry with its original time, user,
// method and code (and "copied_from" naming the old row), followed by one
// audit.refusals_copied entry that marks the copy as done. It runs at
// start-up in one transaction, so a crash half-way copies nothing and the
// next start tries again. The old table stays, append-only, as it was:
// its rows can be compared with the copies. It returns how many rows were
// copied (0 when already done or there were none).
func (r *Registry) CopyRefusals(ctx context.Context) (int, error) {
	var done, pending int
	if err := r.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", audit.ActRefusalsCopied).Scan(&done); err != nil {
		return 0, internal("无法读取审计日志。", err)
	}
	if done > 0 {
		return 0, nil
	}
	if err := r.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM refusals").Scan(&pending); err != nil {
		return 0, internal("无法读取旧的拒绝记录。", err)
	}
	if pending == 0 {
		return 0, nil
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, internal("无法开始数据库事务。", err)
	}
	defer tx.Rollback()
	// Checked again under the write lock: a second copy of the app
	// starting at the same time must not copy twice.
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", audit.ActRefusalsCopied).Scan(&done); err != nil {
		return 0, internal("无法读取审计日志。", err)
	}
	if done > 0 {
		return 0, nil
	}
	type old struct {
		id     int64
		at     string
		userID sql.NullInt64
		method string
		code   string
	}
	var all []old
	rows, err := tx.QueryContext(ctx, "SELECT id, at, user_id, method, code FROM refusals ORDER BY id")
	if err != nil {
		return 0, internal("无法读取旧的拒绝记录。", err)
	}
	for rows.Next() {
		var o old
		if err := rows.Scan(&o.id, &o.at, &o.userID, &o.method, &o.code); err != nil {
			rows.Close()
			return 0, internal("无法读取旧的拒绝记录。", err)
		}
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal("无法读取旧的拒绝记录。", err)
	}
	var lastID int64
	for _, o := range all {
		at, err := parseTS(o.at)
		if err != nil {
			return 0, internal("旧的拒绝记录时间格式有误。", errors.New("refusal "+o.at))
		}
		if _, err := audit.Append(ctx, tx, audit.Entry{At: at, UserID: o.userID.Int64, Action: audit.ActRefused, Object: o.method,
			After: audit.JSON(map[string]any{"code": o.code, "copied_from": o.id})}); err != nil {
			return 0, err
		}
		lastID = o.id
	}
	if _, err := audit.Append(ctx, tx, audit.Entry{At: r.now(), Action: audit.ActRefusalsCopied, Object: "table:refusals",
		After: audit.JSON(map[string]any{"rows": len(all), "last_id": lastID})}); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, internal("无法保存审计日志。", err)
	}
	return len(all), nil
}
