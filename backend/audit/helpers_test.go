package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"caiji/backend/batch/batchtest"
	"caiji/backend/store"
)

// openStore opens a fresh database file with users 1 and 2.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	batchtest.SeedUsers(t, st)
	return st
}

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// entry i is a plausible record: varied users, actions and before/after.
func entry(i int) Entry {
	e := Entry{
		At:              t0.Add(time.Duration(i) * time.Second),
		UserID:          int64(1 + i%2),
		CertFingerprint: fmt.Sprintf("f%d", 1+i%2),
		Action:          []string{"login", "batch.save", "batch.reveal", "logout"}[i%4],
		Object:          fmt.Sprintf("batch:%d", i%7),
	}
	if e.Action == "batch.save" {
		e.Before = json.RawMessage(fmt.Sprintf(`{"row":%d,"amount":"100"}`, i))
		e.After = json.RawMessage(fmt.Sprintf(`{"row":%d,"amount":"120"}`, i))
	}
	if i%5 == 0 {
		e.UserID, e.CertFingerprint = 0, "" // a refused call by nobody
	}
	return e
}

// appendN appends n entries through db in one transaction.
func appendN(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 1; i <= n; i++ {
		if _, err := Append(ctx, tx, entry(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// attacker opens the database file directly, as someone with a copy of
// it and the sqlite driver would, drops the triggers that stand in the
// way and runs change. The store must be closed first.
func attacker(t *testing.T, path string, change func(db *sql.DB)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, trg := range []string{"audit_log_no_update", "audit_log_no_delete", "audit_log_linked", "audit_heads_no_update", "audit_heads_no_delete"} {
		if _, err := db.Exec("DROP TRIGGER IF EXISTS " + trg); err != nil {
			t.Fatal(err)
		}
	}
	change(db)
}

// exec runs statements or fails the test.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rehash recomputes the stored hash of entry id from its columns, as an
// attacker who read docs/audit-log.md would.
func rehash(t *testing.T, db *sql.DB, id int64) {
	t.Helper()
	r := readRow(t, db, id)
	exec(t, db, fmt.Sprintf("UPDATE audit_log SET hash = '%s' WHERE id = %d", r.hash(), id))
}

func readRow(t *testing.T, db *sql.DB, id int64) row {
	t.Helper()
	var r row
	err := db.QueryRow(`SELECT id, at, user_id, cert_fingerprint, action, object, "before", "after", prev_hash
		FROM audit_log WHERE id = ?`, id).Scan(&r.id, &r.at, &r.userID, &r.certFingerprint, &r.action, &r.object, &r.before, &r.after, &r.prevHash)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// reopen opens the (possibly tampered) file the way the app does.
func reopen(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func verify(t testing.TB, db *sql.DB, v Verifier) Report {
	t.Helper()
	rep, err := Verify(context.Background(), db, v)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func brokenAt(rep Report) string {
	if rep.FirstBroken == nil {
		return "nil"
	}
	return fmt.Sprint(*rep.FirstBroken)
}

// bulkLog writes entries 1..n as Append would, but 100 rows per INSERT
// and with the per-row link trigger lifted for the duration, so that a
// 100,000-entry log takes seconds under the race detector rather than
// minutes. TestBulkLogIsAppend checks it writes what Append writes.
func bulkLog(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var trigger string
	if err := tx.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_linked'").Scan(&trigger); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "DROP TRIGGER audit_log_linked"); err != nil {
		t.Fatal(err)
	}
	const per = 100
	insert := func(rows int) *sql.Stmt {
		q := `INSERT INTO audit_log (id, at, user_id, cert_fingerprint, action, object, "before", "after", prev_hash, hash) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?,?,?),", rows), ",")
		s, err := tx.PrepareContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	full := insert(per)
	args := make([]any, 0, per*10)
	prev := Genesis
	for i := 1; i <= n; i++ {
		e := entry(i)
		e.ID, e.PrevHash = int64(i), prev
		if e.Before, err = MaskJSON(e.Before); err != nil {
			t.Fatal(err)
		}
		if e.After, err = MaskJSON(e.After); err != nil {
			t.Fatal(err)
		}
		r := e.row()
		prev = r.hash()
		args = append(args, r.id, r.at, r.userID, r.certFingerprint, r.action, r.object, r.before, r.after, r.prevHash, prev)
		if len(args) == cap(args) {
			if _, err := full.ExecContext(ctx, args...); err != nil {
				t.Fatal(err)
			}
			args = args[:0]
		}
	}
	if len(args) > 0 {
		if _, err := insert(len(args)/10).ExecContext(ctx, args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.ExecContext(ctx, trigger); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
