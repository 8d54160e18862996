package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
)

func TestAppendAndVerify(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if rep := verify(t, st.DB(), nil); !rep.OK || rep.Entries != 0 || rep.FirstBroken != nil {
		t.Fatalf("empty log: %+v", rep)
	}
	prev := Genesis
	for i := 1; i <= 20; i++ {
		e, err := Append(ctx, st.DB(), entry(i))
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != int64(i) || e.PrevHash != prev || len(e.Hash) != 64 || e.Hash == prev {
			t.Fatalf("entry %d = %+v, prev %s", i, e, prev)
		}
		if !e.At.Equal(entry(i).At) || e.At.Location() != time.UTC {
			t.Fatalf("entry %d at %v", i, e.At)
		}
		prev = e.Hash
	}
	rep := verify(t, st.DB(), nil)
	if !rep.OK || rep.Entries != 20 || rep.FirstBroken != nil || !strings.Contains(rep.Reason, "完整") {
		t.Fatalf("report = %+v", rep)
	}

	// What was stored is what Append returned.
	var userID sql.NullInt64
	var before, after sql.NullString
	var at string
	if err := st.DB().QueryRow(`SELECT at, user_id, "before", "after" FROM audit_log WHERE id = 1`).Scan(&at, &userID, &before, &after); err != nil {
		t.Fatal(err)
	}
	if at != "2026-03-01T08:00:01.000000Z" || userID.Int64 != 2 || before.String != `{"amount":"100","row":1}` || !after.Valid {
		t.Errorf("stored at=%q user=%v before=%v after=%v", at, userID, before, after)
	}
	if err := st.DB().QueryRow(`SELECT user_id, "before" FROM audit_log WHERE id = 10`).Scan(&userID, &before); err != nil {
		t.Fatal(err)
	}
	if userID.Valid || before.Valid {
		t.Errorf("entry 10: user %v before %v, want NULLs", userID, before)
	}
}

