package app

import (
	"time"

	"caiji/backend/session"
)

// SessionService is login, logout and who-am-I for the frontend.
type SessionService struct{ app *App }

// SessionView is the logged-in user as the UI shows it; Pages comes from the
// backend policy so the menu never disagrees with what the backend allows.
type SessionView struct {
	User      session.User   `json:"user"`
	Pages     []session.Page `json:"pages"`
	Demo      bool           `json:"demo"`
	StartedAt string         `json:"startedAt"`
}

func viewOf(s *session.Session) *SessionView {
	if s == nil {
		return nil
	}
	return &SessionView{
		User:      s.User,
		Pages:     session.PagesFor(s.User.Roles),
		Demo:      s.Demo,
		StartedAt: s.StartedAt.Format(time.RFC3339),
	}
}

// Current returns the session, or null when nobody is logged in.
func (s *SessionService) Current() (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Session.Current", err)
	}
	return viewOf(s.app.sessions.Current()), nil
}

// DemoUsers lists the demo identities; refused outside demo mode.
func (s *SessionService) DemoUsers() ([]session.User, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Session.DemoUsers", err)
	}
	if !s.app.demoMode() {
		return []session.User{}, nil
	}
	return session.DemoUsers(), nil
}

// DemoLogin logs in as a demo identity (demo mode only; enforced in backend).
func (s *SessionService) DemoLogin(userID string) (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Session.DemoLogin", err)
	}
	sess, err := s.app.sessions.DemoLogin(s.app.demoMode(), userID)
	if err != nil {
		return nil, toJS(s.app.log, "Session.DemoLogin", err)
	}
	s.app.log.Info("login", "user", sess.User.ID, "demo", true)
	return viewOf(sess), nil
}

// Logout ends the session.
func (s *SessionService) Logout() error {
	s.app.sessions.Logout()
	return nil
}
