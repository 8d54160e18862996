package wire

import (
	"strconv"
	"time"
)

// Limits of a push.
const (
	MaxChunkSize      = 8 << 20          // bytes per chunk
	MaxBatchSize      = 512 << 20        // bytes of content
	ChunkDigestHeader = "Content-SHA256" // hex SHA-256 of a chunk's body
)

// InitUpload is the body of PUT /batches/{batchUid}/versions/{version}.
type InitUpload struct {
	Dataset       string `json:"dataset"`
	Period        string `json:"period"`
	OrgUnit       string `json:"orgUnit"`
	Replaces      int    `json:"replaces"`      // version this one corrects; 0 for the first
	ContentSHA256 string `json:"contentSha256"` // hex
	Size          int64  `json:"size"`
	ChunkSize     int64  `json:"chunkSize"`
	Signature     []byte `json:"signature"` // detached CMS over the content (docs/signed-approval.md)
}

// ChunkCount is how many chunks a content of size bytes has.
func ChunkCount(size, chunkSize int64) int {
	if size <= 0 || chunkSize <= 0 {
		return 0
	}
	return int((size + chunkSize - 1) / chunkSize)
}

// UploadStarted answers a new or resumed push (201).
type UploadStarted struct {
	UploadID string `json:"uploadId"`
	Received []int  `json:"received"` // chunk indexes already held, ascending
}

// Receipt statuses.
const (
	Accepted = "accepted"
	Rejected = "rejected"
)

type RowIssue struct {
	Row     int    `json:"row"` // 1-based row of the batch
	Field   string `json:"field"`
	Message string `json:"message"`
}

type Receipt struct {
	BatchUID      string     `json:"batchUid"`
	Version       int        `json:"version"`
	ContentSHA256 string     `json:"contentSha256"`
	ReceivedAt    time.Time  `json:"receivedAt"`
	Status        string     `json:"status"`
	RejectedRows  []RowIssue `json:"rejectedRows"`
}

// SignedReceipt answers complete (200), an init of a version already held
// (200) and GET .../receipt.
type SignedReceipt struct {
	Receipt          Receipt `json:"receipt"`
	ReceiptSignature []byte  `json:"receiptSignature"` // ECDSA (ASN.1) over SHA-256 of ReceiptMessage
}

// ReceiptTag starts every receipt message.
const ReceiptTag = "caiji-platform-receipt-v1"

// ReceiptMessage is what the platform signs: netstrings of ReceiptTag,
// batchUid, version, contentSha256, receivedAt (RFC 3339, UTC, nanoseconds
// as Go's RFC3339Nano prints them), status, then row, field and message
// of each rejected row in order. A receipt decoded from JSON gives the same
// bytes, so the client can verify what it stored.
func ReceiptMessage(r Receipt) []byte {
	parts := [][]byte{
		[]byte(ReceiptTag), []byte(r.BatchUID), []byte(strconv.Itoa(r.Version)),
		[]byte(r.ContentSHA256), []byte(r.ReceivedAt.UTC().Format(time.RFC3339Nano)), []byte(r.Status),
	}
	for _, row := range r.RejectedRows {
		parts = append(parts, []byte(strconv.Itoa(row.Row)), []byte(row.Field), []byte(row.Message))
	}
	return Netstrings(parts...)
}

// ReceiptKey is GET /receipt-key: the key receipts are signed with.
type ReceiptKey struct {
	PublicKey []byte `json:"publicKey"` // PKIX SubjectPublicKeyInfo, DER
}
