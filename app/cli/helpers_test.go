package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"caiji/backend/batch"
	"caiji/backend/batch/batchtest"
	"caiji/backend/catalog"
	"caiji/backend/store"
)

var clerkOfOU1 = batch.Actor{UserID: 1, OrgUnitID: 1}

// seededDir is a data dir whose database holds batchtest's org units and
// accounts; fill, if not nil, adds more before the database is closed
// and the command under test opens it.
func seededDir(t *testing.T, fill func(ctx context.Context, st *store.Store, svc *batch.Service)) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	batchtest.SeedUsers(t, st)
	if fill != nil {
		cat, _ := catalog.Load()
		fill(ctx, st, batch.New(st.DB(), cat, nil))
	}
	return dir
}

// decodeStrict reads stdout as exactly the documented JSON: a field the
// type does not name fails the test.
func decodeStrict[T any](t *testing.T, stdout string) T {
	t.Helper()
	var got T
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("not the documented JSON: %v\n%s", err, stdout)
	}
	return got
}
