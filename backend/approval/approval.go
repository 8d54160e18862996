// Package approval turns an approved batch into the exact bytes that are
// signed and sent to the provincial platform, signs them on the reviewer's
// key, and checks such a signature. docs/signed-approval.md is the format's
// specification for integrators; a test pins its worked example.
//
// The whole API:
//
//	content, err := approval.Canonical(h, dataset, rows) // rows: stored cells, field code → text as typed
//	digest := approval.DigestHex(content)                // what batch_signatures.digest holds
//	der, err := approval.Sign(content, signer, cert, chain) // detached CMS SignedData, DER
//	cert, err := approval.Verify(content, der, roots, at)   // the signer's certificate, if all holds
//
// Canonical is deterministic: the same batch gives the same bytes
// on every PC, whatever the map order or however a clerk typed a cell. Sign
// takes any crypto.Signer, so the private key may stay on a USB key. Verify
// checks, in this order, that the signature is in the form Sign writes,
// that its value is right, that the content is what it covers, and that
// the signer's certificate chains to roots at time at. Each failure has its
// own code, so callers can say "the data was changed" rather than "invalid".
//
// Not here: storing signatures (batch_signatures), revocation (pki.Checker
// checks CRLs at login), and timestamps from a TSA (see the document).
package approval

import "caiji/backend/apperr"

// Error codes of Verify. Certificate problems use the apperr codes the
// login check uses (cert_untrusted, cert_expired, cert_not_yet_valid,
// cert_key_usage), so the UI explains them the same way.
const (
	// ContentChanged: the signature is intact but the content is not what
	// was signed — the data changed after approval.
	ContentChanged apperr.Code = "signature_content_changed"
	// SignatureInvalid: the signature value does not verify with the
	// signer's certificate (signature or signed attributes tampered with,
	// or made with another key).
	SignatureInvalid apperr.Code = "signature_invalid"
	// SignatureMalformed: not a single-signer CMS SignedData we can read.
	SignatureMalformed apperr.Code = "signature_malformed"
)
