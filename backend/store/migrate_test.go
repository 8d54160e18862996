package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"caiji/backend/apperr"
)

func initSQL(t *testing.T) []byte {
	t.Helper()
	b, err := fs.ReadFile(migrationFS, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m["migrations/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func TestLoadMigrationsValid(t *testing.T) {
	ms, err := loadMigrations(mapFS(map[string]string{
		"0002_second.sql": "B",
		"0001_first.sql":  "A",
		"0003_third.sql":  "C",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := []migration{{1, "first", "A"}, {2, "second", "B"}, {3, "third", "C"}}
	if len(ms) != len(want) {
		t.Fatalf("got %d migrations, want %d", len(ms), len(want))
	}
	for i := range want {
		if ms[i] != want[i] {
			t.Errorf("migration %d = %+v, want %+v", i, ms[i], want[i])
		}
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
	}{
		{"gap", map[string]string{"0001_a.sql": "", "0003_c.sql": ""}},
		{"does not start at 1", map[string]string{"0002_b.sql": ""}},
		{"duplicate number", map[string]string{"0001_a.sql": "", "0001_b.sql": ""}},
		{"no number", map[string]string{"0001_a.sql": "", "init.sql": ""}},
		{"no name", map[string]string{"0001.sql": ""}},
		{"non-numeric prefix", map[string]string{"abcd_x.sql": ""}},
		{"zero", map[string]string{"0000_zero.sql": "", "0001_a.sql": ""}},
		{"negative", map[string]string{"-001_neg.sql": ""}},
		{"stray file", map[string]string{"0001_a.sql": "", "README.md": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ms, err := loadMigrations(mapFS(tt.files)); err == nil {
				t.Errorf("loadMigrations(%v) = %+v, want an error", tt.files, ms)
			}
		})
	}
	if _, err := loadMigrations(fstest.MapFS{}); err == nil {
		t.Error("loadMigrations without a migrations dir succeeded")
	}
}

func schemaVersion(t *testing.T, s *Store) int {
	t.Helper()
	v, err := s.SchemaVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// openV1 opens a fresh database migrated to 0001 only. The upgrade tests
// below start from a known version 1, whatever later migrations the binary
// embeds.
func openV1(t *testing.T) (*Store, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	if err := createPrivate(path); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: db, path: path}
	t.Cleanup(func() { s.Close() })
	if err := s.verify(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(ctx, mapFS(map[string]string{"0001_init.sql": string(initSQL(t))})); err != nil {
		t.Fatal(err)
	}
	return s, path
}

func TestMigrateRejectsBadFiles(t *testing.T) {
	s, _ := openV1(t)
	for name, files := range map[string]map[string]string{
		"gap":      {"0001_init.sql": string(initSQL(t)), "0003_x.sql": "CREATE TABLE x(a);"},
		"bad name": {"0001_init.sql": string(initSQL(t)), "second.sql": "CREATE TABLE x(a);"},
	} {
		t.Run(name, func(t *testing.T) {
			err := s.migrate(context.Background(), mapFS(files))
			wantCode(t, err, apperr.Internal)
			if v := schemaVersion(t, s); v != 1 {
				t.Errorf("version = %d, want 1", v)
			}
			if tableExists(t, s.DB(), "x") {
				t.Error("a migration ran although the set was rejected")
			}
		})
	}
}

func TestMigrateFailingMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	s, _ := openV1(t)
	if v := schemaVersion(t, s); v != 1 {
		t.Fatalf("start version = %d, want 1", v)
	}
	err := s.migrate(ctx, mapFS(map[string]string{
		"0001_init.sql": string(initSQL(t)),
		// The first two statements succeed, the third fails.
		"0002_broken.sql": `CREATE TABLE leftover (a INTEGER);
INSERT INTO meta(key, value) VALUES ('leftover', 'yes');
INSERT INTO no_such_table VALUES (1);`,
	}))
	wantCode(t, err, apperr.Internal)
	if msg := apperr.From(err).Message; !strings.Contains(msg, "2") {
		t.Errorf("message %q does not name version 2", msg)
	}
	if v := schemaVersion(t, s); v != 1 {
		t.Errorf("version after failed migration = %d, want 1", v)
	}
	if tableExists(t, s.DB(), "leftover") {
		t.Error("table from the failed migration remains")
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM meta WHERE key = 'leftover'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("row from the failed migration remains")
	}
	if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = 2").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("failed migration was recorded in schema_migrations")
	}
}

func TestMigrateUpgradeMakesBackup(t *testing.T) {
	ctx := context.Background()
	s, path := openV1(t)
	id, err := s.InstallationID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v2 := mapFS(map[string]string{
		"0001_init.sql":   string(initSQL(t)),
		"0002_things.sql": "CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT NOT NULL) STRICT;",
	})
	if err := s.migrate(ctx, v2); err != nil {
		t.Fatalf("migrate to v2: %v", err)
	}
	if v := schemaVersion(t, s); v != 2 {
		t.Errorf("version = %d, want 2", v)
	}
	if !tableExists(t, s.DB(), "things") {
		t.Error("v2 table missing")
	}

	baks, err := filepath.Glob(path + ".v1-*.bak")
	if err != nil {
		t.Fatal(err)
	}
	if len(baks) != 1 {
		t.Fatalf("backups = %v, want exactly one %s.v1-*.bak", baks, filepath.Base(path))
	}
	stamp := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(baks[0]), FileName+".v1-"), ".bak")
	if _, err := time.Parse("20060102T150405Z", stamp); err != nil {
		t.Errorf("backup name %q has no UTC timestamp: %v", baks[0], err)
	}

	bak, err := sql.Open("sqlite", "file:"+baks[0]+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer bak.Close()
	var check string
	if err := bak.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatalf("backup is not a readable SQLite database: %v", err)
	}
	if check != "ok" {
		t.Errorf("backup integrity_check = %q", check)
	}
	var bv int
	var bid string
	if err := bak.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&bv); err != nil {
		t.Fatal(err)
	}
	if err := bak.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'installation_id'").Scan(&bid); err != nil {
		t.Fatal(err)
	}
	if bv != 1 || bid != id {
		t.Errorf("backup at version %d with id %s, want version 1 with id %s", bv, bid, id)
	}
	if tableExists(t, bak, "things") {
		t.Error("backup already has the v2 table")
	}

	// Migrating again at the new version changes nothing and backs up nothing.
	if err := s.migrate(ctx, v2); err != nil {
		t.Fatal(err)
	}
	if again, _ := filepath.Glob(path + ".*.bak"); len(again) != 1 {
		t.Errorf("backups after a no-op migrate = %v, want still one", again)
	}
	if v := schemaVersion(t, s); v != 2 {
		t.Errorf("version = %d, want 2", v)
	}
}

