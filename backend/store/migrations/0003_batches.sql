-- Data entry (package backend/batch owns these tables).
-- Timestamps are UTC text in the fixed-width layout of 0002_identity.sql.

-- A batch is one (dataset, org unit, period) submission. version counts
-- corrections (issue 6 adds them); revision counts saves, so a stale
-- editor can be told. Status values are extended by later migrations'
-- code, never renamed.
CREATE TABLE batches (
    id              INTEGER PRIMARY KEY,
    dataset         TEXT NOT NULL,
    dataset_version INTEGER NOT NULL,
    org_unit_id     INTEGER NOT NULL REFERENCES org_units(id),
    period          TEXT NOT NULL,              -- period.Period.String(): 2026-10, 2026Q3, 2026
    version         INTEGER NOT NULL DEFAULT 1,
    status          TEXT NOT NULL CHECK (status IN
                        ('draft', 'submitted', 'returned', 'approved', 'queued', 'accepted', 'rejected')),
    revision        INTEGER NOT NULL DEFAULT 0,
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES users(id),
    updated_at      TEXT NOT NULL,
    UNIQUE (dataset, org_unit_id, period, version)
) STRICT;

-- Rows hold the cells exactly as typed (a draft may be wrong and must come
-- back as the clerk left it); typed values are derived on validation and
-- approval. seq orders rows; gaps after deletions are fine.
CREATE TABLE batch_rows (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER NOT NULL REFERENCES batches(id),
    seq        INTEGER NOT NULL,
    cells      TEXT NOT NULL CHECK (json_valid(cells)),
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX batch_rows_order ON batch_rows(batch_id, seq);

-- From 1 April the previous year is closed (seed 000 第十八条); a change
-- needs a recorded exception naming the rectification (整改) it serves.
CREATE TABLE lock_exceptions (
    id          INTEGER PRIMARY KEY,
    dataset     TEXT NOT NULL,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    period      TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) >= 4),
    reference   TEXT NOT NULL CHECK (length(trim(reference)) > 0), -- 整改通知文号
    granted_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX lock_exceptions_scope ON lock_exceptions(dataset, org_unit_id, period);

-- Every reveal of a masked personal field (身份证号, 账号) is recorded.
-- Append-only here; the audit log of issue 6 absorbs it.
CREATE TABLE reveals (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    batch_id   INTEGER NOT NULL REFERENCES batches(id),
    row_id     INTEGER NOT NULL,
    field      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER reveals_no_update BEFORE UPDATE ON reveals
BEGIN SELECT RAISE(ABORT, 'reveals are append-only'); END;
CREATE TRIGGER reveals_no_delete BEFORE DELETE ON reveals
BEGIN SELECT RAISE(ABORT, 'reveals are append-only'); END;
