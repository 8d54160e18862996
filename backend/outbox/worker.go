package outbox

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
)

// Platform is what the worker needs of the platform client.
type Platform interface {
	Push(ctx context.Context, req client.PushRequest, progress func(sent, total int64)) (*wire.SignedReceipt, error)
	ReceiptKey(ctx context.Context) (crypto.PublicKey, error)
}

// Link states of Status.Link.
const (
	LinkOnline  = "online"  // the platform answered the last request
	LinkOffline = "offline" // it could not be reached; probing
	LinkLogin   = "login"   // nobody is logged in with a key: nothing can be sent
	LinkAuth    = "auth"    // the platform refused the login; Message says why
)

// Status is what the header and the 同步 page show.
type Status struct {
	Link        string    `json:"link"`
	Message     string    `json:"message"` // why offline or auth
	LastContact time.Time `json:"lastContact"`
	Counts      Counts    `json:"counts"`
	Current     *Progress `json:"current,omitempty"`
}

// Progress is the push under way.
type Progress struct {
	ItemID   int64  `json:"itemId"`
	BatchUID string `json:"batchUid"`
	Version  int    `json:"version"`
	Sent     int64  `json:"sent"`
	Total    int64  `json:"total"`
}

// LoginError marks a failure to log in to the platform (no key, key
// refused): the items are not at fault and wait for a working login.
type LoginError struct{ Err error }

func (e *LoginError) Error() string { return e.Err.Error() }
func (e *LoginError) Unwrap() error { return e.Err }

// Options configure a Worker. Zero durations get the defaults noted.
type Options struct {
	Box      *Box
	Platform Platform
	BaseURL  string           // the platform's address: receipt keys are pinned per address
	Key      crypto.PublicKey // receipt key from the configuration; nil = pin on first use
	Roots    *x509.CertPool   // approval signatures are checked against these before sending
	// Org is whose batches to send: the logged-in session's org unit.
	// false means nobody is logged in with a key, so nothing is sent.
	Org       func() (batch.Actor, bool)
	OnChange  func(Status) // status and progress; called from the worker's goroutine
	Log       *slog.Logger
	ChunkSize int64
	Idle      time.Duration // look for newly approved batches this often; default 30 s
	Probe     time.Duration // while offline, probe the platform this often (±50 %); default 5 s
	RetryBase time.Duration // first backoff of an item the platform failed (5xx); default 15 s
	RetryMax  time.Duration // default 5 min
}

// Worker sends the outbox in the background, one item at a time.
type Worker struct {
	opt  Options
	kick chan struct{}

	mu     sync.Mutex
	status Status
	lastUp time.Time // last progress report
}

// NewWorker returns a worker; Run starts it.
func NewWorker(opt Options) *Worker {
	if opt.Idle <= 0 {
		opt.Idle = 30 * time.Second
	}
	if opt.Probe <= 0 {
		opt.Probe = 5 * time.Second
	}
	if opt.RetryBase <= 0 {
		opt.RetryBase = 15 * time.Second
	}
	if opt.RetryMax <= 0 {
		opt.RetryMax = 5 * time.Minute
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.OnChange == nil {
		opt.OnChange = func(Status) {}
	}
	return &Worker{opt: opt, kick: make(chan struct{}, 1), status: Status{Link: LinkLogin}}
}

// Kick makes the worker look at the outbox now: after an approval, a
// retry or a login.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Status is the worker's current state.
func (w *Worker) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.status
	if s.Current != nil {
		c := *s.Current
		s.Current = &c
	}
	return s
}

// Run works the outbox until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for {
		wait := w.cycle(ctx)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// Drain works until nothing of the org unit is due or ctx ends: one
// cycle without waiting (tests and the command line).
func (w *Worker) Drain(ctx context.Context) time.Duration { return w.cycle(ctx) }

