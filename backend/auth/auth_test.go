package auth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/identity"
	"caiji/backend/pki"
	"caiji/backend/pki/devca"
	"caiji/backend/session"
	"caiji/backend/store"
	"caiji/backend/token"
)

// Integration tests of the login flow: the real Service, real SoftHSM
// tokens whose keys are generated on the token, certificates from a devca
// hierarchy, and a registry on a temporary database. Each argon2 hash costs
// 64 MiB and a noticeable fraction of a second under -race, so only the
// tests that are about passwords or open sessions enrol anyone.

const (
	testSOPIN = "so-pin-4321"
	testPIN   = "user-pin-8765"
	wrongPIN  = "wrong-pin-0000"
	adminPW   = "Caiji#2024pass"
	adminName = "张建国"
	adminUnit = "测试市市场监督管理局"
)

// testCAs is the PKI: a trusted root with the issuing intermediate below it
// (a provincial CA), and a foreign hierarchy this PC does not trust.
type testCAs struct {
	root, inter               *devca.CA
	foreignRoot, foreignInter *devca.CA
}

var makeCAs = sync.OnceValues(func() (*testCAs, error) {
	now := time.Now()
	nb, na := now.Add(-24*time.Hour), now.AddDate(5, 0, 0)
	var c testCAs
	var err error
	if c.root, err = devca.NewRoot("测试省级根 CA", nb, na); err != nil {
		return nil, err
	}
	if c.inter, err = c.root.NewIntermediate("测试省级业务 CA", nb, na); err != nil {
		return nil, err
	}
	if c.foreignRoot, err = devca.NewRoot("外省根 CA", nb, na); err != nil {
		return nil, err
	}
	if c.foreignInter, err = c.foreignRoot.NewIntermediate("外省业务 CA", nb, na); err != nil {
		return nil, err
	}
	return &c, nil
})

func cas(t *testing.T) *testCAs {
	t.Helper()
	c, err := makeCAs()
	if err != nil {
		t.Fatalf("test CAs: %v", err)
	}
	return c
}

