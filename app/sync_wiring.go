package app

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/outbox"
	"caiji/backend/pki"
	"caiji/backend/platform/client"
	"caiji/backend/platform/sim"
	"caiji/backend/platform/wire"
	"caiji/backend/session"
)

// startSync connects the outbox to the platform and starts its worker.
// In demo mode without a platform address it first starts the bundled
// simulator on loopback, trusting the demo CA, so that `make run` sends
// approved batches for real. A problem here never stops the app: the
// 同步 page shows it.
func (a *App) startSync(ctx context.Context) {
	base, err := a.platformURL(ctx)
	if err != nil {
		a.syncErr = err
		a.log.Error("sync not started", "code", apperr.From(err).Code, "err", err)
		return
	}
	var roots *x509.CertPool
	if p := a.cfg.Platform.Roots; p != "" {
		ts, err := pki.LoadTrustBundle(p)
		if err != nil {
			a.syncErr = err
			return
		}
		roots = x509.NewCertPool()
		for _, c := range ts.Roots() {
			roots.AddCert(c)
		}
	}
	var key crypto.PublicKey
	if p := a.cfg.Platform.ReceiptKey; p != "" {
		if key, err = outbox.LoadReceiptKey(p); err != nil {
			a.syncErr = err
			return
		}
		a.receiptKey = key
	}
	var cl *client.Client
	cl, err = client.New(client.Options{BaseURL: base, Roots: roots, MaxRetries: 2,
		Relogin: func(ctx context.Context) error { return a.platformLogin(ctx, cl) }})
	if err != nil {
		a.syncErr = err
		return
	}
	a.platformURLUsed, a.platform = base, cl
	a.worker = outbox.NewWorker(outbox.Options{
		Box: a.outbox, Platform: cl, BaseURL: base, Key: key, Roots: a.trustedRoots(),
		Org: a.syncOrg, Log: a.log,
		OnChange: func(outbox.Status) { a.emit("sync:status", a.syncState()) },
	})
	go a.worker.Run(ctx)
}

// platformURL is the configured platform, or in demo mode the simulator
// started here (listening on platform.demoAddr, default any free port).
func (a *App) platformURL(ctx context.Context) (string, error) {
	if a.cfg.Platform.URL != "" {
		return a.cfg.Platform.URL, nil
	}
	if !a.demoMode() {
		return "", apperr.New(apperr.ConfigInvalid, "没有配置省级平台地址（config.json 的 platform.url），已审核的批次会留在本机队列中，配置后自动报送。请联系系统管理员。")
	}
	if a.keys == nil || a.keys.checker == nil {
		return "", apperr.New(apperr.ConfigInvalid, "演示平台需要演示 CA，但信任证书没有加载。")
	}
	s, err := sim.Open(ctx, filepath.Join(a.dataDir, "platform-sim"), a.keys.checker.Trust)
	if err != nil {
		return "", err
	}
	addr := a.cfg.Platform.DemoAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return "", apperr.Wrap(apperr.ConfigInvalid, "演示平台无法监听 "+addr+"（端口可能被占用），请修改 platform.demoAddr。", err)
	}
	go func() {
		if err := s.Serve(ctx, ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) && ctx.Err() == nil {
			a.log.Error("demo platform stopped", "err", err)
		}
		s.Close()
	}()
	url := "http://" + ln.Addr().String() + wire.BasePath
	a.log.Info("demo platform started", "url", url)
	// Tests and integrators find the simulator here.
	_ = os.WriteFile(filepath.Join(a.dataDir, "platform-sim", "url"), []byte(url+"\n"), 0o600)
	return url, nil
}

// syncOrg is whose batches the worker sends: the org unit of the clerk or
// reviewer logged in (their key logs in to the platform).
func (a *App) syncOrg() (batch.Actor, bool) {
	sess := a.sessions.Current()
	if sess == nil || !sess.User.MayOpen(session.PageSync) {
		// Administrators and the auditor never act on business data, not
		// even by lending their key to the platform login (三员分立).
		return batch.Actor{}, false
	}
	id, err := strconv.ParseInt(sess.User.ID, 10, 64)
	if err != nil {
		return batch.Actor{}, false
	}
	u, err := a.registry.Get(a.ctx, id)
	if err != nil {
		return batch.Actor{}, false
	}
	return batch.Actor{OrgUnitID: u.OrgUnitID, CertFingerprint: sess.CertFingerprint}, true
}

// platformLogin signs the platform's challenge with the session's key.
func (a *App) platformLogin(ctx context.Context, cl *client.Client) error {
	key, cert, err := a.auth.Signer()
	if err != nil {
		return &outbox.LoginError{Err: apperr.Wrap(apperr.NotLoggedIn, "登录省级平台需要 UKey：请插入 UKey 并解锁后，报送会自动继续。", err)}
	}
	org, ok := a.syncOrg()
	if !ok {
		return &outbox.LoginError{Err: apperr.New(apperr.NotLoggedIn, "请录入员或审核员登录后再报送。")}
	}
	code, err := a.registry.OrgUnitCode(ctx, org.OrgUnitID)
	if err != nil {
		return &outbox.LoginError{Err: err}
	}
	if err := cl.Login(ctx, code, cert, key); err != nil {
		if client.Temporary(err) {
			return err // offline: not the login's fault
		}
		return &outbox.LoginError{Err: err}
	}
	return nil
}
