package wire

import (
	"fmt"

	"caiji/backend/apperr"
)

// Error is the body of every 4xx/5xx response.
type Error struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"` // zh-CN: what is wrong and what to do
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Error codes. Signature and certificate failures reuse backend/approval's
// and backend/pki's codes, so the client explains them as it does locally.
const (
	BadRequest         apperr.Code = "bad_request"               // 400 malformed JSON, parameter or header
	Unauthorized       apperr.Code = "unauthorized"              // 401 no, unknown or expired bearer token
	ChallengeInvalid   apperr.Code = "challenge_invalid"         // 401 challenge unknown, expired or already used
	LoginSignature     apperr.Code = "login_signature_invalid"   // 401 login signature does not verify
	CertUntrusted      apperr.Code = "cert_untrusted"            // 401 certificate does not chain to the platform's roots
	CertExpired        apperr.Code = "cert_expired"              // 401/422 certificate expired
	Forbidden          apperr.Code = "forbidden"                 // 403 batch of another org unit than the login's
	NotFound           apperr.Code = "not_found"                 // 404
	VersionConflict    apperr.Code = "version_conflict"          // 409 version already held with other content, or a newer one is
	ChunkConflict      apperr.Code = "chunk_conflict"            // 409 chunk already held with other bytes
	ChunksMissing      apperr.Code = "chunks_missing"            // 409 complete before every chunk arrived
	ChunkDigest        apperr.Code = "chunk_digest_mismatch"     // 400 chunk bytes do not match Content-SHA256
	ContentMismatch    apperr.Code = "content_mismatch"          // 422 assembled size or SHA-256 not as announced
	SignatureInvalid   apperr.Code = "signature_invalid"         // 422 CMS value does not verify
	ContentChanged     apperr.Code = "signature_content_changed" // 422 CMS sound but covers other content
	SignatureMalformed apperr.Code = "signature_malformed"       // 422 not a CMS SignedData
	TooLarge           apperr.Code = "too_large"                 // 413 batch or chunk over the limits
	Unavailable        apperr.Code = "unavailable"               // 503 try again later (with backoff)
	Internal           apperr.Code = "internal"                  // 500
)

// Codes lists every code above; the YAML's ErrorCode enum must equal it.
var Codes = []apperr.Code{
	BadRequest, Unauthorized, ChallengeInvalid, LoginSignature, CertUntrusted, CertExpired,
	Forbidden, NotFound, VersionConflict, ChunkConflict, ChunksMissing, ChunkDigest,
	ContentMismatch, SignatureInvalid, ContentChanged, SignatureMalformed, TooLarge,
	Unavailable, Internal,
}

// Retryable reports whether a client may send the same request again:
// only for 5xx and transport failures, never for a 4xx.
func Retryable(status int) bool { return status >= 500 }
