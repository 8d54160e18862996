package wire

import "time"

type CatalogVersions struct {
	Items []DatasetVersion `json:"items"`
}

type DatasetVersion struct {
	Dataset string `json:"dataset"`
	Version string `json:"version"`
}

type CodeList struct {
	Name    string     `json:"name"`
	Version string     `json:"version"`
	Items   []CodeItem `json:"items"`
}

type CodeItem struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type RegionsVersion struct {
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
	URL     string `json:"url"`
}

// Deltas are comparison data (e.g. civil-affairs or death records) changed
// since a cursor; rows are field code → value.
type Deltas struct {
	Dataset string              `json:"dataset"`
	Items   []map[string]string `json:"items"`
	Cursor  string              `json:"cursor"`
}

// Feedback kinds.
const (
	FeedbackRejection     = "rejection"     // the platform refused rows of a batch
	FeedbackRectification = "rectification" // the platform asks for a correction
)

type FeedbackItem struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	BatchUID string     `json:"batchUid"`
	Version  int        `json:"version"`
	Message  string     `json:"message"`
	Rows     []RowIssue `json:"rows"`
	At       time.Time  `json:"at"`
}

type FeedbackPage struct {
	Items  []FeedbackItem `json:"items"`
	Cursor string         `json:"cursor"` // pass as since= to get only newer items
}

type UpdateManifest struct {
	Version string `json:"version"`
	URL     string `json:"url"`
	SHA256  string `json:"sha256"`
	Notes   string `json:"notes"`
}

// Faults is POST /_sim/faults (simulator only). Rates are 0..1 and apply
// to the push, chunk and complete operations.
type Faults struct {
	ErrorRate     float64               `json:"errorRate"`
	LatencyMs     int                   `json:"latencyMs"`
	DropRate      float64               `json:"dropRate"`
	TruncateRate  float64               `json:"truncateRate"`
	DuplicateRate float64               `json:"duplicateRate"`
	RejectRows    map[string][]RowIssue `json:"rejectRows"` // batchUid (or AnyBatch) → rows to reject
}

// AnyBatch as a RejectRows key applies to every batch without its own entry.
const AnyBatch = "*"

// SimBatch is one item of GET /_sim/batches.
type SimBatch struct {
	BatchUID      string `json:"batchUid"`
	Version       int    `json:"version"`
	ContentSHA256 string `json:"contentSha256"`
	Size          int64  `json:"size"`
	Status        string `json:"status"`
}

type SimBatches struct {
	Items []SimBatch `json:"items"`
}
