package app

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/outbox"
	"caiji/backend/platform/wire"
	"caiji/backend/session"
)

// In demo mode the app starts the bundled simulator on loopback; an
// approval is sent at once, signed in with the session's key, and the
// receipt comes back verified — the path `make run` takes.
func TestDemoModeSendsApprovedBatchesToTheSimulator(t *testing.T) {
	a := demoApp(t)
	var mu sync.Mutex
	var events []SyncState
	a.Startup(context.Background(), func(name string, data ...any) {
		if name == "sync:status" && len(data) == 1 {
			mu.Lock()
			events = append(events, data[0].(SyncState))
			mu.Unlock()
		}
	})
	raw, err := os.ReadFile(filepath.Join(a.dataDir, "platform-sim", "url"))
	if err != nil {
		t.Fatalf("the demo platform did not start: %v", err)
	}
	simURL := strings.TrimSpace(string(raw))

	b, _ := approvedRoster(t, a) // the clerk is logged in now
	var it outbox.Item
	for end := time.Now().Add(30 * time.Second); ; {
		items, err := a.Sync.Items()
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 1 && items[0].State == outbox.Accepted {
			it = items[0]
			break
		}
		if time.Now().After(end) {
			t.Fatalf("not accepted: %+v (state %+v)", items, a.syncState())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if it.BatchID != b.ID || it.Receipt == nil || it.Receipt.Status != wire.Accepted {
		t.Fatalf("item %+v", it)
	}
	got, err := a.Entry.GetBatch(b.ID)
	if err != nil || got.Status != batch.Accepted {
		t.Fatalf("batch: %s %v", got.Status, err)
	}
	rc, err := a.Sync.CheckReceipt(it.ID)
	if err != nil || !rc.Verified {
		t.Fatalf("receipt: %+v %v", rc, err)
	}
	st, err := a.Sync.State()
	if err != nil || st.Status.Link != outbox.LinkOnline || !st.Demo || st.Platform != simURL || st.Status.Counts.Accepted != 1 {
		t.Fatalf("state: %+v %v", st, err)
	}
	if issues, err := a.Sync.RowIssues(b.ID); err != nil || len(issues) != 0 {
		t.Fatalf("row issues: %+v %v", issues, err)
	}
	resp, err := http.Get(simURL + "/_sim/batches")
	if err != nil {
		t.Fatal(err)
	}
	var held wire.SimBatches
	err = json.NewDecoder(resp.Body).Decode(&held)
	resp.Body.Close()
	if err != nil || len(held.Items) != 1 || held.Items[0].ContentSHA256 != it.Receipt.ContentSHA256 {
		t.Fatalf("platform holds %+v %v", held, err)
	}
	mu.Lock()
	n := len(events)
	mu.Unlock()
	if n == 0 {
		t.Fatal("no sync:status event reached the UI")
	}
	// Retrying an accepted batch is refused with a reason.
	if _, err := a.Sync.Retry(it.ID); jsCode(t, err).Code != apperr.BadInput {
		t.Fatalf("retry accepted: %v", err)
	}
}

func TestSyncMethodsCheckTheRole(t *testing.T) {
	a := demoApp(t)
	if _, err := a.Sync.Items(); jsCode(t, err).Code != apperr.NotLoggedIn {
		t.Fatalf("not logged in: %v", err)
	}
	for _, r := range []session.Role{session.SysAdmin, session.Auditor} {
		loginAs(t, a, r)
		if _, err := a.Sync.Items(); jsCode(t, err).Code != apperr.Forbidden {
			t.Fatalf("%s lists the outbox: %v", r, err)
		}
		if _, err := a.Sync.State(); jsCode(t, err).Code != apperr.Forbidden {
			t.Fatalf("%s reads the sync state: %v", r, err)
		}
		if _, err := a.Sync.Retry(1); jsCode(t, err).Code != apperr.Forbidden {
			t.Fatalf("%s retries: %v", r, err)
		}
		a.Session.Logout()
	}
	loginAs(t, a, session.Reviewer)
	if _, err := a.Sync.Items(); err != nil {
		t.Fatalf("reviewer: %v", err)
	}
	// Without Startup (as here) sync is not running: the state says so
	// without failing.
	if st, err := a.Sync.State(); err != nil || st.Status.Counts.Queued != 0 {
		t.Fatalf("state: %+v %v", st, err)
	}
}

// Only a clerk's or a reviewer's session lends its key to the platform
// login; with an administrator logged in nothing is sent.
func TestSyncRunsOnlyForClerksAndReviewers(t *testing.T) {
	a := demoApp(t)
	for _, r := range []session.Role{session.SysAdmin, session.SecAdmin, session.Auditor} {
		loginAs(t, a, r)
		if _, ok := a.syncOrg(); ok {
			t.Errorf("%s: the worker would send", r)
		}
		a.Session.Logout()
	}
	for _, r := range []session.Role{session.Clerk, session.Reviewer} {
		loginAs(t, a, r)
		if act, ok := a.syncOrg(); !ok || act.OrgUnitID == 0 || act.UserID != 0 {
			t.Errorf("%s: %+v %v", r, act, ok)
		}
		a.Session.Logout()
	}
}
