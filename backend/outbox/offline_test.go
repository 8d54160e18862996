package outbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strconv"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
)

// While the platform cannot be reached the items wait, the header says
// offline with the reason, and nothing is marked failed; when it comes
// back everything goes out without anyone pressing a button.
func TestOfflineItemsWaitAndGoOutWhenThePlatformReturns(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	for _, per := range periods(5) {
		l.approve(t, per, 1)
	}
	p.setDown(true)
	var seen []string
	w := l.worker(t, p.url, Options{OnChange: func(s Status) { seen = append(seen, s.Link) }})
	ctx := context.Background()
	w.Drain(ctx)
	st := w.Status()
	if st.Link != LinkOffline || st.Message == "" || st.Counts.Queued != 5 {
		t.Fatalf("status while down: %+v", st)
	}
	for _, it := range l.items(t) {
		if it.State != Queued {
			t.Fatalf("item while down: %+v", it)
		}
	}
	// Offline, the worker probes instead of pushing every item.
	w.Drain(ctx)
	if p.count("init") != 0 {
		t.Fatal("pushed while down")
	}

	p.setDown(false)
	back := time.Now()
	l.run(t, w, 5, 30*time.Second)
	t.Logf("delivered %s after the platform came back (probe every %s)", time.Since(back), w.opt.Probe)
	l.checkExactlyOnce(t, p, 5)
	if w.Status().Link != LinkOnline || len(seen) == 0 {
		t.Fatalf("status after: %+v", w.Status())
	}
}

// A push the client gave up on after its retries (5xx) waits for its
// backoff; it is not failed, and the worker goes on with the next item.
func TestPlatformErrorsBackOffWithoutFailing(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	l.approve(t, "2026-10", 1)
	p.faults(t, wire.Faults{ErrorRate: 1})
	w := l.worker(t, p.url, Options{RetryBase: time.Hour, RetryMax: time.Hour})
	w.Drain(context.Background())
	it := l.items(t)[0]
	if it.State != Queued || it.ErrorCode != string(wire.Unavailable) || it.Attempts != 1 || time.Until(it.NextAttemptAt) < 20*time.Minute {
		t.Fatalf("item: %+v", it)
	}
	if w.Status().Link != LinkOnline {
		t.Fatalf("the platform answered: link %s", w.Status().Link)
	}
	// 立即重试 makes it due now, ahead of its backoff.
	p.faults(t, wire.Faults{})
	if _, err := l.box.Retry(context.Background(), clerk, it.ID); err != nil {
		t.Fatal(err)
	}
	w.Drain(context.Background())
	if it := l.items(t)[0]; it.State != Accepted {
		t.Fatalf("after retry: %+v", it)
	}
}

// Nobody logged in: nothing is queued or sent. A login the platform
// refuses leaves the items waiting, not failed.
func TestNoLoginNoSendAndRefusedLoginWaits(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	b := l.approve(t, "2026-10", 1)
	w := l.worker(t, p.url, Options{Org: func() (batch.Actor, bool) { return batch.Actor{}, false }})
	w.Drain(context.Background())
	if w.Status().Link != LinkLogin || len(l.items(t)) != 0 || l.status(t, b.ID) != batch.Approved {
		t.Fatalf("without a login: %+v, %d items", w.Status(), len(l.items(t)))
	}

	cl := newClient(t, p.url, client.Options{Relogin: func(ctx context.Context) error {
		return &LoginError{Err: apperr.New(apperr.NotLoggedIn, "登录省级平台需要 UKey")}
	}})
	w = l.worker(t, p.url, Options{Platform: cl})
	w.Drain(context.Background())
	it := l.items(t)[0]
	if st := w.Status(); st.Link != LinkAuth || st.Message == "" || it.State != Queued {
		t.Fatalf("refused login: %+v, item %+v", st, it)
	}
}

// The receipt key is pinned the first time; a platform at the same
// address that signs with another key has its receipts refused.
func TestReceiptFromAnotherKeyIsRefused(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	ctx := context.Background()
	l.approve(t, "2026-09", 1)
	w := l.worker(t, p.url, Options{})
	w.Drain(ctx)
	if it := l.items(t)[0]; it.State != Accepted {
		t.Fatalf("first: %+v", it)
	}
	l.approve(t, "2026-10", 1)
	// Same address, another platform (say, an impostor on the network).
	p2 := newPlatform(t)
	w2 := l.worker(t, p.url, Options{Platform: newClient(t, p2.url, client.Options{})})
	w2.Drain(ctx)
	it := l.items(t)[0]
	if it.State != Failed || it.ErrorCode != string(client.ReceiptInvalid) || it.Receipt != nil {
		t.Fatalf("foreign receipt: %+v", it)
	}
	// A configured key wins over the pin, and is checked as strictly.
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rc, err := l.box.CheckReceipt(ctx, clerk, l.items(t)[1].ID, p.url, &k.PublicKey)
	if err != nil || rc.Verified || rc.Message == "" {
		t.Fatalf("check with another key: %+v %v", rc, err)
	}
	rc, err = l.box.CheckReceipt(ctx, clerk, l.items(t)[1].ID, p.url, nil)
	if err != nil || !rc.Verified {
		t.Fatalf("check with the pinned key: %+v %v", rc, err)
	}
}

// A stored receipt changed in the database no longer verifies, and the
// stored receipt cannot be replaced by the program.
func TestStoredReceiptIsCheckedAndKept(t *testing.T) {
	l, p := newLocal(t), newPlatform(t)
	ctx := context.Background()
	l.approve(t, "2026-10", 1)
	l.worker(t, p.url, Options{}).Drain(ctx)
	id := l.items(t)[0].ID
	if _, err := l.st.DB().Exec(`UPDATE outbox SET receipt = json_set(receipt, '$.status', 'accepted') WHERE id = ?`, id); err == nil {
		t.Fatal("a stored receipt was changed")
	}
	if _, err := l.st.DB().Exec(`DELETE FROM outbox WHERE id = ?`, id); err == nil {
		t.Fatal("an outbox item was deleted")
	}
	for _, s := range []string{"DROP TRIGGER outbox_receipt_kept",
		`UPDATE outbox SET receipt = json_set(receipt, '$.contentSha256', '00') WHERE id = ` + strconv.FormatInt(id, 10)} {
		if _, err := l.st.DB().Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	rc, err := l.box.CheckReceipt(ctx, clerk, id, p.url, nil)
	if err != nil || rc.Verified || rc.Message == "" {
		t.Fatalf("changed receipt: %+v %v", rc, err)
	}
}
