package sim

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func pathVersion(w http.ResponseWriter, r *http.Request) (string, int, bool) {
	uid := r.PathValue("batchUid")
	v, err := strconv.Atoi(r.PathValue("version"))
	if uid == "" || err != nil || v < 1 {
		fail(w, http.StatusBadRequest, wire.BadRequest, "批次编号或版本号不对：版本号应为从 1 开始的整数。")
		return "", 0, false
	}
	return uid, v, true
}

// initUpload starts or resumes the push of one batch version. A version
// already held answers with its receipt, so a client that lost the answer
// to complete can never make a second copy.
func (s *Server) initUpload(w http.ResponseWriter, r *http.Request, sess session) {
	uid, version, ok := pathVersion(w, r)
	if !ok {
		return
	}
	var req wire.InitUpload
	if !readJSON(w, r, &req) {
		return
	}
	if err := checkInit(req, sess); err != nil {
		failErr(w, err)
		return
	}
	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		failErr(w, err)
		return
	}
	defer tx.Rollback()
	if sr, err := heldVersion(ctx, tx, uid, version, req.ContentSHA256); err != nil || sr != nil {
		if err != nil {
			failErr(w, err)
		} else {
			writeJSON(w, http.StatusOK, sr)
		}
		return
	}
	id, received, err := startUpload(ctx, tx, uid, version, req)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, wire.UploadStarted{UploadID: id, Received: received})
}

func checkInit(req wire.InitUpload, sess session) error {
	switch {
	case req.OrgUnit != sess.orgUnit:
		return apperr.New(wire.Forbidden, fmt.Sprintf("批次属于单位 %s，但登录的是单位 %s。请用本单位的 USB Key 登录后再报送。", req.OrgUnit, sess.orgUnit))
	case req.Dataset == "" || req.Period == "":
		return apperr.New(wire.BadRequest, "缺少数据集 dataset 或期间 period。")
	case !hexSHA256.MatchString(req.ContentSHA256):
		return apperr.New(wire.BadRequest, "contentSha256 应为 64 位小写十六进制的 SHA-256。")
	case req.Size < 1 || req.ChunkSize < 1:
		return apperr.New(wire.BadRequest, "size 和 chunkSize 应为正整数。")
	case req.Size > wire.MaxBatchSize || req.ChunkSize > wire.MaxChunkSize:
		return apperr.New(wire.TooLarge, fmt.Sprintf("批次过大：内容最多 %d 字节，每块最多 %d 字节。", wire.MaxBatchSize, wire.MaxChunkSize))
	case len(req.Signature) == 0:
		return apperr.New(wire.BadRequest, "缺少审核签名 signature（CMS），请先审核签名再报送。")
	case req.Replaces < 0:
		return apperr.New(wire.BadRequest, "replaces 不能为负数。")
	}
	return nil
}

// heldVersion returns the receipt of (uid, version) if held with the same
// content, and version_conflict if it or a newer version is held otherwise.
func heldVersion(ctx context.Context, q querier, uid string, version int, sha string) (*wire.SignedReceipt, error) {
	var heldSHA string
	err := q.QueryRowContext(ctx, `SELECT content_sha256 FROM batches WHERE batch_uid = ? AND version = ?`, uid, version).Scan(&heldSHA)
	switch {
	case err == nil && heldSHA == sha:
		return loadReceipt(ctx, q, uid, version)
	case err == nil:
		return nil, apperr.New(wire.VersionConflict, fmt.Sprintf("平台已收到批次 %s 的第 %d 版，内容与这次不同。更正请作为新版本报送。", uid, version))
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	var newest sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM batches WHERE batch_uid = ?`, uid).Scan(&newest); err != nil {
		return nil, err
	}
	if newest.Valid && int(newest.Int64) > version {
		return nil, apperr.New(wire.VersionConflict, fmt.Sprintf("平台已收到批次 %s 更新的第 %d 版，不再接收旧的第 %d 版。", uid, newest.Int64, version))
	}
	return nil, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// startUpload reuses the pending upload of (uid, version) when it announces
// the same content, so chunks already sent count; otherwise the client has
// changed its mind and the old chunks go.
func startUpload(ctx context.Context, tx *sql.Tx, uid string, version int, req wire.InitUpload) (string, []int, error) {
	var id, sha string
	var size, chunkSize int64
	err := tx.QueryRowContext(ctx, `SELECT id, content_sha256, size, chunk_size FROM uploads WHERE batch_uid = ? AND version = ?`,
		uid, version).Scan(&id, &sha, &size, &chunkSize)
	switch {
	case err == nil && sha == req.ContentSHA256 && size == req.Size && chunkSize == req.ChunkSize:
		received, err := receivedChunks(ctx, tx, id)
		return id, received, err
	case err == nil:
		if _, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = ?`, id); err != nil {
			return "", nil, err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return "", nil, err
	}
	id = randomHex(16)
	_, err = tx.ExecContext(ctx, `INSERT INTO uploads (id, batch_uid, version, dataset, period, org_unit, replaces,
		content_sha256, size, chunk_size, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, uid, version, req.Dataset, req.Period, req.OrgUnit, req.Replaces, req.ContentSHA256, req.Size, req.ChunkSize, req.Signature)
	return id, []int{}, err
}

func receivedChunks(ctx context.Context, tx *sql.Tx, id string) ([]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT idx FROM chunks WHERE upload_id = ? ORDER BY idx`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := []int{}
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			return nil, err
		}
		got = append(got, i)
	}
	return got, rows.Err()
}

