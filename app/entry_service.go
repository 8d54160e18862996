package app

import (
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/session"
)

// EntryService is data entry (数据填报) and the workbench (工作台): batches
// of the logged-in clerk's org unit. Rules live in backend/batch.
type EntryService struct{ app *App }

// entryActor is the guard plus the account's org unit, for batch calls.
func (s *EntryService) entryActor(method string, roles ...session.Role) (batch.Actor, error) {
	a, _, err := s.app.batchActor(method, roles...)
	return a, err
}

// Datasets is the catalog for the entry screens.
func (s *EntryService) Datasets() ([]catalog.Dataset, error) {
	if _, err := s.app.guard("Entry.Datasets"); err != nil {
		return nil, err
	}
	return s.app.catalog.Datasets(), nil
}

// Workbench lists what the org unit has due, overdue and returned.
func (s *EntryService) Workbench() (batch.Workbench, error) {
	a, err := s.entryActor("Entry.Workbench", session.Clerk, session.Reviewer)
	if err != nil {
		return batch.Workbench{}, err
	}
	w, err := s.app.batches.Workbench(s.app.ctx, a)
	return w, toJS(s.app.log, "Entry.Workbench", err)
}

// ListBatches lists the org unit's batches of a dataset ("" for all).
func (s *EntryService) ListBatches(dataset string) ([]batch.Batch, error) {
	a, err := s.entryActor("Entry.ListBatches", session.Clerk)
	if err != nil {
		return nil, err
	}
	bs, err := s.app.batches.List(s.app.ctx, a, dataset)
	return bs, toJS(s.app.log, "Entry.ListBatches", err)
}

// OpenBatch opens (creating on first use) the batch of a dataset and period.
func (s *EntryService) OpenBatch(dataset, period string) (batch.Batch, error) {
	a, err := s.entryActor("Entry.OpenBatch", session.Clerk)
	if err != nil {
		return batch.Batch{}, err
	}
	b, err := s.app.batches.Open(s.app.ctx, a, dataset, period)
	return b, toJS(s.app.log, "Entry.OpenBatch", err)
}

// GetBatch returns one batch. Reviewers read batches (and their rows and
// findings, below) to review them; only clerks change them.
func (s *EntryService) GetBatch(id int64) (batch.Batch, error) {
	a, err := s.entryActor("Entry.GetBatch", session.Clerk, session.Reviewer)
	if err != nil {
		return batch.Batch{}, err
	}
	b, err := s.app.batches.Get(s.app.ctx, a, id)
	return b, toJS(s.app.log, "Entry.GetBatch", err)
}

// Rows returns a page of a batch's rows, personal fields masked.
func (s *EntryService) Rows(id int64, offset, limit int) (batch.RowPage, error) {
	a, err := s.entryActor("Entry.Rows", session.Clerk, session.Reviewer)
	if err != nil {
		return batch.RowPage{}, err
	}
	p, err := s.app.batches.Rows(s.app.ctx, a, id, offset, limit)
	return p, toJS(s.app.log, "Entry.Rows", err)
}

// Save applies the grid's pending edits in one transaction.
func (s *EntryService) Save(id int64, edit batch.Edit) (batch.SaveResult, error) {
	a, err := s.entryActor("Entry.Save", session.Clerk)
	if err != nil {
		return batch.SaveResult{}, err
	}
	r, err := s.app.batches.Save(s.app.ctx, a, id, edit)
	return r, toJS(s.app.log, "Entry.Save", err)
}

// Validate checks a whole batch.
func (s *EntryService) Validate(id int64) (batch.Report, error) {
	a, err := s.entryActor("Entry.Validate", session.Clerk, session.Reviewer)
	if err != nil {
		return batch.Report{}, err
	}
	r, err := s.app.batches.Validate(s.app.ctx, a, id)
	return r, toJS(s.app.log, "Entry.Validate", err)
}

// Reveal shows one masked personal field in full; it is recorded.
func (s *EntryService) Reveal(id, rowID int64, field string) (string, error) {
	a, err := s.entryActor("Entry.Reveal", session.RevealRoles...)
	if err != nil {
		return "", err
	}
	v, err := s.app.batches.Reveal(s.app.ctx, a, id, rowID, field)
	if err == nil {
		// Who looked at which cell, never the value.
		s.app.log.Info("personal field revealed", "user", a.UserID, "batch", id, "row", rowID, "field", field)
	}
	return v, toJS(s.app.log, "Entry.Reveal", err)
}

// GrantLockException reopens a closed period for a rectification (整改).
func (s *EntryService) GrantLockException(dataset, period, reason, reference string) (batch.LockException, error) {
	a, err := s.entryActor("Entry.GrantLockException", session.LockExceptionRoles...)
	if err != nil {
		return batch.LockException{}, err
	}
	ex, err := s.app.batches.GrantLockException(s.app.ctx, a, dataset, period, reason, reference)
	return ex, toJS(s.app.log, "Entry.GrantLockException", err)
}