// cycle queues what was approved, sends everything due and returns how
// long to wait before the next look.
func (w *Worker) cycle(ctx context.Context) time.Duration {
	a, ok := w.opt.Org()
	if !ok {
		w.set(func(s *Status) { s.Link, s.Message, s.Current = LinkLogin, "", nil })
		return w.opt.Idle
	}
	defer w.refreshCounts(ctx, a)
	if _, err := w.opt.Box.Enqueue(ctx, a); err != nil {
		w.opt.Log.Error("queueing approved batches", "code", apperr.From(err).Code, "err", err)
	}
	// Probe when the link is unknown, down or quiet for a while, so the
	// header tells the truth even when nothing waits to be sent.
	if st := w.Status(); st.Link != LinkOnline || time.Since(st.LastContact) > w.opt.Idle {
		if !w.probe(ctx) {
			return jitter(w.opt.Probe)
		}
		if st.Link == LinkOffline {
			// Back online: every item is worth trying at once.
			if err := w.opt.Box.wakeAll(ctx, a.OrgUnitID); err != nil {
				w.opt.Log.Error("waking the outbox", "err", err)
			}
		}
	}
	for ctx.Err() == nil {
		it, found, err := w.opt.Box.due(ctx, a.OrgUnitID)
		if err != nil {
			w.opt.Log.Error("reading the outbox", "code", apperr.From(err).Code, "err", err)
			return w.opt.Idle
		}
		if !found {
			break
		}
		w.refreshCounts(ctx, a)
		if !w.send(ctx, a, it) {
			break // offline, or the login failed: the rest would fail alike
		}
	}
	if link := w.Status().Link; link == LinkOffline {
		return jitter(w.opt.Probe)
	}
	next, err := w.opt.Box.nextDue(ctx, a.OrgUnitID)
	if err != nil || next.IsZero() {
		return w.opt.Idle
	}
	return max(10*time.Millisecond, min(w.opt.Idle, time.Until(next)))
}

// probe asks the platform for its receipt key: cheap, and needs no login.
func (w *Worker) probe(ctx context.Context) bool {
	_, err := w.opt.Platform.ReceiptKey(ctx)
	if err != nil {
		w.offline(err)
		return false
	}
	w.online()
	return true
}

// send pushes one item and records the outcome. It reports false when
// the worker should stop sending for now (offline, no login).
func (w *Worker) send(ctx context.Context, a batch.Actor, it Item) bool {
	box := w.opt.Box
	sealed, err := box.batches.Sealed(ctx, a, it.BatchID, w.opt.Roots)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			return false
		case apperr.Is(err, apperr.Internal):
			// The database was busy or failed to read: try again later.
			w.opt.Log.Error("reading a batch to send", "item", it.ID, "err", err)
			w.record(box.postpone(ctx, it.ID, time.Now().Add(w.backoff(it.Attempts+1)), err))
		default:
			// A broken seal is not something trying again will fix: a
			// person must look (and correct the batch).
			w.opt.Log.Warn("batch not sent", "item", it.ID, "code", apperr.From(err).Code)
			w.record(box.fail(ctx, it.ID, err))
		}
		return true
	}
	key, err := w.key(ctx)
	if err != nil {
		return w.failed(ctx, it, err)
	}
	total := int64(len(sealed.Content))
	if err := box.markSending(ctx, it.ID, total); err != nil {
		w.opt.Log.Error("marking an item sending", "err", err)
		return false
	}
	w.set(func(s *Status) {
		s.Current = &Progress{ItemID: it.ID, BatchUID: it.BatchUID, Version: it.Version, Sent: it.SentBytes, Total: total}
	})
	defer w.set(func(s *Status) { s.Current = nil })
	sr, err := w.opt.Platform.Push(ctx, client.PushRequest{
		BatchUID: it.BatchUID, Version: it.Version, Dataset: sealed.Batch.Dataset, Period: sealed.Batch.Period,
		OrgUnit: sealed.OrgUnit, Replaces: sealed.Replaces, Content: sealed.Content, Signature: sealed.Signature,
		ChunkSize: w.opt.ChunkSize,
	}, func(sent, total int64) { w.progress(ctx, it.ID, sent, total) })
	if err != nil {
		return w.failed(ctx, it, err)
	}
	w.online()
	sum := sha256.Sum256(sealed.Content)
	r := sr.Receipt
	if r.BatchUID != it.BatchUID || r.Version != it.Version || r.ContentSHA256 != hex.EncodeToString(sum[:]) {
		w.record(box.fail(ctx, it.ID, apperr.New(client.ReceiptInvalid, "平台回执与报送的批次不符（批次、版本或内容摘要不同），请联系平台运维核实。")))
		return true
	}
	if err := client.VerifyReceipt(r, sr.ReceiptSignature, key); err != nil {
		w.record(box.fail(ctx, it.ID, err))
		return true
	}
	if err := box.complete(ctx, a, it, sr); err != nil {
		// The platform holds it; the next push gets the same receipt.
		w.opt.Log.Error("storing a receipt", "item", it.ID, "code", apperr.From(err).Code, "err", err)
		w.record(box.postpone(ctx, it.ID, time.Now().Add(w.opt.RetryBase), err))
		return true
	}
	w.opt.Log.Info("batch delivered", "item", it.ID, "uid", it.BatchUID, "version", it.Version, "status", r.Status)
	return true
}

