package audit

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"caiji/backend/apperr"
)

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// keys is a Verifier over fingerprint → key.
func keys(m map[string]crypto.Signer) Verifier {
	return KeyVerifier(func(fp string) (crypto.PublicKey, error) {
		s, ok := m[fp]
		if !ok {
			return nil, errors.New("unknown certificate " + fp)
		}
		return s.Public(), nil
	})
}

func TestSignHeadAndVerify(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	ec := ecKey(t)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	v := keys(map[string]crypto.Signer{"f1": ec, "f2": rk})

	if _, err := SignHead(ctx, st.DB(), ec, "f1"); apperr.From(err).Code != apperr.NotFound {
		t.Fatalf("empty log: %v", err)
	}
	appendN(t, st.DB(), 5)
	h, err := SignHead(ctx, st.DB(), ec, "f1")
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	st.DB().QueryRow("SELECT hash FROM audit_log WHERE id = 5").Scan(&hash)
	if h.ID != 1 || h.EntryID != 5 || h.Hash != hash || len(h.Signature) == 0 {
		t.Fatalf("head = %+v", h)
	}
	if !ecdsa.VerifyASN1(&ec.PublicKey, HeadDigest(5, hash, h.At.Format(tsLayout), "f1"), h.Signature) {
		t.Fatal("the signature does not cover HeadDigest")
	}
	if _, err := Append(ctx, st.DB(), entry(6)); err != nil {
		t.Fatal(err)
	}
	if _, err := SignHead(ctx, st.DB(), rk, "f2"); err != nil {
		t.Fatal(err)
	}

	rep := verify(t, st.DB(), v)
	if !rep.OK || rep.Entries != 6 || rep.Heads != 2 || !rep.SignaturesChecked || !strings.Contains(rep.Reason, "签名有效") {
		t.Fatalf("with keys: %+v", rep)
	}
	rep = verify(t, st.DB(), nil)
	if !rep.OK || rep.SignaturesChecked || !strings.Contains(rep.Reason, "未核对签名") {
		t.Fatalf("without keys: %+v", rep)
	}
	// A head signed by a key other than its certificate's fails.
	rep = verify(t, st.DB(), keys(map[string]crypto.Signer{"f1": ecKey(t), "f2": rk}))
	if rep.OK || brokenAt(rep) != "1" || !strings.Contains(rep.Reason, "签名无效") {
		t.Fatalf("wrong key: %+v", rep)
	}
	rep = verify(t, st.DB(), keys(map[string]crypto.Signer{"f1": ec}))
	if rep.OK || brokenAt(rep) != "6" {
		t.Fatalf("unknown certificate for the second head: %+v", rep)
	}
}

func TestSignHeadRefusesTamperedLog(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	ec := ecKey(t)
	appendN(t, st.DB(), 5)
	if _, err := SignHead(ctx, st.DB(), ec, "f1"); err != nil {
		t.Fatal(err)
	}
	appendN(t, st.DB(), 3)
	path := st.Path()
	st.Close()
	attacker(t, path, func(db *sql.DB) { exec(t, db, "UPDATE audit_log SET action = 'x' WHERE id = 7") })
	st = reopen(t, path)
	if _, err := SignHead(ctx, st.DB(), ec, "f1"); apperr.From(err).Code != Broken || !strings.Contains(apperr.From(err).Message, "第 7 条") {
		t.Fatalf("signing a log edited after the last head: %v", err)
	}
	st.Close()
	attacker(t, path, func(db *sql.DB) { exec(t, db, "UPDATE audit_log SET action = 'x' WHERE id = 5"); rehash(t, db, 5) })
	st = reopen(t, path)
	if _, err := SignHead(ctx, st.DB(), ec, "f1"); apperr.From(err).Code != Broken || !strings.Contains(apperr.From(err).Message, "第 5 条") {
		t.Fatalf("signing a log whose signed entry was rewritten: %v", err)
	}
}

// What only signed heads can catch: a consistent rewrite of the chain and
// a cut-off tail.
func TestVerifyAgainstHeads(t *testing.T) {
	// build: entries 1-10, heads at 3 and 10
	build := func(t *testing.T) (string, Verifier) {
		st := openStore(t)
		ctx := context.Background()
		ec := ecKey(t)
		appendN(t, st.DB(), 3)
		if _, err := SignHead(ctx, st.DB(), ec, "f1"); err != nil {
			t.Fatal(err)
		}
		for i := 4; i <= 10; i++ {
			if _, err := Append(ctx, st.DB(), entry(i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := SignHead(ctx, st.DB(), ec, "f1"); err != nil {
			t.Fatal(err)
		}
		path := st.Path()
		st.Close()
		return path, keys(map[string]crypto.Signer{"f1": ec})
	}
	// rechain rewrites entries from..10 and relinks them, as an attacker
	// who knows the format would: the chain alone checks out again.
	rechain := func(t *testing.T, db *sql.DB, from int64) {
		for id := from; id <= 10; id++ {
			if id > from {
				exec(t, db, fmt.Sprintf("UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = %d) WHERE id = %d", id-1, id))
			}
			rehash(t, db, id)
		}
	}
	tests := []struct {
		name   string
		change func(t *testing.T, db *sql.DB)
		broken string
		reason string
	}{
		{"rewritten after the first head", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET action = 'login' WHERE id = 6")
			rechain(t, db, 6)
		}, "4", "第 4 至 10 条之间的日志被整体改写"},
		{"rewritten before the first head", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET object = 'batch:0' WHERE id = 2")
			rechain(t, db, 2)
		}, "1", "第 1 至 3 条"},
		{"tail cut off", func(t *testing.T, db *sql.DB) {
			exec(t, db, "DELETE FROM audit_log WHERE id > 8")
		}, "9", "末尾的条目被删除"},
		{"head forged over a rewrite", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET action = 'login' WHERE id = 6")
			rechain(t, db, 6)
			exec(t, db, "UPDATE audit_heads SET hash = (SELECT hash FROM audit_log WHERE id = 10) WHERE entry_id = 10")
		}, "4", "签名无效"},
		{"edited below a head", func(t *testing.T, db *sql.DB) {
			exec(t, db, "UPDATE audit_log SET action = 'login' WHERE id = 2")
		}, "2", "内容与其哈希不符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, v := build(t)
			attacker(t, path, func(db *sql.DB) { tt.change(t, db) })
			st := reopen(t, path)
			if rep := verify(t, st.DB(), nil); tt.name != "head forged over a rewrite" && !rep.OK {
				// without signatures, only the forged head passes
				if brokenAt(rep) != tt.broken {
					t.Errorf("without keys: %+v", rep)
				}
			}
			rep := verify(t, st.DB(), v)
			if rep.OK || brokenAt(rep) != tt.broken || !strings.Contains(rep.Reason, tt.reason) {
				t.Fatalf("report = %+v (first broken %s), want %s with %q", rep, brokenAt(rep), tt.broken, tt.reason)
			}
		})
	}
}
