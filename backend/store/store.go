// Package store is Caiji's one SQLite database: opened in WAL mode with
// foreign keys on, checked for integrity, and migrated by the versioned SQL
// files embedded in the binary.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"caiji/backend/apperr"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
)

// TimeLayout is how every table stores a time: UTC and fixed width, so
// SQL compares timestamps as strings. Packages writing times use it.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FileName is the database file inside the data directory.
const FileName = "caiji.db"

// Store wraps the database handle.
type Store struct {
	db   *sql.DB
	path string
}

// pragmas apply to every pooled connection. synchronous=FULL because a
// clerk's draft must survive a power cut, not just an app crash; the cost
// on a desktop's write rate is small.
var pragmas = []string{
	"foreign_keys(1)",
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"busy_timeout(5000)",
}

func dsn(path string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers queue at BEGIN instead of failing mid-transaction
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path, verifies its
// integrity and applies pending migrations. A database that fails the check
// is left untouched and reported, so an administrator can restore a backup.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, "无法打开数据库。", err)
	}
	s := &Store{db: db, path: path}
	if err := s.verify(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx, migrationFS); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// createPrivate creates an empty database file readable by its owner only;
// SQLite would otherwise create it with the process umask.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "无法创建或打开数据库文件 "+path+"，请检查权限。", err)
	}
	return f.Close()
}

// verify runs PRAGMA integrity_check. Any answer but "ok" (or a file that is
// not a database at all) means corruption.
func (s *Store) verify(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return s.corrupt(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return s.corrupt(err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return s.corrupt(err)
	}
	if len(problems) > 0 {
		return s.corrupt(errors.New(strings.Join(problems, "; ")))
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return s.corrupt(err)
	}
	if mode != "wal" {
		return apperr.New(apperr.Internal, "数据库未能进入 WAL 模式（当前 "+mode+"），数据目录可能位于不支持的网络盘上。")
	}
	return nil
}

func (s *Store) corrupt(cause error) error {
	if isBusy(cause) {
		return apperr.Wrap(apperr.StoreLocked, "数据库正被另一个程序占用，请关闭其他采集程序窗口后重试。", cause)
	}
	return apperr.Wrap(apperr.StoreCorrupt,
		fmt.Sprintf("数据库文件 %s 已损坏，程序未做任何修改。请联系系统管理员从备份恢复。", s.path), cause)
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// DB exposes the handle to backend packages that own their tables.
func (s *Store) DB() *sql.DB { return s.db }

// Path is the database file's location.
func (s *Store) Path() string { return s.path }

// Close checkpoints the WAL and closes the database.
func (s *Store) Close() error {
	_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return s.db.Close()
}

// InstallationID identifies this installation (later: the sync client id).
func (s *Store) InstallationID(ctx context.Context) (string, error) {
	var id string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'installation_id'").Scan(&id)
	if err != nil {
		return "", apperr.Wrap(apperr.Internal, "无法读取安装标识。", err)
	}
	return id, nil
}