// openSoftHSM opens the SoftHSM driver, closed when the test ends.
func openSoftHSM(t *testing.T) *token.Module {
	t.Helper()
	if _, err := os.Stat(softhsmLib); err != nil {
		t.Skipf("SoftHSM2 is not installed (%s missing; apt-get install softhsm2)", softhsmLib)
	}
	m, err := token.Open(softhsmLib)
	if err != nil {
		t.Fatalf("token.Open(%s): %v", softhsmLib, err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// newToken initialises a blank token labelled label and runs fill in a
// logged-in session. The session is closed before the test goes on, so the
// key arrives as a clerk's does: nobody is logged in to it.
func newToken(t *testing.T, m *token.Module, label string, fill func(s *token.Session)) {
	t.Helper()
	ti, err := token.InitToken(m, label, testSOPIN, testPIN)
	if err != nil {
		t.Fatalf("InitToken(%q): %v", label, err)
	}
	s, err := m.Login(ti.SlotID, testPIN)
	if err != nil {
		t.Fatalf("Login(%q): %v", label, err)
	}
	defer s.Close()
	fill(s)
}

func genKey(t *testing.T, s *token.Session, kind token.KeyKind, id []byte) crypto.PublicKey {
	t.Helper()
	pub, err := s.GenerateKeyPair(kind, id, string(id))
	if err != nil {
		t.Fatalf("GenerateKeyPair: %v", err)
	}
	return pub
}

func putCert(t *testing.T, s *token.Session, id []byte, c *x509.Certificate) {
	t.Helper()
	if err := s.ImportCertificate(id, string(id)+"-cert", c); err != nil {
		t.Fatalf("ImportCertificate: %v", err)
	}
}

// issue certifies pub by ca (nil: the trusted intermediate).
func issue(t *testing.T, ca *devca.CA, pub crypto.PublicKey, o devca.LeafOptions) *x509.Certificate {
	t.Helper()
	if ca == nil {
		ca = cas(t).inter
	}
	if o.CommonName == "" {
		o.CommonName = "王小明"
	}
	if o.Organization == "" {
		o.Organization = "测试单位"
	}
	c, err := ca.IssueFor(pub, o)
	if err != nil {
		t.Fatalf("IssueFor: %v", err)
	}
	return c
}

// newKeyToken makes the usual key: a key pair generated on the token and
// the certificate ca (nil: the trusted intermediate) issued for it, stored
// under the key's CKA_ID.
func newKeyToken(t *testing.T, m *token.Module, label string, kind token.KeyKind, ca *devca.CA, o devca.LeafOptions) *x509.Certificate {
	t.Helper()
	var cert *x509.Certificate
	newToken(t, m, label, func(s *token.Session) {
		id := []byte(label)
		cert = issue(t, ca, genKey(t, s, kind, id), o)
		putCert(t, s, id, cert)
	})
	return cert
}

// labelSeq keeps token labels unique within the process: the token
// directory lives as long as the test binary, so with -count=N a test
// would otherwise find the token an earlier run of it left behind.
var labelSeq atomic.Int64

func uniq(base string) string { return fmt.Sprintf("%s.%d", base, labelSeq.Add(1)) }

// softwareKey is a key that exists only in this process, never on a token.
func softwareKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// writeCRL writes a current DER CRL of ca listing revoked into dir.
func writeCRL(t *testing.T, dir string, ca *devca.CA, revoked ...*x509.Certificate) string {
	t.Helper()
	now := time.Now()
	list := map[string]time.Time{}
	for _, c := range revoked {
		list[pki.SerialHex(c)] = now.Add(-time.Hour)
	}
	der, err := ca.CRL(list, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		t.Fatalf("CRL: %v", err)
	}
	f, err := os.CreateTemp(dir, "*.crl")
	if err == nil {
		_, err = f.Write(der)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return f.Name()
}

// The curve OID of an ECDSA key (prime256v1) and the SM2 curve sm2p256v1,
// both as DER with tag and length: the same size, so one can stand in for
// the other without touching any length byte.
var (
	oidP256DER = []byte{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}
	oidSM2DER  = []byte{0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D}
)

// asSM2 turns a P-256 certificate into an SM2 one as Chinese CAs issue
// them: an EC key on curve sm2p256v1. Its signature no longer verifies,
// which must not matter: the algorithm is refused before anything else.
// Go cannot parse the result, so it travels in an x509.Certificate that
// carries only what ImportCertificate stores.
func asSM2(t *testing.T, c *x509.Certificate) *x509.Certificate {
	t.Helper()
	if n := bytes.Count(c.Raw, oidP256DER); n != 1 {
		t.Fatalf("P-256 curve OID occurs %d times in the certificate, want 1", n)
	}
	raw := bytes.Replace(c.Raw, oidP256DER, oidSM2DER, 1)
	if alg := pki.Algorithm(raw); alg != "SM2" {
		t.Fatalf("pki.Algorithm(patched certificate) = %q, want SM2", alg)
	}
	return &x509.Certificate{Raw: raw, RawSubject: c.RawSubject, RawIssuer: c.RawIssuer, SerialNumber: c.SerialNumber}
}

// rig is a Service on a fresh registry and session manager. By default it
// trusts root and intermediate, refuses without a CRL and has current,
// empty CRLs of both CAs, so an accepted login carries no warning.
type rig struct {
	svc      *Service
	reg      *identity.Registry
	sessions *session.Manager
}

func newRig(t *testing.T, m *token.Module, tweak func(o *Options)) *rig {
	t.Helper()
	c := cas(t)
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	o := Options{
		Checker: &pki.Checker{
			Trust:    pki.NewTrustStore(c.root.Cert, c.inter.Cert),
			Policy:   pki.CRLRefuse,
			CRLFiles: []string{writeCRL(t, dir, c.root), writeCRL(t, dir, c.inter)},
		},
		Registry: identity.NewRegistry(st.DB(), identity.Policy{}, nil),
		Sessions: session.NewManager(),
	}
	if m != nil {
		o.Sources = []KeySource{ModuleSource{M: m}}
	}
	if tweak != nil {
		tweak(&o)
	}
	svc := New(o)
	t.Cleanup(svc.Logout) // closes the key sessions before the module goes
	return &rig{svc: svc, reg: o.Registry, sessions: o.Sessions}
}

// slot finds label among the keys the service offers, as the login
// screen does.
func (r *rig) slot(t *testing.T, label string) (source string, slot uint) {
	t.Helper()
	views, err := r.svc.Tokens()
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	for _, v := range views {
		if v.Label == label {
			return v.Source, v.SlotID
		}
	}
	t.Fatalf("token %q is not offered; Tokens() = %+v", label, views)
	return "", 0
}

func (r *rig) begin(t *testing.T, label, pin string) (*Step, error) {
	t.Helper()
	src, slot := r.slot(t, label)
	return r.svc.Begin(context.Background(), src, slot, pin)
}

// enrol logs in with label's key as the first system administrator (one
// argon2 hash).
func (r *rig) enrol(t *testing.T, label string, cert *x509.Certificate) *session.Session {
	t.Helper()
	step, err := r.begin(t, label, testPIN)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if step.Next != "enrol" {
		t.Fatalf("Begin on an empty registry: Next = %q, want enrol", step.Next)
	}
	sess, err := r.svc.Enrol(context.Background(), adminName, adminUnit, adminPW)
	if err != nil {
		t.Fatalf("Enrol: %v", err)
	}
	checkAdminSession(t, sess, cert)
	return sess
}

func checkAdminSession(t *testing.T, sess *session.Session, cert *x509.Certificate) {
	t.Helper()
	switch {
	case sess == nil:
		t.Fatal("no session")
	case sess.User.Name != adminName || sess.User.OrgUnit != adminUnit:
		t.Errorf("session user = %+v, want %s of %s", sess.User, adminName, adminUnit)
	case !slices.Contains(sess.User.Roles, session.SysAdmin):
		t.Errorf("session roles = %v, want %s among them", sess.User.Roles, session.SysAdmin)
	case sess.Demo || sess.Software:
		t.Errorf("session Demo=%v Software=%v, want a production USB-key session", sess.Demo, sess.Software)
	case sess.Locked:
		t.Error("new session is locked")
	case sess.CertFingerprint != pki.Fingerprint(cert):
		t.Errorf("session certificate %s, want %s", sess.CertFingerprint, pki.Fingerprint(cert))
	}
}

// signsWith checks that the service signs with the key of cert.
func signsWith(t *testing.T, svc *Service, cert *x509.Certificate) {
	t.Helper()
	signer, c, err := svc.Signer()
	if err != nil {
		t.Fatalf("Signer: %v", err)
	}
	if !c.Equal(cert) {
		t.Errorf("Signer certificate %s, want %s", c.Subject, cert.Subject)
	}
	if err := pki.ProvePossession(signer, cert); err != nil {
		t.Errorf("signing with the session's key: %v", err)
	}
}

// wantCode fails unless err carries code with a Chinese message.
func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	ae := apperr.From(err)
	if !hasHan(ae.Message) {
		t.Errorf("%s message %q is not Chinese", code, ae.Message)
	}
	return ae
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// nothingPending checks that a refused Begin left nothing to finish.
func nothingPending(t *testing.T, r *rig) {
	t.Helper()
	if cur := r.sessions.Current(); cur != nil {
		t.Errorf("a session is open after a refused login: %+v", cur)
	}
	if _, err := r.svc.Finish(context.Background(), adminPW); !apperr.Is(err, apperr.BadInput) {
		t.Errorf("Finish after a refused Begin = %v, want %s (nothing pending)", err, apperr.BadInput)
	}
}

// clock is a race-safe settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The whole first run and a later login, for both key types CAs issue:
// enrol as the first system administrator, then log in with the password.
func TestLoginGoodKey(t *testing.T) {
	for _, tc := range []struct {
		name, label, alg string
		kind             token.KeyKind
	}{
		{"RSA-2048", "good-rsa", "RSA", token.RSA2048},
		{"ECDSA-P256", "good-ec", "ECDSA P-256", token.ECP256},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			m := openSoftHSM(t)
			label := uniq(tc.label)
			cert := newKeyToken(t, m, label, tc.kind, nil, devca.LeafOptions{CommonName: "王小明"})
			r := newRig(t, m, nil)

			step, err := r.begin(t, label, testPIN)
			if err != nil {
				t.Fatalf("Begin: %v", err)
			}
			if step.Next != "enrol" || step.UserName != "" {
				t.Errorf("Begin on an empty registry: Next %q UserName %q, want enrol and no user", step.Next, step.UserName)
			}
			if len(step.Warnings) != 0 {
				t.Errorf("Warnings = %+v, want none (current CRLs are on disk)", step.Warnings)
			}
			if v := step.Cert; v.Algorithm != tc.alg || v.Subject != "王小明" ||
				v.Serial != pki.SerialHex(cert) || v.Fingerprint != pki.Fingerprint(cert) {
				t.Errorf("Step.Cert = %+v, want %s certificate %s of 王小明", v, tc.alg, pki.SerialHex(cert))
			}
			if cur := r.sessions.Current(); cur != nil {
				t.Fatalf("session open before enrolment: %+v", cur)
			}

			sess, err := r.svc.Enrol(ctx, adminName, adminUnit, adminPW)
			if err != nil {
				t.Fatalf("Enrol: %v", err)
			}
			checkAdminSession(t, sess, cert)
			signsWith(t, r.svc, cert)
			if v, err := r.svc.Certificate(); err != nil || v.Fingerprint != pki.Fingerprint(cert) {
				t.Errorf("Certificate() = %+v, %v", v, err)
			}

			r.svc.Logout()
			if cur := r.sessions.Current(); cur != nil {
				t.Fatalf("session after Logout: %+v", cur)
			}
			if _, _, err := r.svc.Signer(); !apperr.Is(err, apperr.NotLoggedIn) {
				t.Errorf("Signer after Logout = %v, want %s", err, apperr.NotLoggedIn)
			}

			step, err = r.begin(t, label, testPIN)
			if err != nil {
				t.Fatalf("second Begin: %v", err)
			}
			if step.Next != "password" || step.UserName != adminName {
				t.Fatalf("second Begin: Next %q UserName %q, want password for %s", step.Next, step.UserName, adminName)
			}
			_, err = r.svc.Finish(ctx, "Wrong#2024pass")
			wantCode(t, err, apperr.PasswordIncorrect)
			if cur := r.sessions.Current(); cur != nil {
				t.Fatalf("session open after a wrong password: %+v", cur)
			}
			sess, err = r.svc.Finish(ctx, adminPW)
			if err != nil {
				t.Fatalf("Finish with the right password: %v", err)
			}
			checkAdminSession(t, sess, cert)
			if cur := r.sessions.Current(); cur == nil || cur.Locked || !slices.Contains(cur.User.Roles, session.SysAdmin) {
				t.Errorf("Current() = %+v, want the open sysadmin session", cur)
			}
			signsWith(t, r.svc, cert)
		})
	}
}

// Every refusal Begin knows, each on its own token, with the code the
// login screen turns into a message.
func TestBeginRefused(t *testing.T) {
	c := cas(t)
	now := time.Now()
	std := func(kind token.KeyKind, ca *devca.CA, o devca.LeafOptions) func(t *testing.T, s *token.Session) *x509.Certificate {
		return func(t *testing.T, s *token.Session) *x509.Certificate {
			id := []byte("login-key")
			cert := issue(t, ca, genKey(t, s, kind, id), o)
			putCert(t, s, id, cert)
			return cert
		}
	}
	for _, tc := range []struct {
		name  string
		label string
		pin   string                                                          // "" = testPIN
		fill  func(t *testing.T, s *token.Session) *x509.Certificate          // the login certificate, if any
		tweak func(t *testing.T, dir string, o *Options, c *x509.Certificate) // before New
		want  apperr.Code
		msg   func(c *x509.Certificate) string // a part of the message
	}{{
		name:  "wrong PIN",
		label: "refuse-pin",
		pin:   wrongPIN,
		fill:  std(token.ECP256, nil, devca.LeafOptions{}),
		want:  apperr.PINIncorrect,
		msg:   func(*x509.Certificate) string { return "PIN" },
	}, {
		name:  "expired",
		label: "refuse-expired",
		fill:  std(token.ECP256, nil, devca.LeafOptions{NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.Add(-24 * time.Hour)}),
		want:  apperr.CertExpired,
		msg:   func(*x509.Certificate) string { return "过期" },
	}, {
		name:  "not yet valid",
		label: "refuse-future",
		fill:  std(token.ECP256, nil, devca.LeafOptions{NotBefore: now.Add(48 * time.Hour), NotAfter: now.AddDate(1, 0, 0)}),
		want:  apperr.CertNotYetValid,
		msg:   func(*x509.Certificate) string { return "生效" },
	}, {
		name:  "revoked",
		label: "refuse-revoked",
		fill:  std(token.ECP256, nil, devca.LeafOptions{}),
		tweak: func(t *testing.T, dir string, o *Options, cert *x509.Certificate) {
			o.Checker.CRLFiles = []string{writeCRL(t, dir, c.root), writeCRL(t, dir, c.inter, cert)}
		},
		want: apperr.CertRevoked,
		msg:  func(cert *x509.Certificate) string { return pki.SerialHex(cert) },
	}, {
		name:  "foreign CA",
		label: "refuse-foreign",
		fill:  std(token.ECP256, c.foreignInter, devca.LeafOptions{}),
		want:  apperr.CertUntrusted,
		msg:   func(*x509.Certificate) string { return "外省业务 CA" },
	}, {
		// A self-signed certificate beside the key is at best a copy of a
		// root and must never be trusted as one.
		name:  "foreign root copied onto the key",
		label: "refuse-foreign-root",
		fill: func(t *testing.T, s *token.Session) *x509.Certificate {
			cert := std(token.ECP256, c.foreignInter, devca.LeafOptions{})(t, s)
			putCert(t, s, []byte("ca1"), c.foreignInter.Cert)
			putCert(t, s, []byte("ca2"), c.foreignRoot.Cert)
			return cert
		},
		want: apperr.CertUntrusted,
	}, {
		// The certificate is on the key, its private key is not: the key
		// pair on the token belongs to something else.
		name:  "certificate without its private key",
		label: "refuse-nokey",
		fill: func(t *testing.T, s *token.Session) *x509.Certificate {
			genKey(t, s, token.ECP256, []byte("other-key"))
			cert := issue(t, nil, softwareKey(t).Public(), devca.LeafOptions{})
			putCert(t, s, []byte("copied-cert"), cert)
			return cert
		},
		want: apperr.KeyMissing,
	}, {
		name:  "no certificate",
		label: "refuse-nocert",
		fill: func(t *testing.T, s *token.Session) *x509.Certificate {
			genKey(t, s, token.ECP256, []byte("lonely-key"))
			return nil
		},
		want: apperr.KeyMissing,
	}, {
		// A copied certificate stored under the id of an unrelated token
		// key: the key is found but cannot prove possession.
		name:  "another key under the certificate's id",
		label: "refuse-stale-id",
		fill: func(t *testing.T, s *token.Session) *x509.Certificate {
			id := []byte("shared-id")
			genKey(t, s, token.ECP256, id)
			cert := issue(t, nil, softwareKey(t).Public(), devca.LeafOptions{})
			putCert(t, s, id, cert)
			return cert
		},
		want: apperr.PossessionFailed,
	}, {
		// The encryption half of a dual-certificate key.
		name:  "encryption-only certificate",
		label: "refuse-keyusage",
		fill:  std(token.RSA2048, nil, devca.LeafOptions{KeyUsage: x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment}),
		want:  apperr.CertKeyUsage,
		msg:   func(*x509.Certificate) string { return "数字签名" },
	}, {
		name:  "SM2 certificate",
		label: "refuse-sm2",
		fill: func(t *testing.T, s *token.Session) *x509.Certificate {
			id := []byte("sm2-key")
			sm2 := asSM2(t, issue(t, nil, genKey(t, s, token.ECP256, id), devca.LeafOptions{}))
			putCert(t, s, id, sm2)
			return nil
		},
		want: apperr.CertUnsupportedAlg,
		msg:  func(*x509.Certificate) string { return "SM2" },
	}, {
		name:  "no CRL with policy refuse",
		label: "refuse-nocrl",
		fill:  std(token.ECP256, nil, devca.LeafOptions{}),
		tweak: func(t *testing.T, _ string, o *Options, _ *x509.Certificate) { o.Checker.CRLFiles = nil },
		want:  apperr.CRLUnavailable,
		msg:   func(*x509.Certificate) string { return "测试省级业务 CA" },
	}, {
		// Another CA's CRL says nothing about ours.
		name:  "only a foreign CRL with policy refuse",
		label: "refuse-foreign-crl",
		fill:  std(token.ECP256, nil, devca.LeafOptions{}),
		tweak: func(t *testing.T, dir string, o *Options, _ *x509.Certificate) {
			o.Checker.CRLFiles = []string{writeCRL(t, dir, c.foreignRoot), writeCRL(t, dir, c.foreignInter)}
		},
		want: apperr.CRLUnavailable,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			m := openSoftHSM(t)
			var cert *x509.Certificate
			label := uniq(tc.label)
			newToken(t, m, label, func(s *token.Session) { cert = tc.fill(t, s) })
			r := newRig(t, m, func(o *Options) {
				if tc.tweak != nil {
					tc.tweak(t, t.TempDir(), o, cert)
				}
			})
			pin := tc.pin
			if pin == "" {
				pin = testPIN
			}
			step, err := r.begin(t, label, pin)
			if err == nil {
				t.Fatalf("Begin accepted the key: %+v; want %s", step, tc.want)
			}
			ae := wantCode(t, err, tc.want)
			if tc.msg != nil {
				if want := tc.msg(cert); !strings.Contains(ae.Message, want) {
					t.Errorf("message %q does not mention %q", ae.Message, want)
				}
			}
			if strings.Contains(err.Error(), pin) {
				t.Errorf("error leaks the PIN: %v", err)
			}
			nothingPending(t, r)
		})
	}
}

// A key whose intermediate CA certificate sits beside it on the token, as
// provincial keys carry it, logs in with only the root installed.
func TestBeginIntermediateFromToken(t *testing.T) {
	missing := uniq("inter-missing")
	onKey := uniq("inter-on-key")
	c := cas(t)
	m := openSoftHSM(t)
	newKeyToken(t, m, missing, token.ECP256, nil, devca.LeafOptions{})
	var cert *x509.Certificate
	newToken(t, m, onKey, func(s *token.Session) {
		id := []byte("k")
		cert = issue(t, nil, genKey(t, s, token.ECP256, id), devca.LeafOptions{})
		putCert(t, s, []byte("ca"), c.inter.Cert) // the CA first: the leaf must still be picked
		putCert(t, s, id, cert)
	})
	r := newRig(t, m, func(o *Options) { o.Checker.Trust = pki.NewTrustStore(c.root.Cert) })
	step, err := r.begin(t, onKey, testPIN)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if step.Next != "enrol" || step.Cert.Fingerprint != pki.Fingerprint(cert) {
		t.Errorf("Begin = %+v, want enrolment with the leaf %s", step, pki.Fingerprint(cert))
	}
	r.svc.Cancel()
	// Without the intermediate on the key the chain stops at it.
	_, err = r.begin(t, missing, testPIN)
	wantCode(t, err, apperr.CertUntrusted)
}

func TestBeginCRLWarn(t *testing.T) {
	label := uniq("crl-warn")
	m := openSoftHSM(t)
	newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})

	t.Run("no CRL at all", func(t *testing.T) {
		r := newRig(t, m, func(o *Options) { o.Checker.Policy, o.Checker.CRLFiles = pki.CRLWarn, nil })
		step, err := r.begin(t, label, testPIN)
		if err != nil {
			t.Fatalf("Begin with policy warn: %v", err)
		}
		if step.Next != "enrol" {
			t.Errorf("Next = %q, want enrol", step.Next)
		}
		// One for the certificate, one for the intermediate above it.
		if len(step.Warnings) != 2 {
			t.Fatalf("Warnings = %+v, want 2", step.Warnings)
		}
		for _, w := range step.Warnings {
			if w.Code != apperr.CRLUnavailable || !hasHan(w.Message) {
				t.Errorf("warning %+v, want %s with a Chinese message", w, apperr.CRLUnavailable)
			}
		}
	})
	t.Run("unreadable CRL file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "gone.crl")
		r := newRig(t, m, func(o *Options) {
			o.Checker.Policy = pki.CRLWarn
			o.Checker.CRLFiles = append(o.Checker.CRLFiles, missing)
		})
		step, err := r.begin(t, label, testPIN)
		if err != nil {
			t.Fatalf("Begin: %v", err)
		}
		if len(step.Warnings) != 1 || step.Warnings[0].Code != apperr.CRLUnavailable ||
			!strings.Contains(step.Warnings[0].Message, missing) {
			t.Errorf("Warnings = %+v, want one naming %s", step.Warnings, missing)
		}
	})
}

