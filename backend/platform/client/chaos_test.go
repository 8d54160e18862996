package client

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"caiji/backend/platform/wire"
)

// Under 30% errors, latency, dropped connections, truncated answers and
// duplicate deliveries, 50 batches all end accepted and the platform holds
// exactly one copy of each: lost answers are recovered by repeating the
// idempotent step, never by sending a second copy.
func TestFiftyBatchesUnderFaultsArriveOnce(t *testing.T) {
	f := newFixture(t)
	c := f.client(Options{MaxRetries: 25})
	f.faults(c, wire.Faults{ErrorRate: 0.3, LatencyMs: 2, DropRate: 0.1, TruncateRate: 0.1, DuplicateRate: 0.1})
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 4)
	for i := range n {
		req := f.batch(fmt.Sprintf("chaos-%02d", i), 1, 700, 256) // 3 chunks
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			sr, err := c.Push(context.Background(), req, nil)
			if err == nil && sr.Receipt.Status != wire.Accepted {
				err = fmt.Errorf("%s: status %s", req.BatchUID, sr.Receipt.Status)
			}
			if err != nil {
				errs <- fmt.Errorf("%s: %w", req.BatchUID, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f.faults(c, wire.Faults{})
	held := f.held(c)
	seen := map[string]int{}
	for _, b := range held {
		seen[fmt.Sprintf("%s/%d", b.BatchUID, b.Version)]++
	}
	if len(held) != n || len(seen) != n {
		t.Fatalf("platform holds %d rows for %d versions, want %d", len(held), len(seen), n)
	}
	if f.count("init")+f.count("chunk")+f.count("complete") <= n*5 {
		t.Fatalf("faults did not bite: %v", f.counts)
	}
}
