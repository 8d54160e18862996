// Package batchtest sets up a database for tests of batch and of the
// packages built on it (importer, app): two org units with one account
// each, so ownership checks have someone to refuse.
package batchtest

import (
	"testing"

	"caiji/backend/store"
)

// SeedUsers adds org units 1 (某县民政局) and 2 (某县财政局) with users 1
// (张敏, org 1) and 2 (李强, org 2), and user 3 (王审, org 1: a second
// person of the first unit, to review what user 1 entered), unless present.
func SeedUsers(t testing.TB, st *store.Store) {
	t.Helper()
	const at = "2026-01-01T00:00:00.000000Z"
	for _, q := range []string{
		`INSERT OR IGNORE INTO org_units (id, code, name, created_at) VALUES (1, 'ou1', '某县民政局', '` + at + `')`,
		`INSERT OR IGNORE INTO org_units (id, code, name, created_at) VALUES (2, 'ou2', '某县财政局', '` + at + `')`,
		`INSERT OR IGNORE INTO users (id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (1, '张敏', 1, 'CN=t', '1', '', 'f1', 'CN=a', '` + at + `', 'x', '` + at + `', '` + at + `')`,
		`INSERT OR IGNORE INTO users (id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (2, '李强', 2, 'CN=t', '2', '', 'f2', 'CN=b', '` + at + `', 'x', '` + at + `', '` + at + `')`,
		`INSERT OR IGNORE INTO users (id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (3, '王审', 1, 'CN=t', '3', '', 'f3', 'CN=c', '` + at + `', 'x', '` + at + `', '` + at + `')`,
	} {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// Project is a valid row of the project table (民生资金项目主表) in county
// 410102, the county of the test villages: rosters naming code find it
// and raise neither project_missing nor village_outside_county.
func Project(code string) map[string]string {
	return map[string]string{
		"project_code": code, "project_name": "城乡低保", "fund_category": "social_assistance",
		"county_code": "410102", "department": "民政局", "total_amount": "5000000", "start_date": "2026-01-01",
	}
}
