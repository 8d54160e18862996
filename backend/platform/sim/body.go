package sim

import (
	"bytes"
	"io"
	"net/http"
)

// readAll reads a request body up to a chunk and a bit, enough for any
// push operation, so it can be replayed for a duplicate delivery.
func readAll(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, 9<<20))
}

func readerOf(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
