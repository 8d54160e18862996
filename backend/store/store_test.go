package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

// openNew opens a fresh database in a temp dir; it is closed at cleanup
// (closing twice is harmless).
func openNew(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestLatestVersionLoadsEmbeddedMigrations(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatalf("embedded migrations are invalid: %v", err)
	}
	if len(ms) == 0 || LatestVersion() != len(ms) {
		t.Fatalf("LatestVersion() = %d, embedded migrations = %d", LatestVersion(), len(ms))
	}
	if ms[0].version != 1 || ms[0].name != "init" {
		t.Errorf("first migration = %d_%s, want 1_init", ms[0].version, ms[0].name)
	}
}

func TestOpenNewDatabase(t *testing.T) {
	ctx := context.Background()
	s, path := openNew(t)
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}

	// Every pooled connection gets the pragmas, not just the first one:
	// hold two connections at once and ask both.
	c1, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for i, c := range []*sql.Conn{c1, c2} {
		var mode string
		var fk, busy, sync int
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 || busy != 5000 || sync != 2 {
			t.Errorf("conn %d: journal_mode=%s foreign_keys=%d busy_timeout=%d synchronous=%d; want wal 1 5000 2(FULL)",
				i, mode, fk, busy, sync)
		}
	}

	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != LatestVersion() {
		t.Errorf("SchemaVersion = %d, want %d", v, LatestVersion())
	}
	id, err := s.InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !hex32.MatchString(id) {
		t.Errorf("InstallationID = %q, want 32 lowercase hex chars", id)
	}
	// A fresh database is not an upgrade: no backup.
	if baks, _ := filepath.Glob(path + ".*.bak"); len(baks) != 0 {
		t.Errorf("fresh database made backups: %v", baks)
	}
}

func TestInstallationIDsDiffer(t *testing.T) {
	ctx := context.Background()
	a, _ := openNew(t)
	b, _ := openNew(t)
	idA, errA := a.InstallationID(ctx)
	idB, errB := b.InstallationID(ctx)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if idA == idB {
		t.Errorf("two installations share the id %s", idA)
	}
}

func TestReopenIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s, path := openNew(t)
	id1, err := s.InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for i := 0; i < 2; i++ {
		s2, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		id2, err := s2.InstallationID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if id2 != id1 {
			t.Errorf("reopen %d: installation id %s, want %s", i, id2, id1)
		}
		var n, metaRows int
		if err := s2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != LatestVersion() {
			t.Errorf("reopen %d: %d rows in schema_migrations, want %d", i, n, LatestVersion())
		}
		if err := s2.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM meta WHERE key = 'installation_id'").Scan(&metaRows); err != nil {
			t.Fatal(err)
		}
		if metaRows != 1 {
			t.Errorf("reopen %d: %d installation_id rows, want 1", i, metaRows)
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if baks, _ := filepath.Glob(path + ".*.bak"); len(baks) != 0 {
		t.Errorf("reopening at the same version made backups: %v", baks)
	}
}

func TestFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	_, path := openNew(t)
	// The WAL exists while the store is open; SQLite gives it the main
	// file's mode, so it must be private too.
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s mode = %o, want 600", filepath.Base(p), perm)
		}
	}
}

func TestOpenUnusablePath(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(file, FileName))
	wantCode(t, err, apperr.DataDirUnusable)
}

func TestOpenGarbageFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	junk := bytes.Repeat([]byte("this is not a database\x00\xff\x13\x37 "), 600)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if s != nil {
		s.Close()
		t.Fatal("Open returned a store for a garbage file")
	}
	wantCode(t, err, apperr.StoreCorrupt)
	if msg := apperr.From(err).Message; !strings.Contains(msg, path) {
		t.Errorf("message %q does not name the file", msg)
	}
	if got := readFile(t, path); !bytes.Equal(got, junk) {
		t.Errorf("garbage file was modified (%d bytes, was %d)", len(got), len(junk))
	}
}

func TestOpenCorruptPage(t *testing.T) {
	ctx := context.Background()
	s, path := openNew(t)
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO filler(body) VALUES (?)")
	if err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("x", 80)
	for i := 0; i < 5000; i++ {
		if _, err := stmt.ExecContext(ctx, fmt.Sprintf("row %05d %s", i, pad)); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Everything must be in the main file now, or the WAL would mask the damage.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Fatalf("WAL still holds %d bytes after Close", fi.Size())
	}

	raw := readFile(t, path)
	pageSize := int(binary.BigEndian.Uint16(raw[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := len(raw) / pageSize
	if pages < 20 {
		t.Fatalf("database has only %d pages; test needs a bigger table", pages)
	}
	victim := pages / 2 // well past the header page, inside filler's b-tree
	copy(raw[victim*pageSize:(victim+1)*pageSize], bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, pageSize/4))
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(ctx, path)
	if s2 != nil {
		s2.Close()
		t.Fatal("Open returned a store for a database with a corrupted page")
	}
	wantCode(t, err, apperr.StoreCorrupt)
	if got := readFile(t, path); !bytes.Equal(got, raw) {
		t.Error("Open modified the corrupt database")
	}
}

func TestOpenTooNew(t *testing.T) {
	ctx := context.Background()
	s, path := openNew(t)
	future := LatestVersion() + 1
	if _, err := s.DB().ExecContext(ctx,
		"INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'future', '2099-01-01T00:00:00Z')", future); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, path)
	if s2 != nil {
		s2.Close()
		t.Fatal("Open returned a store for a too-new database")
	}
	wantCode(t, err, apperr.StoreTooNew)
	if msg := apperr.From(err).Message; !strings.Contains(msg, fmt.Sprint(future)) {
		t.Errorf("message %q does not mention version %d", msg, future)
	}

	// The refusal leaves the database as it was.
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != future {
		t.Errorf("version after refused open = %d, want %d", v, future)
	}
	if baks, _ := filepath.Glob(path + ".*.bak"); len(baks) != 0 {
		t.Errorf("refused open made backups: %v", baks)
	}
}
