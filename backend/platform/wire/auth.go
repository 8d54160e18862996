package wire

import (
	"strconv"
	"time"
)

// LoginTag starts every login message, so a login signature can never be
// replayed as any other signature made with the same key.
const LoginTag = "caiji-platform-login-v1"

type ChallengeRequest struct {
	OrgUnit     string `json:"orgUnit"`
	Certificate []byte `json:"certificate"` // DER, base64 in JSON
}

type ChallengeResponse struct {
	ChallengeID string    `json:"challengeId"`
	Nonce       []byte    `json:"nonce"` // 32 random bytes
	ExpiresAt   time.Time `json:"expiresAt"`
}

type LoginRequest struct {
	ChallengeID string `json:"challengeId"`
	Signature   []byte `json:"signature"`
}

type LoginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// LoginMessage is what the token signs, after SHA-256 (crypto.SHA256 as
// the signer option): netstrings of LoginTag, challengeId, the raw nonce
// bytes and orgUnit. Netstrings ("<len>:<bytes>,") keep fields apart
// whatever they contain.
func LoginMessage(challengeID string, nonce []byte, orgUnit string) []byte {
	return Netstrings([]byte(LoginTag), []byte(challengeID), nonce, []byte(orgUnit))
}

// Netstrings concatenates each part as "<decimal length>:<bytes>,".
func Netstrings(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, ':')
		b = append(b, p...)
		b = append(b, ',')
	}
	return b
}
