package sim

import (
	"testing"
	"time"

	"caiji/backend/pki/devca"
	"caiji/backend/platform/wire"
)

func TestLoginWithTheCertificatesKey(t *testing.T) {
	f := newFixture(t)
	cert, key := f.issue("410102")
	tok := f.login("410102", cert, key)
	var cv wire.CatalogVersions
	if st := f.call("GET", "/catalog/versions", tok, nil, nil, &cv); st != 200 || len(cv.Items) == 0 {
		t.Fatalf("catalog with token: %d %+v", st, cv)
	}
	var e wire.Error
	if st := f.call("GET", "/catalog/versions", "nonsense", nil, nil, &e); st != 401 || e.Code != wire.Unauthorized {
		t.Fatalf("bad token: %d %+v", st, e)
	}
}

func TestLoginRefusesAnotherKey(t *testing.T) {
	f := newFixture(t)
	cert, _ := f.issue("410102")
	_, otherKey := f.issue("410102")
	var ch wire.ChallengeResponse
	f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: "410102", Certificate: cert.Raw}, nil, &ch)
	var e wire.Error
	st := f.call("POST", "/auth/login", "", wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: signLogin(t, otherKey, ch, "410102")}, nil, &e)
	if st != 401 || e.Code != wire.LoginSignature || e.Message == "" {
		t.Fatalf("wrong key: %d %+v", st, e)
	}
}

// A signature for one org unit must not log in as another, and a nonce
// serves one attempt only.
func TestLoginNonceIsSingleUseAndBindsOrgUnit(t *testing.T) {
	f := newFixture(t)
	cert, key := f.issue("410102")
	var ch wire.ChallengeResponse
	f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: "410102", Certificate: cert.Raw}, nil, &ch)
	req := wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: signLogin(t, key, ch, "410102")}
	if st := f.call("POST", "/auth/login", "", req, nil, nil); st != 200 {
		t.Fatalf("first login: %d", st)
	}
	var e wire.Error
	if st := f.call("POST", "/auth/login", "", req, nil, &e); st != 401 || e.Code != wire.ChallengeInvalid {
		t.Fatalf("replay: %d %+v", st, e)
	}

	f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: "410102", Certificate: cert.Raw}, nil, &ch)
	req = wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: signLogin(t, key, ch, "410103")}
	if st := f.call("POST", "/auth/login", "", req, nil, &e); st != 401 || e.Code != wire.LoginSignature {
		t.Fatalf("other org unit: %d %+v", st, e)
	}
}

func TestLoginExpiredChallenge(t *testing.T) {
	f := newFixture(t)
	cert, key := f.issue("410102")
	var ch wire.ChallengeResponse
	f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: "410102", Certificate: cert.Raw}, nil, &ch)
	f.sim.now = func() time.Time { return time.Now().Add(ChallengeTTL + time.Second) }
	var e wire.Error
	st := f.call("POST", "/auth/login", "", wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: signLogin(t, key, ch, "410102")}, nil, &e)
	if st != 401 || e.Code != wire.ChallengeInvalid {
		t.Fatalf("expired: %d %+v", st, e)
	}
}

func TestChallengeRefusesUntrustedCertificate(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	stranger, err := devca.NewRoot("陌生 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	cert, _, err := stranger.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "冒充者"})
	if err != nil {
		t.Fatal(err)
	}
	var e wire.Error
	st := f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: "410102", Certificate: cert.Raw}, nil, &e)
	if st != 401 || e.Code != wire.CertUntrusted || e.Message == "" {
		t.Fatalf("untrusted: %d %+v", st, e)
	}
}
