package auth

import (
	"context"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/audit"
	"caiji/backend/pki"
	"caiji/backend/session"
)

// Lock locks the session by the user's choice.
func (s *Service) Lock() bool { return s.lock(session.LockByUser) }

// lock locks the session for reason and records it (session.lock) when it
// was unlocked before.
func (s *Service) lock(reason string) bool {
	cur := s.o.Sessions.Current()
	if !s.o.Sessions.Lock(reason) {
		return false
	}
	uid, fp := sessionActor(cur)
	s.note(context.Background(), uid, fp, audit.ActLock, object(uid), map[string]string{"reason": reason})
	return true
}

// Unlock needs the same certificate again: the key is found by its serial
// (it may come back in another slot), logged in with pin, and must prove
// possession once more.
//
// Success is recorded as session.unlock, a refusal as
// session.unlock.refused with the error code.
func (s *Service) Unlock(ctx context.Context, pin string) (*session.Session, error) {
	cur := s.o.Sessions.Current()
	uid, fp := sessionActor(cur)
	wasLocked := cur != nil && cur.Locked
	sess, err := s.unlock(ctx, cur, pin)
	switch {
	case err != nil:
		s.refused(ctx, audit.ActUnlockRefused, attempt{step: stepPIN, userID: uid, fp: fp}, err)
	case wasLocked:
		s.note(ctx, uid, fp, audit.ActUnlock, object(uid), nil)
	}
	return sess, err
}

func (s *Service) unlock(ctx context.Context, cur *session.Session, pin string) (*session.Session, error) {
	if cur == nil {
		return nil, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	s.mu.Lock()
	a := s.active
	s.mu.Unlock()
	if a == nil {
		return nil, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	if !cur.Locked {
		return cur, nil
	}
	serial := a.ks.Token().Serial
	slot, found := uint(0), false
	if ts, err := a.src.Tokens(); err == nil {
		for _, t := range ts {
			if t.Serial == serial {
				slot, found = t.SlotID, true
				break
			}
		}
	}
	if !found {
		return nil, apperr.New(apperr.TokenAbsent, "未检测到登录时使用的 USB Key，请插入本人的 USB Key 后再解锁。")
	}
	// PKCS#11 login state is shared by all of our sessions on a token: while
	// the old one is logged in, C_Login answers "already logged in" without
	// checking the PIN. Close it first so the PIN is really verified.
	a.ks.Close()
	ks, err := a.src.Login(slot, pin)
	if err != nil {
		return nil, err
	}
	p, _, err := s.verifyKey(ctx, a.src, ks)
	if err != nil {
		ks.Close()
		return nil, err
	}
	if pki.Fingerprint(p.cert) != cur.CertFingerprint {
		ks.Close()
		return nil, apperr.New(apperr.Forbidden, "这不是登录时使用的证书。请插入本人的 USB Key，或退出后重新登录。")
	}
	s.mu.Lock()
	if s.active != nil {
		s.active.ks.Close()
	}
	p.user = a.user
	s.active = p
	s.mu.Unlock()
	s.o.Sessions.Unlock()
	return s.o.Sessions.Current(), nil
}

// CheckNow locks the session if its key is gone or it sat idle too long,
// and returns the reason ("" when nothing happened).
func (s *Service) CheckNow() string {
	cur := s.o.Sessions.Current()
	if cur == nil || cur.Locked {
		return ""
	}
	s.mu.Lock()
	a := s.active
	s.mu.Unlock()
	if a != nil && !a.ks.Present() {
		if s.lock(session.LockTokenRemoved) {
			return session.LockTokenRemoved
		}
	}
	if s.o.IdleLock > 0 && s.o.Sessions.IdleFor() >= s.o.IdleLock {
		if s.lock(session.LockIdle) {
			return session.LockIdle
		}
	}
	return ""
}

// Watch runs CheckNow every interval until ctx ends, calling onLock when
// it locked the session (the app turns that into a UI event).
func (s *Service) Watch(ctx context.Context, interval time.Duration, onLock func(reason string)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if r := s.CheckNow(); r != "" && onLock != nil {
				onLock(r)
			}
		}
	}
}
