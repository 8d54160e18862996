package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/approval"
	"caiji/backend/audit"
	"caiji/backend/batch"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
)

func TestApprovedBatchIsQueuedSentAndReceipted(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	ctx := context.Background()
	b := l.approve(t, "2026-10", 3)
	w := l.worker(t, p.url, Options{})

	w.Drain(ctx)

	items := l.items(t)
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if it.State != Accepted || it.Receipt == nil || it.Receipt.Status != wire.Accepted || it.BatchUID != "ou1.msj_project.2026-10" || it.Version != 1 {
		t.Fatalf("item: %+v", it)
	}
	if it.SentBytes != it.TotalBytes || it.TotalBytes == 0 || it.Attempts != 1 || it.Rows != 3 || it.DatasetName == "" {
		t.Fatalf("progress and names: %+v", it)
	}
	if s := l.status(t, b.ID); s != batch.Accepted {
		t.Fatalf("batch status %s", s)
	}
	// The receipt is about what was signed, and still verifies when read back.
	content, err := l.batches.Content(ctx, clerk, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if it.Receipt.ContentSHA256 != hex.EncodeToString(sum[:]) {
		t.Fatal("receipt names other content")
	}
	rc, err := l.box.CheckReceipt(ctx, clerk, it.ID, p.url, nil)
	if err != nil || !rc.Verified || rc.KeySHA256 == "" {
		t.Fatalf("check receipt: %+v %v", rc, err)
	}
	held := p.held(t)
	if len(held) != 1 || held[0].ContentSHA256 != it.Receipt.ContentSHA256 {
		t.Fatalf("platform holds %+v", held)
	}
	// The workflow trail and the audit log show the sync steps, by nobody.
	trail, err := l.batches.Reviews(ctx, clerk, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var acts []batch.Action
	for _, r := range trail {
		acts = append(acts, r.Action)
	}
	if len(acts) != 4 || acts[2] != batch.Queue || acts[3] != batch.Accept || trail[3].UserName != "平台" {
		t.Fatalf("trail %v", acts)
	}
	rep, err := audit.Verify(ctx, l.st.DB(), nil)
	if err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
	st := w.Status()
	if st.Link != LinkOnline || st.Counts.Accepted != 1 || st.Counts.Queued != 0 || st.Current != nil {
		t.Fatalf("status %+v", st)
	}

	// Nothing more happens on the next cycle: no second push.
	inits := p.count("init")
	w.Drain(ctx)
	if p.count("init") != inits {
		t.Fatal("an accepted batch was pushed again")
	}
}

func TestTamperedBatchIsNeverSent(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	ctx := context.Background()
	b := l.approve(t, "2026-10", 2)
	// Someone edits the database file past the triggers after approval.
	for _, s := range []string{"DROP TRIGGER batch_rows_frozen_update",
		`UPDATE batch_rows SET cells = json_set(cells, '$.total_amount', '9999999') WHERE batch_id = ` + strconv.FormatInt(b.ID, 10)} {
		if _, err := l.st.DB().Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	w := l.worker(t, p.url, Options{})
	w.Drain(ctx)
	w.Drain(ctx)

	it := l.items(t)[0]
	if it.State != Failed || it.ErrorCode != string(approval.ContentChanged) || it.Error == "" {
		t.Fatalf("item: %+v", it)
	}
	if p.count("init") != 0 || len(p.held(t)) != 0 {
		t.Fatalf("a tampered batch reached the platform: %d inits", p.count("init"))
	}
	if s := l.status(t, b.ID); s != batch.Queued {
		t.Fatalf("batch status %s", s)
	}
}

// The simulator trusts another CA than the one that signed the approval:
// its signature check refuses the batch (422), the worker files it as
// failed and does not push it again on its own.
func TestPlatformSignatureRefusalIsFinal(t *testing.T) {
	l := newLocal(t)
	p := newPlatform(t)
	ctx := context.Background()
	l.approve(t, "2026-10", 1)
	// Tamper in transit: a signature over other content.
	other := newLocal(t)
	ob := other.approve(t, "2026-09", 1)
	sealed, err := other.batches.Sealed(ctx, clerk, ob.ID, roots(t))
	if err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, p.url, client.Options{})
	w := l.worker(t, p.url, Options{Platform: swapSignature{cl, sealed.Signature}})
	w.Drain(ctx)
	w.Drain(ctx)

	it := l.items(t)[0]
	if it.State != Failed || it.ErrorCode != string(wire.ContentChanged) {
		t.Fatalf("item: %+v", it)
	}
	if n := p.count("complete"); n != 1 {
		t.Fatalf("complete sent %d times: a 422 was retried", n)
	}
	if len(p.held(t)) != 0 {
		t.Fatal("the platform stored a batch whose signature does not match")
	}
	// A person's retry sends it once more (and it fails once more).
	if _, err := l.box.Retry(ctx, clerk, it.ID); err != nil {
		t.Fatal(err)
	}
	w.Drain(ctx)
	if n := p.count("complete"); n != 2 {
		t.Fatalf("complete sent %d times after one retry", n)
	}
}

// swapSignature pushes with another batch's signature: a batch changed
// between the client and the platform.
type swapSignature struct {
	*client.Client
	sig []byte
}

func (s swapSignature) Push(ctx context.Context, req client.PushRequest, progress func(sent, total int64)) (*wire.SignedReceipt, error) {
	req.Signature = s.sig
	return s.Client.Push(ctx, req, progress)
}

func TestRejectedRowsAreKeptOnTheirRowsAndFollowTheCorrection(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	ctx := context.Background()
	b := l.approve(t, "2026-10", 3)
	msg := "项目编码在省级项目库中不存在（模拟平台比对），请核实"
	p.faults(t, wire.Faults{RejectRows: map[string][]wire.RowIssue{wire.AnyBatch: {{Row: 2, Field: "project_code", Message: msg}, {Row: 9, Message: "不存在的行"}}}})
	w := l.worker(t, p.url, Options{})
	w.Drain(ctx)

	it := l.items(t)[0]
	if it.State != Rejected || it.Receipt == nil || len(it.Receipt.RejectedRows) != 2 {
		t.Fatalf("item %+v", it)
	}
	if s := l.status(t, b.ID); s != batch.Rejected {
		t.Fatalf("batch %s", s)
	}
	ids, err := l.batches.RowIDs(ctx, l.st.DB(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	issues, err := l.box.RowIssues(ctx, clerk, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != 2 || issues[0].RowID != ids[1] || issues[0].Message != msg || issues[0].Field != "project_code" || issues[1].RowID != 0 {
		t.Fatalf("issues %+v (rows %v)", issues, ids)
	}
	if _, err := l.box.Retry(ctx, clerk, it.ID); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("retry of a rejected batch: %v", err)
	}

	// The correction shows the refusal on the row that continues row 2.
	l.clock.Set(time.Date(2026, 10, 25, 10, 0, 0, 0, time.Local))
	v2, err := l.batches.Correct(ctx, clerk, b.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	v2ids, err := l.batches.RowIDs(ctx, l.st.DB(), v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	issues, err = l.box.RowIssues(ctx, clerk, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != 1 || issues[0].RowID != v2ids[1] || issues[0].Message != msg {
		t.Fatalf("issues on the correction %+v (rows %v)", issues, v2ids)
	}
	// Another org unit sees none of it.
	if _, err := l.box.RowIssues(ctx, batch.Actor{UserID: 2, OrgUnitID: 2}, b.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("other unit: %v", err)
	}
}
