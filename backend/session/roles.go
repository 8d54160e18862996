// Package session holds who is logged in and what their roles allow. The
// role-to-page policy lives here once; the UI asks for it instead of keeping
// its own copy, and every bound method checks it in the backend.
package session

// Role is one of the five roles of seeds 000 and 002.
type Role string

const (
	Clerk    Role = "clerk"    // 录入员: enters and imports data
	Reviewer Role = "reviewer" // 审核员: approves before release
	SysAdmin Role = "sysadmin" // 系统管理员: org units, accounts, updates
	SecAdmin Role = "secadmin" // 安全保密管理员: roles and permissions
	Auditor  Role = "auditor"  // 安全审计员: reads the audit trail only
)

// AllRoles in display order.
var AllRoles = []Role{Clerk, Reviewer, SysAdmin, SecAdmin, Auditor}

// Page is a top-level area of the app (a side-menu entry).
type Page string

const (
	PageWorkbench Page = "workbench" // 工作台
	PageEntry     Page = "entry"     // 数据填报
	PageReview    Page = "review"    // 审核
	PageSync      Page = "sync"      // 同步
	PageAudit     Page = "audit"     // 审计
	PageAdmin     Page = "admin"     // 系统管理
)

// pageRoles is the single source of which role reaches which page. The
// three admin roles never reach entry or review (三员分立, seed 002 第十三条).
var pageRoles = map[Page][]Role{
	PageWorkbench: AllRoles,
	PageEntry:     {Clerk},
	PageReview:    {Reviewer},
	PageSync:      {Clerk, Reviewer},
	PageAudit:     {Auditor},
	PageAdmin:     {SysAdmin, SecAdmin},
}

// pageOrder is the side menu's order.
var pageOrder = []Page{PageWorkbench, PageEntry, PageReview, PageSync, PageAudit, PageAdmin}

// RolesFor returns the roles allowed on page.
func RolesFor(p Page) []Role { return pageRoles[p] }

// PagesFor returns the pages any of roles may open, in menu order.
func PagesFor(roles []Role) []Page {
	var out []Page
	for _, p := range pageOrder {
		if anyOf(roles, pageRoles[p]) {
			out = append(out, p)
		}
	}
	return out
}

// MayOpen reports whether the user's roles reach page p.
func (u User) MayOpen(p Page) bool { return anyOf(u.Roles, pageRoles[p]) }

func anyOf(have, want []Role) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// Permissions that are not a whole page. Each is a list of roles, kept
// here beside the page policy so that who-may-what is read in one place.
var (
	// RevealRoles may see a masked personal field (身份证号, 账号) in full;
	// every reveal is recorded. The admin roles and the auditor never need
	// a subsidy recipient's full number (seed 002, least privilege).
	RevealRoles = []Role{Clerk, Reviewer}
	// LockExceptionRoles reopen a closed year's data for a rectification
	// (整改): the person who approves data decides that it may change.
	LockExceptionRoles = []Role{Reviewer}
)
