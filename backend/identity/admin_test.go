package identity

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ou, err := f.reg.CreateOrgUnit(ctx, f.admin, "MZJ", "演示县民政局")
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.reg.CreateUser(ctx, f.admin, "张敏", ou.ID, cert(1), goodPw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "张敏" || u.OrgUnit != "演示县民政局" || len(u.Roles) != 0 || !u.MustChangePassword || u.Disabled {
		t.Errorf("created user = %+v", u)
	}
	var by sql.NullInt64
	if err := f.db.QueryRow("SELECT created_by FROM users WHERE id = ?", u.ID).Scan(&by); err != nil || by.Int64 != f.admin.ID {
		t.Errorf("created_by = %v, %v; want %d", by, err, f.admin.ID)
	}
	if err := f.reg.VerifyPassword(ctx, u.ID, goodPw); err != nil {
		t.Errorf("initial password: %v", err)
	}

	_, err = f.reg.CreateUser(ctx, f.admin, "李强", 999, cert(2), goodPw)
	wantCode(t, err, apperr.BadInput)
	_, err = f.reg.CreateUser(ctx, f.admin, "李强", ou.ID, cert(2), "weakweak")
	wantCode(t, err, apperr.PasswordWeak)
	_, err = f.reg.CreateUser(ctx, f.admin, " ", ou.ID, cert(2), goodPw)
	wantCode(t, err, apperr.BadInput)
}

func TestCreateUserDuplicateCert(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "张敏")
	dup := u.Cert
	dup.Serial = "0" + strings.ToUpper(dup.Serial) // the same serial, written differently
	_, err := f.reg.CreateUser(ctx, f.admin, "李强", f.admin.OrgUnitID, dup, goodPw)
	wantCode(t, err, apperr.BadInput)
	wantMsg(t, err, "该证书已绑定用户 张敏")
	if list, _ := f.reg.ListUsers(ctx); len(list) != 2 {
		t.Errorf("%d users after a refused duplicate, want 2", len(list))
	}
}

func TestOnlySysadminCreates(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, role := range []session.Role{session.Clerk, session.Reviewer, session.Auditor, session.SecAdmin} {
		actor := f.user(t, "用户"+string(role), role)
		_, err := f.reg.CreateUser(ctx, actor, "某人", f.admin.OrgUnitID, cert(100), goodPw)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.reg.CreateOrgUnit(ctx, actor, "X", "某单位")
		wantCode(t, err, apperr.Forbidden)
		wantCode(t, f.reg.SetDisabled(ctx, actor, f.admin.ID, true), apperr.Forbidden)
	}
	// A forged actor value does not help: roles are re-read from the database.
	clerk := f.user(t, "伪装者", session.Clerk)
	clerk.Roles = []session.Role{session.SysAdmin}
	_, err := f.reg.CreateUser(ctx, clerk, "某人", f.admin.OrgUnitID, cert(100), goodPw)
	wantCode(t, err, apperr.Forbidden)
}

func TestCreateOrgUnit(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ou, err := f.reg.CreateOrgUnit(ctx, f.admin, " MZJ ", "演示县民政局")
	if err != nil || ou.Code != "MZJ" || ou.ID == 0 {
		t.Fatalf("CreateOrgUnit = %+v, %v", ou, err)
	}
	_, err = f.reg.CreateOrgUnit(ctx, f.admin, "MZJ", "重复")
	wantCode(t, err, apperr.BadInput)
	_, err = f.reg.CreateOrgUnit(ctx, f.admin, "", "无代码")
	wantCode(t, err, apperr.BadInput)
	list, err := f.reg.ListOrgUnits(ctx)
	if err != nil || len(list) != 2 || list[1] != ou {
		t.Errorf("ListOrgUnits = %+v, %v", list, err)
	}
}

func TestBusinessRolesCannotSetRoles(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	target := f.user(t, "目标")
	for _, role := range []session.Role{session.Clerk, session.Reviewer, session.Auditor} {
		actor := f.user(t, "用户"+string(role), role)
		for _, grant := range []session.Role{session.Clerk, session.SecAdmin} {
			wantCode(t, f.reg.SetRoles(ctx, actor, target.ID, []session.Role{grant}), apperr.Forbidden)
		}
	}
	if r := roles(t, f.reg, target.ID); len(r) != 0 {
		t.Errorf("roles granted by unauthorised actors: %v", r)
	}
}

