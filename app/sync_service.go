package app

import (
	"caiji/backend/apperr"
	"caiji/backend/outbox"
	"caiji/backend/session"
)

// SyncService is 同步: what waits to be sent to the provincial platform,
// what it accepted or refused, and the link state in the header. The
// sending itself is the background worker (backend/outbox).
type SyncService struct{ app *App }

// SyncState is the header's and the 同步 page's view of sync.
type SyncState struct {
	Status   outbox.Status `json:"status"`
	Platform string        `json:"platform"` // the address sent to
	Demo     bool          `json:"demo"`     // the bundled simulator
	// Problem is why sync cannot run at all (no platform configured, a bad
	// certificate file): shown instead of the link state.
	Problem string `json:"problem,omitempty"`
}

var syncRoles = session.RolesFor(session.PageSync)

// State is the link state and counts of the session's org unit.
func (s *SyncService) State() (SyncState, error) {
	if _, err := s.app.guard("Sync.State", syncRoles...); err != nil {
		return SyncState{}, err
	}
	return s.app.syncState(), nil
}

func (a *App) syncState() SyncState {
	st := SyncState{Platform: a.platformURLUsed, Demo: a.demoMode() && a.cfg.Platform.URL == ""}
	if a.syncErr != nil {
		st.Problem = apperr.From(a.syncErr).Message
		st.Status.Link = outbox.LinkOffline
		return st
	}
	if a.worker != nil {
		st.Status = a.worker.Status()
	}
	return st
}

// Items lists the org unit's outbox, newest first.
func (s *SyncService) Items() ([]outbox.Item, error) {
	a, _, err := s.app.batchActor("Sync.Items", syncRoles...)
	if err != nil {
		return nil, err
	}
	items, err := s.app.outbox.List(s.app.ctx, a)
	return items, toJS(s.app.log, "Sync.Items", err)
}

// Retry makes a waiting or failed item due now and wakes the worker.
func (s *SyncService) Retry(itemID int64) (outbox.Item, error) {
	a, _, err := s.app.batchActor("Sync.Retry", syncRoles...)
	if err != nil {
		return outbox.Item{}, err
	}
	it, err := s.app.outbox.Retry(s.app.ctx, a, itemID)
	if err == nil {
		s.app.kickSync()
	}
	return it, toJS(s.app.log, "Sync.Retry", err)
}

// Now wakes the worker: 立即同步.
func (s *SyncService) Now() error {
	if _, err := s.app.guard("Sync.Now", syncRoles...); err != nil {
		return err
	}
	s.app.kickSync()
	return nil
}

// RowIssues are the rows the platform refused in a batch, with its
// messages, for the grid.
func (s *SyncService) RowIssues(batchID int64) ([]outbox.RowIssue, error) {
	a, _, err := s.app.batchActor("Sync.RowIssues", syncRoles...)
	if err != nil {
		return nil, err
	}
	is, err := s.app.outbox.RowIssues(s.app.ctx, a, batchID)
	return is, toJS(s.app.log, "Sync.RowIssues", err)
}

// CheckReceipt verifies an item's stored receipt again against the
// platform key pinned for it: the 回执 dialog shows the result.
func (s *SyncService) CheckReceipt(itemID int64) (outbox.ReceiptCheck, error) {
	a, _, err := s.app.batchActor("Sync.CheckReceipt", syncRoles...)
	if err != nil {
		return outbox.ReceiptCheck{}, err
	}
	rc, err := s.app.outbox.CheckReceipt(s.app.ctx, a, itemID, s.app.platformURLUsed, s.app.receiptKey)
	return rc, toJS(s.app.log, "Sync.CheckReceipt", err)
}

func (a *App) kickSync() {
	if a.worker != nil {
		a.worker.Kick()
	}
}
