package app

import (
	"strconv"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/identity"
	"caiji/backend/session"
)

// guard is the first line of every bound method that needs a login: the
// backend is up, someone is logged in and unlocked, and holds one of roles
// (none given: any logged-in user). Refusals are recorded and counted as
// activity only when allowed.
func (a *App) guard(method string, roles ...session.Role) (*session.Session, error) {
	if err := a.ready(); err != nil {
		return nil, toJS(a.log, method, err)
	}
	s, err := a.sessions.Require(roles...)
	if err != nil {
		a.recordRefusal(method, err)
		return nil, toJS(a.log, method, err)
	}
	a.sessions.Touch()
	// Activity: the session's key signs the audit chain head when one is
	// due (backend/auth decides; usually this returns at once).
	a.auth.SignHeadIfDue(a.ctx)
	return s, nil
}

// batchActor is guard plus the account's org unit, as batch calls need
// it; the session comes along for its roles.
func (a *App) batchActor(method string, roles ...session.Role) (batch.Actor, *session.Session, error) {
	sess, err := a.guard(method, roles...)
	if err != nil {
		return batch.Actor{}, nil, err
	}
	u, err := a.actor(sess)
	if err != nil {
		return batch.Actor{}, nil, toJS(a.log, method, err)
	}
	return batch.Actor{UserID: u.ID, OrgUnitID: u.OrgUnitID, CertFingerprint: sess.CertFingerprint}, sess, nil
}

// actor loads the logged-in account for registry calls that check it,
// acting with the certificate of the session (audit log entries name it).
func (a *App) actor(s *session.Session) (identity.User, error) {
	id, err := strconv.ParseInt(s.User.ID, 10, 64)
	if err != nil {
		return identity.User{}, apperr.New(apperr.NotLoggedIn, "请重新登录。")
	}
	u, err := a.registry.Get(a.ctx, id)
	if err != nil {
		return u, err
	}
	u.Cert.Fingerprint = s.CertFingerprint
	return u, nil
}

// recordRefusal appends a refused call (not logged in, locked, wrong
// role) to the audit log: action "refused", the method as object, the
// code in after, by the session's account and certificate if there is
// one. A failure to record is logged; the call is refused either way.
func (a *App) recordRefusal(method string, err error) {
	code := apperr.From(err).Code
	switch code {
	case apperr.Forbidden, apperr.NotLoggedIn, apperr.SessionLocked:
	default:
		return
	}
	var uid int64
	var fp string
	if cur := a.sessions.Current(); cur != nil {
		uid, _ = strconv.ParseInt(cur.User.ID, 10, 64)
		fp = cur.CertFingerprint
	}
	if rerr := a.registry.RecordRefusal(a.ctx, uid, fp, method, code); rerr != nil {
		a.log.Error("recording refusal", "code", apperr.From(rerr).Code, "err", rerr)
	}
}
