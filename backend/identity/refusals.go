package identity

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"caiji/backend/apperr"
)

// Refusal is one refused operation. The table is append-only (SQL
// triggers); the later tamper-evident audit log takes these rows over.
type Refusal struct {
	ID       int64       `json:"id"`
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

// RecordRefusal appends a refusal. userID 0 means anonymous (e.g. an
// unknown certificate). Only the code is kept, never the input that was
// refused, so no password can end up here.
func (r *Registry) RecordRefusal(ctx context.Context, userID int64, method string, code apperr.Code) error {
	method = strings.TrimSpace(method)
	if method == "" || code == "" {
		return apperr.New(apperr.BadInput, "拒绝记录缺少操作名或错误码。")
	}
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := r.db.ExecContext(ctx, "INSERT INTO refusals(at, user_id, method, code) VALUES (?, ?, ?, ?)",
		ts(r.now()), uid, method, string(code))
	if err != nil {
		return internal("无法记录被拒绝的操作。", err)
	}
	return nil
}

// Refusals returns the newest refusals first; limit <= 0 means 100, and at
// most 1000 are returned.
func (r *Registry) Refusals(ctx context.Context, limit int) ([]Refusal, error) {
	if limit <= 0 {
		limit = defaultRefusalLimit
	}
	limit = min(limit, maxRefusalLimit)
	rows, err := r.db.QueryContext(ctx, `SELECT f.id, f.at, f.user_id, COALESCE(u.name, ''), f.method, f.code
		FROM refusals f LEFT JOIN users u ON u.id = f.user_id ORDER BY f.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, internal("无法读取拒绝记录。", err)
	}
	defer rows.Close()
	out := []Refusal{}
	for rows.Next() {
		var f Refusal
		var at, code string
		var uid sql.NullInt64
		if err := rows.Scan(&f.ID, &at, &uid, &f.UserName, &f.Method, &code); err != nil {
			return nil, internal("无法读取拒绝记录。", err)
		}
		if f.At, err = parseTS(at); err != nil {
			return nil, internal("拒绝记录的时间格式有误。", err)
		}
		f.UserID, f.Code = uid.Int64, apperr.Code(code)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("无法读取拒绝记录。", err)
	}
	return out, nil
}
