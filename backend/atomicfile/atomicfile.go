// Package atomicfile writes a file so that its final name only ever holds
// a whole file: the content goes to a temporary file in the same folder,
// which is synced and then renamed over the name. A crash, a full disk or
// a failed writer leaves the old file (or none), never half a workbook.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write produces. An error from
// write is returned as it is; the temporary file is removed on any error.
// The file gets mode 0600, as CreateTemp makes it: exports hold personal
// data.
func Write(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".caiji-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
