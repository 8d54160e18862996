package sim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"caiji/backend/platform/wire"
)

// Lifetimes of a challenge and of a session token.
const (
	ChallengeTTL = 2 * time.Minute
	SessionTTL   = 8 * time.Hour
)

type challenge struct {
	nonce   []byte
	orgUnit string
	cert    *x509.Certificate
	expires time.Time
}

type session struct {
	orgUnit string
	expires time.Time
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// challenge checks the certificate first, so an untrusted key is told so
// before it signs anything.
func (s *Server) challenge(w http.ResponseWriter, r *http.Request) {
	var req wire.ChallengeRequest
	if !readJSON(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.OrgUnit) == "" {
		fail(w, http.StatusBadRequest, wire.BadRequest, "缺少单位编码 orgUnit，请检查客户端配置的单位。")
		return
	}
	cert, err := x509.ParseCertificate(req.Certificate)
	if err != nil {
		fail(w, http.StatusBadRequest, wire.BadRequest, "certificate 不是 DER 编码的 X.509 证书，请检查 USB Key 中的证书。")
		return
	}
	now := s.now()
	if now.After(cert.NotAfter) {
		fail(w, http.StatusUnauthorized, wire.CertExpired, "USB Key 中的证书已过期，请到 CA 办理更新后再同步。")
		return
	}
	if _, err := cert.Verify(x509.VerifyOptions{
		Roots: s.roots, Intermediates: s.inters, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}); err != nil {
		fail(w, http.StatusUnauthorized, wire.CertUntrusted, "平台不信任这张证书（不是省级 CA 签发的）。请使用省级 CA 签发的 USB Key。")
		return
	}
	nonce := make([]byte, 32)
	_, _ = rand.Read(nonce)
	id := randomHex(16)
	c := &challenge{nonce: nonce, orgUnit: req.OrgUnit, cert: cert, expires: now.Add(ChallengeTTL)}
	s.mu.Lock()
	for k, old := range s.challenges { // sweep, so abandoned challenges do not pile up
		if now.After(old.expires) {
			delete(s.challenges, k)
		}
	}
	s.challenges[id] = c
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, wire.ChallengeResponse{ChallengeID: id, Nonce: nonce, ExpiresAt: c.expires})
}

// login consumes the challenge whatever the outcome: a nonce is good for
// one attempt, so a captured signature cannot be replayed.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req wire.LoginRequest
	if !readJSON(w, r, &req) {
		return
	}
	now := s.now()
	s.mu.Lock()
	c := s.challenges[req.ChallengeID]
	delete(s.challenges, req.ChallengeID)
	s.mu.Unlock()
	if c == nil || now.After(c.expires) {
		fail(w, http.StatusUnauthorized, wire.ChallengeInvalid, "登录挑战不存在、已过期或已使用，请重新登录。")
		return
	}
	digest := sha256.Sum256(wire.LoginMessage(req.ChallengeID, c.nonce, c.orgUnit))
	if !verifyDigest(c.cert.PublicKey, digest[:], req.Signature) {
		fail(w, http.StatusUnauthorized, wire.LoginSignature, "登录签名验证失败：签名不是这张证书对应的密钥做的。请确认插入的是本人的 USB Key 后重新登录。")
		return
	}
	token := randomHex(32)
	exp := now.Add(SessionTTL)
	s.mu.Lock()
	s.sessions[token] = session{orgUnit: c.orgUnit, expires: exp}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, wire.LoginResponse{Token: token, ExpiresAt: exp})
}

// verifyDigest checks a signature over a SHA-256 digest: ECDSA in ASN.1
// form, or RSA PKCS#1 v1.5 — what a USB key's crypto.Signer returns.
func verifyDigest(pub any, digest, sig []byte) bool {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return ecdsa.VerifyASN1(k, digest, sig)
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig) == nil
	}
	return false
}

// authed requires a live bearer token and passes its session on.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		sess, found := s.sessions[tok]
		s.mu.Unlock()
		if !ok || !found || s.now().After(sess.expires) {
			fail(w, http.StatusUnauthorized, wire.Unauthorized, "未登录或登录已过期，请重新用 USB Key 登录平台。")
			return
		}
		h(w, r, sess)
	}
}
