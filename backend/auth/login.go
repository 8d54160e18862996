package auth

import (
	"context"
	"crypto"
	"crypto/x509"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/identity"
	"caiji/backend/pki"
	"caiji/backend/session"
	"caiji/backend/token"
)

// Options wire the service.
type Options struct {
	Demo    bool // demo installation: software keys allowed, sessions marked demo
	Sources []KeySource
	Checker *pki.Checker
	// CheckerErr is why certificates cannot be checked at all (e.g. the
	// trust bundle is missing); every login is refused with it.
	CheckerErr error
	Registry   *identity.Registry
	Sessions   *session.Manager
	IdleLock   time.Duration
	Now        func() time.Time
	// Log receives failures to write the audit log or sign a chain head
	// (codes only); nil means slog.Default().
	Log *slog.Logger
	// HeadEvery and HeadEntries say when an open session's key signs the
	// audit chain head (SignHeadIfDue); zero means DefaultHeadEvery and
	// DefaultHeadEntries.
	HeadEvery   time.Duration
	HeadEntries int
}

// Step tells the login screen what comes after the PIN.
type Step struct {
	Next     string        `json:"next"` // "password" or "enrol" (first system admin)
	Cert     CertView      `json:"cert"`
	UserName string        `json:"userName,omitempty"`
	Warnings []pki.Warning `json:"warnings"`
}

// pending is a key that passed every certificate check and waits for the
// password (or the first-admin enrolment).
type pending struct {
	src    KeySource
	ks     KeySession
	cert   *x509.Certificate
	signer crypto.Signer
	user   *identity.User // nil when enrolling
}

// Service runs login, unlock and locking for the one desktop session.
type Service struct {
	o       Options
	mu      sync.Mutex
	pending *pending
	active  *pending // the key behind the open session

	// headMu is held while the key signs a chain head, so logout waits
	// for an interval signature before it closes the key; headAt and
	// headTried (guarded by it) are when this session last signed one
	// and last tried.
	headMu            sync.Mutex
	headAt, headTried time.Time
}

// New returns the service; software sources are dropped outside demo mode,
// so production never even lists one.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if !o.Demo {
		var hw []KeySource
		for _, s := range o.Sources {
			if !s.Software() {
				hw = append(hw, s)
			}
		}
		o.Sources = hw
	}
	return &Service{o: o}
}

