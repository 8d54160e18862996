package audit

import (
	"context"
	"crypto"
	"crypto/x509"
	"database/sql"
	"strings"
	"testing"
	"time"

	"caiji/backend/pki/devca"
)

// signer is a user's key and certificate from a test CA.
type signer struct {
	key  crypto.Signer
	cert *x509.Certificate
	fp   string
}

func newCA(t *testing.T, cn string) *devca.CA {
	t.Helper()
	ca, err := devca.NewRoot(cn, time.Now().AddDate(-5, 0, 0), time.Now().AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func issue(t *testing.T, ca *devca.CA, kind string, o devca.LeafOptions) signer {
	t.Helper()
	c, k, err := ca.IssueWithKey(kind, o)
	if err != nil {
		t.Fatal(err)
	}
	return signer{key: k, cert: c, fp: CertFingerprint(c.Raw)}
}

func certVerifier(t *testing.T, db *sql.DB, trust Trust) Verifier {
	t.Helper()
	v, err := CertVerifier(context.Background(), db, trust)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Heads signed by users' keys verify against the certificates kept in
// audit_certs, chained to the trusted CA; a certificate that is not kept,
// not trusted, or a signature edited in the file, is reported.
func TestCertVerifier(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	db := st.DB()
	ca := newCA(t, "省级 CA")
	trust := Trust{Roots: []*x509.Certificate{ca.Cert}}
	// An RSA key and an ECDSA one whose certificate expired since it signed.
	rsaUser := issue(t, ca, "rsa2048", devca.LeafOptions{CommonName: "张敏"})
	old := issue(t, ca, "ecp256", devca.LeafOptions{CommonName: "李强",
		NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0)})
	for _, s := range []signer{rsaUser, old} {
		if err := StoreCert(ctx, db, s.cert.Raw, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := StoreCert(ctx, db, rsaUser.cert.Raw, time.Now()); err != nil {
		t.Fatalf("storing a certificate twice: %v", err)
	}
	appendN(t, db, 4)
	if _, err := SignHead(ctx, db, old.key, old.fp); err != nil {
		t.Fatal(err)
	}
	appendN(t, db, 3)
	if _, err := SignHead(ctx, db, rsaUser.key, rsaUser.fp); err != nil {
		t.Fatal(err)
	}

	rep := verify(t, db, certVerifier(t, db, trust))
	if !rep.OK || !rep.SignaturesChecked || rep.Heads != 2 || !strings.Contains(rep.Reason, "签名有效") {
		t.Fatalf("intact: %+v", rep)
	}
	// Without the CA bundle the kept certificates still check the signatures.
	if rep := verify(t, db, certVerifier(t, db, Trust{})); !rep.OK || !rep.SignaturesChecked {
		t.Fatalf("without trust: %+v", rep)
	}
	// Another CA's bundle does not vouch for these certificates.
	if rep := verify(t, db, certVerifier(t, db, Trust{Roots: []*x509.Certificate{newCA(t, "别的 CA").Cert}})); rep.OK ||
		brokenAt(rep) != "1" || !strings.Contains(rep.Reason, "不受本机信任") {
		t.Fatalf("foreign trust: %+v", rep)
	}

	// Someone re-signs the log with a key of their own, under a
	// certificate they made and slipped into audit_certs.
	forger := issue(t, newCA(t, "伪造 CA"), "ecp256", devca.LeafOptions{CommonName: "王五"})
	if err := StoreCert(ctx, db, forger.cert.Raw, time.Now()); err != nil {
		t.Fatal(err)
	}
	appendN(t, db, 1)
	if _, err := SignHead(ctx, db, forger.key, forger.fp); err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, db, certVerifier(t, db, trust)); rep.OK || brokenAt(rep) != "8" || !strings.Contains(rep.Reason, "不受本机信任") {
		t.Fatalf("forged certificate: %+v", rep)
	}
	// A head whose certificate was never kept.
	stray := issue(t, ca, "ecp256", devca.LeafOptions{CommonName: "赵六"})
	appendN(t, db, 1)
	if _, err := SignHead(ctx, db, stray.key, stray.fp); err != nil {
		t.Fatal(err)
	}
	rep = verify(t, db, certVerifier(t, db, Trust{}))
	if rep.OK || brokenAt(rep) != "9" || !strings.Contains(rep.Reason, "未登记") {
		t.Fatalf("unknown certificate: %+v", rep)
	}
}

// An attacker with the file edits one byte of a head's signature.
func TestAlteredHeadSignatureIsReported(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	ca := newCA(t, "省级 CA")
	u := issue(t, ca, "ecp256", devca.LeafOptions{CommonName: "陈晨"})
	if err := StoreCert(ctx, st.DB(), u.cert.Raw, time.Now()); err != nil {
		t.Fatal(err)
	}
	appendN(t, st.DB(), 5)
	if _, err := SignHead(ctx, st.DB(), u.key, u.fp); err != nil {
		t.Fatal(err)
	}
	trust := Trust{Roots: []*x509.Certificate{ca.Cert}}
	if rep := verify(t, st.DB(), certVerifier(t, st.DB(), trust)); !rep.OK {
		t.Fatalf("before: %+v", rep)
	}
	path := st.Path()
	st.Close()
	attacker(t, path, func(db *sql.DB) {
		var sig []byte
		if err := db.QueryRow("SELECT signature FROM audit_heads WHERE id = 1").Scan(&sig); err != nil {
			t.Fatal(err)
		}
		sig[len(sig)-1] ^= 0x01
		if _, err := db.Exec("UPDATE audit_heads SET signature = ? WHERE id = 1", sig); err != nil {
			t.Fatal(err)
		}
	})
	st = reopen(t, path)
	rep := verify(t, st.DB(), certVerifier(t, st.DB(), trust))
	if rep.OK || brokenAt(rep) != "1" || !strings.Contains(rep.Reason, "签名无效") || !rep.SignaturesChecked {
		t.Fatalf("altered signature: %+v", rep)
	}
	// The kept certificate cannot be swapped either: its hash is its key.
	st.Close()
	other := issue(t, ca, "ecp256", devca.LeafOptions{CommonName: "陈晨"})
	attacker(t, path, func(db *sql.DB) {
		exec(t, db, "DROP TRIGGER audit_certs_no_update")
		if _, err := db.Exec("UPDATE audit_certs SET der = ?", other.cert.Raw); err != nil {
			t.Fatal(err)
		}
	})
	st = reopen(t, path)
	if rep := verify(t, st.DB(), certVerifier(t, st.DB(), Trust{})); rep.OK || !strings.Contains(rep.Reason, "不受本机信任") {
		t.Fatalf("swapped certificate: %+v", rep)
	}
}
