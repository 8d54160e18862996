-- Sync with the provincial platform (backend/outbox, docs/platform-api.md).
--
-- The outbox holds one item per approved batch version to send. It is
-- written in the same transaction that moves the batch to 'queued', so a
-- crash can never leave a queued batch without an item or the reverse.
-- What survives a crash is all the worker needs: the platform keeps the
-- chunks it already has, and a repeated push of the same (batch_uid,
-- version) sends only the rest or gets the stored receipt.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL UNIQUE REFERENCES batches(id),
    org_unit_id     INTEGER NOT NULL REFERENCES org_units(id),
    batch_uid       TEXT NOT NULL,      -- org unit code, dataset, period: the same for every version
    version         INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'rejected', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    queued_at       TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,      -- not before: the backoff of temporary failures
    sent_bytes      INTEGER NOT NULL DEFAULT 0,
    total_bytes     INTEGER NOT NULL DEFAULT 0,
    error_code      TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '', -- the platform's or the client's Chinese message
    receipt         TEXT CHECK (receipt IS NULL OR json_valid(receipt)), -- wire.Receipt as received
    receipt_sig     BLOB,
    done_at         TEXT,
    UNIQUE (batch_uid, version)
) STRICT;
CREATE INDEX outbox_due ON outbox(org_unit_id, state, next_attempt_at);

-- A receipt, once stored, is the platform's word: it never changes.
CREATE TRIGGER outbox_receipt_kept BEFORE UPDATE OF receipt, receipt_sig ON outbox
WHEN OLD.receipt IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a stored receipt is never changed'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox items are kept'); END;

-- Rows the platform refused, with its message, shown on the rows. row_no
-- is the platform's 1-based position in the sent rows; row_id the local
-- row it points to (NULL if the platform named a row the batch lacks).
CREATE TABLE platform_row_issues (
    id       INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    row_no   INTEGER NOT NULL,
    row_id   INTEGER,
    field    TEXT NOT NULL,
    message  TEXT NOT NULL
) STRICT;
CREATE INDEX platform_row_issues_batch ON platform_row_issues(batch_id);

-- The key the platform signs receipts with, pinned on first use per
-- platform address unless the configuration names it: a receipt signed
-- by any other key is refused.
CREATE TABLE platform_keys (
    base_url  TEXT PRIMARY KEY,
    der       BLOB NOT NULL,            -- PKIX public key
    pinned_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER platform_keys_no_update BEFORE UPDATE ON platform_keys
BEGIN SELECT RAISE(ABORT, 'a pinned key is never changed'); END;
