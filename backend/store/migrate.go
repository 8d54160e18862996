package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"caiji/backend/apperr"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered SQL file, e.g. migrations/0001_init.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		base := strings.TrimSuffix(e.Name(), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %q must be named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1..n without gaps; found %d at position %d", m.version, i+1)
		}
	}
	return out, nil
}

// LatestVersion is the schema version this binary brings.
func LatestVersion() int {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		panic(err) // a build with bad migration files must not ship; tests catch it
	}
	return len(ms)
}

// SchemaVersion is the version the open database is at.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

func (s *Store) migrate(ctx context.Context, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "程序内置的数据库升级脚本有误。", err)
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	) STRICT`); err != nil {
		return s.corrupt(err)
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return s.corrupt(err)
	}
	if current > len(ms) {
		return apperr.New(apperr.StoreTooNew, fmt.Sprintf(
			"数据库版本（%d）比本程序支持的版本（%d）新，说明它曾被更新版本的采集程序使用。请安装最新版本，不要用旧版本打开。", current, len(ms)))
	}
	if current > 0 && current < len(ms) {
		if err := s.backup(ctx, current); err != nil {
			return err
		}
	}
	for _, m := range ms[current:] {
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration and records it in the same transaction, so a
// crash mid-migration leaves the previous version intact.
func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "无法开始数据库升级。", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return apperr.Wrap(apperr.Internal, fmt.Sprintf("数据库升级到版本 %d（%s）失败，数据保持原样。", m.version, m.name), err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return apperr.Wrap(apperr.Internal, "无法记录数据库版本。", err)
	}
	return tx.Commit()
}

// backup copies the database before upgrading an existing one, so a bad
// upgrade can be undone by an administrator.
func (s *Store) backup(ctx context.Context, fromVersion int) error {
	// Nanoseconds: a retried upgrade must not collide with the backup of
	// the failed attempt (VACUUM INTO refuses an existing file).
	dest := fmt.Sprintf("%s.v%d-%s.bak", s.path, fromVersion, time.Now().UTC().Format("20060102T150405.000000000Z"))
	// Create it private first: VACUUM INTO would use the umask, and the
	// backup holds the same personal data as the database.
	if err := createPrivate(dest); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		os.Remove(dest)
		return apperr.Wrap(apperr.DataDirUnusable, "升级前备份数据库失败（磁盘空间不足或没有写权限），未做升级。", err)
	}
	return nil
}
