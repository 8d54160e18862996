package client

import (
	"context"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// A signed batch of several chunks is accepted with a receipt that
// verifies; pushing it again returns that same receipt and the platform
// still holds one copy.
func TestPushAcceptedOnceWithVerifiedReceipt(t *testing.T) {
	f := newFixture(t)
	c := f.client(Options{})
	ctx := context.Background()
	req := f.batch("b-1", 1, 1000, 300) // 4 chunks
	var progress []int64
	sr, err := c.Push(ctx, req, func(sent, total int64) {
		if total != 1000 {
			t.Errorf("total = %d", total)
		}
		progress = append(progress, sent)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sr.Receipt.Status != wire.Accepted || sr.Receipt.BatchUID != "b-1" || sr.Receipt.Version != 1 {
		t.Fatalf("receipt = %+v", sr.Receipt)
	}
	if f.count("chunk") != 4 || len(progress) != 4 || progress[3] != 1000 {
		t.Fatalf("chunks sent %d, progress %v", f.count("chunk"), progress)
	}
	pub, err := c.ReceiptKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyReceipt(sr.Receipt, sr.ReceiptSignature, pub); err != nil {
		t.Fatal(err)
	}
	tampered := sr.Receipt
	tampered.Status = wire.Rejected
	if err := VerifyReceipt(tampered, sr.ReceiptSignature, pub); !apperr.Is(err, ReceiptInvalid) {
		t.Fatalf("tampered receipt: %v", err)
	}

	f.resetCounts()
	again, err := c.Push(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.count("chunk") != 0 || f.count("complete") != 0 {
		t.Fatalf("second push sent %d chunks, %d completes", f.count("chunk"), f.count("complete"))
	}
	if !again.Receipt.ReceivedAt.Equal(sr.Receipt.ReceivedAt) || string(again.ReceiptSignature) != string(sr.ReceiptSignature) {
		t.Fatalf("second receipt differs: %+v vs %+v", again.Receipt, sr.Receipt)
	}
	got, err := c.Receipt(ctx, "b-1", 1)
	if err != nil || string(got.ReceiptSignature) != string(sr.ReceiptSignature) {
		t.Fatalf("GET receipt: %v", err)
	}
	if held := f.held(c); len(held) != 1 || held[0].Status != wire.Accepted {
		t.Fatalf("held = %+v", held)
	}
}

// 4xx answers are final: returned at once with the platform's code and
// message, never sent again.
func TestFourXXNeverRetried(t *testing.T) {
	f := newFixture(t)
	c := f.client(Options{MaxRetries: 10})
	ctx := context.Background()
	if _, err := c.Push(ctx, f.batch("b-2", 1, 500, 200), nil); err != nil {
		t.Fatal(err)
	}

	f.resetCounts()
	_, err := c.Push(ctx, f.batch("b-2", 1, 600, 200), nil) // same version, other content
	if !apperr.Is(err, wire.VersionConflict) || Temporary(err) || apperr.From(err).Message == "" {
		t.Fatalf("conflict: %v", err)
	}
	if f.count("init") != 1 {
		t.Fatalf("init sent %d times", f.count("init"))
	}

	f.resetCounts()
	bad := f.batch("b-3", 1, 500, 200)
	bad.Content = append([]byte("X"), bad.Content[1:]...) // changed after approval
	_, err = c.Push(ctx, bad, nil)
	if !apperr.Is(err, wire.ContentChanged) && !apperr.Is(err, wire.SignatureInvalid) {
		t.Fatalf("tampered: %v", err)
	}
	if f.count("init") != 1 || f.count("complete") != 1 || f.count("chunk") != 3 {
		t.Fatalf("tampered push: %d init, %d chunk, %d complete", f.count("init"), f.count("chunk"), f.count("complete"))
	}
	if held := f.held(c); len(held) != 1 {
		t.Fatalf("held = %+v", held)
	}
}

// A push interrupted after two of five chunks, pushed again, sends only
// the three the platform lacks.
func TestResumeSendsOnlyMissingChunks(t *testing.T) {
	f := newFixture(t)
	c := f.client(Options{})
	req := f.batch("b-4", 1, 1000, 200) // 5 chunks
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.Push(ctx, req, func(sent, _ int64) {
		if sent == 400 {
			cancel()
		}
	})
	if !apperr.Is(err, apperr.Canceled) {
		t.Fatalf("interrupted push: %v", err)
	}
	if f.count("chunk") != 2 {
		t.Fatalf("before crash: %d chunks", f.count("chunk"))
	}

	f.resetCounts()
	var first int64
	sr, err := c.Push(context.Background(), req, func(sent, _ int64) {
		if first == 0 {
			first = sent
		}
	})
	if err != nil || sr.Receipt.Status != wire.Accepted {
		t.Fatalf("resumed push: %v", err)
	}
	if f.count("chunk") != 3 || first != 600 {
		t.Fatalf("resume sent %d chunks, first progress %d", f.count("chunk"), first)
	}
}
