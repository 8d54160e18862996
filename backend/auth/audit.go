package auth

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/pki"
	"caiji/backend/session"
)

// Logins, refused login steps, logout, locking and unlocking are written
// to the audit log (backend/audit, docs/audit-log.md), and the session's
// key signs the chain head at logout and at intervals while it is open.
// Entries name the account by id and the key by certificate fingerprint;
// no PIN or password, token label (often a person's name) or certificate
// subject is ever written.

// Steps of a login, as login.refused entries name them.
const (
	stepConfig      = "config"      // certificates cannot be checked at all (trust bundle)
	stepKey         = "key"         // the chosen key source or key is not there
	stepPIN         = "pin"         // the key refused the PIN
	stepCertificate = "certificate" // the key's certificate failed a check
	stepAccount     = "account"     // no usable account holds the certificate
	stepPassword    = "password"    // the account's password
	stepEnrol       = "enrol"       // first-administrator enrolment
)

// Why a session ended, as logout entries say.
const (
	LogoutByUser    = "user"
	LogoutNewLogin  = "new_login"  // a new login began on this PC
	LogoutAppClosed = "app_closed" // the window closed with a session open
)

// Defaults of the interval signing (Options.HeadEvery, HeadEntries).
// Entries after the last signed head are the ones that could be cut off
// or rewritten without a trace (docs/audit-log.md, limits); 15 minutes of
// activity or 200 entries bounds that window to a short stretch of one
// person's work. A token signs in milliseconds (a real USB key in about
// 0.1 s), so one signature every 15 minutes costs nothing noticeable,
// while a signature on every entry would make each save wait for the key.
const (
	DefaultHeadEvery   = 15 * time.Minute
	DefaultHeadEntries = 200
	// headRetry keeps a key that cannot sign (pulled out, log broken)
	// from being asked again on every call.
	headRetry = time.Minute
)

// signTimeout bounds the key's signature at logout, which has no caller
// context: logout must finish even if the key hangs.
const signTimeout = 10 * time.Second

// attempt is what a login attempt is known to be so far.
type attempt struct {
	step   string
	userID int64
	fp     string
}

func (s *Service) log() *slog.Logger {
	if s.o.Log != nil {
		return s.o.Log
	}
	return slog.Default()
}

// append writes one entry now, by the account and certificate given.
func (s *Service) append(ctx context.Context, userID int64, fp, action, object string, after any) error {
	_, err := audit.Append(ctx, s.o.Registry.DB(), audit.Entry{At: s.o.Now(), UserID: userID, CertFingerprint: fp,
		Action: action, Object: object, After: audit.JSON(after)})
	return err
}

// note is append for events that must not fail the user's action (a
// refused step, a lock, a logout): a failure is logged, codes only.
func (s *Service) note(ctx context.Context, userID int64, fp, action, object string, after any) {
	if err := s.append(ctx, userID, fp, action, object, after); err != nil {
		s.log().Error("audit entry not written", "action", action, "code", apperr.From(err).Code, "err", err)
	}
}

// refused records a refused login step (or unlock) with the error code.
func (s *Service) refused(ctx context.Context, action string, at attempt, err error) {
	s.note(ctx, at.userID, at.fp, action, object(at.userID),
		map[string]string{"step": at.step, "code": string(apperr.From(err).Code)})
}

func object(userID int64) string {
	if userID == 0 {
		return ""
	}
	return "user:" + strconv.FormatInt(userID, 10)
}

// sessionActor is the account id and certificate of a session.
func sessionActor(cur *session.Session) (int64, string) {
	if cur == nil {
		return 0, ""
	}
	id, _ := strconv.ParseInt(cur.User.ID, 10, 64)
	return id, cur.CertFingerprint
}

// recordLogin keeps the certificate for head verification and writes the
// login entry; both before the session opens, so there is no session
// without its entry.
func (s *Service) recordLogin(ctx context.Context, p *pending, userID int64, enrolled bool) error {
	db := s.o.Registry.DB()
	if err := audit.StoreCert(ctx, db, p.cert.Raw, s.o.Now()); err != nil {
		return err
	}
	after := map[string]any{"software": p.src.Software()}
	if enrolled {
		after["enrolled"] = true
	}
	return s.append(ctx, userID, pki.Fingerprint(p.cert), audit.ActLogin, object(userID), after)
}

// signHead signs the chain head with the key of a; a failure is logged
// and otherwise ignored (a head is evidence, never a reason to stop work).
func (s *Service) signHead(ctx context.Context, a *pending, when string) bool {
	if _, err := audit.SignHead(ctx, s.o.Registry.DB(), a.signer, pki.Fingerprint(a.cert)); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return true // an empty log has no head to sign
		}
		s.log().Warn("audit chain head not signed", "when", when, "code", apperr.From(err).Code, "err", err)
		return false
	}
	return true
}

// SignHeadIfDue signs the chain head with the open session's key when
// HeadEvery has passed since the session's last signed head (or its
// start) and entries were added since, or when HeadEntries entries are
// unsigned. The app calls it on every allowed call (activity); it returns
// at once when nothing is due, and when another signature is under way.
func (s *Service) SignHeadIfDue(ctx context.Context) {
	if !s.headMu.TryLock() {
		return
	}
	defer s.headMu.Unlock()
	cur := s.o.Sessions.Current()
	if cur == nil || cur.Locked {
		return
	}
	s.mu.Lock()
	a := s.active
	s.mu.Unlock()
	if a == nil {
		return
	}
	now := s.o.Now()
	if now.Sub(s.headTried) < headRetry {
		return
	}
	var unsigned int64
	if err := s.o.Registry.DB().QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log)
		- (SELECT COALESCE(MAX(entry_id), 0) FROM audit_heads)`).Scan(&unsigned); err != nil {
		s.log().Warn("audit chain head not checked", "err", err)
		return
	}
	due := unsigned >= int64(s.headEntries()) || unsigned > 0 && now.Sub(s.headAt) >= s.headEvery()
	if !due {
		return
	}
	s.headTried = now
	if s.signHead(ctx, a, "interval") {
		s.headAt = now
	}
}

func (s *Service) headEvery() time.Duration {
	if s.o.HeadEvery > 0 {
		return s.o.HeadEvery
	}
	return DefaultHeadEvery
}

func (s *Service) headEntries() int {
	if s.o.HeadEntries > 0 {
		return s.o.HeadEntries
	}
	return DefaultHeadEntries
}
