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

// Why a session was locked.
const (
	LockIdle         = "idle"
	LockTokenRemoved = "token_removed"
	LockByUser       = "user"
)

// Session is one logged-in user on this PC.
type Session struct {
	User      User
	StartedAt time.Time
	Demo      bool // logged in with a demo identity or demo key
	Software  bool // the key is a software file (demo fallback), not a USB key
	// CertFingerprint names the certificate the session was opened with;
	// unlocking must present the same one.
	CertFingerprint string
	Locked          bool
	LockReason      string
	LastActive      time.Time
}

// Manager keeps the single session of this desktop client.
type Manager struct {
	mu  sync.Mutex
	cur *Session
	now func() time.Time
}

// NewManager returns a manager with nobody logged in.
func NewManager() *Manager { return &Manager{now: time.Now} }

// SetClock replaces the clock (tests of idle locking).
func (m *Manager) SetClock(now func() time.Time) {
	m.mu.Lock()
	m.now = now
	m.mu.Unlock()
}

// Current returns the session, or nil when nobody is logged in.
func (m *Manager) Current() *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.clone()
}

// Start opens a session for u, replacing any other.
func (m *Manager) Start(s Session) *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.StartedAt = m.now()
	s.LastActive = s.StartedAt
	s.Locked, s.LockReason = false, ""
	m.cur = s.clone()
	return m.cur.clone()
}

// Logout ends the session; it is not an error when nobody is logged in.
func (m *Manager) Logout() {
	m.mu.Lock()
	m.cur = nil
	m.mu.Unlock()
}

// Lock locks the session; it reports whether it was unlocked before.
func (m *Manager) Lock(reason string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil || m.cur.Locked {
		return false
	}
	m.cur.Locked, m.cur.LockReason = true, reason
	return true
}

// Unlock reopens a locked session; callers check the PIN and certificate first.
func (m *Manager) Unlock() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != nil {
		m.cur.Locked, m.cur.LockReason = false, ""
		m.cur.LastActive = m.now()
	}
}

// Touch records user activity (for idle locking).
func (m *Manager) Touch() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != nil && !m.cur.Locked {
		m.cur.LastActive = m.now()
	}
}

// IdleFor is how long the unlocked session has had no activity.
func (m *Manager) IdleFor() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil || m.cur.Locked {
		return 0
	}
	return m.now().Sub(m.cur.LastActive)
}

// Require returns the session if its user holds one of roles. Every bound
// method that touches data calls this first. With no roles given it only
// requires a login. A locked session is refused until unlocked.
func (m *Manager) Require(roles ...Role) (*Session, error) {
	s := m.Current()
	if s == nil {
		return nil, apperr.New(apperr.NotLoggedIn, "请先登录。")
	}
	if s.Locked {
		return nil, apperr.New(apperr.SessionLocked, "会话已锁定，请插入 USB Key 并输入 PIN 码解锁。")
	}
	if len(roles) > 0 && !anyOf(s.User.Roles, roles) {
		return nil, apperr.New(apperr.Forbidden, "当前用户的角色无权执行此操作。")
	}
	return s, nil
}

// RequirePage is Require for the roles of page.
func (m *Manager) RequirePage(p Page) (*Session, error) { return m.Require(RolesFor(p)...) }

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
