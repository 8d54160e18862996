-- Review workflow (package backend/batch, workflow.go).

-- Everyone who entered or changed a batch's rows: a reviewer among them
-- may not approve it (审核与录入分离). Filled on every save and import.
CREATE TABLE batch_editors (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    user_id  INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (batch_id, user_id)
) STRICT;
INSERT OR IGNORE INTO batch_editors (batch_id, user_id) SELECT id, created_by FROM batches;
INSERT OR IGNORE INTO batch_editors (batch_id, user_id) SELECT id, updated_by FROM batches;

-- One line per workflow step, never changed: who moved the batch from
-- which status to which, and why (a return's comment, a submission's
-- confirmation of warnings).
CREATE TABLE batch_reviews (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id), -- NULL: the platform (sync)
    comment     TEXT NOT NULL DEFAULT '',
    warnings    INTEGER NOT NULL DEFAULT 0,   -- warnings the clerk confirmed on submit
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX batch_reviews_batch ON batch_reviews(batch_id, id);

-- A reviewer's comment on one row (and field) when returning a batch, so
-- the clerk sees it on the row concerned.
CREATE TABLE review_row_comments (
    review_id INTEGER NOT NULL REFERENCES batch_reviews(id),
    row_id    INTEGER NOT NULL,
    field     TEXT NOT NULL DEFAULT '',
    comment   TEXT NOT NULL CHECK (length(trim(comment)) > 0)
) STRICT;

CREATE TRIGGER batch_reviews_no_update BEFORE UPDATE ON batch_reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER batch_reviews_no_delete BEFORE DELETE ON batch_reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER review_row_comments_no_update BEFORE UPDATE ON review_row_comments
BEGIN SELECT RAISE(ABORT, 'review comments are append-only'); END;
CREATE TRIGGER review_row_comments_no_delete BEFORE DELETE ON review_row_comments
BEGIN SELECT RAISE(ABORT, 'review comments are append-only'); END;
