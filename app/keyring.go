package app

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"runtime"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/config"
	"caiji/backend/demo"
	"caiji/backend/identity"
	"caiji/backend/pki"
	"caiji/backend/softkey"
	"caiji/backend/token"
)

// keyring is the wiring of key sources and the certificate checker for
// this installation (which modules, which trust bundle, demo set-up).
type keyring struct {
	modules  []*token.Module
	sources  []auth.KeySource
	checker  *pki.Checker
	trustErr error  // why logins are refused before any key is touched
	demoErr  error  // why demo set-up failed (shown on the login screen)
	demoHSM  string // the SoftHSM2 library used by demo mode
	demoSoft bool   // demo keys are software files (no SoftHSM2 here)
}

// openKeyring: softKeys forces demo mode's software-key fallback (tests of
// the path a Windows PC without SoftHSM2 takes).
func openKeyring(ctx context.Context, log *slog.Logger, dataDir string, cfg config.Config, reg *identity.Registry, softKeys bool) *keyring {
	k := &keyring{}
	extra := cfg.PKCS11Modules
	var layout demo.Layout
	if cfg.Mode == config.ModeDemo {
		layout = demo.LayoutFor(dataDir)
		if !softKeys {
			k.demoHSM = demo.FindSoftHSM()
		}
		k.demoSoft = k.demoHSM == ""
		if k.demoSoft {
			dir := softkey.Dir{Path: layout.SoftKeyDir}
			k.provision(ctx, log, layout, demo.SoftKeys(dir), reg, cfg.TrustBundle)
			k.sources = append(k.sources, softkey.Source{Dir: dir})
		} else {
			// Before any module is opened: SoftHSM reads this once.
			if err := layout.PrepareEnv(); err != nil {
				k.demoErr = err
			}
			extra = append([]string{k.demoHSM}, extra...)
		}
	}
	for _, path := range auth.ModulePaths(extra, cfg.Mode == config.ModeDemo, runtime.GOOS) {
		m, err := token.Open(path)
		if err != nil {
			log.Warn("PKCS#11 module not usable", "path", path, "code", apperr.From(err).Code)
			continue
		}
		k.modules = append(k.modules, m)
		k.sources = append(k.sources, auth.ModuleSource{M: m})
		if path == k.demoHSM {
			k.provision(ctx, log, layout, demo.TokenKeys(m), reg, cfg.TrustBundle)
		}
	}
	crls := cfg.CRLFiles
	if cfg.Mode == config.ModeDemo && layout.Provisioned() {
		crls = append(append([]string(nil), crls...), layout.CRLFiles()...)
	}
	trust, err := pki.LoadTrustBundle(cfg.TrustBundle)
	if err != nil {
		k.trustErr = err
	}
	k.checker = &pki.Checker{
		Trust:    trust,
		CRLFiles: crls,
		CacheDir: filepath.Join(dataDir, "crl-cache"),
		Policy:   pki.CRLPolicy(cfg.CRLPolicy),
		HTTP:     &http.Client{Timeout: 5 * time.Second},
	}
	return k
}

// provision sets demo mode up once per data directory.
func (k *keyring) provision(ctx context.Context, log *slog.Logger, l demo.Layout, keys demo.KeyMaker, reg *identity.Registry, trust string) {
	if k.demoErr != nil || l.Provisioned() {
		return
	}
	start := time.Now()
	if err := demo.Provision(ctx, l, keys, reg, trust); err != nil {
		k.demoErr = err
		log.Error("demo provisioning failed", "err", err)
		return
	}
	log.Info("demo mode provisioned", "took", time.Since(start).Round(time.Millisecond), "software_keys", k.demoSoft)
}

func (k *keyring) close() {
	for _, m := range k.modules {
		m.Close()
	}
}
