package sim

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"caiji/backend/platform/wire"
)

const ou = "410102"

func content(n int) []byte {
	return bytes.Repeat([]byte("姓名,身份证号,金额\n"), n)
}

func (f *fixture) verifyReceipt(sr wire.SignedReceipt) {
	f.t.Helper()
	var k wire.ReceiptKey
	f.call("GET", "/receipt-key", "", nil, nil, &k)
	pub, err := x509.ParsePKIXPublicKey(k.PublicKey)
	if err != nil {
		f.t.Fatal(err)
	}
	d := sha256.Sum256(wire.ReceiptMessage(sr.Receipt))
	if !ecdsa.VerifyASN1(pub.(*ecdsa.PublicKey), d[:], sr.ReceiptSignature) {
		f.t.Fatalf("receipt signature does not verify: %+v", sr.Receipt)
	}
}

func TestPushInChunksIsAcceptedOnceWithSignedReceipt(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-1", 1, ou, content(100), 1000) // 2,500 bytes: 3 chunks
	if n := wire.ChunkCount(b.init.Size, b.init.ChunkSize); n != 3 {
		t.Fatalf("%d chunks", n)
	}
	st, sr, e := f.push(tok, b)
	if st != 200 || sr.Receipt.Status != wire.Accepted || sr.Receipt.ContentSHA256 != b.init.ContentSHA256 {
		t.Fatalf("complete: %d %+v %+v", st, sr, e)
	}
	f.verifyReceipt(sr)

	// The receipt survives a JSON round trip, as the client will store it.
	raw, _ := json.Marshal(sr)
	var again wire.SignedReceipt
	_ = json.Unmarshal(raw, &again)
	f.verifyReceipt(again)

	// GET receipt: the same receipt for the sender; another org unit is
	// told nothing, not even that the batch exists.
	var got wire.SignedReceipt
	if st := f.call("GET", "/batches/b-1/versions/1/receipt", tok, nil, nil, &got); st != 200 || !bytes.Equal(got.ReceiptSignature, sr.ReceiptSignature) {
		t.Fatalf("receipt: %d", st)
	}
	var e2 wire.Error
	if st := f.call("GET", "/batches/b-1/versions/1/receipt", f.loginAs("410103"), nil, nil, &e2); st != 404 || e2.Code != wire.NotFound {
		t.Fatalf("another unit's receipt: %d %+v", st, e2)
	}

	st, sr2, _ := f.push(tok, b)
	if st != 200 || !bytes.Equal(sr2.ReceiptSignature, sr.ReceiptSignature) {
		t.Fatalf("second push: %d, same receipt %v", st, bytes.Equal(sr2.ReceiptSignature, sr.ReceiptSignature))
	}
	if h := f.held(); len(h) != 1 || h[0].BatchUID != "b-1" {
		t.Fatalf("held: %+v", h)
	}
}

func TestPushResumesAfterSomeChunks(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-2", 1, ou, content(100), 1000)
	var up wire.UploadStarted
	if st := f.call("PUT", b.path(), tok, b.init, nil, &up); st != 201 || len(up.Received) != 0 {
		t.Fatalf("init: %d %+v", st, up)
	}
	f.putChunk(tok, up.UploadID, 0, b.chunk(0))
	f.putChunk(tok, up.UploadID, 2, b.chunk(2))
	if st := f.putChunk(tok, up.UploadID, 2, b.chunk(2)); st != 204 {
		t.Fatalf("same chunk again: %d", st)
	}
	var e wire.Error
	if st := f.call("POST", "/uploads/"+up.UploadID+"/complete", tok, nil, nil, &e); st != 409 || e.Code != wire.ChunksMissing {
		t.Fatalf("early complete: %d %+v", st, e)
	}
	if st := f.putChunk(tok, up.UploadID, 2, b.chunk(1)[:len(b.chunk(2))]); st != 409 {
		t.Fatalf("other bytes for a held chunk: %d", st)
	}

	var again wire.UploadStarted // a restarted client asks again
	if st := f.call("PUT", b.path(), tok, b.init, nil, &again); st != 201 || again.UploadID != up.UploadID ||
		len(again.Received) != 2 || again.Received[0] != 0 || again.Received[1] != 2 {
		t.Fatalf("resume: %d %+v", st, again)
	}
	st, sr, e := f.push(tok, b)
	if st != 200 || sr.Receipt.Status != wire.Accepted {
		t.Fatalf("complete: %d %+v", st, e)
	}
}

