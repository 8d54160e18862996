package identity

import (
	"slices"
	"strings"

	"caiji/backend/apperr"
	"caiji/backend/session"
)

// roleNames are the official titles, used in refusal messages.
var roleNames = map[session.Role]string{
	session.Clerk:    "录入员",
	session.Reviewer: "审核员",
	session.SysAdmin: "系统管理员",
	session.SecAdmin: "安全保密管理员",
	session.Auditor:  "安全审计员",
}

// isAdminRole reports whether r is one of the 三员 (three administrators).
func isAdminRole(r session.Role) bool {
	return r == session.SysAdmin || r == session.SecAdmin || r == session.Auditor
}

// ValidateRoles checks a role set against 三员分立: the three administrator
// roles are held by different people (at most one per user), and none of
// them is combined with clerk or reviewer. clerk+reviewer is allowed (that a
// reviewer never approves their own batch is checked per batch); an empty
// set is allowed (account created, roles not yet granted). Duplicates are
// not errors. This is the one place the rule lives.
func ValidateRoles(roles []session.Role) error {
	_, err := normalizeRoles(roles)
	return err
}

// normalizeRoles validates roles and returns them without duplicates in
// session.AllRoles order.
func normalizeRoles(roles []session.Role) ([]session.Role, error) {
	for _, r := range roles {
		if _, ok := roleNames[r]; !ok {
			return nil, apperr.New(apperr.BadInput, "未知角色："+string(r)+"。")
		}
	}
	var out, admin, business []session.Role
	for _, r := range session.AllRoles {
		if !slices.Contains(roles, r) {
			continue
		}
		out = append(out, r)
		if isAdminRole(r) {
			admin = append(admin, r)
		} else {
			business = append(business, r)
		}
	}
	if len(admin) > 1 {
		return nil, apperr.New(apperr.RolesConflict,
			"三员分立："+joinNames(admin)+"必须由不同人员担任，同一人只能担任其中一个。")
	}
	if len(admin) == 1 && len(business) > 0 {
		return nil, apperr.New(apperr.RolesConflict,
			"三员分立："+joinNames(admin)+"不得兼任"+joinNames(business)+"。")
	}
	if out == nil {
		out = []session.Role{}
	}
	return out, nil
}

func joinNames(roles []session.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = roleNames[r]
	}
	return strings.Join(names, "、")
}

func hasRole(u User, r session.Role) bool { return slices.Contains(u.Roles, r) }
