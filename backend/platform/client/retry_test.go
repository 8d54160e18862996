package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// 503 and 429 are repeated, waiting at least Retry-After; a run of them
// ends in a Temporary error after MaxRetries repeats.
func TestRetryAfterAndGiveUp(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Retry-After", "7")
		if n == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"code":"unavailable","message":"平台暂时不可用，请稍后重试。"}`))
	}))
	defer srv.Close()
	var waits []time.Duration
	c, err := New(Options{BaseURL: srv.URL, MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond,
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Feedback(context.Background(), "")
	if !apperr.Is(err, wire.Unavailable) || !Temporary(err) {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 4 || len(waits) != 3 || waits[0] != 7*time.Second {
		t.Fatalf("hits %d, waits %v", hits.Load(), waits)
	}
}

// A 401 unauthorized runs Relogin once and repeats the call with the new
// token; a second 401 is returned.
func TestReloginOnUnauthorized(t *testing.T) {
	f := newFixture(t)
	var relogins int
	var c *Client
	c = f.client(Options{Relogin: func(ctx context.Context) error {
		relogins++
		return c.Login(ctx, ou, f.cert, f.key)
	}})
	c.SetToken("expired")
	if _, err := c.Feedback(context.Background(), ""); err != nil || relogins != 1 {
		t.Fatalf("feedback after relogin: %v (relogins %d)", err, relogins)
	}

	c2, _ := New(Options{BaseURL: f.url, Relogin: func(context.Context) error { relogins++; return nil }})
	_, err := c2.Feedback(context.Background(), "")
	if !apperr.Is(err, wire.Unauthorized) || relogins != 2 {
		t.Fatalf("stale relogin: %v (relogins %d)", err, relogins)
	}
}
