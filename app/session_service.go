package app

import (
	"strconv"
	"time"

	"caiji/backend/session"
)

// SessionService is who-am-I and logout for the frontend.
type SessionService struct{ app *App }

// SessionView is the logged-in user as the UI shows it; Pages comes from the
// backend policy so the menu never disagrees with what the backend allows.
type SessionView struct {
	User       session.User   `json:"user"`
	Pages      []session.Page `json:"pages"`
	Demo       bool           `json:"demo"`
	Software   bool           `json:"software"` // software key: demo fallback, not a USB key
	Locked     bool           `json:"locked"`
	LockReason string         `json:"lockReason"`
	StartedAt  string         `json:"startedAt"`
	Password   PasswordView   `json:"password"`
}

// PasswordView drives the change reminder (seed 002 第十五条).
type PasswordView struct {
	MustChange bool `json:"mustChange"`
	Expired    bool `json:"expired"`
	DaysLeft   int  `json:"daysLeft"`
	RemindNow  bool `json:"remindNow"`
}

// passwordRemindDays is when the reminder starts.
const passwordRemindDays = 7

func (a *App) viewOf(s *session.Session) *SessionView {
	if s == nil {
		return nil
	}
	v := &SessionView{
		User:       s.User,
		Pages:      session.PagesFor(s.User.Roles),
		Demo:       s.Demo,
		Software:   s.Software,
		Locked:     s.Locked,
		LockReason: s.LockReason,
		StartedAt:  s.StartedAt.Format(time.RFC3339),
	}
	if s.Locked {
		v.Pages = []session.Page{}
	}
	if id, err := strconv.ParseInt(s.User.ID, 10, 64); err == nil {
		if u, err := a.registry.Get(a.ctx, id); err == nil {
			expired, days := a.registry.PasswordStatus(u)
			v.Password = PasswordView{MustChange: u.MustChangePassword, Expired: expired, DaysLeft: days,
				RemindNow: u.MustChangePassword || expired || days <= passwordRemindDays}
		}
	}
	return v
}

// Current returns the session (also when locked, so the UI can show the
// lock screen), or null when nobody is logged in.
func (s *SessionService) Current() (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Session.Current", err)
	}
	return s.app.viewOf(s.app.sessions.Current()), nil
}

// Logout ends the session and closes the key.
func (s *SessionService) Logout() error {
	if s.app.auth != nil {
		s.app.auth.Logout()
	}
	s.app.sessions.Logout()
	// The platform token was the person's login: the next one signs anew.
	if s.app.platform != nil {
		s.app.platform.SetToken("")
	}
	return nil
}
