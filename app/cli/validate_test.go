package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"caiji/backend/batch"
	"caiji/backend/store"
)

// storedRoster writes a roster batch with one good row, one row with a bad
// ID check digit and a duplicate, and returns the data dir and batch id.
func storedRoster(t *testing.T) (string, int64) {
	t.Helper()
	var id int64
	dir := seededDir(t, func(ctx context.Context, _ *store.Store, svc *batch.Service) {
		b, err := svc.Open(ctx, clerkOfOU1, "msj_roster", "2026-01")
		if err != nil {
			t.Fatal(err)
		}
		row := func(id string) map[string]string {
			return map[string]string{"name": "王芳", "id_number": id, "account": "6228480402564890018",
				"bank": "某县农村信用社", "amount": "100", "village_code": "410102001002", "project_code": "P1"}
		}
		if _, err := svc.Save(ctx, clerkOfOU1, b.ID, batch.Edit{Add: []map[string]string{
			row("11010519491231002X"), row("110105194912310021"), row("11010519491231002X"),
		}}); err != nil {
			t.Fatal(err)
		}
		id = b.ID
	})
	return dir, id
}

func TestValidateJSON(t *testing.T) {
	dir, id := storedRoster(t)
	code, stdout, stderr := run("validate", "--data-dir", dir, "--dataset", "msj_roster", "--batch", strconv.FormatInt(id, 10), "--json")
	if code != ExitRefused {
		t.Fatalf("exit %d for a batch with errors, stderr %q", code, stderr)
	}
	got := decodeStrict[validateJSON](t, stdout)
	if got.OK || got.Rows != 3 || got.Dataset != "msj_roster" {
		t.Fatalf("report = %+v", got)
	}
	found := map[string]issueJSON{}
	for _, is := range got.Errors {
		found[is.Code] = is
	}
	if is := found["id_checksum"]; is.Row != 2 || is.Field != "id_number" || !strings.Contains(is.Message, "校验位") {
		t.Errorf("id_checksum = %+v", is)
	}
	if is := found["duplicate"]; is.Row != 3 {
		t.Errorf("duplicate = %+v", is)
	}
	if strings.Contains(stdout, "11010519491231002X") || strings.Contains(stdout, "6228480402564890018") {
		t.Error("the report prints personal data")
	}
	for _, k := range []string{`"row"`, `"field"`, `"code"`, `"message"`} {
		if !strings.Contains(stdout, k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

func TestValidateRefusals(t *testing.T) {
	dir, id := storedRoster(t)
	ids := strconv.FormatInt(id, 10)
	cases := []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"validate", "--data-dir", dir, "--dataset", "msj_roster"}, ExitUsage, ""},
		{[]string{"validate", "--data-dir", dir, "--dataset", "msj_project", "--batch", ids, "--json"}, ExitRefused, `"bad_input"`},
		{[]string{"validate", "--data-dir", dir, "--dataset", "nope", "--batch", ids, "--json"}, ExitRefused, `"bad_input"`},
		{[]string{"validate", "--data-dir", dir, "--dataset", "msj_roster", "--batch", "999", "--json"}, ExitRefused, `"not_found"`},
	}
	for _, c := range cases {
		code, stdout, _ := run(c.args...)
		if code != c.exit || !strings.Contains(stdout, c.want) {
			t.Errorf("%v: exit %d, stdout %s", c.args, code, stdout)
		}
	}
}