func TestSysadminBootstrapsSecadminOnlyOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sec, aud, clerk := f.user(t, "赵静"), f.user(t, "陈晨"), f.user(t, "张敏")

	// No secadmin yet: the sysadmin appoints one, but still no business roles.
	err := f.reg.SetRoles(ctx, f.admin, clerk.ID, []session.Role{session.Clerk})
	wantCode(t, err, apperr.Forbidden)
	wantMsg(t, err, "录入员")
	if err := f.reg.SetRoles(ctx, f.admin, sec.ID, []session.Role{session.SecAdmin}); err != nil {
		t.Fatalf("sysadmin appointing the first secadmin: %v", err)
	}

	// From now on authorisation is the secadmin's alone.
	wantCode(t, f.reg.SetRoles(ctx, f.admin, aud.ID, []session.Role{session.Auditor}), apperr.Forbidden)
	wantCode(t, f.reg.SetRoles(ctx, f.admin, sec.ID, nil), apperr.Forbidden)
	if err := f.reg.SetRoles(ctx, sec, aud.ID, []session.Role{session.Auditor}); err != nil {
		t.Errorf("secadmin granting auditor: %v", err)
	}
	if err := f.reg.SetRoles(ctx, sec, clerk.ID, []session.Role{session.Clerk, session.Reviewer}); err != nil {
		t.Errorf("secadmin granting clerk+reviewer: %v", err)
	}
	if r := roles(t, f.reg, clerk.ID); !slices.Equal(r, []session.Role{session.Clerk, session.Reviewer}) {
		t.Errorf("clerk roles = %v", r)
	}
	// Removing roles is a change too.
	if err := f.reg.SetRoles(ctx, sec, clerk.ID, []session.Role{session.Reviewer}); err != nil {
		t.Fatal(err)
	}
	if r := roles(t, f.reg, clerk.ID); !slices.Equal(r, []session.Role{session.Reviewer}) {
		t.Errorf("after removing clerk: %v", r)
	}
}

func TestSecadminCountsEvenWhenDisabled(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sec, other := f.user(t, "赵静", session.SecAdmin), f.user(t, "陈晨")
	if err := f.reg.SetDisabled(ctx, f.admin, sec.ID, true); err != nil {
		t.Fatal(err)
	}
	// Disabling the secadmin must not hand role authorisation back to the sysadmin.
	wantCode(t, f.reg.SetRoles(ctx, f.admin, other.ID, []session.Role{session.SecAdmin}), apperr.Forbidden)
}

func TestNobodyChangesOwnRoles(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sec := f.user(t, "赵静", session.SecAdmin)
	for _, want := range [][]session.Role{nil, {session.SysAdmin}, {session.SecAdmin}} {
		err := f.reg.SetRoles(ctx, sec, sec.ID, want)
		wantCode(t, err, apperr.Forbidden)
	}
	if r := roles(t, f.reg, sec.ID); !slices.Equal(r, []session.Role{session.SecAdmin}) {
		t.Errorf("secadmin's own roles changed to %v", r)
	}
	wantCode(t, f.reg.SetRoles(ctx, f.admin, f.admin.ID, nil), apperr.Forbidden)
}

func TestSetRolesConflictLeavesRolesUnchanged(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sec := f.user(t, "赵静", session.SecAdmin)
	u := f.user(t, "张敏", session.Clerk)
	for _, bad := range [][]session.Role{
		{session.Clerk, session.Auditor},
		{session.SysAdmin, session.SecAdmin},
		{session.Reviewer, session.SysAdmin},
	} {
		wantCode(t, f.reg.SetRoles(ctx, sec, u.ID, bad), apperr.RolesConflict)
		// Also refused for the bootstrap sysadmin, before any permission check.
		wantCode(t, f.reg.SetRoles(ctx, f.admin, u.ID, bad), apperr.RolesConflict)
	}
	wantCode(t, f.reg.SetRoles(ctx, sec, u.ID, []session.Role{"boss"}), apperr.BadInput)
	if r := roles(t, f.reg, u.ID); !slices.Equal(r, []session.Role{session.Clerk}) {
		t.Errorf("roles after refused changes = %v, want [clerk]", r)
	}
	// Duplicates are fine.
	if err := f.reg.SetRoles(ctx, sec, u.ID, []session.Role{session.Clerk, session.Clerk, session.Reviewer}); err != nil {
		t.Error(err)
	}
	wantCode(t, f.reg.SetRoles(ctx, sec, 999, []session.Role{session.Clerk}), apperr.NotFound)
}

func TestDisabledActorIsForbidden(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sec := f.user(t, "赵静", session.SecAdmin)
	u := f.user(t, "张敏")
	if _, err := f.db.Exec("UPDATE users SET disabled = 1 WHERE id = ?", sec.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.reg.SetRoles(ctx, sec, u.ID, []session.Role{session.Clerk}), apperr.Forbidden)
}

func TestSetDisabled(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	u := f.user(t, "张敏", session.Clerk)
	wantCode(t, f.reg.SetDisabled(ctx, f.admin, f.admin.ID, true), apperr.Forbidden)
	wantCode(t, f.reg.SetDisabled(ctx, f.admin, 999, true), apperr.NotFound)
	if err := f.reg.SetDisabled(ctx, f.admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.reg.Get(ctx, u.ID); !got.Disabled {
		t.Error("not disabled")
	}
	if err := f.reg.SetDisabled(ctx, f.admin, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reg.FindByCert(ctx, u.Cert.Issuer, u.Cert.Serial); err != nil {
		t.Errorf("re-enabled user: %v", err)
	}
}
