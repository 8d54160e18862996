package session

import "caiji/backend/apperr"

// Demo identities stand in for USB-key logins until certificate login
// exists (issue 3 replaces them with a demo CA and SoftHSM2 token). They are
// refused outside demo mode, here in the backend, not just hidden in the UI.
var demoUsers = []User{
	{ID: "demo-clerk", Name: "张敏（演示）", OrgUnit: "演示县民政局", Roles: []Role{Clerk}},
	{ID: "demo-reviewer", Name: "李强（演示）", OrgUnit: "演示县民政局", Roles: []Role{Reviewer}},
	{ID: "demo-sysadmin", Name: "王磊（演示）", OrgUnit: "演示县财政局", Roles: []Role{SysAdmin}},
	{ID: "demo-secadmin", Name: "赵静（演示）", OrgUnit: "演示县财政局", Roles: []Role{SecAdmin}},
	{ID: "demo-auditor", Name: "陈晨（演示）", OrgUnit: "演示县纪委监委", Roles: []Role{Auditor}},
}

// DemoUsers lists the demo identities (copies; callers cannot change them).
func DemoUsers() []User {
	out := make([]User, len(demoUsers))
	for i, u := range demoUsers {
		u.Roles = append([]Role(nil), u.Roles...)
		out[i] = u
	}
	return out
}

// DemoLogin starts a session as a demo identity. demoMode is the
// installation's mode; production installations refuse.
func (m *Manager) DemoLogin(demoMode bool, userID string) (*Session, error) {
	if !demoMode {
		return nil, apperr.New(apperr.DemoOnly, "演示身份只能在演示模式下使用，请插入 USB Key 登录。")
	}
	for _, u := range DemoUsers() {
		if u.ID == userID {
			return m.start(u, true), nil
		}
	}
	return nil, apperr.New(apperr.BadInput, "没有这个演示身份："+userID)
}
