package batch

import (
	"context"
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch/batchtest"
	"caiji/backend/pki/devca"
	"caiji/backend/session"
)

var (
	clerkRoles    = []session.Role{session.Clerk}
	reviewerRoles = []session.Role{session.Reviewer}
	reviewer      = Actor{UserID: 3, OrgUnitID: 1} // 王审, same unit as the clerk
)

// rosterReady returns a roster batch of org unit 1 holding one row that
// validates without errors (its project exists); amount "0" adds the
// amount_zero warning.
func rosterReady(t *testing.T, f *fixture, amount string) Batch {
	t.Helper()
	ctx := context.Background()
	p := must[Batch](t)(f.svc.Open(ctx, f.clerk, "msj_project", "2026-10"))
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, p.ID, Edit{Revision: p.Revision, Add: []map[string]string{batchtest.Project("P1")}}))
	b := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: b.Revision, Add: []map[string]string{{
		"name": "王芳", "id_number": "11010519491231002X", "account": "6228480402564890018", "bank": "某县农村信用社",
		"amount": amount, "village_code": "410102001002", "project_code": "P1"}}}))
	return must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
}

func TestWorkflowHappyPathAndReturn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := rosterReady(t, f, "300")

	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}))
	if b.Status != Submitted || b.Editable {
		t.Fatalf("after submit: %s editable=%v", b.Status, b.Editable)
	}
	if _, err := f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: b.Revision, Add: []map[string]string{{"name": "x"}}}); !apperr.Is(err, apperr.BatchNotEditable) {
		t.Fatalf("save of a submitted batch: %v", err)
	}
	// A return needs a reason a clerk can act on.
	if _, err := f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, Step{Action: Return, Revision: b.Revision, Comment: "不对"}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("return with a 2-character comment: %v", err)
	}
	page := must[RowPage](t)(f.svc.Rows(ctx, f.clerk, b.ID, 0, 10))
	b = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, Step{Action: Return, Revision: b.Revision,
		Comment: "第 1 行金额与花名册不符", RowComments: []RowComment{{RowID: page.Rows[0].ID, Field: "amount", Comment: "请核对金额"}}}))
	if b.Status != Returned || !b.Editable {
		t.Fatalf("after return: %s editable=%v", b.Status, b.Editable)
	}
	var n int
	f.st.DB().QueryRow("SELECT COUNT(*) FROM review_row_comments WHERE row_id = ? AND field = 'amount'", page.Rows[0].ID).Scan(&n)
	if n != 1 {
		t.Fatalf("row comment stored %d times", n)
	}
	// The clerk fixes and submits again; the other reviewer approves.
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: b.Revision, Cells: []CellEdit{{RowID: page.Rows[0].ID, Field: "amount", Value: "350"}}}))
	b = must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}))
	b = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, approveStep(t, b)))
	if b.Status != Approved || b.Editable {
		t.Fatalf("after approve: %s editable=%v", b.Status, b.Editable)
	}
	// The trail holds every step, in order, and cannot be rewritten.
	rows, _ := f.st.DB().Query("SELECT action, from_status, to_status FROM batch_reviews WHERE batch_id = ? ORDER BY id", b.ID)
	var trail []string
	for rows.Next() {
		var a, from, to string
		rows.Scan(&a, &from, &to)
		trail = append(trail, a+":"+from+">"+to)
	}
	rows.Close()
	want := []string{"submit:draft>submitted", "return:submitted>returned", "submit:returned>submitted", "approve:submitted>approved"}
	if len(trail) != len(want) {
		t.Fatalf("trail %v", trail)
	}
	for i := range want {
		if trail[i] != want[i] {
			t.Fatalf("trail %v, want %v", trail, want)
		}
	}
	if _, err := f.st.DB().Exec("DELETE FROM batch_reviews"); err == nil {
		t.Fatal("review trail deleted")
	}
}

func TestWorkflowRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	// Errors block submission; warnings need the clerk's confirmation.
	bad := must[Batch](t)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-09"))
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, bad.ID, Edit{Revision: bad.Revision, Add: []map[string]string{{"name": "缺身份证号"}}}))
	bad = must[Batch](t)(f.svc.Get(ctx, f.clerk, bad.ID))
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, bad.ID, Step{Action: Submit, Revision: bad.Revision}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("submit with errors: %v", err)
	}
	b := rosterReady(t, f, "0")
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("submit with unconfirmed warnings: %v", err)
	}
	// A stale revision is refused.
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision - 1, ConfirmWarnings: true}); !apperr.Is(err, apperr.StaleEdit) {
		t.Fatalf("stale submit: %v", err)
	}
	// Confirming warnings needs a note the reviewer can read.
	if _, err := f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision, ConfirmWarnings: true, Comment: " 是 "}); !apperr.Is(err, apperr.BadInput) {
		t.Fatalf("warnings confirmed without a note: %v", err)
	}
	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision, ConfirmWarnings: true, Comment: "金额为 0 属实"}))

	// Row comments must point into the batch and its dataset.
	otherRow := firstRow(t, f, bad.ID)
	own := firstRow(t, f, b.ID)
	for name, rc := range map[string]RowComment{
		"another batch's row": {RowID: otherRow.ID, Comment: "请核对"},
		"unknown field":       {RowID: own.ID, Field: "salary", Comment: "请核对"},
	} {
		if _, err := f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, Step{Action: Return, Revision: b.Revision,
			Comment: "请核对后重新提交", RowComments: []RowComment{rc}}); !apperr.Is(err, apperr.BadInput) {
			t.Errorf("return with a comment on %s: %v", name, err)
		}
	}

	cases := []struct {
		name  string
		actor Actor
		roles []session.Role
		step  Action
		code  apperr.Code
	}{
		{"clerk approves", f.clerk, clerkRoles, Approve, apperr.Forbidden},
		{"admin approves", reviewer, []session.Role{session.SysAdmin, session.SecAdmin}, Approve, apperr.Forbidden},
		{"auditor returns", reviewer, []session.Role{session.Auditor}, Return, apperr.Forbidden},
		{"reviewer submits", reviewer, reviewerRoles, Submit, apperr.Forbidden},
		{"clerk-reviewer approves own data", f.clerk, []session.Role{session.Clerk, session.Reviewer}, Approve, apperr.Forbidden},
		{"submit twice", f.clerk, clerkRoles, Submit, apperr.BatchNotEditable},
		{"queue by a person", reviewer, reviewerRoles, Queue, apperr.BadInput},
		{"accept by a person", reviewer, reviewerRoles, Accept, apperr.BadInput},
		{"other unit's reviewer", Actor{UserID: 2, OrgUnitID: 2}, reviewerRoles, Approve, apperr.NotFound},
	}
	for _, c := range cases {
		_, err := f.svc.Act(ctx, c.actor, c.roles, b.ID, Step{Action: c.step, Revision: b.Revision, Comment: "退回原因写清楚"})
		if !apperr.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	b = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, approveStep(t, b)))
	// Approved is final for people: no return, no resubmission.
	for _, c := range []struct {
		a     Actor
		roles []session.Role
		step  Action
	}{{reviewer, reviewerRoles, Return}, {reviewer, reviewerRoles, Approve}, {f.clerk, clerkRoles, Submit}} {
		if _, err := f.svc.Act(ctx, c.a, c.roles, b.ID, Step{Action: c.step, Revision: b.Revision, Comment: "再退回一次"}); !apperr.Is(err, apperr.BatchNotEditable) {
			t.Errorf("%s on an approved batch: %v", c.step, err)
		}
	}
}

// approveStep is the reviewer's approval of b as it stands, signed with
// the test reviewer's key (testSigner).
func approveStep(t *testing.T, b Batch) Step {
	t.Helper()
	return Step{Action: Approve, Revision: b.Revision, Signer: testSigner(t)}
}

var testPKI struct {
	once   sync.Once
	roots  *x509.CertPool
	signer *Signer
	err    error
}

// testSigner is a reviewer's key and certificate under a test root and
// issuing CA, made once per test binary; testRoots trusts that root.
func testSigner(t testing.TB) *Signer {
	t.Helper()
	testPKI.once.Do(func() {
		// Wide validity: fixtures move their clock across years.
		from, to := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
		root, err := devca.NewRoot("测试根 CA", from, to)
		if err != nil {
			testPKI.err = err
			return
		}
		sub, err := root.NewIntermediate("测试签发 CA", from, to)
		if err != nil {
			testPKI.err = err
			return
		}
		cert, key, err := sub.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "王审", NotBefore: from, NotAfter: to})
		if err != nil {
			testPKI.err = err
			return
		}
		testPKI.roots = x509.NewCertPool()
		testPKI.roots.AddCert(root.Cert)
		testPKI.signer = &Signer{Key: key, Cert: cert, Chain: []*x509.Certificate{sub.Cert}}
	})
	if testPKI.err != nil {
		t.Fatal(testPKI.err)
	}
	return testPKI.signer
}

func testRoots(t testing.TB) *x509.CertPool {
	testSigner(t)
	return testPKI.roots
}
