-- Signed approval and corrections (package backend/batch: signature.go,
-- correction.go). docs/signed-approval.md describes what is signed.

-- A correction (更正) is a new batch of the same dataset, org unit and
-- period with version + 1; replaces names the version it corrects. A
-- correction of a closed period carries the rectification (整改) it serves.
ALTER TABLE batches ADD COLUMN replaces INTEGER REFERENCES batches(id);
ALTER TABLE batches ADD COLUMN rectification TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX batches_one_correction ON batches(replaces) WHERE replaces IS NOT NULL;

-- A row of a correction remembers the row of the replaced version it
-- continues (NULL: a new row) and why it was changed; field-level
-- before/after are the two rows side by side, and the replaced version is
-- frozen (below), so they never drift.
ALTER TABLE batch_rows ADD COLUMN origin INTEGER REFERENCES batch_rows(id);
ALTER TABLE batch_rows ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- Rows of the replaced version that the correction deletes, with why.
CREATE TABLE correction_removals (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    origin   INTEGER NOT NULL REFERENCES batch_rows(id),
    reason   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, origin)
) STRICT;

-- The reviewer's signature of an approved batch: a detached CMS SignedData
-- over the batch's canonical bytes, made on the reviewer's token.
CREATE TABLE batch_signatures (
    id               INTEGER PRIMARY KEY,
    batch_id         INTEGER NOT NULL REFERENCES batches(id),
    digest           TEXT NOT NULL,  -- hex SHA-256 of the canonical bytes
    cms              BLOB NOT NULL,  -- DER
    signer_id        INTEGER NOT NULL REFERENCES users(id),
    cert_fingerprint TEXT NOT NULL,
    created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX batch_signatures_batch ON batch_signatures(batch_id, id);
CREATE TRIGGER batch_signatures_no_update BEFORE UPDATE ON batch_signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER batch_signatures_no_delete BEFORE DELETE ON batch_signatures
BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;

-- Rows of a batch past review are frozen: the code never changes them,
-- and these refuse it from anywhere else too (the signature would still
-- tell, but a refusal is kinder than a broken seal).
CREATE TRIGGER batch_rows_frozen_update BEFORE UPDATE ON batch_rows
WHEN (SELECT status FROM batches WHERE id = OLD.batch_id) NOT IN ('draft', 'returned')
BEGIN SELECT RAISE(ABORT, 'rows of a submitted or approved batch are read-only'); END;
CREATE TRIGGER batch_rows_frozen_delete BEFORE DELETE ON batch_rows
WHEN (SELECT status FROM batches WHERE id = OLD.batch_id) NOT IN ('draft', 'returned')
BEGIN SELECT RAISE(ABORT, 'rows of a submitted or approved batch are read-only'); END;
CREATE TRIGGER batch_rows_frozen_insert BEFORE INSERT ON batch_rows
WHEN (SELECT status FROM batches WHERE id = NEW.batch_id) NOT IN ('draft', 'returned')
BEGIN SELECT RAISE(ABORT, 'rows of a submitted or approved batch are read-only'); END;
