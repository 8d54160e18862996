package app

import (
	"context"
	"io"
	"strconv"
	"time"

	"caiji/backend/audit"
	"caiji/backend/report"
	"caiji/backend/session"
)

// AuditService is the security auditor's 审计 page: the audit log
// filtered and paged, its verification (chain and signed heads) and an
// Excel export. Auditor only, checked here; the log is backend/audit's.
type AuditService struct{ app *App }

// AuditUser is an account as the auditor's user filter lists it.
type AuditUser struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	OrgUnit  string `json:"orgUnit"`
	Disabled bool   `json:"disabled"`
}

// Users lists every account for the user filter.
func (s *AuditService) Users() ([]AuditUser, error) {
	const method = "Audit.Users"
	if _, err := s.app.guard(method, session.Auditor); err != nil {
		return nil, err
	}
	us, err := s.app.registry.ListUsers(s.app.ctx)
	if err != nil {
		return nil, toJS(s.app.log, method, err)
	}
	out := make([]AuditUser, 0, len(us))
	for _, u := range us {
		out = append(out, AuditUser{ID: u.ID, Name: u.Name, OrgUnit: u.OrgUnit, Disabled: u.Disabled})
	}
	return out, nil
}

// List returns one page (50 entries, newest first) of the entries the
// filter selects, with the total count.
func (s *AuditService) List(f audit.Filter) (audit.Page, error) {
	const method = "Audit.List"
	if _, err := s.app.guard(method, session.Auditor); err != nil {
		return audit.Page{}, err
	}
	p, err := audit.List(s.app.ctx, s.app.store.DB(), f)
	return p, toJS(s.app.log, method, err)
}

// Verify checks the whole log: every entry's hash and link, and every
// signed head against the log and its signer's certificate (chained to
// this installation's trusted CA).
func (s *AuditService) Verify() (audit.Report, error) {
	const method = "Audit.Verify"
	if _, err := s.app.guard(method, session.Auditor); err != nil {
		return audit.Report{}, err
	}
	rep, err := s.app.verifyAudit(s.app.ctx)
	return rep, toJS(s.app.log, method, err)
}

// verifyAudit is Verify with the installation's certificates.
func (a *App) verifyAudit(ctx context.Context) (audit.Report, error) {
	var trust audit.Trust
	if a.keys != nil && a.keys.checker != nil && a.keys.checker.Trust != nil {
		trust = audit.Trust{Roots: a.keys.checker.Trust.Roots(), Intermediates: a.keys.checker.Trust.Intermediates()}
	}
	v, err := audit.CertVerifier(ctx, a.store.DB(), trust)
	if err != nil {
		return audit.Report{}, err
	}
	return audit.Verify(ctx, a.store.DB(), v)
}

// Export writes the entries the filter selects (all pages, newest first)
// to an .xlsx in the exports folder. The export itself is recorded first
// (audit.export, with the filter): the log says who took a copy of it.
func (s *AuditService) Export(f audit.Filter) (SavedFile, error) {
	const method = "Audit.Export"
	sess, err := s.app.guard(method, session.Auditor)
	if err != nil {
		return SavedFile{}, err
	}
	ctx, db := s.app.ctx, s.app.store.DB()
	// Checked before anything is recorded: a bad date is the auditor's
	// typo, not an export.
	if err := f.Check(); err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	userName := ""
	if f.UserID > 0 {
		if u, err := s.app.registry.Get(ctx, f.UserID); err == nil {
			userName = u.Name
		}
	}
	uid, _ := strconv.ParseInt(sess.User.ID, 10, 64)
	if _, err := audit.Append(ctx, db, audit.Entry{UserID: uid, CertFingerprint: sess.CertFingerprint,
		Action: audit.ActAuditExport, Object: "audit_log", After: audit.JSON(map[string]any{
			"user": f.UserID, "action": f.Action, "object": f.Object, "from": f.From, "to": f.To})}); err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	me, _ := s.app.actor(sess)
	meta := report.Meta{OrgUnit: me.OrgUnit, Preparer: me.Name, GeneratedAt: time.Now()}
	saved, err := s.app.exportFile("审计日志", func(w io.Writer) error {
		return report.AuditLog(w, meta, f.Describe(userName), func(add func(report.AuditRow) error) error {
			return audit.Each(ctx, db, f, func(it audit.Item) error {
				return add(report.AuditRow{ID: it.ID, At: it.At, UserID: it.UserID, UserName: it.UserName,
					CertFingerprint: it.CertFingerprint, Action: it.Action, ActionLabel: audit.Label(it.Action),
					Object: it.Object, Before: it.Before, After: it.After})
			})
		})
	})
	if err == nil {
		s.app.log.Info("audit log exported", "size", saved.Size)
	}
	return saved, toJS(s.app.log, method, err)
}
