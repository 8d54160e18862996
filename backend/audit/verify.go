package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"caiji/backend/apperr"
)

// Report is the outcome of Verify.
type Report struct {
	OK      bool `json:"ok"`
	Entries int  `json:"entries"` // rows in audit_log, counted to the end even after a break
	Heads   int  `json:"heads"`   // rows in audit_heads
	// FirstBroken is the lowest entry id that can no longer be trusted:
	// an entry whose hash or link to its predecessor does not check out,
	// the first missing id of a gap or of a cut-off tail, or, when the
	// chain itself is consistent but a signed head does not match it, the
	// first entry after the last head that did. nil when OK.
	FirstBroken       *int64 `json:"first_broken"`
	Reason            string `json:"reason"` // 中文, for the auditor
	SignaturesChecked bool   `json:"signatures_checked"`
}

// Verifier checks a head's signature: sig over digest (HeadDigest) by the
// key of the certificate with that SHA-256 fingerprint. It is where the
// caller decides which certificates it trusts (users table, trust roots).
type Verifier func(certFingerprint string, digest, sig []byte) error

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Verify walks the whole chain in id order, recomputing every hash and
// checking every link, then checks that every signed head names an
// existing entry with the same hash and, unless verify is nil, that its
// signature is valid. It reads one snapshot and streams the rows, so it
// runs beside the app and in constant memory.
//
// A tampered log is a Report with OK false, not an error; the error is
// for a database that cannot be read.
func Verify(ctx context.Context, db *sql.DB, verify Verifier) (Report, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a deferred BEGIN: a snapshot, no write lock
	if err != nil {
		return Report{}, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer tx.Rollback()

	c, err := walk(ctx, tx, 0, Genesis, true)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Entries: c.entries, FirstBroken: c.broken, Reason: c.reason, SignaturesChecked: verify != nil}
	if err := checkHeads(ctx, tx, c, verify, &rep); err != nil {
		return Report{}, err
	}
	rep.OK = rep.FirstBroken == nil
	if rep.OK {
		switch {
		case rep.Heads == 0:
			rep.Reason = fmt.Sprintf("审计日志完整：共 %d 条，尚无签名链头。", rep.Entries)
		case verify == nil:
			rep.Reason = fmt.Sprintf("审计日志完整：共 %d 条，%d 个签名链头与日志相符；未核对签名（未提供证书）。", rep.Entries, rep.Heads)
		default:
			rep.Reason = fmt.Sprintf("审计日志完整：共 %d 条，%d 个签名链头与日志相符，签名有效。", rep.Entries, rep.Heads)
		}
	}
	return rep, nil
}

// chain is what a walk found.
type chain struct {
	entries  int
	lastID   int64  // id of the last row read (0 if none)
	lastHash string // its stored hash
	broken   *int64
	reason   string
}

// walk reads the entries after afterID, expecting the first to be
// afterID+1 and to link to prevHash. It stops checking at the first break;
// with count it keeps reading to count the rest.
func walk(ctx context.Context, q queryer, afterID int64, prevHash string, count bool) (chain, error) {
	c := chain{lastID: afterID, lastHash: prevHash}
	rows, err := q.QueryContext(ctx, `SELECT id, at, user_id, cert_fingerprint, action, object, "before", "after", prev_hash, hash
		FROM audit_log WHERE id > ? ORDER BY id`, afterID)
	if err != nil {
		return c, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r row
		var hash string
		if err := rows.Scan(&r.id, &r.at, &r.userID, &r.certFingerprint, &r.action, &r.object,
			&r.before, &r.after, &r.prevHash, &hash); err != nil {
			return c, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
		}
		c.entries++
		if c.broken != nil {
			if !count {
				break
			}
			continue
		}
		want := c.lastID + 1
		switch {
		case r.id != want:
			c.broken = &want
			if c.lastID == 0 {
				c.reason = fmt.Sprintf("第 %d 条缺失：日志从第 %d 条开始，前面的条目被删除。", want, r.id)
			} else {
				c.reason = fmt.Sprintf("第 %d 条缺失：第 %d 条之后紧接着第 %d 条，中间的条目被删除。", want, c.lastID, r.id)
			}
		case r.hash() != hash:
			c.broken = &r.id
			c.reason = fmt.Sprintf("第 %d 条的内容与其哈希不符：该条被改动、被插入或与其他条目调换了位置。", r.id)
		case r.prevHash != c.lastHash:
			c.broken = &r.id
			if c.lastID == 0 {
				c.reason = fmt.Sprintf("第 %d 条（首条）未指向链的起点：前面的条目被删除或该条被伪造。", r.id)
			} else {
				c.reason = fmt.Sprintf("第 %d 条记录的前一条哈希与第 %d 条不符：两条之间的链被改写。", r.id, c.lastID)
			}
		}
		c.lastID, c.lastHash = r.id, hash
	}
	if err := rows.Err(); err != nil {
		return c, apperr.Wrap(apperr.Internal, "无法读取审计日志。", err)
	}
	return c, nil
}

