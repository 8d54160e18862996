package outbox

import (
	"context"
	"strconv"
	"testing"
	"time"

	"caiji/backend/batch"
	"caiji/backend/platform/wire"
)

// run works w in the background until every item of l is done or the
// deadline passes.
func (l *local) run(t *testing.T, w *Worker, want int, deadline time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	end := time.Now().Add(deadline)
	for time.Now().Before(end) {
		c, err := l.box.counts(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.Accepted+c.Rejected+c.Failed == want && c.Queued == 0 {
			return
		}
		w.Kick()
		time.Sleep(20 * time.Millisecond)
	}
	c, _ := l.box.counts(context.Background(), 1)
	t.Fatalf("not done after %s: %+v", deadline, c)
}

// checkExactlyOnce: the platform holds every local batch once, with the
// content the receipt names, and nothing else.
func (l *local) checkExactlyOnce(t *testing.T, p *platform, want int) {
	t.Helper()
	held := p.held(t)
	byKey := map[string]wire.SimBatch{}
	for _, h := range held {
		k := h.BatchUID + "#" + strconv.Itoa(h.Version)
		if _, dup := byKey[k]; dup {
			t.Fatalf("%s held twice", k)
		}
		byKey[k] = h
	}
	items := l.items(t)
	if len(items) != want || len(held) != want {
		t.Fatalf("%d items, platform holds %d, want %d", len(items), len(held), want)
	}
	for _, it := range items {
		h, ok := byKey[it.BatchUID+"#"+strconv.Itoa(it.Version)]
		if !ok || it.State != Accepted || it.Receipt == nil || it.Receipt.ContentSHA256 != h.ContentSHA256 {
			t.Fatalf("item %+v vs held %+v", it, h)
		}
		if s := l.status(t, it.BatchID); s != batch.Accepted {
			t.Fatalf("batch %d is %s", it.BatchID, s)
		}
	}
}

// 200 batches through 30% injected 503s, latency, dropped connections,
// cut-off answers and duplicated deliveries: every one arrives once.
func TestTwoHundredBatchesUnderFaultsArriveExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("200 approvals")
	}
	l, p := newLocal(t), newPlatform(t)
	for _, per := range periods(200) {
		l.approve(t, per, 2)
	}
	p.faults(t, wire.Faults{ErrorRate: 0.3, LatencyMs: 2, DropRate: 0.1, TruncateRate: 0.05, DuplicateRate: 0.1})
	// A small chunk size makes each batch several chunks, so faults hit
	// the middle of pushes too.
	w := l.worker(t, p.url, Options{ChunkSize: 256})
	start := time.Now()
	l.run(t, w, 200, 3*time.Minute)
	t.Logf("200 batches delivered in %s: %d inits, %d chunk PUTs, %d completes", time.Since(start),
		p.count("init"), p.count("chunk"), p.count("complete"))
	l.checkExactlyOnce(t, p, 200)
	if p.count("complete") <= 200 {
		t.Fatal("no complete was repeated: the faults did not bite")
	}
}
