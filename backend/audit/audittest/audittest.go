// Package audittest reads the audit log in tests of the packages that
// write it.
package audittest

import (
	"context"
	"database/sql"
	"testing"

	"caiji/backend/audit"
)

// Entries returns the entries whose action is exactly action, newest first.
func Entries(t testing.TB, db *sql.DB, action string) []audit.Item {
	t.Helper()
	var out []audit.Item
	if err := audit.Each(context.Background(), db, audit.Filter{Action: action}, func(it audit.Item) error {
		if it.Action == action {
			out = append(out, it)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
