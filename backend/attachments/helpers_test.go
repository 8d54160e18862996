package attachments

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unicode"

	"caiji/backend/apperr"
	"caiji/backend/store"
)

var t0 = time.Date(2025, 4, 2, 1, 30, 0, 0, time.UTC)

// fixture is a store over a real migrated database with two users.
type fixture struct {
	st      *Store
	db      *sql.DB
	dataDir string
	clerk   int64
	other   int64
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db := s.DB()
	mustExec(t, db, `INSERT INTO org_units(id, code, name, created_at) VALUES (1, '410102', '演示村', '2025-01-01T00:00:00.000000Z')`)
	for i, name := range []string{"张敏", "李强"} {
		mustExec(t, db, `INSERT INTO users(id, name, org_unit_id, cert_issuer, cert_serial, cert_ski, cert_fingerprint,
			cert_subject, cert_not_after, password_hash, password_changed_at, created_at)
			VALUES (?, ?, 1, 'CN=Test CA', ?, '', '', 'CN=x', '2030-01-01T00:00:00.000000Z', 'x', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')`,
			i+1, name, string(rune('a'+i)))
	}
	return &fixture{st: New(db, dir, func() time.Time { return t0 }), db: db, dataDir: dir, clerk: 1, other: 2}
}

func mustExec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func rowCount(t testing.TB, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM attachments").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testImage is a small picture with some detail, so encoders emit real
// files (not a degenerate one-colour stream).
func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x ^ y), 255})
		}
	}
	return img
}

func jpegBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(40, 30), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(32, 24)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pdfBytes is a minimal but well-formed one-page PDF with a correct xref.
func pdfBytes(t testing.TB) []byte {
	t.Helper()
	const content = "BT /F1 18 Tf 20 40 Td (Voucher 001) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length " + strconv.Itoa(len(content)) + " >>\nstream\n" + content + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		s := strconv.Itoa(off)
		for len(s) < 10 {
			s = "0" + s
		}
		b.WriteString(s + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}

// exeBytes starts like a Windows program: "MZ", DOS stub, PE header.
func exeBytes() []byte {
	b := make([]byte, 512)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	copy(b[0x4e:], "This program cannot be run in DOS mode.\r\r\n$")
	b[0x3c] = 0x80
	copy(b[0x80:], "PE\x00\x00\x64\x86")
	return b
}

func wantCode(t testing.TB, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	e := apperr.From(err)
	if !hasHan(e.Message) {
		t.Errorf("message %q is not Chinese", e.Message)
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