type upload struct {
	id, uid, dataset, period, orgUnit, sha string
	version, replaces                      int
	size, chunkSize                        int64
	done                                   bool
	signature                              []byte
}

func loadUpload(ctx context.Context, q querier, id string, sess session) (*upload, error) {
	u := upload{id: id}
	err := q.QueryRowContext(ctx, `SELECT batch_uid, version, dataset, period, org_unit, replaces, content_sha256,
		size, chunk_size, signature, done FROM uploads WHERE id = ?`, id).Scan(
		&u.uid, &u.version, &u.dataset, &u.period, &u.orgUnit, &u.replaces, &u.sha, &u.size, &u.chunkSize, &u.signature, &u.done)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.orgUnit != sess.orgUnit) {
		return nil, apperr.New(wire.NotFound, "上传任务不存在或已结束，请重新发起报送（PUT /batches/…/versions/…）。")
	}
	return &u, err
}

// putChunk stores one chunk. The same bytes again are fine (a retry whose
// answer was lost); other bytes for a held index are refused.
func (s *Server) putChunk(w http.ResponseWriter, r *http.Request, sess session) {
	ctx := r.Context()
	idx, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || idx < 0 {
		fail(w, http.StatusBadRequest, wire.BadRequest, "块序号应为从 0 开始的整数。")
		return
	}
	want := r.Header.Get(wire.ChunkDigestHeader)
	if !hexSHA256.MatchString(want) {
		fail(w, http.StatusBadRequest, wire.BadRequest, "缺少请求头 "+wire.ChunkDigestHeader+"（块内容的 SHA-256，64 位小写十六进制）。")
		return
	}
	u, err := loadUpload(ctx, s.db, r.PathValue("uploadId"), sess)
	if err != nil {
		failErr(w, err)
		return
	}
	if u.done { // a late retry of a chunk of a finished upload: nothing left to do
		w.WriteHeader(http.StatusNoContent)
		return
	}
	n := wire.ChunkCount(u.size, u.chunkSize)
	if idx >= n {
		fail(w, http.StatusBadRequest, wire.BadRequest, fmt.Sprintf("块序号 %d 超出范围：这个批次共 %d 块（0 到 %d）。", idx, n, n-1))
		return
	}
	wantLen := u.chunkSize
	if idx == n-1 {
		wantLen = u.size - u.chunkSize*int64(n-1)
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, wantLen+1))
	if err != nil {
		fail(w, http.StatusBadRequest, wire.BadRequest, "块内容没有收全，请重发这一块。")
		return
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != want {
		fail(w, http.StatusBadRequest, wire.ChunkDigest, fmt.Sprintf("第 %d 块的内容与 %s 不符（传输中损坏），请重发这一块。", idx, wire.ChunkDigestHeader))
		return
	}
	if int64(len(data)) != wantLen {
		fail(w, http.StatusBadRequest, wire.BadRequest, fmt.Sprintf("第 %d 块应为 %d 字节，收到 %d 字节。", idx, wantLen, len(data)))
		return
	}
	var held string
	err = s.db.QueryRowContext(ctx, `SELECT sha256 FROM chunks WHERE upload_id = ? AND idx = ?`, u.id, idx).Scan(&held)
	switch {
	case err == nil && held == want:
	case err == nil:
		fail(w, http.StatusConflict, wire.ChunkConflict, fmt.Sprintf("第 %d 块已收到过不同的内容。请重新发起报送以从头上传。", idx))
		return
	case errors.Is(err, sql.ErrNoRows):
		_, err = s.db.ExecContext(ctx, `INSERT INTO chunks (upload_id, idx, sha256, data) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, u.id, idx, want, data)
		if err != nil {
			failErr(w, err)
			return
		}
	default:
		failErr(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func loadReceipt(ctx context.Context, q querier, uid string, version int) (*wire.SignedReceipt, error) {
	var raw string
	var sig []byte
	err := q.QueryRowContext(ctx, `SELECT receipt, receipt_sig FROM batches WHERE batch_uid = ? AND version = ?`, uid, version).Scan(&raw, &sig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(wire.NotFound, fmt.Sprintf("平台没有批次 %s 第 %d 版的回执：还没有报送完成。", uid, version))
	}
	if err != nil {
		return nil, err
	}
	sr := wire.SignedReceipt{ReceiptSignature: sig}
	return &sr, json.Unmarshal([]byte(raw), &sr.Receipt)
}

// getReceipt answers only the org unit that sent the batch; to any other
// it does not exist (404), so receipts do not tell who submitted what.
func (s *Server) getReceipt(w http.ResponseWriter, r *http.Request, sess session) {
	uid, version, ok := pathVersion(w, r)
	if !ok {
		return
	}
	var owner string
	err := s.db.QueryRowContext(r.Context(), `SELECT org_unit FROM batches WHERE batch_uid = ? AND version = ?`, uid, version).Scan(&owner)
	if err == nil && owner != sess.orgUnit {
		fail(w, http.StatusNotFound, wire.NotFound, fmt.Sprintf("平台没有批次 %s 第 %d 版的回执：还没有报送完成。", uid, version))
		return
	}
	sr, err := loadReceipt(r.Context(), s.db, uid, version)
	if err != nil {
		failErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, sr)
}
