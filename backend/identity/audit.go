package identity

import (
	"context"
	"database/sql"
	"strconv"

	"caiji/backend/audit"
)

// Every change to accounts, org units, roles and settings appends one
// entry to the audit log (backend/audit) in the transaction of the
// change, so the change and its trace commit together. Entries name
// staff by account id; names are masked (fields.MaskName) and passwords
// never appear, not even as a hash.

// DB is the registry's database: backend/auth records logins and signs
// chain heads in the same audit log.
func (r *Registry) DB() *sql.DB { return r.db }

// record appends an entry by actor: its id and the fingerprint of the
// certificate it acts with (the app sets Cert.Fingerprint from the
// session; a stored account carries the one it is bound to).
func (r *Registry) record(ctx context.Context, q audit.Querier, actor User, action, object string, before, after any) error {
	_, err := audit.Append(ctx, q, audit.Entry{At: r.now(), UserID: actor.ID, CertFingerprint: actor.Cert.Fingerprint,
		Action: action, Object: object, Before: audit.JSON(before), After: audit.JSON(after)})
	return err
}

func userObject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// storeCert keeps the certificate of an account so that chain heads its
// key signs can be verified; a CertRef without DER (tests, a reference
// typed in) has nothing to keep.
func (r *Registry) storeCert(ctx context.Context, q audit.Querier, c CertRef) error {
	if len(c.DER) == 0 {
		return nil
	}
	return audit.StoreCert(ctx, q, c.DER, r.now())
}
