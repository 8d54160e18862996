package sim

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"caiji/backend/platform/wire"
)

// setFaults replaces the fault settings (simulator only).
func (s *Server) setFaults(w http.ResponseWriter, r *http.Request) {
	var f wire.Faults
	if !readJSON(w, r, &f) {
		return
	}
	for _, rate := range []float64{f.ErrorRate, f.DropRate, f.TruncateRate, f.DuplicateRate} {
		if rate < 0 || rate > 1 {
			fail(w, http.StatusBadRequest, wire.BadRequest, "故障比例应在 0 到 1 之间。")
			return
		}
	}
	if f.LatencyMs < 0 {
		fail(w, http.StatusBadRequest, wire.BadRequest, "latencyMs 不能为负数。")
		return
	}
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, f)
}

// faulty wraps a push operation with the configured faults. Drops and
// truncations happen after the work is done, the nastiest case for a
// client: the platform holds the chunk or batch but the answer is lost.
// A duplicate runs the operation twice, as a platform behind a retrying
// proxy would, and answers with the second result.
func (s *Server) faulty(h func(http.ResponseWriter, *http.Request, session)) func(http.ResponseWriter, *http.Request, session) {
	return func(w http.ResponseWriter, r *http.Request, sess session) {
		s.mu.Lock()
		f := s.faults
		errorHit, dropHit, truncHit, dupHit := s.rand() < f.ErrorRate, s.rand() < f.DropRate, s.rand() < f.TruncateRate, s.rand() < f.DuplicateRate
		s.mu.Unlock()
		if f.LatencyMs > 0 {
			select {
			case <-time.After(time.Duration(f.LatencyMs) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		if errorHit {
			fail(w, http.StatusServiceUnavailable, wire.Unavailable, "平台暂时不可用（模拟故障），请稍后重试。")
			return
		}
		if !dropHit && !truncHit && !dupHit {
			h(w, r, sess)
			return
		}
		var body []byte
		if dupHit {
			if body, _ = readAll(r); body == nil {
				body = []byte{}
			}
			r.Body = readerOf(body)
			h(&recorder{header: http.Header{}}, r, sess)
			r.Body = readerOf(body)
		}
		rec := &recorder{header: http.Header{}}
		h(rec, r, sess)
		switch {
		case dropHit:
			hangUp(w)
		case truncHit:
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(rec.body.Len()))
			w.WriteHeader(rec.status())
			_, _ = w.Write(rec.body.Bytes()[:rec.body.Len()/2])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			hangUp(w)
		default:
			rec.replay(w)
		}
	}
}

// hangUp closes the connection without (further) answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a test recorder: abort the stream instead
	}
	_ = conn.Close()
}

// recorder buffers a handler's answer so a fault can mangle it.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

func (r *recorder) replay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status())
	_, _ = w.Write(r.body.Bytes())
}