// checkHeads checks the signed heads against a walked chain, in entry
// order, and records the first problem in rep unless the chain broke
// earlier.
func checkHeads(ctx context.Context, q queryer, c chain, verify Verifier, rep *Report) error {
	rows, err := q.QueryContext(ctx, `SELECT h.id, h.at, h.entry_id, h.hash, h.cert_fingerprint, h.signature, l.hash
		FROM audit_heads h LEFT JOIN audit_log l ON l.id = h.entry_id
		ORDER BY h.entry_id, h.id`)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法读取审计日志的签名链头。", err)
	}
	defer rows.Close()
	var goodUpTo int64 // entry id of the last head that checked out
	found := false
	for rows.Next() {
		var h Head
		var at string
		var entryHash sql.NullString
		if err := rows.Scan(&h.ID, &at, &h.EntryID, &h.Hash, &h.CertFingerprint, &h.Signature, &entryHash); err != nil {
			return apperr.Wrap(apperr.Internal, "无法读取审计日志的签名链头。", err)
		}
		rep.Heads++
		if found || (rep.FirstBroken != nil && h.EntryID >= *rep.FirstBroken) {
			continue // already reported, or past a break the chain walk found
		}
		var at0 int64
		reason := ""
		switch {
		case !entryHash.Valid && h.EntryID > c.lastID:
			at0 = c.lastID + 1
			reason = fmt.Sprintf("签名链头 #%d 签署了第 %d 条，但日志只到第 %d 条：末尾的条目被删除。", h.ID, h.EntryID, c.lastID)
		case !entryHash.Valid:
			at0 = h.EntryID
			reason = fmt.Sprintf("签名链头 #%d 签署的第 %d 条不存在。", h.ID, h.EntryID)
		case entryHash.String != h.Hash:
			at0 = goodUpTo + 1
			reason = fmt.Sprintf("第 %d 条的哈希与签名链头 #%d 不符：第 %d 至 %d 条之间的日志被整体改写。", h.EntryID, h.ID, goodUpTo+1, h.EntryID)
		case verify != nil:
			if err := verify(h.CertFingerprint, HeadDigest(h.EntryID, h.Hash, at, h.CertFingerprint), h.Signature); err != nil {
				at0 = goodUpTo + 1
				what := "的签名无效"
				switch {
				case errors.Is(err, ErrCertUnknown):
					what = "的签名证书未登记，签名无法核对"
				case errors.Is(err, ErrCertUntrusted):
					what = "的签名证书不受本机信任的 CA 认可"
				}
				reason = fmt.Sprintf("签名链头 #%d（第 %d 条，证书 %s）%s：第 %d 至 %d 条不能确认未被改写。",
					h.ID, h.EntryID, shortFP(h.CertFingerprint), what, goodUpTo+1, h.EntryID)
			}
		}
		if reason == "" {
			goodUpTo = h.EntryID
			continue
		}
		found = true
		if rep.FirstBroken == nil || at0 < *rep.FirstBroken {
			rep.FirstBroken = &at0
			rep.Reason = reason
		}
	}
	if err := rows.Err(); err != nil {
		return apperr.Wrap(apperr.Internal, "无法读取审计日志的签名链头。", err)
	}
	return nil
}

func shortFP(fp string) string {
	if len(fp) > 16 {
		return fp[:16] + "…"
	}
	return fp
}
