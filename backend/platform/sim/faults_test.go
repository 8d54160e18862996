package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"caiji/backend/platform/wire"
)

func (f *fixture) setFaults(fl wire.Faults) {
	f.t.Helper()
	if st := f.call("POST", "/_sim/faults", "", fl, nil, nil); st != 200 {
		f.t.Fatalf("faults: %d", st)
	}
}

// rawInit sends init without failing the test on transport errors.
func (f *fixture) rawInit(token string, b signedBatch) (*http.Response, []byte, error) {
	raw, _ := json.Marshal(b.init)
	req, _ := http.NewRequest("PUT", f.url+b.path(), bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

func TestFaultsOnPush(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-f", 1, ou, content(10), 1000)

	f.setFaults(wire.Faults{ErrorRate: 1})
	var e wire.Error
	if st := f.call("PUT", b.path(), tok, b.init, nil, &e); st != 503 || e.Code != wire.Unavailable {
		t.Fatalf("error fault: %d %+v", st, e)
	}

	f.setFaults(wire.Faults{DropRate: 1})
	if _, _, err := f.rawInit(tok, b); err == nil {
		t.Fatal("dropped connection answered")
	}

	f.setFaults(wire.Faults{TruncateRate: 1})
	if _, _, err := f.rawInit(tok, b); err == nil {
		t.Fatal("truncated answer read whole")
	}

	// Pull operations never fail on purpose.
	var cv wire.CatalogVersions
	if st := f.call("GET", "/catalog/versions", tok, nil, nil, &cv); st != 200 {
		t.Fatalf("catalog under faults: %d", st)
	}

	// The work behind the lost answers was done: the upload resumes.
	f.setFaults(wire.Faults{DuplicateRate: 1})
	if st, sr, e := f.push(tok, b); st != 200 || sr.Receipt.Status != wire.Accepted {
		t.Fatalf("push under duplicates: %d %+v", st, e)
	}
	f.setFaults(wire.Faults{})
	if h := f.held(); len(h) != 1 {
		t.Fatalf("held: %+v", h)
	}
}

func TestFaultRatesAreChecked(t *testing.T) {
	f := newFixture(t)
	var e wire.Error
	if st := f.call("POST", "/_sim/faults", "", wire.Faults{ErrorRate: 1.5}, nil, &e); st != 400 || e.Code != wire.BadRequest {
		t.Fatalf("%d %+v", st, e)
	}
}
