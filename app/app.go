// Package app is Caiji's face: the services bound into the Wails window.
// Each bound method checks the session in the backend and turns backend
// errors into the JSON envelope the frontend understands. No business rule
// lives here: login is backend/auth, accounts are backend/identity.
package app

import (
	"context"
	"crypto"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/config"
	"caiji/backend/identity"
	"caiji/backend/outbox"
	"caiji/backend/platform/client"
	"caiji/backend/session"
	"caiji/backend/store"
)

// Options configure a new App.
type Options struct {
	DataDir string // resolved by config.ResolveDataDir
	Logger  *slog.Logger
	// DemoSoftwareKeys makes demo mode use software key files even where
	// SoftHSM2 exists: the path a Windows PC without it takes (tests).
	DemoSoftwareKeys bool
}

// App owns the backend for one desktop process.
type App struct {
	ctx      context.Context
	cancel   context.CancelFunc
	log      *slog.Logger
	dataDir  string
	cfg      config.Config
	store    *store.Store
	registry *identity.Registry
	auth     *auth.Service
	sessions *session.Manager
	keys     *keyring
	catalog  *catalog.Catalog
	batches  *batch.Service
	outbox   *outbox.Box
	// worker sends the outbox (nil when sync could not start: syncErr).
	worker          *outbox.Worker
	platform        *client.Client
	syncErr         error
	platformURLUsed string
	receiptKey      crypto.PublicKey // from the configuration; nil = pinned
	// startErr is why the backend could not start (corrupt database, bad
	// config). The window still opens and shows it, instead of vanishing.
	startErr error
	// emit sends an event to the UI; a no-op until Wails calls Startup.
	emit func(name string, data ...any)
	// close holds the window's close until the page has saved (close.go).
	close closer
	// desktop is what only the window can do (dialogs); see exports.go.
	desktop Desktop

	System      *SystemService
	Session     *SessionService
	Auth        *AuthService
	Admin       *AdminService
	Entry       *EntryService
	Attachments *AttachmentService
	Imports     *ImportService
	Exports     *ExportService
	Review      *ReviewService
	Corrections *CorrectionService
	Audit       *AuditService
	Sync        *SyncService
}

// New opens the data directory, configuration, database and keys. It does
// not fail: a start-up problem is kept and reported through every service.
func New(ctx context.Context, opts Options) *App {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(ctx)
	a := &App{ctx: ctx, cancel: cancel, log: log, dataDir: opts.DataDir, sessions: session.NewManager(), emit: func(string, ...any) {}}
	a.startErr = a.open(ctx, opts.DemoSoftwareKeys)
	if a.startErr != nil {
		log.Error("start-up failed", "code", apperr.From(a.startErr).Code, "err", a.startErr)
	}
	a.System = &SystemService{app: a}
	a.Session = &SessionService{app: a}
	a.Auth = &AuthService{app: a}
	a.Admin = &AdminService{app: a}
	a.Entry = &EntryService{app: a}
	a.Attachments = &AttachmentService{app: a}
	a.Imports = &ImportService{app: a}
	a.Exports = &ExportService{app: a}
	a.Review = &ReviewService{app: a}
	a.Corrections = &CorrectionService{app: a}
	a.Audit = &AuditService{app: a}
	a.Sync = &SyncService{app: a}
	return a
}

func (a *App) open(ctx context.Context, softKeys bool) error {
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
	a.registry = identity.NewRegistry(st.DB(), identity.Policy{
		PasswordMaxAge: time.Duration(cfg.PasswordMaxAgeDays) * 24 * time.Hour,
	}, nil)
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	a.catalog = cat
	a.batches = batch.New(st.DB(), cat, nil)
	a.outbox = outbox.New(st.DB(), a.batches, nil)
	// Uploads left by a crash are of no use: the page starts over.
	os.RemoveAll(filepath.Join(a.dataDir, "imports"))
	a.keys = openKeyring(ctx, a.log, a.dataDir, cfg, a.registry, softKeys)
	a.auth = auth.New(auth.Options{
		Demo:       a.demoMode(),
		Sources:    a.keys.sources,
		Checker:    a.keys.checker,
		CheckerErr: a.keys.trustErr,
		Registry:   a.registry,
		Sessions:   a.sessions,
		IdleLock:   time.Duration(cfg.IdleLockMinutes) * time.Minute,
		Log:        a.log,
	})
	// Refusals from before the audit log took them over join it once.
	if n, err := a.registry.CopyRefusals(ctx); err != nil {
		a.log.Error("copying old refusals into the audit log", "code", apperr.From(err).Code, "err", err)
	} else if n > 0 {
		a.log.Info("old refusals copied into the audit log", "rows", n)
	}
	return nil
}

// Bindings are the services Wails exposes to the frontend.
func (a *App) Bindings() []any {
	return []any{a.System, a.Session, a.Auth, a.Admin, a.Entry, a.Attachments, a.Imports, a.Exports, a.Review, a.Corrections, a.Audit, a.Sync}
}

// Startup receives the Wails context and starts watching the key and idle
// time; emit is how locks reach the UI.
func (a *App) Startup(ctx context.Context, emit func(name string, data ...any)) {
	if emit != nil {
		a.emit = emit
	}
	if a.auth == nil {
		return
	}
	a.startSync(a.ctx)
	go a.auth.Watch(a.ctx, time.Second, func(reason string) {
		a.log.Info("session locked", "reason", reason)
		a.emit("session:locked", reason)
	})
}

// Shutdown closes keys and the database cleanly.
func (a *App) Shutdown(context.Context) {
	a.cancel()
	if a.auth != nil {
		a.auth.LogoutOnExit()
	}
	if a.keys != nil {
		a.keys.close()
	}
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