func TestAppendDefaultsAndRefusals(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	e, err := Append(ctx, st.DB(), Entry{Action: "login", UserID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(e.At) > time.Minute || e.At.Location() != time.UTC {
		t.Errorf("At = %v, want now in UTC", e.At)
	}
	if _, err := Append(ctx, st.DB(), Entry{UserID: 1}); apperr.From(err).Code != apperr.BadInput {
		t.Errorf("no action: %v", err)
	}
	if _, err := Append(ctx, st.DB(), Entry{Action: "x", After: json.RawMessage(`{"a":`)}); apperr.From(err).Code != apperr.BadInput {
		t.Errorf("bad JSON: %v", err)
	}
	if _, err := Append(ctx, st.DB(), Entry{Action: "x", After: json.RawMessage(`{} {}`)}); apperr.From(err).Code != apperr.BadInput {
		t.Errorf("two JSON values: %v", err)
	}
	if rep := verify(t, st.DB(), nil); !rep.OK || rep.Entries != 1 {
		t.Errorf("after refusals: %+v", rep)
	}
}

// Personal data that slipped through a caller is masked before it is
// stored, so it never reaches the log (and the hash covers the masked form).
func TestAppendMasks(t *testing.T) {
	st := openStore(t)
	e, err := Append(context.Background(), st.DB(), Entry{Action: "batch.save", Object: "person:11010519491231002X",
		Before: json.RawMessage(`{"id_number":"11010519491231002X","account":6228480402564890018,"amount":12000}`)})
	if err != nil {
		t.Fatal(err)
	}
	var object, before string
	if err := st.DB().QueryRow(`SELECT object, "before" FROM audit_log WHERE id = ?`, e.ID).Scan(&object, &before); err != nil {
		t.Fatal(err)
	}
	if object != "person:110***********002X" {
		t.Errorf("object = %q", object)
	}
	if before != `{"account":"622************0018","amount":12000,"id_number":"110***********002X"}` {
		t.Errorf("before = %s", before)
	}
	if rep := verify(t, st.DB(), nil); !rep.OK {
		t.Errorf("%+v", rep)
	}
}

// Inside a caller's transaction the entry commits or rolls back with it.
func TestAppendInCallerTransaction(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		tx, err := st.DB().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 2; i++ {
			if _, err := Append(ctx, tx, entry(i)); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	rep := verify(t, st.DB(), nil)
	if !rep.OK || rep.Entries != 2 {
		t.Fatalf("after a rolled-back and a committed pair: %+v", rep)
	}
}

// Appends from many goroutines serialise on SQLite's write lock: no fork,
// no gap, no lost entry.
func TestConcurrentAppends(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := Append(ctx, st.DB(), entry(w*each+i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if rep := verify(t, st.DB(), nil); !rep.OK || rep.Entries != workers*each {
		t.Fatalf("%+v", rep)
	}
}

// Through the app's own connection the log cannot be changed, and a
// writer that bypasses Append cannot fork the chain.
func TestTriggersRefuse(t *testing.T) {
	st := openStore(t)
	appendN(t, st.DB(), 3)
	if _, err := SignHead(context.Background(), st.DB(), ecKey(t), "f1"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE audit_log SET action = 'x' WHERE id = 2",
		"DELETE FROM audit_log WHERE id = 3",
		"DELETE FROM audit_log",
		"UPDATE audit_heads SET hash = 'x'",
		"DELETE FROM audit_heads",
		// a fork: a second entry 3, and an entry 4 that links to entry 2
		`INSERT INTO audit_log (id, at, action, prev_hash, hash) SELECT 3, at, 'x', prev_hash, 'h' FROM audit_log WHERE id = 3`,
		`INSERT INTO audit_log (id, at, action, prev_hash, hash) SELECT 4, at, 'x', hash, 'h' FROM audit_log WHERE id = 2`,
		`INSERT INTO audit_log (id, at, action, prev_hash, hash) SELECT 5, at, 'x', hash, 'h' FROM audit_log WHERE id = 3`,
	} {
		if _, err := st.DB().Exec(q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
	if rep := verify(t, st.DB(), nil); !rep.OK || rep.Entries != 3 || rep.Heads != 1 {
		t.Fatalf("%+v", rep)
	}
}

// Each tampering, done to the file directly, is found at the right entry.
func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, db *sql.DB)
		broken int64
		reason string
	}{
		{"edited action", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET action = 'login' WHERE id = 6")
		}, 6, "内容与其哈希不符"},
		{"edited after", func(t *testing.T, db *sql.DB) {
			exec(t, db, `UPDATE audit_log SET "after" = '{"amount":"999","row":6}' WHERE id = 6`)
		}, 6, "内容与其哈希不符"},
		{"edited time", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET at = '2026-03-01T07:00:00.000000Z' WHERE id = 6")
		}, 6, "内容与其哈希不符"},
		{"edited user, hash recomputed", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET user_id = 2 WHERE id = 6")
			rehash(t, db, 6)
		}, 7, "前一条哈希与第 6 条不符"},
		{"deleted in the middle", func(t *testing.T, db *sql.DB) {
			exec(t, db, "DELETE FROM audit_log WHERE id = 5")
		}, 5, "第 5 条缺失"},
		{"deleted the first", func(t *testing.T, db *sql.DB) {
			exec(t, db, "DELETE FROM audit_log WHERE id = 1")
		}, 1, "第 1 条缺失"},
		{"deleted and renumbered", func(t *testing.T, db *sql.DB) {
			exec(t, db, "DELETE FROM audit_log WHERE id = 5",
				"UPDATE audit_log SET id = -id WHERE id > 5", "UPDATE audit_log SET id = -id - 1 WHERE id < 0")
		}, 5, "内容与其哈希不符"},
		{"inserted forgery", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET id = -id WHERE id > 5", "UPDATE audit_log SET id = -id + 1 WHERE id < 0",
				`INSERT INTO audit_log (id, at, user_id, cert_fingerprint, action, object, prev_hash, hash)
				 SELECT 6, '2026-03-01T08:00:05.500000Z', 2, 'f2', 'batch.approve', 'batch:1', hash, hash FROM audit_log WHERE id = 5`)
		}, 6, "内容与其哈希不符"},
		{"inserted forgery with a valid hash", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET id = -id WHERE id > 5", "UPDATE audit_log SET id = -id + 1 WHERE id < 0",
				`INSERT INTO audit_log (id, at, user_id, cert_fingerprint, action, object, prev_hash, hash)
				 SELECT 6, '2026-03-01T08:00:05.500000Z', 2, 'f2', 'batch.approve', 'batch:1', hash, '' FROM audit_log WHERE id = 5`)
			rehash(t, db, 6) // the forgery itself checks out; the entry after it does not
		}, 7, "内容与其哈希不符"},
		{"reordered", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET id = -3 WHERE id = 3", "UPDATE audit_log SET id = 3 WHERE id = 4", "UPDATE audit_log SET id = 4 WHERE id = -3")
		}, 3, "内容与其哈希不符"},
		{"reordered, hashes recomputed", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET id = -3 WHERE id = 3", "UPDATE audit_log SET id = 3 WHERE id = 4", "UPDATE audit_log SET id = 4 WHERE id = -3")
			rehash(t, db, 3)
			rehash(t, db, 4)
		}, 3, "前一条哈希与第 2 条不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			appendN(t, st.DB(), 10)
			path := st.Path()
			st.Close()
			attacker(t, path, func(db *sql.DB) { tt.change(t, db) })
			st = reopen(t, path)
			rep := verify(t, st.DB(), nil)
			if rep.OK || brokenAt(rep) != fmt.Sprint(tt.broken) || !strings.Contains(rep.Reason, tt.reason) {
				t.Fatalf("report = %+v (first broken %s), want broken at %d with %q", rep, brokenAt(rep), tt.broken, tt.reason)
			}
			want := 10
			switch tt.name {
			case "deleted in the middle", "deleted the first", "deleted and renumbered":
				want = 9
			case "inserted forgery", "inserted forgery with a valid hash":
				want = 11
			}
			if rep.Entries != want {
				t.Errorf("entries = %d, want %d (counted to the end)", rep.Entries, want)
			}
		})
	}
}