// An account's certificate is found by issuer and serial; the key id must
// match as well, and a certificate no account holds is refused.
func TestBeginUnknownUser(t *testing.T) {
	otherSKI := uniq("user-other-ski")
	unbound := uniq("user-unbound")
	ctx := context.Background()
	m := openSoftHSM(t)
	bound := newKeyToken(t, m, otherSKI, token.ECP256, nil, devca.LeafOptions{CommonName: "赵六"})
	newKeyToken(t, m, unbound, token.ECP256, nil, devca.LeafOptions{CommonName: "钱七"})
	r := newRig(t, m, nil)
	ref := CertRef(bound)
	if ref.SKI == "" {
		t.Fatal("CertRef has no SKI")
	}
	ref.SKI = strings.Repeat("ab", 20) // same issuer+serial, another key
	if _, err := r.reg.EnrolFirstAdmin(ctx, adminName, adminUnit, ref, adminPW); err != nil {
		t.Fatalf("EnrolFirstAdmin: %v", err)
	}

	t.Run("key id mismatch", func(t *testing.T) {
		_, err := r.begin(t, otherSKI, testPIN)
		ae := wantCode(t, err, apperr.UnknownUser)
		if !strings.Contains(ae.Message, "密钥不一致") {
			t.Errorf("message %q does not say the key differs", ae.Message)
		}
		nothingPending(t, r)
	})
	t.Run("certificate of no account", func(t *testing.T) {
		_, err := r.begin(t, unbound, testPIN)
		ae := wantCode(t, err, apperr.UnknownUser)
		if !strings.Contains(ae.Message, "未绑定") {
			t.Errorf("message %q does not say the certificate is unbound", ae.Message)
		}
		nothingPending(t, r)
	})
}

