package session

import (
	"slices"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
)

func loggedIn(t *testing.T, roles ...Role) *Manager {
	t.Helper()
	m := NewManager()
	m.Start(Session{User: User{ID: "u1", Name: "测试", Roles: roles}})
	return m
}

func TestRequire(t *testing.T) {
	tests := []struct {
		name     string
		have     []Role // nil: nobody logged in
		loggedIn bool
		need     []Role
		want     apperr.Code // "" means allowed
	}{
		{"no login, no roles needed", nil, false, nil, apperr.NotLoggedIn},
		{"no login, role needed", nil, false, []Role{Clerk}, apperr.NotLoggedIn},
		{"login only", []Role{Auditor}, true, nil, ""},
		{"right role", []Role{Clerk}, true, []Role{Clerk}, ""},
		{"one of several", []Role{Reviewer}, true, []Role{Clerk, Reviewer}, ""},
		{"wrong role", []Role{SysAdmin}, true, []Role{Clerk}, apperr.Forbidden},
		{"user without roles", []Role{}, true, []Role{Clerk}, apperr.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewManager()
			if tt.loggedIn {
				m = loggedIn(t, tt.have...)
			}
			s, err := m.Require(tt.need...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Require(%v) = %v, want ok", tt.need, err)
				}
				if s == nil || s.User.ID != "u1" {
					t.Fatalf("Require(%v) session = %+v, want the logged-in user", tt.need, s)
				}
				return
			}
			if !apperr.Is(err, tt.want) {
				t.Fatalf("Require(%v) = %v, want code %s", tt.need, err, tt.want)
			}
			if s != nil {
				t.Errorf("Require returned a session with the error: %+v", s)
			}
		})
	}
}

func TestRequirePage(t *testing.T) {
	tests := []struct {
		role Role
		page Page
		ok   bool
	}{
		{Clerk, PageEntry, true},
		{Clerk, PageReview, false},
		{Reviewer, PageReview, true},
		{Reviewer, PageEntry, false},
		{SysAdmin, PageAdmin, true},
		{SysAdmin, PageEntry, false},
		{SecAdmin, PageAudit, false},
		{Auditor, PageAudit, true},
		{Auditor, PageWorkbench, true},
	}
	for _, tt := range tests {
		m := loggedIn(t, tt.role)
		_, err := m.RequirePage(tt.page)
		if tt.ok && err != nil {
			t.Errorf("%s on %s: %v, want ok", tt.role, tt.page, err)
		}
		if !tt.ok && !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s on %s: %v, want forbidden", tt.role, tt.page, err)
		}
	}
	if _, err := NewManager().RequirePage(PageWorkbench); !apperr.Is(err, apperr.NotLoggedIn) {
		t.Errorf("RequirePage without login = %v, want not_logged_in", err)
	}
}

func TestCurrentAndLogout(t *testing.T) {
	m := NewManager()
	if s := m.Current(); s != nil {
		t.Fatalf("Current() before login = %+v, want nil", s)
	}
	m.Logout() // not an error with nobody logged in
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	m.now = func() time.Time { return fixed }
	m.Start(Session{User: User{ID: "demo-reviewer", Roles: []Role{Reviewer}}, Demo: true})
	s := m.Current()
	if s == nil || s.User.ID != "demo-reviewer" || !s.Demo || !s.StartedAt.Equal(fixed) {
		t.Fatalf("Current() = %+v, want demo-reviewer, demo, started %v", s, fixed)
	}
	// The returned session is a copy.
	s.User.Name = "changed"
	s.Demo = false
	if again := m.Current(); again.User.Name == "changed" || !again.Demo {
		t.Errorf("mutating Current()'s result changed the session: %+v", again)
	}
	m.Logout()
	if s := m.Current(); s != nil {
		t.Errorf("Current() after Logout = %+v, want nil", s)
	}
	if _, err := m.Require(); !apperr.Is(err, apperr.NotLoggedIn) {
		t.Errorf("Require() after Logout = %v, want not_logged_in", err)
	}
}

func TestCurrentRolesAreACopy(t *testing.T) {
	m := NewManager()
	got := m.Start(Session{User: User{ID: "demo-clerk", Roles: []Role{Clerk}}})
	if got == nil {
		t.Fatal("Start returned nil")
	}
	got.User.Roles[0] = SysAdmin
	cur := m.Current()
	cur.User.Roles[0] = Auditor
	if _, err := m.Require(Clerk); err != nil {
		t.Errorf("after editing returned copies, Require(clerk) = %v; the live session changed", err)
	}
	if !slices.Equal(m.Current().User.Roles, []Role{Clerk}) {
		t.Errorf("live roles = %v, want [clerk]", m.Current().User.Roles)
	}
}

func TestManagerConcurrentUse(t *testing.T) {
	m := NewManager()
	ids := []string{"demo-clerk", "demo-reviewer", "demo-auditor"}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				switch (i + j) % 4 {
				case 0:
					m.Start(Session{User: User{ID: ids[j%len(ids)], Roles: []Role{Clerk}}})
				case 1:
					m.Logout()
				case 2:
					if s := m.Current(); s != nil && len(s.User.Roles) != 1 {
						t.Errorf("torn session: %+v", s)
					}
				case 3:
					_, _ = m.Require(Clerk)
					m.Lock(LockIdle)
					m.Touch()
					m.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestLockRefusesUntilUnlock(t *testing.T) {
	m := loggedIn(t, Clerk)
	if !m.Lock(LockTokenRemoved) {
		t.Fatal("Lock of an unlocked session reported no change")
	}
	if m.Lock(LockIdle) {
		t.Error("second Lock reported a change")
	}
	if _, err := m.Require(Clerk); !apperr.Is(err, apperr.SessionLocked) {
		t.Fatalf("Require while locked = %v, want session_locked", err)
	}
	if got := m.Current().LockReason; got != LockTokenRemoved {
		t.Errorf("lock reason = %q, want the first one", got)
	}
	m.Unlock()
	if _, err := m.Require(Clerk); err != nil {
		t.Fatalf("Require after unlock = %v", err)
	}
}

func TestIdleTracksTouch(t *testing.T) {
	m := NewManager()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	m.SetClock(func() time.Time { return now })
	m.Start(Session{User: User{ID: "u", Roles: []Role{Clerk}}})
	now = now.Add(7 * time.Minute)
	if got := m.IdleFor(); got != 7*time.Minute {
		t.Fatalf("IdleFor = %v", got)
	}
	m.Touch()
	if got := m.IdleFor(); got != 0 {
		t.Errorf("IdleFor after Touch = %v", got)
	}
	m.Lock(LockIdle)
	now = now.Add(time.Hour)
	m.Touch() // activity on a locked session does not unlock or count
	if got := m.IdleFor(); got != 0 {
		t.Errorf("IdleFor while locked = %v, want 0", got)
	}
	if !m.Current().Locked {
		t.Error("Touch unlocked the session")
	}
}
