package app

import (
	"caiji/backend/batch"
	"caiji/backend/session"
)

// ReviewService is 审核: the reviewer's queue and the approve and return
// steps. The state machine and who may take which step are in
// backend/batch/workflow.go; this only passes the session's roles on.
type ReviewService struct{ app *App }

func (s *ReviewService) actor(method string, roles ...session.Role) (batch.Actor, []session.Role, error) {
	a, sess, err := s.app.batchActor(method, roles...)
	if err != nil {
		return a, nil, err
	}
	return a, sess.User.Roles, nil
}

// Waiting lists the org unit's batches submitted for review, oldest first.
func (s *ReviewService) Waiting() ([]batch.Batch, error) {
	a, _, err := s.actor("Review.Waiting", session.Reviewer)
	if err != nil {
		return nil, err
	}
	bs, err := s.app.batches.Waiting(s.app.ctx, a)
	return bs, toJS(s.app.log, "Review.Waiting", err)
}

// Approve approves a submitted batch the reviewer did not enter, signing
// it on the reviewer's key.
func (s *ReviewService) Approve(batchID, revision int64) (batch.Batch, error) {
	const method = "Review.Approve"
	a, roles, err := s.actor(method)
	if err != nil {
		return batch.Batch{}, err
	}
	signer, err := s.app.approvalSigner()
	if err != nil {
		return batch.Batch{}, toJS(s.app.log, method, err)
	}
	b, err := s.take(method, a, roles, batchID, batch.Step{Action: batch.Approve, Revision: revision, Signer: signer})
	if err == nil {
		s.app.kickSync() // approved batches are sent at once
	}
	return b, err
}

// Seal checks the approval signature of a batch against its rows as they
// are stored now: the page shows it whenever an approved batch is opened.
func (s *ReviewService) Seal(batchID int64) (batch.Seal, error) {
	const method = "Review.Seal"
	a, _, err := s.actor(method, session.Clerk, session.Reviewer)
	if err != nil {
		return batch.Seal{}, err
	}
	seal, err := s.app.batches.CheckSeal(s.app.ctx, a, batchID, s.app.trustedRoots())
	if err == nil && seal.State == batch.SealBroken {
		s.app.log.Warn("approval seal broken", "batch", batchID, "code", seal.Code)
	}
	return seal, toJS(s.app.log, method, err)
}

// Return sends a submitted batch back to the clerk with a reason and,
// optionally, notes on rows.
func (s *ReviewService) Return(batchID, revision int64, comment string, rows []batch.RowComment) (batch.Batch, error) {
	return s.act("Review.Return", batchID, batch.Step{Action: batch.Return, Revision: revision, Comment: comment, RowComments: rows})
}

// Trail is a batch's workflow history with the reviewers' comments, for
// the clerk and the reviewer.
func (s *ReviewService) Trail(batchID int64) ([]batch.Review, error) {
	a, _, err := s.actor("Review.Trail", session.Clerk, session.Reviewer)
	if err != nil {
		return nil, err
	}
	rs, err := s.app.batches.Reviews(s.app.ctx, a, batchID)
	return rs, toJS(s.app.log, "Review.Trail", err)
}

// Submit sends a clerk's batch to review; confirmWarnings says the clerk
// has checked every warning (comment: why they stand).
func (s *ReviewService) Submit(batchID, revision int64, confirmWarnings bool, comment string) (batch.Batch, error) {
	return s.act("Review.Submit", batchID, batch.Step{Action: batch.Submit, Revision: revision, ConfirmWarnings: confirmWarnings, Comment: comment})
}

func (s *ReviewService) act(method string, batchID int64, st batch.Step) (batch.Batch, error) {
	// Any logged-in role reaches the state machine, which refuses the
	// roles a step does not allow (one rule, in backend/batch).
	a, roles, err := s.actor(method)
	if err != nil {
		return batch.Batch{}, err
	}
	return s.take(method, a, roles, batchID, st)
}

func (s *ReviewService) take(method string, a batch.Actor, roles []session.Role, batchID int64, st batch.Step) (batch.Batch, error) {
	b, err := s.app.batches.Act(s.app.ctx, a, roles, batchID, st)
	if err == nil {
		s.app.log.Info("workflow", "action", st.Action, "batch", batchID, "user", a.UserID, "status", b.Status)
	}
	return b, toJS(s.app.log, method, err)
}