// The fixture the 100,000-entry tests use holds what Append writes.
func TestBulkLogIsAppend(t *testing.T) {
	a, b := openStore(t), openStore(t)
	appendN(t, a.DB(), 250)
	bulkLog(t, b.DB(), 250)
	dump := func(db *sql.DB) string {
		var s string
		if err := db.QueryRow(`SELECT group_concat(id || at || COALESCE(user_id, '-') || cert_fingerprint || action || object ||
			COALESCE("before", '-') || COALESCE("after", '-') || prev_hash || hash, '|') FROM (SELECT * FROM audit_log ORDER BY id)`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if dump(a.DB()) != dump(b.DB()) {
		t.Fatal("bulkLog and Append wrote different logs")
	}
	if _, err := Append(context.Background(), b.DB(), entry(251)); err != nil {
		t.Fatalf("the link trigger is not back in place: %v", err)
	}
	if _, err := b.DB().Exec(`INSERT INTO audit_log (id, at, action, prev_hash, hash) VALUES (253, 'x', 'x', 'x', 'x')`); err == nil {
		t.Fatal("the link trigger is gone")
	}
}

// An intact log of 100,000 entries verifies.
func TestVerify100k(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	bulkLog(t, st.DB(), 100_000)
	start := time.Now()
	rep := verify(t, st.DB(), nil)
	t.Logf("verified %d entries in %v", rep.Entries, time.Since(start))
	if !rep.OK || rep.Entries != 100_000 || rep.FirstBroken != nil {
		t.Fatalf("%+v", rep)
	}
}

func BenchmarkVerify100k(b *testing.B) {
	st := openStore(b)
	bulkLog(b, st.DB(), 100_000)
	ctx := context.Background()
	for b.Loop() {
		rep, err := Verify(ctx, st.DB(), nil)
		if err != nil || !rep.OK || rep.Entries != 100_000 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// The hash input is exactly what docs/audit-log.md describes, so other
// tools can re-check a log.
func TestCanonicalAsDocumented(t *testing.T) {
	e := Entry{ID: 7, At: time.Date(2026, 3, 1, 8, 0, 7, 0, time.UTC), Action: "login", After: json.RawMessage(`{"a":"身份"}`), PrevHash: Genesis}
	want := "14:caiji-audit-v1,1:7,27:2026-03-01T08:00:07.000000Z,-,0:,5:login,0:,-,14:{\"a\":\"身份\"},64:" + Genesis + ","
	if got := string(e.row().canonical()); got != want {
		t.Fatalf("canonical =\n%s\nwant\n%s", got, want)
	}
	e.UserID, e.Before = 3, json.RawMessage(`""`)
	if got := string(e.row().canonical()); !strings.Contains(got, "Z,1:3,0:,5:login,0:,2:\"\",14:") {
		t.Fatalf("canonical = %s", got)
	}
}
