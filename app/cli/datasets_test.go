package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDatasetsJSON(t *testing.T) {
	code, stdout, stderr := run("datasets", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []datasetJSON
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not the documented JSON: %v\n%s", err, stdout)
	}
	var roster *datasetJSON
	for i := range got {
		if got[i].Code == "msj_roster" {
			roster = &got[i]
		}
	}
	if roster == nil {
		t.Fatalf("msj_roster missing from %d datasets", len(got))
	}
	if roster.Name != "个人补助资金发放表" || roster.Domain != "livelihood" || roster.Period != "monthly" || roster.Version < 1 {
		t.Errorf("roster = %+v", *roster)
	}
	types := map[string]fieldJSON{}
	for _, f := range roster.Fields {
		types[f.Type] = f
	}
	for _, ty := range []string{"idcard", "account", "money", "region12"} {
		if f, ok := types[ty]; !ok || !f.Required || f.Label == "" {
			t.Errorf("roster field of type %s = %+v, %v", ty, f, ok)
		}
	}
	// The raw JSON uses the documented key names.
	for _, k := range []string{`"code"`, `"name"`, `"domain"`, `"period"`, `"version"`, `"fields"`, `"label"`, `"type"`, `"required"`} {
		if !strings.Contains(stdout, k) {
			t.Errorf("JSON lacks key %s", k)
		}
	}
}

func TestDatasetsText(t *testing.T) {
	code, stdout, _ := run("datasets")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"个人补助资金发放表", "民生资金", "月报", "村级财务支出", "季报", "身份证号", "必填"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if json.Valid([]byte(stdout)) {
		t.Error("text output is JSON without --json")
	}
}

func TestDatasetsUsage(t *testing.T) {
	if code, _, _ := run("datasets", "extra"); code != ExitUsage {
		t.Errorf("extra argument: exit %d, want %d", code, ExitUsage)
	}
	if code, stdout, _ := run("--help"); code != ExitOK || !strings.Contains(stdout, "datasets") {
		t.Errorf("help does not list datasets")
	}
}
