package sim

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/approval"
	"caiji/backend/platform/wire"
)

// complete assembles the chunks, checks them against what init announced
// and the reviewer's CMS signature, and stores the version exactly once.
// Any check failing drops the upload, so the client starts again cleanly
// instead of being stuck on a bad chunk it can no longer replace.
func (s *Server) complete(w http.ResponseWriter, r *http.Request, sess session) {
	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		failErr(w, err)
		return
	}
	defer tx.Rollback()
	u, err := loadUpload(ctx, tx, r.PathValue("uploadId"), sess)
	if err != nil {
		failErr(w, err)
		return
	}
	if u.done { // a repeated complete whose first answer was lost
		sr, err := loadReceipt(ctx, tx, u.uid, u.version)
		if err != nil {
			failErr(w, err)
			return
		}
		writeJSON(w, http.StatusOK, sr)
		return
	}
	content, err := assemble(ctx, tx, u)
	if apperr.Is(err, wire.ChunksMissing) {
		failErr(w, err) // keep the upload: the client sends the rest
		return
	}
	if err == nil {
		err = s.check(u, content)
	}
	if err != nil {
		if _, derr := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = ?`, u.id); derr == nil {
			_ = tx.Commit()
		}
		failErr(w, err)
		return
	}
	// Another complete of the same version may have won meanwhile.
	if sr, err := heldVersion(ctx, tx, u.uid, u.version, u.sha); err != nil || sr != nil {
		if err != nil {
			failErr(w, err)
		} else {
			writeJSON(w, http.StatusOK, sr)
		}
		return
	}
	sr, err := s.store(ctx, tx, u, content)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sr)
}

func assemble(ctx context.Context, tx *sql.Tx, u *upload) ([]byte, error) {
	n := wire.ChunkCount(u.size, u.chunkSize)
	rows, err := tx.QueryContext(ctx, `SELECT idx, data FROM chunks WHERE upload_id = ? ORDER BY idx`, u.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	content := make([]byte, 0, u.size)
	next := 0
	var missing []string
	for rows.Next() {
		var idx int
		var data []byte
		if err := rows.Scan(&idx, &data); err != nil {
			return nil, err
		}
		for ; next < idx; next++ {
			missing = append(missing, fmt.Sprint(next))
		}
		content = append(content, data...)
		next = idx + 1
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for ; next < n; next++ {
		missing = append(missing, fmt.Sprint(next))
	}
	if len(missing) > 0 {
		return nil, apperr.New(wire.ChunksMissing, "还有块没有上传："+strings.Join(missing, "、")+"。请先上传这些块再完成报送。")
	}
	return content, nil
}

// check compares the content with what init announced, then verifies the
// reviewer's signature over it against the simulator's roots.
func (s *Server) check(u *upload, content []byte) error {
	sum := sha256.Sum256(content)
	if int64(len(content)) != u.size || hex.EncodeToString(sum[:]) != u.sha {
		return apperr.New(wire.ContentMismatch, fmt.Sprintf(
			"拼接后的内容（%d 字节）与报送时声明的大小或 SHA-256 不符，内容在传输中被改动。请重新报送。", len(content)))
	}
	if _, err := approval.Verify(content, u.signature, s.roots, s.now()); err != nil {
		e := apperr.From(err)
		switch e.Code {
		case approval.ContentChanged:
			return apperr.Wrap(wire.ContentChanged, "审核签名完好，但数据在审核后被改动过，平台拒收。请核对数据后重新审核签名再报送。", err)
		case approval.SignatureInvalid, approval.SignatureMalformed:
			return e
		}
		// Certificate problems stay 422 here: the batch, not the login, is refused.
		return apperr.Wrap(wire.SignatureInvalid, "审核签名验证失败："+e.Message, err)
	}
	return nil
}

// store keeps the version, its signed receipt and, if rows were rejected,
// a feedback item, all in the caller's transaction.
func (s *Server) store(ctx context.Context, tx *sql.Tx, u *upload, content []byte) (*wire.SignedReceipt, error) {
	rec := wire.Receipt{
		BatchUID: u.uid, Version: u.version, ContentSHA256: u.sha,
		ReceivedAt: s.now().UTC(), Status: wire.Accepted, RejectedRows: []wire.RowIssue{},
	}
	s.mu.Lock()
	rows := s.faults.RejectRows[u.uid]
	if len(rows) == 0 {
		rows = s.faults.RejectRows[wire.AnyBatch]
	}
	if len(rows) > 0 {
		rec.Status, rec.RejectedRows = wire.Rejected, append([]wire.RowIssue(nil), rows...)
	}
	s.mu.Unlock()
	sig, err := s.signReceipt(rec)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO batches (batch_uid, version, dataset, period, org_unit, content_sha256,
		size, content, signature, status, receipt, receipt_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.uid, u.version, u.dataset, u.period, u.orgUnit, u.sha, u.size, content, u.signature, rec.Status, string(raw), sig); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM chunks WHERE upload_id = ?`, u.id); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE uploads SET done = 1 WHERE id = ?`, u.id); err != nil {
		return nil, err
	}
	if rec.Status == wire.Rejected {
		rows, _ := json.Marshal(rec.RejectedRows)
		if _, err := tx.ExecContext(ctx, `INSERT INTO feedback (kind, batch_uid, version, message, rows, at) VALUES (?, ?, ?, ?, ?, ?)`,
			wire.FeedbackRejection, u.uid, u.version, fmt.Sprintf("平台拒收了 %d 行，请按各行说明更正后作为新版本报送。", len(rec.RejectedRows)),
			string(rows), rec.ReceivedAt.Format(time.RFC3339Nano)); err != nil {
			return nil, err
		}
	}
	return &wire.SignedReceipt{Receipt: rec, ReceiptSignature: sig}, nil
}

func (s *Server) signReceipt(r wire.Receipt) ([]byte, error) {
	d := sha256.Sum256(wire.ReceiptMessage(r))
	return ecdsa.SignASN1(rand.Reader, s.receiptKey, d[:])
}

func (s *Server) receiptKeyInfo(w http.ResponseWriter, _ *http.Request) {
	der, err := x509.MarshalPKIXPublicKey(&s.receiptKey.PublicKey)
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.ReceiptKey{PublicKey: der})
}
