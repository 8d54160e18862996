-- Installation-wide facts. installation_id names this PC's client to the
-- platform later (idempotent sync keys), so it is made once and never changes.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

INSERT INTO meta(key, value) VALUES
    ('installation_id', lower(hex(randomblob(16)))),
    ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
