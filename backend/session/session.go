package session

import (
	"sync"
	"time"

	"caiji/backend/apperr"
)

// User is the real-name person behind a session.
type User struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	OrgUnit string `json:"orgUnit"`
	Roles   []Role `json:"roles"`
}

// Session is one logged-in user on this PC.
type Session struct {
	User      User
	StartedAt time.Time
	Demo      bool // logged in with a demo identity, not a USB key
}

// Manager keeps the single session of this desktop client.
type Manager struct {
	mu  sync.Mutex
	cur *Session
	now func() time.Time
}

// NewManager returns a manager with nobody logged in.
func NewManager() *Manager { return &Manager{now: time.Now} }

// Current returns the session, or nil when nobody is logged in.
func (m *Manager) Current() *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.clone()
}

// Logout ends the session; it is not an error when nobody is logged in.
func (m *Manager) Logout() {
	m.mu.Lock()
	m.cur = nil
	m.mu.Unlock()
}

// Require returns the session if its user holds one of roles. Every bound
// method that touches data calls this first. With no roles given it only
// requires a login.
func (m *Manager) Require(roles ...Role) (*Session, error) {
	s := m.Current()
	if s == nil {
		return nil, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	if len(roles) > 0 && !anyOf(s.User.Roles, roles) {
		return nil, apperr.New(apperr.Forbidden, "当前用户的角色无权执行此操作。")
	}
	return s, nil
}

// RequirePage is Require for the roles of page.
func (m *Manager) RequirePage(p Page) (*Session, error) { return m.Require(RolesFor(p)...) }

func (m *Manager) start(u User, demo bool) *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cur = &Session{User: u, StartedAt: m.now(), Demo: demo}
	m.cur.User.Roles = append([]Role(nil), u.Roles...)
	return m.cur.clone()
}

// clone gives callers a copy they cannot use to change the live session's
// roles; nil stays nil.
func (s *Session) clone() *Session {
	if s == nil {
		return nil
	}
	c := *s
	c.User.Roles = append([]Role(nil), s.User.Roles...)
	return &c
}
