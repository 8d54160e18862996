// Package sim is a stand-in for the provincial platform that honours
// docs/platform-api.yaml: for tests, demos and integrators. It verifies
// login and batch signatures against its trusted roots, keeps every batch
// version exactly once in its own SQLite database, signs receipts, and
// injects faults on request (POST /_sim/faults). Never deploy it as the
// platform: anyone may change its faults and read what it holds.
package sim

import (
	"crypto/ecdsa"
	"crypto/x509"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/platform/wire"
)

// Server is the simulator. Its zero value is not usable; see Open.
type Server struct {
	db         *sql.DB
	roots      *x509.CertPool
	inters     *x509.CertPool
	receiptKey *ecdsa.PrivateKey
	now        func() time.Time

	mu         sync.Mutex
	challenges map[string]*challenge // in memory: a restart just means logging in again
	sessions   map[string]session
	faults     wire.Faults
	rand       randSource
}

// Handler serves the contract under wire.BasePath.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	p := wire.BasePath
	mux.HandleFunc("POST "+p+"/auth/challenge", s.challenge)
	mux.HandleFunc("POST "+p+"/auth/login", s.login)
	mux.HandleFunc("GET "+p+"/catalog/versions", s.authed(s.catalogVersions))
	mux.HandleFunc("GET "+p+"/codelists/{name}", s.authed(s.codeList))
	mux.HandleFunc("GET "+p+"/regions/version", s.authed(s.regionsVersion))
	mux.HandleFunc("GET "+p+"/comparison/{dataset}/deltas", s.authed(s.deltas))
	mux.HandleFunc("GET "+p+"/feedback", s.authed(s.feedback))
	mux.HandleFunc("GET "+p+"/updates/manifest", s.authed(s.updateManifest))
	mux.HandleFunc("GET "+p+"/receipt-key", s.receiptKeyInfo)
	mux.HandleFunc("PUT "+p+"/batches/{batchUid}/versions/{version}", s.authed(s.faulty(s.initUpload)))
	mux.HandleFunc("PUT "+p+"/uploads/{uploadId}/chunks/{index}", s.authed(s.faulty(s.putChunk)))
	mux.HandleFunc("POST "+p+"/uploads/{uploadId}/complete", s.authed(s.faulty(s.complete)))
	mux.HandleFunc("GET "+p+"/batches/{batchUid}/versions/{version}/receipt", s.authed(s.getReceipt))
	mux.HandleFunc("POST "+p+"/_sim/faults", s.setFaults)
	mux.HandleFunc("GET "+p+"/_sim/batches", s.listBatches)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, wire.NotFound, "没有这个接口："+r.Method+" "+r.URL.Path+"。请核对 docs/platform-api.yaml。")
	})
	return mux
}

// Close closes the database.
func (s *Server) Close() error { return s.db.Close() }

// fail writes the contract's error body.
func fail(w http.ResponseWriter, status int, code apperr.Code, message string) {
	writeJSON(w, status, wire.Error{Code: code, Message: message})
}

// failErr maps an error from the store or a check to a response: a typed
// *apperr.Error keeps its code and message with the status its code has.
func failErr(w http.ResponseWriter, err error) {
	var e *apperr.Error
	if !errors.As(err, &e) {
		e = apperr.From(err)
	}
	fail(w, statusOf(e.Code), e.Code, e.Message)
}

func statusOf(c apperr.Code) int {
	switch c {
	case wire.BadRequest, wire.ChunkDigest:
		return http.StatusBadRequest
	case wire.Unauthorized, wire.ChallengeInvalid, wire.LoginSignature, wire.CertUntrusted, wire.CertExpired:
		return http.StatusUnauthorized
	case wire.Forbidden:
		return http.StatusForbidden
	case wire.NotFound:
		return http.StatusNotFound
	case wire.VersionConflict, wire.ChunkConflict, wire.ChunksMissing:
		return http.StatusConflict
	case wire.TooLarge:
		return http.StatusRequestEntityTooLarge
	case wire.ContentMismatch, wire.SignatureInvalid, wire.ContentChanged, wire.SignatureMalformed:
		return http.StatusUnprocessableEntity
	case wire.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// readJSON decodes a request body strictly: unknown fields are a client
// bug worth hearing about early.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		fail(w, http.StatusBadRequest, wire.BadRequest, "请求内容不是约定的 JSON："+err.Error()+"。请核对 docs/platform-api.yaml。")
		return false
	}
	return true
}