// fakeSoftware is a software key directory (the demo fallback).
type fakeSoftware struct{ logins atomic.Int32 }

func (f *fakeSoftware) Name() string   { return "软件密钥目录" }
func (f *fakeSoftware) Software() bool { return true }
func (f *fakeSoftware) Tokens() ([]token.TokenInfo, error) {
	return []token.TokenInfo{{SlotID: 0, Label: "soft-key", Serial: "soft-0001"}}, nil
}
func (f *fakeSoftware) Login(uint, string) (KeySession, error) {
	f.logins.Add(1)
	return nil, apperr.New(apperr.Internal, "假的软件密钥不能登录。")
}

func TestSoftwareSourceOnlyInDemo(t *testing.T) {
	label := uniq("beside-soft")
	m := openSoftHSM(t)
	newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})

	t.Run("production", func(t *testing.T) {
		soft := &fakeSoftware{}
		r := newRig(t, m, func(o *Options) { o.Sources = append(o.Sources, soft) })
		views, err := r.svc.Tokens()
		if err != nil {
			t.Fatalf("Tokens: %v", err)
		}
		hw := false
		for _, v := range views {
			if v.Software || v.Source == soft.Name() {
				t.Errorf("production offers a software key: %+v", v)
			}
			hw = hw || v.Label == label
		}
		if !hw {
			t.Errorf("the USB key is not offered: %+v", views)
		}
		_, err = r.svc.Begin(context.Background(), soft.Name(), 0, testPIN)
		wantCode(t, err, apperr.SoftwareKeyRefused)
		if n := soft.logins.Load(); n != 0 {
			t.Errorf("the software source was asked to log in %d times", n)
		}
		nothingPending(t, r)
	})
	t.Run("demo", func(t *testing.T) {
		soft := &fakeSoftware{}
		r := newRig(t, m, func(o *Options) { o.Demo, o.Sources = true, append(o.Sources, soft) })
		views, err := r.svc.Tokens()
		if err != nil {
			t.Fatalf("Tokens: %v", err)
		}
		if !slices.ContainsFunc(views, func(v TokenView) bool { return v.Software && v.Source == soft.Name() && v.Label == "soft-key" }) {
			t.Errorf("demo mode does not offer the software key: %+v", views)
		}
	})
}

