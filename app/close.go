package app

import (
	"sync"
	"time"
)

// closeWait bounds how long the window waits for the page to save what is
// still pending (the grid writes edits ~0.3 s after the last keystroke).
const closeWait = 3 * time.Second

// closer holds the window's close while the page saves.
type closer struct {
	once sync.Once
	mu   sync.Mutex
	held bool
	quit func()
}

// BeforeClose is the window's close button (Wails OnBeforeClose). The
// first time, the page is told to save pending edits ("app:before-close")
// and the close is held; the page then calls System.CloseNow, or after
// closeWait the window closes anyway. Returns true to hold the close.
func (a *App) BeforeClose(quit func()) bool {
	a.close.mu.Lock()
	defer a.close.mu.Unlock()
	if a.close.held {
		return false // the second request (from CloseNow or the timer) goes through
	}
	a.close.held = true
	a.close.quit = quit
	a.emit("app:before-close")
	time.AfterFunc(closeWait, a.quitOnce)
	return true
}

func (a *App) quitOnce() {
	a.close.mu.Lock()
	quit := a.close.quit
	a.close.mu.Unlock()
	if quit != nil {
		a.close.once.Do(quit)
	}
}

// CloseNow is the page saying its edits are saved: the held close goes on.
// It needs no login: it only lets a close the user asked for proceed.
func (s *SystemService) CloseNow() { s.app.quitOnce() }
