package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// spool keeps records of strings for a second pass, for documents whose
// first rows depend on all rows (the 发放清册 title names the roster's
// project, known only once every row has been seen). Records stay in memory
// up to spoolMemory bytes, then go to a temporary file, so memory stays
// flat. Callers spool what the export will show (masked numbers stay
// masked), so the file holds nothing the export does not; it is removed by
// close.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	w    *bufio.Writer
	buf  []byte
}

const spoolMemory = 4 << 20

func (s *spool) put(rec ...string) error {
	s.buf = s.buf[:0]
	for _, v := range rec {
		s.buf = binary.AppendUvarint(s.buf, uint64(len(v)))
		s.buf = append(s.buf, v...)
	}
	if s.file == nil && s.mem.Len()+len(s.buf) > spoolMemory {
		f, err := os.CreateTemp("", "caiji-report-*")
		if err != nil {
			return err
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := s.mem.WriteTo(s.w); err != nil {
			return err
		}
		s.mem = bytes.Buffer{}
	}
	if s.w != nil {
		_, err := s.w.Write(s.buf)
		return err
	}
	s.mem.Write(s.buf)
	return nil
}

// each calls fn with every record of n fields, in order. rec is reused
// between calls.
func (s *spool) each(n int, fn func(rec []string) error) error {
	var r io.Reader = bytes.NewReader(s.mem.Bytes())
	if s.file != nil {
		if err := s.w.Flush(); err != nil {
			return err
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		r = s.file
	}
	br := bufio.NewReaderSize(r, 64<<10)
	rec := make([]string, n)
	var b []byte
	for {
		for i := range rec {
			l, err := binary.ReadUvarint(br)
			if err == io.EOF && i == 0 {
				return nil
			}
			if err != nil {
				return errors.Join(errors.New("spool truncated"), err)
			}
			if uint64(cap(b)) < l {
				b = make([]byte, l)
			}
			b = b[:l]
			if _, err := io.ReadFull(br, b); err != nil {
				return err
			}
			rec[i] = string(b)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func (s *spool) close() {
	if s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.file.Name())
	}
}