func TestUnlockNeedsTheRightPIN(t *testing.T) {
	label := uniq("unlock")
	ctx := context.Background()
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	r := newRig(t, m, nil)
	r.enrol(t, label, cert)

	if !r.svc.Lock() {
		t.Fatal("Lock() = false on an open session")
	}
	stillLocked := func(when string) {
		t.Helper()
		if cur := r.sessions.Current(); cur == nil || !cur.Locked || cur.LockReason != session.LockByUser {
			t.Fatalf("%s: Current() = %+v, want locked by the user", when, cur)
		}
		if _, _, err := r.svc.Signer(); !apperr.Is(err, apperr.SessionLocked) {
			t.Errorf("%s: Signer = %v, want %s", when, err, apperr.SessionLocked)
		}
	}
	stillLocked("after Lock")

	_, err := r.svc.Unlock(ctx, wrongPIN)
	wantCode(t, err, apperr.PINIncorrect)
	stillLocked("after a wrong PIN")
	_, err = r.svc.Unlock(ctx, "")
	wantCode(t, err, apperr.BadInput)
	stillLocked("after an empty PIN")

	sess, err := r.svc.Unlock(ctx, testPIN)
	if err != nil {
		t.Fatalf("Unlock with the right PIN: %v", err)
	}
	if sess == nil || sess.Locked || sess.CertFingerprint != pki.Fingerprint(cert) {
		t.Fatalf("Unlock = %+v, want the open session", sess)
	}
	if cur := r.sessions.Current(); cur == nil || cur.Locked {
		t.Fatalf("Current() after Unlock = %+v", cur)
	}
	signsWith(t, r.svc, cert)
}

