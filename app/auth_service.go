package app

import (
	"caiji/backend/apperr"
	"caiji/backend/auth"
	"caiji/backend/demo"
	"caiji/backend/session"
)

// AuthService is USB-key login, enrolment of the first admin, locking and
// the user's own certificate and password.
type AuthService struct{ app *App }

// Tokens lists the keys present now. No login needed: the login screen
// polls it to notice insertion and removal.
func (s *AuthService) Tokens() ([]auth.TokenView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Auth.Tokens", err)
	}
	ts, err := s.app.auth.Tokens()
	if err != nil {
		return nil, toJS(s.app.log, "Auth.Tokens", err)
	}
	return ts, nil
}

// Begin logs in to a key with its PIN and checks the certificate.
func (s *AuthService) Begin(source string, slotID uint, pin string) (*auth.Step, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Auth.Begin", err)
	}
	step, err := s.app.auth.Begin(s.app.ctx, source, slotID, pin)
	if err != nil {
		return nil, toJS(s.app.log, "Auth.Begin", err)
	}
	return step, nil
}

// Finish checks the password and opens the session.
func (s *AuthService) Finish(password string) (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Auth.Finish", err)
	}
	sess, err := s.app.auth.Finish(s.app.ctx, password)
	if err != nil {
		return nil, toJS(s.app.log, "Auth.Finish", err)
	}
	s.app.log.Info("login", "user", sess.User.ID)
	s.app.kickSync() // the key can log in to the platform now
	return s.app.viewOf(sess), nil
}

// Enrol registers the first system administrator with the pending key.
func (s *AuthService) Enrol(name, orgUnit, password string) (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Auth.Enrol", err)
	}
	sess, err := s.app.auth.Enrol(s.app.ctx, name, orgUnit, password)
	if err != nil {
		return nil, toJS(s.app.log, "Auth.Enrol", err)
	}
	s.app.log.Info("first administrator enrolled", "user", sess.User.ID)
	return s.app.viewOf(sess), nil
}

// Cancel abandons a half-done login.
func (s *AuthService) Cancel() {
	if s.app.auth != nil {
		s.app.auth.Cancel()
	}
}

// Lock locks the session now (the user steps away).
func (s *AuthService) Lock() error {
	if _, err := s.app.guard("Auth.Lock"); err != nil {
		return err
	}
	if s.app.auth.Lock() {
		s.app.emit("session:locked", session.LockByUser)
	}
	return nil
}

// Unlock needs the same key and its PIN again.
func (s *AuthService) Unlock(pin string) (*SessionView, error) {
	if err := s.app.ready(); err != nil {
		return nil, toJS(s.app.log, "Auth.Unlock", err)
	}
	sess, err := s.app.auth.Unlock(s.app.ctx, pin)
	if err != nil {
		return nil, toJS(s.app.log, "Auth.Unlock", err)
	}
	return s.app.viewOf(sess), nil
}

// Touch tells the backend the user is active (keyboard or mouse), so idle
// locking counts from the last real activity, not the last backend call.
func (s *AuthService) Touch() {
	if s.app.ready() == nil {
		s.app.sessions.Touch()
	}
}

// Certificate is the logged-in user's certificate ("my certificate").
func (s *AuthService) Certificate() (auth.CertView, error) {
	if _, err := s.app.guard("Auth.Certificate"); err != nil {
		return auth.CertView{}, err
	}
	c, err := s.app.auth.Certificate()
	if err != nil {
		return c, toJS(s.app.log, "Auth.Certificate", err)
	}
	return c, nil
}

// ChangePassword changes the logged-in user's own password.
func (s *AuthService) ChangePassword(oldPassword, newPassword string) error {
	sess, err := s.app.guard("Auth.ChangePassword")
	if err != nil {
		return err
	}
	u, err := s.app.actor(sess)
	if err != nil {
		return toJS(s.app.log, "Auth.ChangePassword", err)
	}
	return toJS(s.app.log, "Auth.ChangePassword", s.app.registry.ChangePassword(s.app.ctx, u.ID, oldPassword, newPassword))
}

// DemoKey is a demo user's key as the demo login screen lists it.
type DemoKey struct {
	Role       session.Role `json:"role"`
	Name       string       `json:"name"`
	OrgUnit    string       `json:"orgUnit"`
	TokenLabel string       `json:"tokenLabel"`
	PIN        string       `json:"pin"`
	Password   string       `json:"password"`
}

// DemoStatus says whether demo keys are ready and lists their documented
// PINs. Production installations get nothing.
type DemoStatus struct {
	Demo  bool `json:"demo"`
	Ready bool `json:"ready"`
	// Software: no SoftHSM2 here, so the demo keys are files (not USB keys).
	Software bool      `json:"software"`
	Problem  string    `json:"problem"`
	Keys     []DemoKey `json:"keys"`
}

// Demo reports demo-mode set-up; refused silently (empty) in production.
func (s *AuthService) Demo() (DemoStatus, error) {
	a := s.app
	if err := a.ready(); err != nil || !a.demoMode() {
		return DemoStatus{Keys: []DemoKey{}}, nil
	}
	st := DemoStatus{Demo: true, Ready: a.keys.demoErr == nil, Software: a.keys.demoSoft, Keys: []DemoKey{}}
	if a.keys.demoErr != nil {
		st.Problem = apperr.From(a.keys.demoErr).Message
	}
	for _, id := range demo.Identities {
		st.Keys = append(st.Keys, DemoKey{Role: id.Role, Name: id.Name, OrgUnit: id.OrgUnit, TokenLabel: id.TokenLabel, PIN: id.PIN, Password: demo.Password})
	}
	return st, nil
}
