-- Tamper-evident audit log; package backend/audit owns these tables and
-- docs/audit-log.md describes the chain. Timestamps are UTC text in the
-- layout of 0002 (2006-01-02T15:04:05.000000Z).
--
-- Each entry carries the hash of the entry before it, and its own hash
-- covers its id, fields and that previous hash, so editing, deleting,
-- inserting or reordering entries breaks the chain where it happened.
-- The triggers stop the app (or anyone using sqlite3 on the file) from
-- changing the log by accident; an attacker who drops them is caught by
-- `caiji audit verify`, not by SQL.
--
-- user_id has no foreign key: the log must accept an entry for a refused
-- call by nobody (NULL), and must never fail to record because of the
-- state of another table. Users are never deleted (0002), so ids stay
-- meaningful. before/after hold masked JSON, never personal data in full.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY,                      -- assigned by audit.Append: previous id + 1, no gaps
    at               TEXT NOT NULL,
    user_id          INTEGER,                                  -- NULL: nobody was identified
    cert_fingerprint TEXT NOT NULL DEFAULT '',                 -- SHA-256 of the actor's certificate, lowercase hex
    action           TEXT NOT NULL CHECK (length(action) > 0), -- e.g. login, batch.approve
    object           TEXT NOT NULL DEFAULT '',                 -- e.g. batch:12
    "before"         TEXT CHECK ("before" IS NULL OR json_valid("before")),
    "after"          TEXT CHECK ("after" IS NULL OR json_valid("after")),
    prev_hash        TEXT NOT NULL,                            -- hash of entry id-1, or the genesis value for id 1
    hash             TEXT NOT NULL                             -- lowercase hex SHA-256, see docs/audit-log.md
) STRICT;

-- The auditor filters by user, action and time.
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at);

-- A second writer that forgot to read the head inside its write
-- transaction would fork the chain; refuse that here as well as in Go.
-- The genesis value is audit.Genesis (64 zeros).
CREATE TRIGGER audit_log_linked BEFORE INSERT ON audit_log
WHEN NEW.id IS NOT COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),
                                    '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'audit_log entries must extend the chain head');
END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Signed chain heads: at intervals and at logout the acting user's token
-- signs the hash of the latest entry. A rewrite of the whole chain after a
-- signed head, or a cut-off tail, no longer matches the head. entry_id has
-- no foreign key so that verify can report a head whose entry is gone.
CREATE TABLE audit_heads (
    id               INTEGER PRIMARY KEY,
    at               TEXT NOT NULL,
    entry_id         INTEGER NOT NULL,      -- the audit_log entry whose hash was signed
    hash             TEXT NOT NULL,         -- that entry's hash
    cert_fingerprint TEXT NOT NULL,         -- signer's certificate, SHA-256 lowercase hex
    signature        BLOB NOT NULL          -- over audit.HeadDigest (PKCS#1 v1.5 for RSA, ASN.1 for ECDSA)
) STRICT;

CREATE INDEX audit_heads_entry ON audit_heads(entry_id);

CREATE TRIGGER audit_heads_no_update BEFORE UPDATE ON audit_heads
BEGIN
    SELECT RAISE(ABORT, 'audit_heads is append-only');
END;

CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN
    SELECT RAISE(ABORT, 'audit_heads is append-only');
END;