// PKCS#11 login state is shared by all of our sessions on a token: while
// one is logged in, C_Login answers "already logged in" without looking at
// the PIN. A wrong PIN must be refused all the same.
func TestBeginWrongPINWhileLoggedIn(t *testing.T) {
	label := uniq("already-in")
	m := openSoftHSM(t)
	newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	r := newRig(t, m, nil)
	src, slot := r.slot(t, label)

	t.Run("another session of the process", func(t *testing.T) {
		held, err := m.Login(slot, testPIN)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		defer held.Close()
		_, err = r.svc.Begin(context.Background(), src, slot, wrongPIN)
		wantCode(t, err, apperr.PINIncorrect)
		nothingPending(t, r)
		step, err := r.svc.Begin(context.Background(), src, slot, testPIN)
		if err != nil || step.Next != "enrol" {
			t.Fatalf("Begin with the right PIN = %+v, %v", step, err)
		}
		r.svc.Cancel()
	})
	t.Run("another service's pending login", func(t *testing.T) {
		first := newRig(t, m, nil)
		if _, err := first.svc.Begin(context.Background(), src, slot, testPIN); err != nil {
			t.Fatalf("first Begin: %v", err)
		}
		_, err := r.svc.Begin(context.Background(), src, slot, wrongPIN)
		wantCode(t, err, apperr.PINIncorrect)
		nothingPending(t, r)
	})
}