func TestMigrateSeveralStepsOneBackup(t *testing.T) {
	ctx := context.Background()
	s, path := openV1(t)
	err := s.migrate(ctx, mapFS(map[string]string{
		"0001_init.sql": string(initSQL(t)),
		"0002_a.sql":    "CREATE TABLE a (id INTEGER PRIMARY KEY) STRICT;",
		"0003_b.sql":    "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id)) STRICT;",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if v := schemaVersion(t, s); v != 3 {
		t.Errorf("version = %d, want 3", v)
	}
	var names []string
	rows, err := s.DB().QueryContext(ctx, "SELECT name FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	if got := strings.Join(names, ","); got != "init,a,b" {
		t.Errorf("recorded migrations = %s, want init,a,b", got)
	}
	if baks, _ := filepath.Glob(path + ".*.bak"); len(baks) != 1 {
		t.Errorf("backups = %v, want one (before the first step)", baks)
	}
	// foreign_keys is on, so the v3 constraint is enforced.
	if _, err := s.DB().ExecContext(ctx, "INSERT INTO b(a_id) VALUES (42)"); err == nil {
		t.Error("insert violating a foreign key succeeded; foreign_keys is off")
	}
}

func TestBackupIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX permissions")
	}
	s, path := openV1(t)
	err := s.migrate(context.Background(), mapFS(map[string]string{
		"0001_init.sql": string(initSQL(t)),
		"0002_x.sql":    "CREATE TABLE x (a INTEGER);",
	}))
	if err != nil {
		t.Fatal(err)
	}
	baks, _ := filepath.Glob(path + ".v1-*.bak")
	if len(baks) != 1 {
		t.Fatalf("backups = %v", baks)
	}
	fi, err := os.Stat(baks[0])
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("backup mode = %o, want 600", perm)
	}
}

func TestRetriedUpgradeWithExistingBackupName(t *testing.T) {
	ctx := context.Background()
	s, path := openV1(t)
	// Occupy every name backup() could pick in the next few seconds, as an
	// earlier attempt in the same second would have.
	now := time.Now().UTC()
	for d := -1; d <= 5; d++ {
		name := fmt.Sprintf("%s.v1-%s.bak", path, now.Add(time.Duration(d)*time.Second).Format("20060102T150405Z"))
		if _, err := s.DB().ExecContext(ctx, "VACUUM INTO ?", name); err != nil {
			t.Fatal(err)
		}
	}
	err := s.migrate(ctx, mapFS(map[string]string{
		"0001_init.sql": string(initSQL(t)),
		"0002_x.sql":    "CREATE TABLE x (a INTEGER);",
	}))
	if err != nil {
		t.Fatalf("upgrade with an existing backup of the same second: %v", err)
	}
}