// Tokens lists the keys present now, over every source.
func (s *Service) Tokens() ([]TokenView, error) {
	out := []TokenView{}
	var firstErr error
	for _, src := range s.o.Sources {
		ts, err := src.Tokens()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		for _, t := range ts {
			out = append(out, TokenView{Source: src.Name(), Software: src.Software(), TokenInfo: t})
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func (s *Service) source(name string) (KeySource, error) {
	for _, src := range s.o.Sources {
		if src.Name() == name {
			return src, nil
		}
	}
	if !s.o.Demo {
		return nil, apperr.New(apperr.SoftwareKeyRefused, "正式模式只接受 USB Key 登录，请选择已插入的 USB Key。")
	}
	return nil, apperr.New(apperr.TokenAbsent, "找不到所选的 USB Key，请重新插入后刷新列表。")
}

// Begin logs in to the key with pin and checks everything that does not
// need the password: algorithm, chain, dates, key usage, revocation, that
// the private key is there and really signs, and that an account holds
// this certificate.
//
// Every refusal is recorded in the audit log (login.refused) with the
// step that refused it and the error code.
func (s *Service) Begin(ctx context.Context, source string, slotID uint, pin string) (*Step, error) {
	var at attempt
	step, err := s.begin(ctx, source, slotID, pin, &at)
	if err != nil {
		s.refused(ctx, audit.ActLoginRefused, at, err)
	}
	return step, err
}

func (s *Service) begin(ctx context.Context, source string, slotID uint, pin string, at *attempt) (*Step, error) {
	at.step = stepConfig
	if s.o.CheckerErr != nil {
		return nil, s.o.CheckerErr
	}
	at.step = stepKey
	src, err := s.source(source)
	if err != nil {
		return nil, err
	}
	// A new login ends any open or locked session first; otherwise the
	// token, still logged in for it, would accept any PIN (see Unlock).
	s.logout(LogoutNewLogin)
	at.step = stepPIN
	ks, err := src.Login(slotID, pin)
	if err != nil {
		return nil, err
	}
	at.step = stepCertificate
	p, warnings, err := s.verifyKey(ctx, src, ks)
	if p != nil && p.cert != nil {
		at.fp = pki.Fingerprint(p.cert)
	}
	if err != nil {
		ks.Close()
		return nil, err
	}
	at.step = stepAccount
	step := &Step{Next: "password", Cert: certView(p.cert, s.o.Now()), Warnings: warnings}
	n, err := s.o.Registry.UserCount(ctx)
	if err != nil {
		ks.Close()
		return nil, err
	}
	if n == 0 {
		step.Next = "enrol"
	} else {
		u, err := s.o.Registry.FindByCert(ctx, p.cert.Issuer.String(), pki.SerialHex(p.cert))
		at.userID = u.ID // also of a disabled account, so the refusal names it
		if err != nil {
			ks.Close()
			return nil, err
		}
		// Issuer+serial names the certificate; the key id guards against a
		// reissued certificate with the same serial from a misbehaving CA.
		if u.Cert.SKI != "" && u.Cert.SKI != pki.SubjectKeyID(p.cert) {
			ks.Close()
			return nil, apperr.New(apperr.UnknownUser, "该证书与账号登记的密钥不一致，请联系系统管理员重新绑定证书。")
		}
		p.user = &u
		step.UserName = u.Name
	}
	s.mu.Lock()
	s.pending = p
	s.mu.Unlock()
	return step, nil
}

func (s *Service) verifyKey(ctx context.Context, src KeySource, ks KeySession) (*pending, []pki.Warning, error) {
	return verifyKey(ctx, s.o.Checker, src, ks)
}

// CheckToken logs in to a key and runs every check that needs no account
// (the CLI's `token check`). The key session is closed before returning.
func CheckToken(ctx context.Context, checker *pki.Checker, src KeySource, slotID uint, pin string) (CertView, []pki.Warning, error) {
	ks, err := src.Login(slotID, pin)
	if err != nil {
		return CertView{}, nil, err
	}
	defer ks.Close()
	p, warnings, err := verifyKey(ctx, checker, src, ks)
	if err != nil {
		if p != nil {
			return certView(p.cert, time.Now()), nil, err
		}
		return CertView{}, nil, err
	}
	return certView(p.cert, time.Now()), warnings, nil
}

// verifyKey picks the key's signing certificate and runs the checks. On a
// failed check it still returns the certificate it judged, for messages.
func verifyKey(ctx context.Context, checker *pki.Checker, src KeySource, ks KeySession) (*pending, []pki.Warning, error) {
	certs, err := ks.Certificates()
	if err != nil {
		return nil, nil, err
	}
	if len(certs) == 0 {
		return nil, nil, apperr.New(apperr.KeyMissing, "USB Key 中没有证书，请确认插入的是本人的 CA 数字证书。")
	}
	leaf, algErr := pickSigningCert(certs)
	if leaf == nil {
		return nil, nil, algErr
	}
	var extra []*x509.Certificate
	for _, c := range certs {
		if c.Cert != nil && c.Cert != leaf.Cert {
			extra = append(extra, c.Cert)
		}
	}
	judged := &pending{src: src, ks: ks, cert: leaf.Cert}
	verified, err := checker.Check(ctx, leaf.Cert, extra)
	if err != nil {
		return judged, nil, err
	}
	signer, err := ks.Signer(*leaf)
	if err != nil {
		return judged, nil, err
	}
	if err := pki.ProvePossession(signer, leaf.Cert); err != nil {
		return judged, nil, err
	}
	return &pending{src: src, ks: ks, cert: leaf.Cert, signer: signer}, verified.Warnings, nil
}

// pickSigningCert prefers an end-entity certificate that allows digital
// signatures: Chinese keys often hold a signing and an encryption
// certificate (双证书). If none is usable, the algorithm error explains why
// (e.g. an SM2 certificate).
func pickSigningCert(certs []token.Certificate) (*token.Certificate, error) {
	var algErr error
	var fallback *token.Certificate
	for i := range certs {
		c := &certs[i]
		if err := pki.CheckAlgorithm(c.Raw); err != nil {
			if algErr == nil {
				algErr = err
			}
			continue
		}
		if c.Cert == nil || c.Cert.IsCA {
			continue
		}
		if c.Cert.KeyUsage&x509.KeyUsageDigitalSignature != 0 {
			return c, nil
		}
		if fallback == nil {
			fallback = c
		}
	}
	if fallback != nil {
		return fallback, nil // the checker refuses it with the key-usage reason
	}
	if algErr == nil {
		algErr = apperr.New(apperr.KeyMissing, "USB Key 中没有可用于登录的个人证书。")
	}
	return nil, algErr
}

// Finish checks the password of the pending account and opens the session.
// A wrong password is recorded (login.refused, step password) against
// the account the key identified; success is recorded as login.
func (s *Service) Finish(ctx context.Context, password string) (*session.Session, error) {
	s.mu.Lock()
	p := s.pending
	s.mu.Unlock()
	at := attempt{step: stepPassword}
	if p != nil {
		at.fp = pki.Fingerprint(p.cert)
	}
	if p == nil || p.user == nil {
		err := apperr.New(apperr.BadInput, "请先插入 USB Key 并输入 PIN 码。")
		s.refused(ctx, audit.ActLoginRefused, at, err)
		return nil, err
	}
	at.userID = p.user.ID
	if err := s.o.Registry.VerifyPassword(ctx, p.user.ID, password); err != nil {
		s.refused(ctx, audit.ActLoginRefused, at, err)
		return nil, err
	}
	if err := s.recordLogin(ctx, p, p.user.ID, false); err != nil {
		return nil, err
	}
	return s.open(p, *p.user), nil
}

// Enrol makes the first system administrator from the pending key. Only
// possible while no account exists (the registry enforces it).
func (s *Service) Enrol(ctx context.Context, name, orgUnit, password string) (*session.Session, error) {
	s.mu.Lock()
	p := s.pending
	s.mu.Unlock()
	at := attempt{step: stepEnrol}
	if p != nil {
		at.fp = pki.Fingerprint(p.cert)
	}
	if p == nil || p.user != nil {
		err := apperr.New(apperr.AlreadyEnrolled, "只有在没有任何用户时才能进行首次登记。")
		s.refused(ctx, audit.ActLoginRefused, at, err)
		return nil, err
	}
	u, err := s.o.Registry.EnrolFirstAdmin(ctx, name, orgUnit, CertRef(p.cert), password)
	if err != nil {
		s.refused(ctx, audit.ActLoginRefused, at, err)
		return nil, err
	}
	if err := s.recordLogin(ctx, p, u.ID, true); err != nil {
		return nil, err
	}
	return s.open(p, u), nil
}

func (s *Service) open(p *pending, u identity.User) *session.Session {
	s.mu.Lock()
	if s.active != nil && s.active != p {
		s.active.ks.Close()
	}
	s.active, s.pending = p, nil
	s.mu.Unlock()
	s.headMu.Lock()
	s.headAt, s.headTried = s.o.Now(), time.Time{}
	s.headMu.Unlock()
	return s.o.Sessions.Start(session.Session{
		User:            SessionUser(u),
		Demo:            s.o.Demo,
		Software:        p.src.Software(),
		CertFingerprint: pki.Fingerprint(p.cert),
	})
}

// SessionUser is the account as the session carries it.
func SessionUser(u identity.User) session.User {
	return session.User{ID: strconv.FormatInt(u.ID, 10), Name: u.Name, OrgUnit: u.OrgUnit, Roles: u.Roles}
}

// Cancel drops a half-done login and closes its key session.
func (s *Service) Cancel() {
	s.mu.Lock()
	p := s.pending
	s.pending = nil
	s.mu.Unlock()
	if p != nil {
		p.ks.Close()
	}
}

// Logout ends the session at the user's request and closes the key.
func (s *Service) Logout() { s.logout(LogoutByUser) }

// LogoutOnExit ends a session still open when the app closes.
func (s *Service) LogoutOnExit() { s.logout(LogoutAppClosed) }

// logout records the end of an open session (logout, with why), has its
// key sign the chain head so that everything up to the logout is vouched
// for, then closes the key. Neither a failed entry nor a failed signature
// (key pulled out, log tampered with) keeps the session open: they are
// logged, and the next verify shows the unsigned tail. A locked session is
// signed for too: its key is still logged in, and the head covers only
// what that session and the log already hold.
func (s *Service) logout(reason string) {
	s.Cancel()
	s.headMu.Lock()
	defer s.headMu.Unlock()
	s.mu.Lock()
	a := s.active
	s.active = nil
	s.mu.Unlock()
	if a != nil {
		ctx, cancel := context.WithTimeout(context.Background(), signTimeout)
		uid, fp := sessionActor(s.o.Sessions.Current())
		if fp == "" {
			fp = pki.Fingerprint(a.cert)
		}
		s.note(ctx, uid, fp, audit.ActLogout, object(uid), map[string]string{"reason": reason})
		s.signHead(ctx, a, "logout")
		cancel()
		a.ks.Close()
	}
	s.o.Sessions.Logout()
}

// Certificate is the logged-in user's certificate.
func (s *Service) Certificate() (CertView, error) {
	s.mu.Lock()
	a := s.active
	s.mu.Unlock()
	if a == nil {
		return CertView{}, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	return certView(a.cert, s.o.Now()), nil
}

// Signer signs with the logged-in user's key (approvals, audit chain).
func (s *Service) Signer() (crypto.Signer, *x509.Certificate, error) {
	if _, err := s.o.Sessions.Require(); err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == nil {
		return nil, nil, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	return s.active.signer, s.active.cert, nil
}
