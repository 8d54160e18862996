// Package audit is Caiji's tamper-evident audit log: an append-only hash
// chain in the audit_log table, chain heads signed on users' tokens in
// audit_heads, and Verify, which walks both. docs/audit-log.md is the
// reference for the hash input, so that an auditor can re-check a log
// with other tools.
package audit

import (
	"caiji/backend/store"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"caiji/backend/apperr"
)

// Genesis is the prev_hash of the first entry: 64 zeros, the width of a
// hex SHA-256, so every prev_hash has the same shape.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// tsLayout is the fixed-width UTC layout of every table (0002_identity.sql).
const tsLayout = store.TimeLayout

// Entry is one audit record. Before and After hold masked JSON (or nil):
// callers pass what changed with personal data already masked (身份证号,
// accounts, names as the screens show them, fields.Mask*); Append masks
// long digit runs again as a safety net, see MaskJSON.
type Entry struct {
	ID              int64
	At              time.Time
	UserID          int64 // 0: nobody was identified (stored as NULL)
	CertFingerprint string
	Action          string // dotted verb, e.g. "login", "batch.approve"
	Object          string // what it acted on, e.g. "batch:12"
	Before, After   json.RawMessage
	PrevHash, Hash  string
}

// Querier is what Append writes through: a *sql.Tx of the caller's
// transaction, or a *sql.DB, in which case Append opens its own.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Append adds e at the end of the chain and returns it with ID, At (now,
// if zero), PrevHash and Hash filled in.
//
// The head is read and the entry inserted in one write transaction, so two
// appends cannot both extend the same head: given a *sql.DB, Append opens
// that transaction itself, and the store's DSN (_txlock=immediate) makes it
// take SQLite's write lock at BEGIN; given the caller's *sql.Tx, the entry
// commits or rolls back with the caller's change. The audit_log_linked
// trigger refuses a fork even from a writer that skipped this function.
func Append(ctx context.Context, q Querier, e Entry) (Entry, error) {
	if b, ok := q.(beginner); ok {
		tx, err := b.BeginTx(ctx, nil)
		if err != nil {
			return Entry{}, apperr.Wrap(apperr.Internal, "无法写入审计日志。", err)
		}
		defer tx.Rollback()
		out, err := Append(ctx, tx, e)
		if err != nil {
			return Entry{}, err
		}
		if err := tx.Commit(); err != nil {
			return Entry{}, apperr.Wrap(apperr.Internal, "无法写入审计日志。", err)
		}
		return out, nil
	}
	if e.Action == "" {
		return Entry{}, apperr.New(apperr.BadInput, "审计日志条目缺少操作类型。")
	}
	var err error
	if e.Before, err = MaskJSON(e.Before); err != nil {
		return Entry{}, apperr.Wrap(apperr.BadInput, "审计日志条目的变更前内容不是有效的 JSON。", err)
	}
	if e.After, err = MaskJSON(e.After); err != nil {
		return Entry{}, apperr.Wrap(apperr.BadInput, "审计日志条目的变更后内容不是有效的 JSON。", err)
	}
	e.Object = MaskText(e.Object)
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)

	var lastID int64
	e.PrevHash = Genesis
	err = q.QueryRowContext(ctx, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&lastID, &e.PrevHash)
	if err != nil && err != sql.ErrNoRows {
		return Entry{}, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	e.ID = lastID + 1
	r := e.row()
	e.Hash = r.hash()
	if _, err := q.ExecContext(ctx, `INSERT INTO audit_log
		(id, at, user_id, cert_fingerprint, action, object, "before", "after", prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.id, r.at, r.userID, r.certFingerprint, r.action, r.object, r.before, r.after, r.prevHash, e.Hash); err != nil {
		return Entry{}, apperr.Wrap(apperr.Internal, "无法写入审计日志。", err)
	}
	return e, nil
}

// row is an entry as stored: the exact column values the hash covers.
type row struct {
	id              int64
	at              string
	userID          sql.NullInt64
	certFingerprint string
	action, object  string
	before, after   sql.NullString
	prevHash        string
}

func (e Entry) row() row {
	r := row{id: e.ID, at: e.At.UTC().Format(tsLayout), certFingerprint: e.CertFingerprint,
		action: e.Action, object: e.Object, prevHash: e.PrevHash}
	if e.UserID != 0 {
		r.userID = sql.NullInt64{Int64: e.UserID, Valid: true}
	}
	if e.Before != nil {
		r.before = sql.NullString{String: string(e.Before), Valid: true}
	}
	if e.After != nil {
		r.after = sql.NullString{String: string(e.After), Valid: true}
	}
	return r
}

// canonical is the hash input (docs/audit-log.md): the tag "caiji-audit-v1"
// and then the nine fields id, at, user_id, cert_fingerprint, action,
// object, before, after, prev_hash in this order, each written as a
// netstring — decimal byte length, ':', the bytes, ',' — of its stored
// text (id and user_id in decimal). A NULL (user_id, before, after) is
// written as "-," so that it differs from an empty string. The id is
// part of it, so moving an entry to another position changes its hash.
func (r row) canonical() []byte {
	b := make([]byte, 0, 256+len(r.before.String)+len(r.after.String))
	put := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, ',')
	}
	null := func() { b = append(b, '-', ',') }
	put("caiji-audit-v1")
	put(strconv.FormatInt(r.id, 10))
	put(r.at)
	if r.userID.Valid {
		put(strconv.FormatInt(r.userID.Int64, 10))
	} else {
		null()
	}
	put(r.certFingerprint)
	put(r.action)
	put(r.object)
	for _, s := range []sql.NullString{r.before, r.after} {
		if s.Valid {
			put(s.String)
		} else {
			null()
		}
	}
	put(r.prevHash)
	return b
}

// hash is the lowercase hex SHA-256 of the canonical bytes.
func (r row) hash() string {
	sum := sha256.Sum256(r.canonical())
	return hex.EncodeToString(sum[:])
}
