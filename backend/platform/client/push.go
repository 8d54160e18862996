package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// PushRequest is one approved batch version and its reviewer's CMS.
type PushRequest struct {
	BatchUID  string
	Version   int
	Dataset   string
	Period    string
	OrgUnit   string
	Replaces  int
	Content   []byte
	Signature []byte // detached CMS over Content
	ChunkSize int64  // 0 = Options.ChunkSize
}

// Push delivers req exactly once however often it is called: the
// platform keys it by (BatchUID, Version). A held version answers the
// init with its receipt; a pending one lists the chunks it already has,
// so a push repeated after a crash sends only the rest. progress, if set,
// gets bytes held so far after each chunk.
func (c *Client) Push(ctx context.Context, req PushRequest, progress func(sent, total int64)) (*wire.SignedReceipt, error) {
	if req.ChunkSize <= 0 {
		req.ChunkSize = min(c.opt.ChunkSize, wire.MaxChunkSize)
	}
	sum := sha256.Sum256(req.Content)
	init := wire.InitUpload{
		Dataset: req.Dataset, Period: req.Period, OrgUnit: req.OrgUnit, Replaces: req.Replaces,
		ContentSHA256: hex.EncodeToString(sum[:]), Size: int64(len(req.Content)),
		ChunkSize: req.ChunkSize, Signature: req.Signature,
	}
	path := fmt.Sprintf("/batches/%s/versions/%d", req.BatchUID, req.Version)
	for restarted := false; ; restarted = true {
		sr, up, err := c.initUpload(ctx, path, init)
		if err != nil || sr != nil {
			return sr, err
		}
		if err := c.sendChunks(ctx, req, up, progress); err != nil {
			return nil, err
		}
		sr, err = c.complete(ctx, up.UploadID)
		if err == nil || restarted || !restartable(err) {
			return sr, err
		}
	}
}

// restartable: the upload is gone or incomplete, and a fresh init (which
// lists what is held) can fix it. Signature failures cannot: the batch
// must be approved again.
func restartable(err error) bool {
	return apperr.Is(err, wire.NotFound) || apperr.Is(err, wire.ContentMismatch) || apperr.Is(err, wire.ChunksMissing)
}

// initUpload returns either the stored receipt (200) or the upload (201).
func (c *Client) initUpload(ctx context.Context, path string, init wire.InitUpload) (*wire.SignedReceipt, *wire.UploadStarted, error) {
	st, raw, err := c.do(ctx, call{method: "PUT", path: path, body: init, auth: true})
	if err != nil {
		return nil, nil, err
	}
	if st == http.StatusOK {
		sr, err := decodeReceipt(raw)
		return sr, nil, err
	}
	var up wire.UploadStarted
	if err := json.Unmarshal(raw, &up); err != nil || up.UploadID == "" {
		return nil, nil, garbled(err)
	}
	return nil, &up, nil
}

func (c *Client) sendChunks(ctx context.Context, req PushRequest, up *wire.UploadStarted, progress func(sent, total int64)) error {
	total := int64(len(req.Content))
	held := map[int]bool{}
	for _, i := range up.Received {
		held[i] = true
	}
	chunk := func(i int) []byte {
		lo := int64(i) * req.ChunkSize
		return req.Content[lo:min(lo+req.ChunkSize, total)]
	}
	var sent int64
	for i := range wire.ChunkCount(total, req.ChunkSize) {
		if held[i] {
			sent += int64(len(chunk(i)))
		}
	}
	for i := range wire.ChunkCount(total, req.ChunkSize) {
		if held[i] {
			continue
		}
		data := chunk(i)
		d := sha256.Sum256(data)
		_, _, err := c.do(ctx, call{method: "PUT", path: fmt.Sprintf("/uploads/%s/chunks/%d", up.UploadID, i),
			body: data, header: map[string]string{wire.ChunkDigestHeader: hex.EncodeToString(d[:])}, auth: true})
		if err != nil {
			return err
		}
		sent += int64(len(data))
		if progress != nil {
			progress(sent, total)
		}
	}
	return nil
}

// complete is safe to repeat: after success the platform answers every
// repeat with the same stored receipt.
func (c *Client) complete(ctx context.Context, uploadID string) (*wire.SignedReceipt, error) {
	_, raw, err := c.do(ctx, call{method: "POST", path: "/uploads/" + uploadID + "/complete", auth: true})
	if err != nil {
		return nil, err
	}
	return decodeReceipt(raw)
}

func decodeReceipt(raw []byte) (*wire.SignedReceipt, error) {
	var sr wire.SignedReceipt
	if err := json.Unmarshal(raw, &sr); err != nil || sr.Receipt.BatchUID == "" {
		return nil, garbled(err)
	}
	return &sr, nil
}
