package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"caiji/backend/apperr"
)

// PageSize is how many entries List returns at a time.
const PageSize = 50

// beijing is Asia/Shanghai: the auditor's days. China has had no daylight
// saving since 1991, so a fixed zone is exact and needs no tzdata.
var beijing = time.FixedZone("CST", 8*3600)

// Filter selects entries for the auditor. Zero fields select everything.
type Filter struct {
	// UserID: 0 any user, -1 entries by nobody identified (refused
	// logins, calls without a session), else that account.
	UserID int64 `json:"userId"`
	// Action matches as a prefix: "batch." finds every batch action,
	// "login" finds login and login.refused.
	Action string `json:"action"`
	// Object matches whole, or as the start of a longer object at a ':'
	// or '.' boundary: "batch:12" finds batch:12 only, "batch" every
	// batch:N, "Admin" every refused Admin.* method.
	Object string `json:"object"`
	// From and To are days in Beijing time, YYYY-MM-DD, both included.
	From string `json:"from"`
	To   string `json:"to"`
	// Page counts from 1.
	Page int `json:"page"`
}

// Item is one entry as the auditor reads it: the entry with the acting
// account's name, and before/after as JSON text ("" when NULL).
type Item struct {
	ID              int64     `json:"id"`
	At              time.Time `json:"at"`
	UserID          int64     `json:"userId"`   // 0: nobody identified
	UserName        string    `json:"userName"` // "" when nobody was identified
	CertFingerprint string    `json:"certFingerprint"`
	Action          string    `json:"action"`
	Object          string    `json:"object"`
	Before          string    `json:"before"`
	After           string    `json:"after"`
}

// Page is one page of a filtered list, newest first.
type Page struct {
	Items    []Item `json:"items"`
	Total    int    `json:"total"` // entries matching the filter
	Page     int    `json:"page"`
	PageSize int    `json:"pageSize"`
}

// where turns f into a WHERE clause over audit_log l.
func (f Filter) where() (string, []any, error) {
	var conds []string
	var args []any
	switch {
	case f.UserID == -1:
		conds = append(conds, "l.user_id IS NULL")
	case f.UserID > 0:
		conds = append(conds, "l.user_id = ?")
		args = append(args, f.UserID)
	case f.UserID < -1:
		return "", nil, apperr.New(apperr.BadInput, "用户筛选条件无效，请重新选择用户。")
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		conds = append(conds, "substr(l.action, 1, length(?)) = ?")
		args = append(args, a, a)
	}
	if o := strings.TrimSpace(f.Object); o != "" {
		conds = append(conds, "(l.object = ? OR substr(l.object, 1, length(?) + 1) IN (? || ':', ? || '.'))")
		args = append(args, o, o, o, o)
	}
	from, err := day(f.From, "开始日期")
	if err != nil {
		return "", nil, err
	}
	to, err := day(f.To, "结束日期")
	if err != nil {
		return "", nil, err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return "", nil, apperr.New(apperr.BadInput, "结束日期早于开始日期，请重新选择日期范围。")
	}
	if !from.IsZero() {
		conds = append(conds, "l.at >= ?")
		args = append(args, from.UTC().Format(tsLayout))
	}
	if !to.IsZero() {
		conds = append(conds, "l.at < ?")
		args = append(args, to.AddDate(0, 0, 1).UTC().Format(tsLayout))
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// day parses a YYYY-MM-DD day as its first instant in Beijing.
func day(s, what string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, beijing)
	if err != nil {
		return time.Time{}, apperr.New(apperr.BadInput, what+"「"+s+"」不是有效的日期，请按 2026-03-01 的格式选择。")
	}
	return t, nil
}

const itemSelect = `SELECT l.id, l.at, COALESCE(l.user_id, 0), COALESCE(u.name, ''), l.cert_fingerprint,
	l.action, l.object, COALESCE(l."before", ''), COALESCE(l."after", '')
	FROM audit_log l LEFT JOIN users u ON u.id = l.user_id`

// List returns page f.Page of the entries f selects, newest first, and
// how many there are. A page past the end is empty, not an error.
func List(ctx context.Context, db *sql.DB, f Filter) (Page, error) {
	where, args, err := f.where()
	if err != nil {
		return Page{}, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	p := Page{Items: []Item{}, Page: f.Page, PageSize: PageSize}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // count and page from one snapshot
	if err != nil {
		return Page{}, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log l"+where, args...).Scan(&p.Total); err != nil {
		return Page{}, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	err = each(ctx, tx, itemSelect+where+" ORDER BY l.id DESC LIMIT ? OFFSET ?",
		append(args, PageSize, (f.Page-1)*PageSize), func(it Item) error {
			p.Items = append(p.Items, it)
			return nil
		})
	return p, err
}

// Each calls fn with every entry f selects (f.Page is ignored), newest
// first, streaming: an export of the whole log holds one entry at a time.
func Each(ctx context.Context, db *sql.DB, f Filter, fn func(Item) error) error {
	where, args, err := f.where()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer tx.Rollback()
	return each(ctx, tx, itemSelect+where+" ORDER BY l.id DESC", args, fn)
}

func each(ctx context.Context, q queryer, query string, args []any, fn func(Item) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var at string
		if err := rows.Scan(&it.ID, &at, &it.UserID, &it.UserName, &it.CertFingerprint,
			&it.Action, &it.Object, &it.Before, &it.After); err != nil {
			return apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
		}
		it.At, _ = time.Parse(tsLayout, at) // a malformed time is Verify's finding, not a reason to hide the entry
		if err := fn(it); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	return nil
}

// JSON encodes v for an entry's before or after; nil stays nil (NULL).
// Callers pass maps and structs of strings and numbers, which always
// encode.
func JSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{"unencodable":true}`)
	}
	return b
}

// ColonHex writes a hex string (a certificate fingerprint or serial) in
// colon-separated pairs, ab:cd:ef…, for before and after: a bare hex
// string may hold a run of 11 or more digits, which MaskJSON would take
// for an account number and star.
func ColonHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(s[i:min(i+2, len(s))])
	}
	return b.String()
}

// Describe says in Chinese what f selects, for an export's header;
// userName names f.UserID.
func (f Filter) Describe(userName string) string {
	var parts []string
	switch {
	case f.UserID == -1:
		parts = append(parts, "用户：未识别")
	case f.UserID > 0:
		parts = append(parts, "用户："+userName)
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		parts = append(parts, "操作："+a)
	}
	if o := strings.TrimSpace(f.Object); o != "" {
		parts = append(parts, "对象："+o)
	}
	from, to := strings.TrimSpace(f.From), strings.TrimSpace(f.To)
	switch {
	case from != "" && to != "":
		parts = append(parts, "日期："+from+" 至 "+to)
	case from != "":
		parts = append(parts, "日期："+from+" 起")
	case to != "":
		parts = append(parts, "日期：至 "+to)
	}
	if len(parts) == 0 {
		return "全部审计日志"
	}
	return "筛选 " + strings.Join(parts, "；")
}

// Check reports whether f is a valid filter (dates), without reading.
func (f Filter) Check() error {
	_, _, err := f.where()
	return err
}
