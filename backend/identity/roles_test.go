package identity

import (
	"slices"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

func TestValidateRoles(t *testing.T) {
	const (
		c, r = session.Clerk, session.Reviewer
		sys  = session.SysAdmin
		sec  = session.SecAdmin
		aud  = session.Auditor
	)
	tests := []struct {
		name  string
		roles []session.Role
		code  apperr.Code // "" = accepted
		names []string    // role titles the message must name
	}{
		{"empty", nil, "", nil},
		{"clerk", []session.Role{c}, "", nil},
		{"reviewer", []session.Role{r}, "", nil},
		{"sysadmin", []session.Role{sys}, "", nil},
		{"secadmin", []session.Role{sec}, "", nil},
		{"auditor", []session.Role{aud}, "", nil},
		{"clerk+reviewer", []session.Role{c, r}, "", nil},
		{"duplicates normalised", []session.Role{c, c, r, c}, "", nil},
		{"sysadmin+secadmin", []session.Role{sys, sec}, apperr.RolesConflict, []string{"系统管理员", "安全保密管理员"}},
		{"sysadmin+auditor", []session.Role{sys, aud}, apperr.RolesConflict, []string{"系统管理员", "安全审计员"}},
		{"secadmin+auditor", []session.Role{aud, sec}, apperr.RolesConflict, []string{"安全保密管理员", "安全审计员"}},
		{"all three admins", []session.Role{sys, sec, aud}, apperr.RolesConflict, []string{"系统管理员", "安全保密管理员", "安全审计员"}},
		{"sysadmin+clerk", []session.Role{sys, c}, apperr.RolesConflict, []string{"系统管理员", "录入员"}},
		{"secadmin+reviewer", []session.Role{sec, r}, apperr.RolesConflict, []string{"安全保密管理员", "审核员"}},
		{"auditor+clerk", []session.Role{aud, c}, apperr.RolesConflict, []string{"安全审计员", "录入员"}},
		{"auditor+reviewer", []session.Role{r, aud}, apperr.RolesConflict, []string{"安全审计员", "审核员"}},
		{"sysadmin+reviewer", []session.Role{sys, r}, apperr.RolesConflict, []string{"系统管理员", "审核员"}},
		{"secadmin+clerk", []session.Role{sec, c}, apperr.RolesConflict, []string{"安全保密管理员", "录入员"}},
		{"unknown", []session.Role{"boss"}, apperr.BadInput, []string{"boss"}},
		{"unknown beside valid", []session.Role{c, "Clerk"}, apperr.BadInput, []string{"Clerk"}},
		{"empty name", []session.Role{""}, apperr.BadInput, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateRoles(tt.roles)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("ValidateRoles(%v) = %v, want nil", tt.roles, err)
				}
				return
			}
			wantCode(t, err, tt.code)
			wantMsg(t, err, tt.names...)
		})
	}
}

func TestNormalizeRolesOrdersAndDedupes(t *testing.T) {
	got, err := normalizeRoles([]session.Role{session.Reviewer, session.Clerk, session.Reviewer})
	if err != nil {
		t.Fatal(err)
	}
	if want := []session.Role{session.Clerk, session.Reviewer}; !slices.Equal(got, want) {
		t.Errorf("normalizeRoles = %v, want %v", got, want)
	}
	if got, _ := normalizeRoles(nil); got == nil || len(got) != 0 {
		t.Errorf("normalizeRoles(nil) = %#v, want an empty non-nil slice", got)
	}
}
