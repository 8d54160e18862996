-- Voucher attachments (票据凭证); package backend/attachments owns this table.
-- The file itself lives outside the database, content-addressed:
-- <dataDir>/attachments/<first 2 hex>/<sha256>. A row's cell refers to an
-- attachment by its sha256 (see attachments.ParseRef / FormatRef).
-- Timestamps are UTC text in the layout of 0002 (2006-01-02T15:04:05.000000Z).
--
-- The same content stored twice is one row: the first upload's metadata
-- (name, uploader, time) wins. Rows are never updated.
CREATE TABLE attachments (
    sha256        TEXT PRIMARY KEY
                  CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'), -- lowercase hex
    size          INTEGER NOT NULL CHECK (size > 0),                            -- bytes
    -- Detected from the content (magic bytes), never from the file name.
    mime          TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'application/pdf')),
    original_name TEXT NOT NULL CHECK (length(original_name) BETWEEN 1 AND 100), -- sanitised, for display only
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'attachments are immutable: the first upload''s metadata wins');
END;