// failed files a push error: temporary ones come back later, login
// failures wait for a login, the rest need a person.
func (w *Worker) failed(ctx context.Context, it Item, err error) bool {
	box := w.opt.Box
	var le *LoginError
	switch {
	case ctx.Err() != nil:
		return false // shutting down: the item stays as it is and resumes next start
	case errors.As(err, &le):
		w.set(func(s *Status) { s.Link, s.Message = LinkAuth, apperr.From(err).Message })
		w.record(box.postpone(ctx, it.ID, time.Now(), err))
		return false
	case client.Temporary(err):
		if apperr.Is(err, client.Offline) {
			w.offline(err)
			w.record(box.postpone(ctx, it.ID, time.Now(), err))
			return false
		}
		// The platform answered 5xx after the client's own retries.
		w.online()
		w.record(box.postpone(ctx, it.ID, time.Now().Add(w.backoff(it.Attempts)), err))
		return true
	default:
		w.online()
		w.opt.Log.Warn("platform refused a batch", "item", it.ID, "code", apperr.From(err).Code)
		w.record(box.fail(ctx, it.ID, err))
		return true
	}
}

func (w *Worker) key(ctx context.Context) (crypto.PublicKey, error) {
	if w.opt.Key != nil {
		return w.opt.Key, nil
	}
	return w.opt.Box.receiptKey(ctx, w.opt.BaseURL, w.opt.Platform.ReceiptKey)
}

// backoff of an item after attempts failures: exponential, capped, and
// jittered so that PCs coming back together do not push in step.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opt.RetryMax
	if attempts < 20 {
		d = min(d, w.opt.RetryBase<<max(0, attempts-1))
	}
	return jitter(d)
}

// jitter spreads d over [d/2, 3d/2).
func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d)+1))
}

func (w *Worker) progress(ctx context.Context, id, sent, total int64) {
	w.set(func(s *Status) {
		if s.Current != nil && s.Current.ItemID == id {
			s.Current.Sent, s.Current.Total = sent, total
		}
	})
	if err := w.opt.Box.progress(ctx, id, sent); err != nil && ctx.Err() == nil {
		w.opt.Log.Error("recording progress", "err", err)
	}
}

func (w *Worker) online() {
	w.set(func(s *Status) { s.Link, s.Message, s.LastContact = LinkOnline, "", time.Now() })
}

func (w *Worker) offline(err error) {
	w.set(func(s *Status) { s.Link, s.Message = LinkOffline, apperr.From(err).Message })
}

func (w *Worker) refreshCounts(ctx context.Context, a batch.Actor) {
	c, err := w.opt.Box.counts(ctx, a.OrgUnitID)
	if err != nil {
		return
	}
	w.set(func(s *Status) { s.Counts = c })
}

func (w *Worker) record(err error) {
	if err != nil {
		w.opt.Log.Error("updating the outbox", "err", err)
	}
}

// set changes the status and tells OnChange, progress at most 4 times a
// second.
func (w *Worker) set(f func(*Status)) {
	w.mu.Lock()
	before := w.status
	f(&w.status)
	s := w.status
	progressOnly := before.Link == s.Link && before.Message == s.Message && before.Counts == s.Counts &&
		(before.Current == nil) == (s.Current == nil)
	if progressOnly && time.Since(w.lastUp) < 250*time.Millisecond {
		w.mu.Unlock()
		return
	}
	w.lastUp = time.Now()
	if s.Current != nil {
		c := *s.Current
		s.Current = &c
	}
	w.mu.Unlock()
	w.opt.OnChange(s)
}