func TestCheckNowTokenRemoved(t *testing.T) {
	label := uniq("pulled-out")
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		t.Skip("softhsm2-util not installed (Debian package softhsm2)")
	}
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	r := newRig(t, m, func(o *Options) { o.IdleLock = time.Hour })
	r.enrol(t, label, cert)
	if got := r.svc.CheckNow(); got != "" {
		t.Fatalf("CheckNow with the key in place = %q, want nothing", got)
	}

	// softhsm2-util inherits SOFTHSM2_CONF from TestMain.
	out, err := exec.Command(util, "--delete-token", "--token", label).CombinedOutput()
	if err != nil {
		t.Fatalf("softhsm2-util --delete-token: %v\n%s", err, out)
	}
	if got := r.svc.CheckNow(); got != session.LockTokenRemoved {
		t.Fatalf("CheckNow after removal = %q, want %s", got, session.LockTokenRemoved)
	}
	if cur := r.sessions.Current(); cur == nil || !cur.Locked || cur.LockReason != session.LockTokenRemoved {
		t.Fatalf("Current() = %+v, want locked for %s", cur, session.LockTokenRemoved)
	}
	if got := r.svc.CheckNow(); got != "" {
		t.Errorf("CheckNow on a locked session = %q, want nothing", got)
	}
	_, err = r.svc.Unlock(context.Background(), testPIN)
	wantCode(t, err, apperr.TokenAbsent)
	if cur := r.sessions.Current(); cur == nil || !cur.Locked {
		t.Errorf("Unlock without the key opened the session: %+v", cur)
	}
}

