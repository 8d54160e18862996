package app

import (
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/session"
)

func TestReviewThroughTheBoundMethods(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	b := projectAndRoster(t, a)
	saved, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: []map[string]string{wangFang()}})
	if err != nil {
		t.Fatal(err)
	}
	b, err = a.Review.Submit(b.ID, saved.Revision, false, "")
	if err != nil || b.Status != batch.Submitted {
		t.Fatalf("submit: %+v %v", b.Status, err)
	}
	if _, err := a.Review.Waiting(); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("clerk reads the review queue: %v", err)
	}
	a.Session.Logout()

	loginAs(t, a, session.Reviewer)
	// The reviewer reads what they review, and changes nothing.
	if page, err := a.Entry.Rows(b.ID, 0, 10); err != nil || page.Total != 1 {
		t.Fatalf("reviewer reads rows: %+v %v", page, err)
	}
	if _, err := a.Entry.Validate(b.ID); err != nil {
		t.Fatalf("reviewer validates: %v", err)
	}
	if _, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision}); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("reviewer saves: %v", err)
	}
	queue, err := a.Review.Waiting()
	if err != nil || len(queue) != 1 || queue[0].ID != b.ID {
		t.Fatalf("queue %+v %v", queue, err)
	}
	b, err = a.Review.Return(b.ID, b.Revision, "金额与花名册原件不符，请核对", []batch.RowComment{{RowID: saved.Added[0], Field: "amount", Comment: "请核对"}})
	if err != nil || b.Status != batch.Returned {
		t.Fatalf("return: %v %v", b.Status, err)
	}
	trail, err := a.Review.Trail(b.ID)
	if err != nil || len(trail) != 2 || trail[1].Comment == "" || len(trail[1].RowComments) != 1 || trail[1].UserName == "" {
		t.Fatalf("trail %+v %v", trail, err)
	}
	a.Session.Logout()

	loginAs(t, a, session.Clerk)
	b, err = a.Review.Submit(b.ID, b.Revision, false, "")
	if err != nil {
		t.Fatal(err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Reviewer)
	if b, err = a.Review.Approve(b.ID, b.Revision); err != nil || b.Status != batch.Approved {
		t.Fatalf("approve: %v %v", b.Status, err)
	}
	// Signed on the reviewer's demo key, under the demo CA the app trusts.
	if seal, err := a.Review.Seal(b.ID); err != nil || seal.State != batch.SealValid || seal.Signer != "李强" {
		t.Fatalf("seal %+v %v", seal, err)
	}
	a.Session.Logout()
	loginAs(t, a, session.Auditor)
	if _, err := a.Review.Approve(b.ID, b.Revision); jsCode(t, err).Code == "" {
		t.Fatal("auditor approved")
	}
}
