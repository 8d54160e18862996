-- Certificates that sign audit chain heads (docs/audit-log.md). A head
-- names its signer by certificate fingerprint; to check the signature
-- later — in the app, or with `caiji audit verify` on a copied file — the
-- certificate itself must be at hand. The users table keeps only the
-- fingerprint, and an account's certificate may be renewed, so every
-- certificate ever bound or used to log in is kept here, keyed by its
-- fingerprint, and never changed or removed: a head signed with last
-- year's certificate must still verify.
--
-- Anyone with the file could add a certificate of their own making here;
-- that is why the verifier also checks that the certificate chains to the
-- installation's trusted CA (audit.CertVerifier), not only that its hash
-- is its fingerprint.
CREATE TABLE audit_certs (
    fingerprint TEXT PRIMARY KEY,  -- SHA-256 of der, lowercase hex (pki.Fingerprint)
    der         BLOB NOT NULL,
    added_at    TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_certs_no_update BEFORE UPDATE ON audit_certs
BEGIN
    SELECT RAISE(ABORT, 'audit_certs is append-only');
END;

CREATE TRIGGER audit_certs_no_delete BEFORE DELETE ON audit_certs
BEGIN
    SELECT RAISE(ABORT, 'audit_certs is append-only');
END;
