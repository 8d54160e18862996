package sim

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"caiji/backend/approval"
	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/platform/wire"
)

// fixture is a simulator on loopback HTTP trusting a demo root, and the
// intermediate CA that issues the keys of the tests.
type fixture struct {
	t     *testing.T
	sim   *Server
	url   string
	inter *devca.CA
	http  *http.Client
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	now := time.Now()
	root, err := devca.NewRoot("测试根 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	inter, err := root.NewIntermediate("测试业务 CA", now.Add(-time.Hour), now.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), t.TempDir(), pki.NewTrustStore(root.Cert, inter.Cert))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &fixture{t: t, sim: s, url: srv.URL + wire.BasePath, inter: inter, http: http.DefaultClient}
}

func (f *fixture) issue(ou string) (*x509.Certificate, crypto.Signer) {
	f.t.Helper()
	cert, key, err := f.inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "审核员", OrgUnit: ou})
	if err != nil {
		f.t.Fatal(err)
	}
	return cert, key
}

// call sends body (JSON, or raw []byte) and decodes a JSON answer into out.
func (f *fixture) call(method, path, token string, body any, header map[string]string, out any) int {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, f.url+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := f.http.Do(req)
	if err != nil { // Errorf, not Fatalf: call runs in goroutines too
		f.t.Errorf("%s %s: %v", method, path, err)
		return 0
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			f.t.Errorf("%s %s: %d %s: %v", method, path, resp.StatusCode, raw, err)
		}
	}
	return resp.StatusCode
}

// login performs the challenge/login handshake and returns the token.
func (f *fixture) login(ou string, cert *x509.Certificate, key crypto.Signer) string {
	f.t.Helper()
	var ch wire.ChallengeResponse
	if st := f.call("POST", "/auth/challenge", "", wire.ChallengeRequest{OrgUnit: ou, Certificate: cert.Raw}, nil, &ch); st != 200 {
		f.t.Fatalf("challenge: %d", st)
	}
	var lr wire.LoginResponse
	if st := f.call("POST", "/auth/login", "", wire.LoginRequest{ChallengeID: ch.ChallengeID, Signature: signLogin(f.t, key, ch, ou)}, nil, &lr); st != 200 {
		f.t.Fatalf("login: %d", st)
	}
	return lr.Token
}

func signLogin(t *testing.T, key crypto.Signer, ch wire.ChallengeResponse, ou string) []byte {
	d := sha256.Sum256(wire.LoginMessage(ch.ChallengeID, ch.Nonce, ou))
	sig, err := key.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// signedBatch is content signed by a reviewer of ou, ready to push.
type signedBatch struct {
	uid     string
	version int
	content []byte
	init    wire.InitUpload
}

func (f *fixture) batch(uid string, version int, ou string, content []byte, chunkSize int64) signedBatch {
	f.t.Helper()
	cert, key := f.issue(ou)
	der, err := approval.Sign(content, key, cert, []*x509.Certificate{f.inter.Cert})
	if err != nil {
		f.t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	return signedBatch{uid: uid, version: version, content: content, init: wire.InitUpload{
		Dataset: "dibao_roster", Period: "2026-03", OrgUnit: ou, ContentSHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(content)), ChunkSize: chunkSize, Signature: der,
	}}
}

func (b signedBatch) path() string { return fmt.Sprintf("/batches/%s/versions/%d", b.uid, b.version) }

func (b signedBatch) chunk(i int) []byte {
	lo := int64(i) * b.init.ChunkSize
	return b.content[lo:min(lo+b.init.ChunkSize, int64(len(b.content)))]
}

func (f *fixture) putChunk(token, uploadID string, i int, data []byte) int {
	sum := sha256.Sum256(data)
	return f.call("PUT", fmt.Sprintf("/uploads/%s/chunks/%d", uploadID, i), token, data,
		map[string]string{wire.ChunkDigestHeader: hex.EncodeToString(sum[:])}, nil)
}

// push sends b whole: init, every chunk not yet held, complete.
func (f *fixture) push(token string, b signedBatch) (int, wire.SignedReceipt, wire.Error) {
	f.t.Helper()
	st, sr, e, err := pushNoFatal(f, token, b)
	if err != nil {
		f.t.Fatal(err)
	}
	return st, sr, e
}

// pushNoFatal is push for goroutines: a step answering unexpectedly is
// returned as err.
func pushNoFatal(f *fixture, token string, b signedBatch) (int, wire.SignedReceipt, wire.Error, error) {
	var sr wire.SignedReceipt
	var e wire.Error
	var raw json.RawMessage
	st := f.call("PUT", b.path(), token, b.init, nil, &raw)
	if st == 200 {
		return st, sr, e, json.Unmarshal(raw, &sr)
	}
	var up wire.UploadStarted
	if st != 201 || json.Unmarshal(raw, &up) != nil {
		return st, sr, e, fmt.Errorf("init: %d %s", st, raw)
	}
	held := map[int]bool{}
	for _, i := range up.Received {
		held[i] = true
	}
	for i := range wire.ChunkCount(b.init.Size, b.init.ChunkSize) {
		if !held[i] {
			if st := f.putChunk(token, up.UploadID, i, b.chunk(i)); st != 204 {
				return st, sr, e, fmt.Errorf("chunk %d: %d", i, st)
			}
		}
	}
	st = f.call("POST", "/uploads/"+up.UploadID+"/complete", token, nil, nil, &raw)
	if st == 200 {
		return st, sr, e, json.Unmarshal(raw, &sr)
	}
	return st, sr, e, json.Unmarshal(raw, &e)
}

func (f *fixture) held() []wire.SimBatch {
	var out wire.SimBatches
	f.call("GET", "/_sim/batches", "", nil, nil, &out)
	return out.Items
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

// loginAs logs in with a fresh key of ou.
func (f *fixture) loginAs(ou string) string {
	cert, key := f.issue(ou)
	return f.login(ou, cert, key)
}
