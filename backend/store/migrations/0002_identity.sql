-- Local user registry (package backend/identity owns these tables).
-- Timestamps are UTC text in one fixed-width layout
-- (2006-01-02T15:04:05.000000Z), so SQL can compare them as strings.

-- Org units (机构). code is what the platform will know them by later.
CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at TEXT NOT NULL
) STRICT;

-- Accounts are real-name and personal: one person, one USB-key certificate.
-- A certificate is identified by issuer DN + serial (unique per CA), so a
-- second account can never be bound to the same key. Users are never
-- deleted, only disabled, so audit records keep pointing at a person.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL CHECK (length(trim(name)) > 0),
    org_unit_id          INTEGER NOT NULL REFERENCES org_units(id),
    cert_issuer          TEXT NOT NULL,          -- issuer DN string
    cert_serial          TEXT NOT NULL,          -- lowercase hex, no leading zeros
    cert_ski             TEXT NOT NULL,          -- subject key id, lowercase hex ('' if the cert has none)
    cert_fingerprint     TEXT NOT NULL,          -- SHA-256 of the DER, lowercase hex
    cert_subject         TEXT NOT NULL,
    cert_not_after       TEXT NOT NULL,
    -- argon2id in PHC form: the parameters travel with the hash so they
    -- can be raised later without invalidating old passwords.
    password_hash        TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,          -- passwords expire (changed periodically)
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    -- Failures since the last success or the last lock; incremented in SQL
    -- so concurrent attempts cannot lose a count.
    failed_attempts      INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until         TEXT,                   -- locked while this is in the future
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at           TEXT NOT NULL,
    created_by           INTEGER REFERENCES users(id), -- NULL only for the first administrator
    UNIQUE (cert_issuer, cert_serial)
) STRICT;

CREATE INDEX users_org_unit ON users(org_unit_id);

-- Roles live here, not in the session: the database is the source of truth.
-- Only the role names are checked in SQL; the 三员分立 combinations are
-- checked in one place, identity.ValidateRoles.
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'sysadmin', 'secadmin', 'auditor')),
    PRIMARY KEY (user_id, role)
) STRICT;

-- "Does anyone hold secadmin yet?" decides who may grant admin roles.
CREATE INDEX user_roles_role ON user_roles(role);

-- Refused operations (wrong password, forbidden admin action, ...). user_id
-- has no foreign key: 0/NULL means nobody was identified. Append-only: the
-- triggers stop the app (or anyone with the file and sqlite3) from quietly
-- editing the record; the later tamper-evident audit log takes it over.
CREATE TABLE refusals (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id INTEGER,
    method  TEXT NOT NULL,
    code    TEXT NOT NULL
) STRICT;

CREATE TRIGGER refusals_no_update BEFORE UPDATE ON refusals
BEGIN
    SELECT RAISE(ABORT, 'refusals are append-only');
END;

CREATE TRIGGER refusals_no_delete BEFORE DELETE ON refusals
BEGIN
    SELECT RAISE(ABORT, 'refusals are append-only');
END;

-- Installation settings that administrators change at run time.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
