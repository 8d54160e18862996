// Package client talks to the provincial platform (docs/platform-api.md):
// login with the USB key, chunked resumable pushes and signed receipts. It
// retries only what is safe to repeat — transport failures, 5xx and 429 —
// with capped exponential backoff and full jitter, and never a 4xx. Every
// error it returns is an *apperr.Error; Temporary tells a caller (the
// outbox) whether trying the same thing later may succeed.
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// Options configures a Client. Zero values get the defaults noted.
type Options struct {
	BaseURL    string                                           // e.g. https://platform.example/ ; /api/v1 is added if missing
	Roots      *x509.CertPool                                   // trust only these for HTTPS; nil = system roots
	ClientCert *tls.Certificate                                 // optional mutual TLS
	Timeout    time.Duration                                    // per request; default 60 s (an 8 MiB chunk on a slow line)
	MaxRetries int                                              // repeats after the first try; default 5, negative = none
	BaseDelay  time.Duration                                    // first backoff ceiling; default 500 ms
	MaxDelay   time.Duration                                    // backoff ceiling; default 30 s
	ChunkSize  int64                                            // default for PushRequest.ChunkSize; default 1 MiB
	Relogin    func(ctx context.Context) error                  // called once on 401 unauthorized, then the call is repeated
	Now        func() time.Time                                 // for Retry-After dates; default time.Now
	Sleep      func(ctx context.Context, d time.Duration) error // default waits on a timer or ctx
}

// Client is safe for concurrent use.
type Client struct {
	opt Options
	r   *resty.Client

	mu    sync.Mutex
	token string
}

// New builds a client; it does not touch the network.
func New(opt Options) (*Client, error) {
	if opt.BaseURL == "" {
		return nil, apperr.New(apperr.ConfigInvalid, "没有配置省级平台地址，请在设置中填写平台 URL。")
	}
	base := strings.TrimRight(opt.BaseURL, "/")
	if !strings.HasSuffix(base, wire.BasePath) {
		base += wire.BasePath
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	if opt.MaxRetries == 0 {
		opt.MaxRetries = 5
	}
	if opt.BaseDelay <= 0 {
		opt.BaseDelay = 500 * time.Millisecond
	}
	if opt.MaxDelay <= 0 {
		opt.MaxDelay = 30 * time.Second
	}
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = 1 << 20
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleep
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: opt.Roots}
	if opt.ClientCert != nil {
		tlsConf.Certificates = []tls.Certificate{*opt.ClientCert}
	}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: 15 * time.Second,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     90 * time.Second,
	}
	r := resty.NewWithClient(&http.Client{Transport: tr, Timeout: opt.Timeout}).
		SetBaseURL(base).
		SetLogger(quiet{}). // failures come back as errors; resty's own log lines would only be noise
		SetRetryCount(0)    // our loop retries: it knows which errors are safe to repeat
	return &Client{opt: opt, r: r}, nil
}

// SetToken installs a session token obtained elsewhere (e.g. restored).
func (c *Client) SetToken(t string) {
	c.mu.Lock()
	c.token = t
	c.mu.Unlock()
}

// Token is the current session token, "" before login.
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type quiet struct{}

func (quiet) Errorf(string, ...any) {}
func (quiet) Warnf(string, ...any)  {}
func (quiet) Debugf(string, ...any) {}
