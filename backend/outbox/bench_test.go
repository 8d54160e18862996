package outbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"caiji/backend/batch"
	"caiji/backend/fields"
	"caiji/backend/platform/client"
	"caiji/backend/platform/wire"
)

// approvedRoster100k is an approved, signed roster batch of n rows with
// distinct valid ID numbers. It goes into review directly: the rows carry
// findings (no project table) a submission would refuse, and approval
// does not re-check them.
func approvedRoster(b *testing.B, n int) (*local, batch.Sealed) {
	b.Helper()
	l := newLocal(b)
	ctx := context.Background()
	l.clock.Set(time.Date(2026, 10, 20, 10, 0, 0, 0, time.Local))
	bt, err := l.batches.Open(ctx, clerk, "msj_roster", "2026-10")
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]map[string]string, n)
	for i := range rows {
		first17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000)
		rows[i] = map[string]string{
			"name": fmt.Sprintf("王%d", i), "id_number": first17 + string(fields.IDCheckChar(first17)),
			"account": "6228480402564890018", "bank": "某县农村信用社", "amount": fmt.Sprintf("%d.%02d", 100+i%900, i%100),
			"village_code": "410102001002", "project_code": "P1",
		}
	}
	if _, err := l.batches.Save(ctx, clerk, bt.ID, batch.Edit{Add: rows}); err != nil {
		b.Fatal(err)
	}
	if _, err := l.st.DB().Exec("UPDATE batches SET status = 'submitted' WHERE id = ?", bt.ID); err != nil {
		b.Fatal(err)
	}
	if bt, err = l.batches.Get(ctx, clerk, bt.ID); err != nil {
		b.Fatal(err)
	}
	if _, err = l.batches.Act(ctx, reviewer, reviewerRoles, bt.ID, batch.Step{Action: batch.Approve, Revision: bt.Revision, Signer: testPKI.signer}); err != nil {
		b.Fatal(err)
	}
	l.clock.Set(time.Now())
	sealed, err := l.batches.Sealed(ctx, clerk, bt.ID, roots(b))
	if err != nil {
		b.Fatal(err)
	}
	return l, sealed
}

// BenchmarkSend100kRosterRows compares, for the same 100,000-row roster:
//   - worker: the whole path a clerk waits for — seal check from SQLite,
//     chunked push with login and per-chunk digests, receipt verified
//     and stored with the workflow step;
//   - client: the push alone through backend/platform/client;
//   - bare: the same requests (init, 1 MiB chunks, complete) from a plain
//     net/http loop with no retries, digests precomputed.
//
// Each iteration sends to a fresh simulator, so the bytes really travel.
func BenchmarkSend100kRosterRows(b *testing.B) {
	l, sealed := approvedRoster(b, 100000)
	size := int64(len(sealed.Content))
	b.Logf("content %d bytes (%.1f MB), %d rows", size, float64(size)/1e6, sealed.Batch.Rows)
	ctx := context.Background()
	req := client.PushRequest{BatchUID: sealed.UID(), Version: 1, Dataset: sealed.Batch.Dataset, Period: sealed.Batch.Period,
		OrgUnit: sealed.OrgUnit, Content: sealed.Content, Signature: sealed.Signature}

	b.Run("worker", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			b.StopTimer()
			p := newPlatform(b)
			reset(b, l, sealed.Batch.ID)
			w := l.worker(b, p.url, Options{})
			b.StartTimer()
			w.Drain(ctx)
			b.StopTimer()
			if it := l.items(b)[0]; it.State != Accepted {
				b.Fatalf("%+v", it)
			}
			b.StartTimer()
		}
	})
	b.Run("client", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			b.StopTimer()
			p := newPlatform(b)
			cl := newClient(b, p.url, client.Options{})
			b.StartTimer()
			if _, err := cl.Push(ctx, req, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		b.SetBytes(size)
		const chunk = 1 << 20
		var digests []string
		for lo := int64(0); lo < size; lo += chunk {
			d := sha256.Sum256(sealed.Content[lo:min(lo+chunk, size)])
			digests = append(digests, hex.EncodeToString(d[:]))
		}
		sum := sha256.Sum256(sealed.Content)
		init, _ := json.Marshal(wire.InitUpload{Dataset: req.Dataset, Period: req.Period, OrgUnit: req.OrgUnit,
			ContentSHA256: hex.EncodeToString(sum[:]), Size: size, ChunkSize: chunk, Signature: req.Signature})
		for range b.N {
			b.StopTimer()
			p := newPlatform(b)
			cl := newClient(b, p.url, client.Options{})
			if err := cl.Login(ctx, "ou1", testPKI.login.cert, testPKI.login.key); err != nil {
				b.Fatal(err)
			}
			token := cl.Token()
			b.StartTimer()
			var up wire.UploadStarted
			send(b, "PUT", p.url+"/batches/"+req.BatchUID+"/versions/1", token, init, nil, &up)
			for i, lo := 0, int64(0); lo < size; i, lo = i+1, lo+chunk {
				send(b, "PUT", fmt.Sprintf("%s/uploads/%s/chunks/%d", p.url, up.UploadID, i), token,
					sealed.Content[lo:min(lo+chunk, size)], map[string]string{wire.ChunkDigestHeader: digests[i]}, nil)
			}
			var sr wire.SignedReceipt
			send(b, "POST", p.url+"/uploads/"+up.UploadID+"/complete", token, nil, nil, &sr)
			if sr.Receipt.Status != wire.Accepted {
				b.Fatalf("%+v", sr.Receipt)
			}
		}
	})
}

// reset puts a delivered item and its batch back in the queue (bench only).
func reset(b *testing.B, l *local, batchID int64) {
	b.Helper()
	for _, s := range []string{
		"DROP TRIGGER IF EXISTS outbox_receipt_kept", "DROP TRIGGER IF EXISTS platform_keys_no_update",
		"DELETE FROM platform_keys",
		"UPDATE outbox SET state = 'queued', receipt = NULL, receipt_sig = NULL, sent_bytes = 0, attempts = 0",
		fmt.Sprintf("UPDATE batches SET status = 'queued' WHERE id = %d AND status = 'accepted'", batchID),
	} {
		if _, err := l.st.DB().Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := l.box.Enqueue(context.Background(), clerk); err != nil {
		b.Fatal(err)
	}
}

func send(b *testing.B, method, url, token string, body []byte, header map[string]string, out any) {
	b.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b.Fatalf("%s %s: %d", method, url, resp.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecoveryAfterOutage: with the app's default probe interval
// (5 s ± 50 %), how long after the platform comes back until a batch
// queued during the outage is delivered.
func BenchmarkRecoveryAfterOutage(b *testing.B) {
	for range b.N {
		b.StopTimer()
		l, p := newLocal(b), newPlatform(b)
		l.approve(b, "2026-10", 10)
		p.setDown(true)
		w := l.worker(b, p.url, Options{Probe: 5 * time.Second, RetryBase: 15 * time.Second, RetryMax: 5 * time.Minute, Idle: 30 * time.Second})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { w.Run(ctx); close(done) }()
		for w.Status().Link != LinkOffline {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(b.N%3) * time.Second) // come back at some point of the probe cycle
		b.StartTimer()
		p.setDown(false)
		for {
			if c, _ := l.box.counts(ctx, 1); c.Accepted == 1 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		b.StopTimer()
		cancel()
		<-done
	}
}
