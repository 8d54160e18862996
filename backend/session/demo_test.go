package session

import (
	"slices"
	"testing"

	"caiji/backend/apperr"
)

func TestDemoLoginRefusedOutsideDemoMode(t *testing.T) {
	m := NewManager()
	s, err := m.DemoLogin(false, "demo-clerk")
	if !apperr.Is(err, apperr.DemoOnly) {
		t.Fatalf("DemoLogin(production) = %v, want code %s", err, apperr.DemoOnly)
	}
	if s != nil || m.Current() != nil {
		t.Errorf("a refused demo login started a session")
	}
}

func TestDemoLoginUnknownUser(t *testing.T) {
	m := NewManager()
	for _, id := range []string{"", "demo-nobody", "DEMO-CLERK"} {
		_, err := m.DemoLogin(true, id)
		if !apperr.Is(err, apperr.BadInput) {
			t.Errorf("DemoLogin(%q) = %v, want code %s", id, err, apperr.BadInput)
		}
	}
	if m.Current() != nil {
		t.Errorf("a failed demo login started a session")
	}
}

func TestDemoLoginEachUser(t *testing.T) {
	for _, u := range DemoUsers() {
		t.Run(u.ID, func(t *testing.T) {
			m := NewManager()
			s, err := m.DemoLogin(true, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Demo || s.User.ID != u.ID || !slices.Equal(s.User.Roles, u.Roles) || s.StartedAt.IsZero() {
				t.Errorf("DemoLogin(%s) = %+v", u.ID, s)
			}
			if cur := m.Current(); cur == nil || cur.User.ID != u.ID {
				t.Errorf("Current() = %+v, want %s", cur, u.ID)
			}
		})
	}
}

func TestDemoLoginReplacesSession(t *testing.T) {
	m := NewManager()
	if _, err := m.DemoLogin(true, "demo-clerk"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DemoLogin(true, "demo-auditor"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Require(Clerk); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("after switching to auditor, Require(clerk) = %v, want forbidden", err)
	}
	// A refused login leaves the current session alone.
	if _, err := m.DemoLogin(true, "nobody"); err == nil {
		t.Fatal("DemoLogin(nobody) succeeded")
	}
	if cur := m.Current(); cur == nil || cur.User.ID != "demo-auditor" {
		t.Errorf("Current() after refused login = %+v, want demo-auditor", cur)
	}
}

func TestDemoUsersAreCopies(t *testing.T) {
	first := DemoUsers()
	if len(first) == 0 {
		t.Fatal("no demo users")
	}
	first[0].Name = "changed"
	first[0].Roles[0] = SysAdmin
	first[1] = User{}
	second := DemoUsers()
	if second[0].Name == "changed" || second[0].Roles[0] != Clerk || second[1].ID == "" {
		t.Errorf("mutating DemoUsers() result changed the next call: %+v", second[:2])
	}
	// And a login after such a mutation still gets the real roles.
	m := NewManager()
	s, err := m.DemoLogin(true, second[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.User.Roles, []Role{Clerk}) {
		t.Errorf("DemoLogin roles = %v, want [clerk]", s.User.Roles)
	}
}

func TestDemoUsersCoverAllRolesOncePerUser(t *testing.T) {
	users := DemoUsers()
	if len(users) != len(AllRoles) {
		t.Errorf("%d demo users, want %d", len(users), len(AllRoles))
	}
	seenRole := map[Role]bool{}
	seenID := map[string]bool{}
	for _, u := range users {
		if len(u.Roles) != 1 {
			t.Errorf("demo user %s has roles %v, want exactly one", u.ID, u.Roles)
			continue
		}
		if seenID[u.ID] {
			t.Errorf("duplicate demo user id %s", u.ID)
		}
		seenID[u.ID] = true
		if u.Name == "" || u.OrgUnit == "" {
			t.Errorf("demo user %s lacks name or org unit: %+v", u.ID, u)
		}
		seenRole[u.Roles[0]] = true
	}
	for _, r := range AllRoles {
		if !seenRole[r] {
			t.Errorf("no demo user has role %s", r)
		}
	}
}
