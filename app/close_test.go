package app

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestCloseWaitsForThePageToSave(t *testing.T) {
	a := newApp(t, t.TempDir())
	var events []string
	a.emit = func(name string, _ ...any) { events = append(events, name) }
	var quits atomic.Int32
	quit := func() { quits.Add(1) }
	if !a.BeforeClose(quit) {
		t.Fatal("the first close was not held")
	}
	if len(events) != 1 || events[0] != "app:before-close" {
		t.Fatalf("events = %v", events)
	}
	a.System.CloseNow()
	if quits.Load() != 1 {
		t.Fatalf("CloseNow quit %d times", quits.Load())
	}
	if a.BeforeClose(quit) {
		t.Fatal("the close that follows CloseNow was held again")
	}
	a.System.CloseNow() // a second call changes nothing
	if quits.Load() != 1 {
		t.Fatalf("quit %d times", quits.Load())
	}
}

func TestCloseGoesOnWhenThePageNeverAnswers(t *testing.T) {
	a := newApp(t, t.TempDir())
	done := make(chan struct{})
	a.BeforeClose(func() { close(done) })
	select {
	case <-done:
	case <-time.After(closeWait + 2*time.Second):
		t.Fatal("the window never closed")
	}
}