func TestCheckNowIdle(t *testing.T) {
	label := uniq("idle")
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	r := newRig(t, m, func(o *Options) { o.IdleLock = 10 * time.Minute })
	clk := &clock{t: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
	r.sessions.SetClock(clk.Now)
	r.enrol(t, label, cert)

	if got := r.svc.CheckNow(); got != "" {
		t.Fatalf("CheckNow right after login = %q", got)
	}
	clk.Advance(9 * time.Minute)
	if got := r.svc.CheckNow(); got != "" {
		t.Fatalf("CheckNow after 9 of 10 idle minutes = %q", got)
	}
	r.sessions.Touch()
	clk.Advance(9 * time.Minute)
	if got := r.svc.CheckNow(); got != "" {
		t.Fatalf("CheckNow 9 minutes after activity = %q", got)
	}
	clk.Advance(2 * time.Minute)
	if got := r.svc.CheckNow(); got != session.LockIdle {
		t.Fatalf("CheckNow after 11 idle minutes = %q, want %s", got, session.LockIdle)
	}
	if cur := r.sessions.Current(); cur == nil || !cur.Locked || cur.LockReason != session.LockIdle {
		t.Fatalf("Current() = %+v, want locked for %s", cur, session.LockIdle)
	}

	if _, err := r.svc.Unlock(context.Background(), testPIN); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if got := r.svc.CheckNow(); got != "" {
		t.Errorf("CheckNow right after Unlock = %q", got)
	}
}

func TestCheckForBinding(t *testing.T) {
	ctx := context.Background()
	c := cas(t)
	r := newRig(t, nil, nil)
	now := time.Now()
	good, key, err := c.inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "李四", Organization: "测试单位"})
	if err != nil {
		t.Fatal(err)
	}
	expired, _, err := c.inter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "过期", NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	foreign, _, err := c.foreignInter.IssueWithKey("ecp256", devca.LeafOptions{CommonName: "外省"})
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(good.Raw)
	var wrapped strings.Builder
	for len(b64) > 64 {
		wrapped.WriteString(b64[:64] + "\r\n")
		b64 = b64[64:]
	}
	wrapped.WriteString(b64 + "\n")

	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"PEM", devca.PEM(good)},
		{"base64 DER", []byte(wrapped.String())},
		{"binary DER", good.Raw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref, view, err := r.svc.CheckForBinding(ctx, tc.data)
			if err != nil {
				t.Fatalf("CheckForBinding: %v", err)
			}
			if !reflect.DeepEqual(ref, CertRef(good)) {
				t.Errorf("CertRef = %+v, want %+v", ref, CertRef(good))
			}
			if view.Subject != "李四" || view.Fingerprint != pki.Fingerprint(good) {
				t.Errorf("view = %+v", view)
			}
		})
	}
	for _, tc := range []struct {
		name string
		data []byte
		want apperr.Code
		msg  string
	}{
		{"private key PEM", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), apperr.BadInput, "私钥"},
		{"expired", devca.PEM(expired), apperr.CertExpired, "过期"},
		{"foreign CA", devca.PEM(foreign), apperr.CertUntrusted, "外省业务 CA"},
		{"empty", []byte(" \n"), apperr.BadInput, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := r.svc.CheckForBinding(ctx, tc.data)
			ae := wantCode(t, err, tc.want)
			if !strings.Contains(ae.Message, tc.msg) {
				t.Errorf("message %q does not mention %q", ae.Message, tc.msg)
			}
		})
	}
}

// A second login on a token that one of our sessions is logged in to must
// check its PIN (token.Login logs out and in again). PKCS#11 login state is
// token-wide, so: after a right PIN the open session still signs (its
// stale key handle is found again); after a wrong one the token is logged
// out, and the open session is locked by the watcher instead of failing
// later in an approval.
func TestSecondLoginKeepsOpenSessionSafe(t *testing.T) {
	label := uniq("second-login-sign")
	m := openSoftHSM(t)
	cert := newKeyToken(t, m, label, token.ECP256, nil, devca.LeafOptions{})
	open := newRig(t, m, nil)
	open.enrol(t, label, cert)
	other := newRig(t, m, nil)

	if _, err := other.begin(t, label, testPIN); err != nil {
		t.Fatal(err)
	}
	other.svc.Cancel()
	signsWith(t, open.svc, cert)
	if r := open.svc.CheckNow(); r != "" {
		t.Fatalf("CheckNow after a right second PIN = %q, want no lock", r)
	}

	if _, err := other.begin(t, label, wrongPIN); !apperr.Is(err, apperr.PINIncorrect) {
		t.Fatalf("second Begin with a wrong PIN = %v", err)
	}
	if r := open.svc.CheckNow(); r == "" {
		t.Fatal("open session not locked after the token was logged out by a wrong PIN")
	}
}
