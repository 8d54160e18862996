package app

import (
	"io"
	"time"

	"caiji/backend/batch"
	"caiji/backend/report"
	"caiji/backend/session"
)

// CorrectionService is 更正: a new version of approved or synced data,
// with a reason per change, and the history of any record. The rules
// (what may be corrected, stale versions, 整改 after 1 April) are in
// backend/batch/correction.go.
type CorrectionService struct{ app *App }

// Correct creates the next version of an approved or synced batch as an
// editable draft; rectification is the 整改 reference a closed period needs.
func (s *CorrectionService) Correct(baseID int64, rectification string) (batch.Batch, error) {
	const method = "Corrections.Correct"
	a, _, err := s.app.batchActor(method, session.Clerk)
	if err != nil {
		return batch.Batch{}, err
	}
	b, err := s.app.batches.Correct(s.app.ctx, a, baseID, rectification)
	if err == nil {
		s.app.log.Info("correction", "base", baseID, "batch", b.ID, "version", b.Version, "user", a.UserID)
	}
	return b, toJS(s.app.log, method, err)
}

// SetReason records why a row was changed, added or deleted.
func (s *CorrectionService) SetReason(batchID int64, r batch.Reason) error {
	const method = "Corrections.SetReason"
	a, _, err := s.app.batchActor(method, session.Clerk)
	if err != nil {
		return err
	}
	return toJS(s.app.log, method, s.app.batches.SetReason(s.app.ctx, a, batchID, r))
}

// Changes is what a correction changes against the version it replaces:
// the clerk's list of reasons to give and the reviewer's diff.
func (s *CorrectionService) Changes(batchID int64) (batch.Changes, error) {
	const method = "Corrections.Changes"
	a, _, err := s.app.batchActor(method, session.Clerk, session.Reviewer)
	if err != nil {
		return batch.Changes{}, err
	}
	c, err := s.app.batches.Changes(s.app.ctx, a, batchID)
	return c, toJS(s.app.log, method, err)
}

// History follows one record through every version of its batch.
func (s *CorrectionService) History(batchID, rowID int64) ([]batch.RowVersion, error) {
	const method = "Corrections.History"
	a, _, err := s.app.batchActor(method, session.Clerk, session.Reviewer)
	if err != nil {
		return nil, err
	}
	h, err := s.app.batches.History(s.app.ctx, a, batchID, rowID)
	return h, toJS(s.app.log, method, err)
}

// ExportHistory saves a record's correction history as .xlsx (masked).
func (s *CorrectionService) ExportHistory(batchID, rowID int64) (SavedFile, error) {
	const method = "Corrections.ExportHistory"
	a, sess, err := s.app.batchActor(method, session.Clerk, session.Reviewer)
	if err != nil {
		return SavedFile{}, err
	}
	b, err := s.app.batches.Get(s.app.ctx, a, batchID)
	if err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	h, err := s.app.batches.History(s.app.ctx, a, batchID, rowID)
	if err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	d, _ := s.app.catalog.Get(b.Dataset)
	u, _ := s.app.actor(sess)
	meta := report.Meta{OrgUnit: u.OrgUnit, Period: b.Period, PeriodLabel: b.PeriodLabel, Preparer: u.Name, GeneratedAt: time.Now()}
	saved, err := s.app.exportFile(d.Name+"-"+b.PeriodLabel+"-更正记录", func(w io.Writer) error { return report.History(w, d, h, meta) })
	return saved, toJS(s.app.log, method, err)
}
