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
	return batch.Actor{UserID: u.ID, OrgUnitID: u.OrgUnitID}, sess, nil
}

// actor loads the logged-in account for registry calls that check it.
func (a *App) actor(s *session.Session) (identity.User, error) {
	id, err := strconv.ParseInt(s.User.ID, 10, 64)
	if err != nil {
		return identity.User{}, apperr.New(apperr.NotLoggedIn, "请重新登录。")
	}
	return a.registry.Get(a.ctx, id)
}

func (a *App) recordRefusal(method string, err error) {
	code := apperr.From(err).Code
	switch code {
	case apperr.Forbidden, apperr.NotLoggedIn, apperr.SessionLocked:
	default:
		return
	}
	var uid int64
	if cur := a.sessions.Current(); cur != nil {
		uid, _ = strconv.ParseInt(cur.User.ID, 10, 64)
	}
	if rerr := a.registry.RecordRefusal(a.ctx, uid, method, code); rerr != nil {
		a.log.Error("recording refusal", "err", rerr)
	}
}
