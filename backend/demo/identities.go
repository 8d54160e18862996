// Package demo provisions demo mode: a demo CA, one SoftHSM2 token per demo
// user with a documented PIN, and the matching accounts, so a newcomer can
// log in within a minute. Nothing here is ever trusted in production: the
// trust bundle it writes lives in the demo installation's data directory.
package demo

import (
	"caiji/backend/session"
	"caiji/backend/token"
)

// Identity is one demo user and their key.
type Identity struct {
	Role       session.Role
	Name       string
	OrgUnit    string
	TokenLabel string // ASCII: PKCS#11 labels are 32 bytes
	PIN        string
	Key        token.KeyKind
}

// Password is every demo account's password (meets the policy).
const Password = "Caiji@2026demo"

// soPIN is the demo tokens' security-officer PIN.
const soPIN = "87654321"

// Identities are documented in README.md; the login screen shows them in
// demo mode. Both RSA and EC keys are represented.
var Identities = []Identity{
	{session.SysAdmin, "王磊", "演示县财政局", "CAIJI-DEMO-SYSADMIN", "333333", token.ECP256},
	{session.SecAdmin, "赵静", "演示县财政局", "CAIJI-DEMO-SECADMIN", "444444", token.ECP256},
	{session.Auditor, "陈晨", "演示县纪委监委", "CAIJI-DEMO-AUDITOR", "555555", token.ECP256},
	{session.Clerk, "张敏", "演示县民政局", "CAIJI-DEMO-CLERK", "111111", token.RSA2048},
	{session.Reviewer, "李强", "演示县民政局", "CAIJI-DEMO-REVIEWER", "222222", token.ECP256},
}

// SoftHSMPaths are where SoftHSM2's PKCS#11 library is commonly installed.
var SoftHSMPaths = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
	`C:\SoftHSM2\lib\softhsm2-x64.dll`,
}
