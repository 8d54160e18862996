package client

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
)

// Nobody listening: MaxRetries repeats, then a Temporary Offline error
// whose message tells the clerk what happened.
func TestOfflineIsRetriedThenExplained(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var sleeps int
	c, _ := New(Options{BaseURL: "http://" + addr, MaxRetries: 2, Timeout: time.Second,
		Sleep: func(context.Context, time.Duration) error { sleeps++; return nil }})
	_, err = c.Feedback(context.Background(), "")
	if !apperr.Is(err, Offline) || !Temporary(err) || sleeps != 2 || !strings.Contains(apperr.From(err).Message, "无法连接省级平台") {
		t.Fatalf("offline: %v (sleeps %d)", err, sleeps)
	}
}