func TestTamperedContentIsRefusedAndNotStored(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-3", 1, ou, content(100), 1000)
	// The client announces and sends other content than was signed: the
	// digest matches what arrives, so only the CMS check can catch it.
	b.content = bytes.Replace(b.content, []byte("金额"), []byte("余额"), 1)
	sum := sha256.Sum256(b.content)
	b.init.ContentSHA256 = hexOf(sum[:])
	st, _, e := f.push(tok, b)
	if st != 422 || e.Code != wire.ContentChanged || e.Message == "" {
		t.Fatalf("tampered: %d %+v", st, e)
	}
	if h := f.held(); len(h) != 0 {
		t.Fatalf("stored anyway: %+v", h)
	}

	// Bytes changed after the announcement are caught by the content digest.
	good := f.batch("b-4", 1, ou, content(100), 1000)
	bad := good
	bad.content = bytes.Replace(good.content, []byte("姓名"), []byte("性名"), 1)
	st, _, e = f.push(tok, bad)
	if st != 422 || e.Code != wire.ContentMismatch {
		t.Fatalf("changed chunk: %d %+v", st, e)
	}
	if st, _, e := f.push(tok, good); st != 200 { // the upload was dropped: a clean restart works
		t.Fatalf("clean retry: %d %+v", st, e)
	}
	if h := f.held(); len(h) != 1 {
		t.Fatalf("held: %+v", h)
	}
}

func TestRejectedRowsFaultGivesRejectedReceiptAndFeedback(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	rows := []wire.RowIssue{{Row: 3, Field: "id_number", Message: "身份证号与公安比对不一致"}}
	if st := f.call("POST", "/_sim/faults", "", wire.Faults{RejectRows: map[string][]wire.RowIssue{"b-5": rows}}, nil, nil); st != 200 {
		t.Fatalf("faults: %d", st)
	}
	st, sr, _ := f.push(tok, f.batch("b-5", 1, ou, content(10), 1000))
	if st != 200 || sr.Receipt.Status != wire.Rejected || len(sr.Receipt.RejectedRows) != 1 || sr.Receipt.RejectedRows[0] != rows[0] {
		t.Fatalf("receipt: %d %+v", st, sr.Receipt)
	}
	f.verifyReceipt(sr)
	var fb wire.FeedbackPage
	f.call("GET", "/feedback", tok, nil, nil, &fb)
	if len(fb.Items) != 1 || fb.Items[0].BatchUID != "b-5" || fb.Items[0].Rows[0] != rows[0] {
		t.Fatalf("feedback: %+v", fb)
	}
	f.call("GET", "/feedback?since="+fb.Cursor, tok, nil, nil, &fb)
	if len(fb.Items) != 0 {
		t.Fatalf("feedback after cursor: %+v", fb)
	}
}

func TestVersionConflicts(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	if st, _, _ := f.push(tok, f.batch("b-6", 2, ou, content(10), 1000)); st != 200 {
		t.Fatal(st)
	}
	var e wire.Error
	other := f.batch("b-6", 2, ou, content(11), 1000)
	if st := f.call("PUT", other.path(), tok, other.init, nil, &e); st != 409 || e.Code != wire.VersionConflict {
		t.Fatalf("same version, other content: %d %+v", st, e)
	}
	older := f.batch("b-6", 1, ou, content(10), 1000)
	if st := f.call("PUT", older.path(), tok, older.init, nil, &e); st != 409 || e.Code != wire.VersionConflict {
		t.Fatalf("older version: %d %+v", st, e)
	}
	newer := f.batch("b-6", 3, ou, content(12), 1000)
	newer.init.Replaces = 2
	if st, _, _ := f.push(tok, newer); st != 200 {
		t.Fatalf("newer: %d", st)
	}
}

func TestErrorsHaveTheContractShape(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	for _, c := range []struct{ method, path, token, body string }{
		{"GET", "/nowhere", tok, ""},
		{"PUT", "/batches/x/versions/0", tok, "{}"},
		{"PUT", "/batches/x/versions/1", tok, `{"surprise":1}`},
		{"POST", "/uploads/nope/complete", tok, ""},
		{"GET", "/feedback", "", ""},
	} {
		req, _ := http.NewRequest(c.method, f.url+c.path, strings.NewReader(c.body))
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e map[string]string
		dec := json.NewDecoder(resp.Body)
		err = dec.Decode(&e)
		resp.Body.Close()
		if resp.StatusCode < 400 || err != nil || e["code"] == "" || e["message"] == "" || len(e) != 2 ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d %v %v", c.method, c.path, resp.StatusCode, e, err)
		}
	}
}

func TestBatchOfAnotherOrgUnitIsForbidden(t *testing.T) {
	f := newFixture(t)
	tok := f.loginAs(ou)
	b := f.batch("b-7", 1, "410103", content(10), 1000)
	var e wire.Error
	if st := f.call("PUT", b.path(), tok, b.init, nil, &e); st != 403 || e.Code != wire.Forbidden {
		t.Fatalf("%d %+v", st, e)
	}
}
