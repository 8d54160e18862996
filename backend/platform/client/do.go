package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// call is one request of the contract.
type call struct {
	method, path string
	body         any // JSON value, or []byte sent raw
	header       map[string]string
	auth         bool // send the bearer token
}

// do sends c until it gets a 2xx, a final error, or runs out of retries.
// It returns the status and raw body of the 2xx. Only transport failures,
// 5xx and 429 are repeated; a 401 unauthorized triggers one Relogin.
func (c *Client) do(ctx context.Context, k call) (int, []byte, error) {
	relogged := false
	for attempt := 0; ; attempt++ {
		req := c.r.R().SetContext(ctx).SetHeaders(k.header)
		if k.auth {
			if t := c.Token(); t != "" {
				req.SetAuthToken(t)
			}
		}
		if b, ok := k.body.([]byte); ok {
			req.SetHeader("Content-Type", "application/octet-stream").SetBody(b)
		} else if k.body != nil {
			req.SetHeader("Content-Type", "application/json").SetBody(k.body)
		}
		resp, err := req.Execute(k.method, k.path)
		var last error
		var wait time.Duration
		if err != nil {
			e, final := transportError(ctx, err)
			if final {
				return 0, nil, e
			}
			last = e
		} else {
			st, raw := resp.StatusCode(), resp.Body()
			if st >= 200 && st < 300 {
				return st, raw, nil
			}
			last = platformError(st, raw)
			if st == http.StatusUnauthorized && k.auth && apperr.Is(last, wire.Unauthorized) && c.opt.Relogin != nil && !relogged {
				relogged = true
				if err := c.opt.Relogin(ctx); err != nil {
					return 0, nil, err
				}
				attempt-- // the login was not a failure of this request
				continue
			}
			if !wire.Retryable(st) && st != http.StatusTooManyRequests {
				return st, raw, last
			}
			wait = c.retryAfter(resp.Header().Get("Retry-After"))
		}
		if c.opt.MaxRetries < 0 || attempt >= c.opt.MaxRetries {
			return 0, nil, last
		}
		if err := c.opt.Sleep(ctx, max(c.backoff(attempt), wait)); err != nil {
			return 0, nil, apperr.Wrap(apperr.Canceled, "同步已取消。", err)
		}
	}
}

// backoff is full jitter: uniform in [0, min(MaxDelay, BaseDelay·2^attempt)],
// so many clients coming back after an outage do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.opt.MaxDelay
	if attempt < 30 {
		ceil = min(ceil, c.opt.BaseDelay<<attempt)
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// maxRetryAfter bounds a Retry-After so a bad header cannot park sync for days.
const maxRetryAfter = 10 * time.Minute

// retryAfter parses delta-seconds or an HTTP date; 0 when absent or bad.
func (c *Client) retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.Atoi(h); err == nil && s > 0 {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(c.opt.Now())
	}
	return max(0, min(d, maxRetryAfter))
}
