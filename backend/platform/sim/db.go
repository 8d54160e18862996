package sim

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// migrations are applied in order; PRAGMA user_version counts those done.
var migrations = []string{`
CREATE TABLE uploads (
	id TEXT PRIMARY KEY,
	batch_uid TEXT NOT NULL,
	version INTEGER NOT NULL,
	dataset TEXT NOT NULL,
	period TEXT NOT NULL,
	org_unit TEXT NOT NULL,
	replaces INTEGER NOT NULL,
	content_sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	chunk_size INTEGER NOT NULL,
	signature BLOB NOT NULL,
	done INTEGER NOT NULL DEFAULT 0, -- completed: kept so a repeated complete finds its receipt
	UNIQUE (batch_uid, version)
);
CREATE TABLE chunks (
	upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
	idx INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (upload_id, idx)
);
CREATE TABLE batches (
	batch_uid TEXT NOT NULL,
	version INTEGER NOT NULL,
	dataset TEXT NOT NULL,
	period TEXT NOT NULL,
	org_unit TEXT NOT NULL,
	content_sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	content BLOB NOT NULL,
	signature BLOB NOT NULL,
	status TEXT NOT NULL,
	receipt TEXT NOT NULL,      -- wire.Receipt as JSON
	receipt_sig BLOB NOT NULL,
	PRIMARY KEY (batch_uid, version)
);
CREATE TABLE feedback (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL,
	batch_uid TEXT NOT NULL,
	version INTEGER NOT NULL,
	message TEXT NOT NULL,
	rows TEXT NOT NULL,         -- []wire.RowIssue as JSON
	at TEXT NOT NULL
);`,
}

func openDB(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(5000)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One writer at a time is plenty for a simulator and rules out SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		db.Close()
		return nil, err
	}
	if v > len(migrations) {
		db.Close()
		return nil, fmt.Errorf("simulator database version %d is newer than this program (%d)", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err := db.ExecContext(ctx, migrations[i]); err != nil {
			db.Close()
			return nil, fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}
