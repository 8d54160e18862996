// Package app is Caiji's face: the services bound into the Wails window.
// Each bound method checks the session in the backend and turns backend
// errors into the JSON envelope the frontend understands. No business rule
// lives here.
package app

import (
	"context"
	"log/slog"
	"path/filepath"

	"caiji/backend/apperr"
	"caiji/backend/config"
	"caiji/backend/session"
	"caiji/backend/store"
)

// Options configure a new App.
type Options struct {
	DataDir string // resolved by config.ResolveDataDir
	Logger  *slog.Logger
}

// App owns the backend for one desktop process.
type App struct {
	ctx      context.Context
	log      *slog.Logger
	dataDir  string
	cfg      config.Config
	store    *store.Store
	sessions *session.Manager
	// startErr is why the backend could not start (corrupt database, bad
	// config). The window still opens and shows it, instead of vanishing.
	startErr error

	System  *SystemService
	Session *SessionService
}

// New opens the data directory, configuration and database. It does not
// fail: a start-up problem is kept and reported through every service.
func New(ctx context.Context, opts Options) *App {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	a := &App{ctx: ctx, log: log, dataDir: opts.DataDir, sessions: session.NewManager()}
	a.startErr = a.open(ctx)
	if a.startErr != nil {
		log.Error("start-up failed", "code", apperr.From(a.startErr).Code, "err", a.startErr)
	}
	a.System = &SystemService{app: a}
	a.Session = &SessionService{app: a}
	return a
}

func (a *App) open(ctx context.Context) error {
	if err := config.EnsureDataDir(a.dataDir); err != nil {
		return err
	}
	cfg, err := config.Load(a.dataDir)
	if err != nil {
		return err
	}
	a.cfg = cfg
	st, err := store.Open(ctx, filepath.Join(a.dataDir, store.FileName))
	if err != nil {
		return err
	}
	a.store = st
	return nil
}

// Bindings are the services Wails exposes to the frontend.
func (a *App) Bindings() []any { return []any{a.System, a.Session} }

// Startup receives the Wails context (needed later for events and dialogs).
func (a *App) Startup(ctx context.Context) { a.ctx = ctx }

// Shutdown closes the database cleanly.
func (a *App) Shutdown(context.Context) {
	a.sessions.Logout()
	if a.store != nil {
		if err := a.store.Close(); err != nil {
			a.log.Error("closing database", "err", err)
		}
	}
}

// ready is the first check of every bound method that needs the backend.
func (a *App) ready() error {
	if a.startErr != nil {
		return a.startErr
	}
	return nil
}

func (a *App) demoMode() bool { return a.cfg.Mode == config.ModeDemo }
