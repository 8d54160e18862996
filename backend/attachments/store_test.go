package attachments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"caiji/backend/apperr"
)

var ctx = context.Background()

func shaOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestPutGetEachType(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		data []byte
		mime string
	}{
		{"收据.jpg", jpegBytes(t), MIMEJPEG},
		{"合同扫描.png", pngBytes(t), MIMEPNG},
		{"付款凭证.pdf", pdfBytes(t), MIMEPDF},
	}
	for _, tt := range tests {
		t.Run(tt.mime, func(t *testing.T) {
			m, err := f.st.Put(ctx, f.clerk, tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			want := Meta{SHA256: shaOf(tt.data), Size: int64(len(tt.data)), MIME: tt.mime, OriginalName: tt.name, CreatedBy: f.clerk, CreatedAt: t0}
			if m != want {
				t.Errorf("Put = %+v, want %+v", m, want)
			}
			gm, data, err := f.st.Get(ctx, m.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if gm != want || !bytes.Equal(data, tt.data) {
				t.Errorf("Get = %+v (%d bytes), want %+v (%d bytes)", gm, len(data), want, len(tt.data))
			}
			if mm, err := f.st.Meta(ctx, strings.ToUpper(m.SHA256)); err != nil || mm != want {
				t.Errorf("Meta(upper case) = %+v, %v", mm, err)
			}
			if ok, err := f.st.Exists(ctx, m.SHA256); !ok || err != nil {
				t.Errorf("Exists = %v, %v", ok, err)
			}

			// Content-addressed layout with private permissions.
			p := filepath.Join(f.dataDir, "attachments", m.SHA256[:2], m.SHA256)
			onDisk, err := os.ReadFile(p)
			if err != nil || !bytes.Equal(onDisk, tt.data) {
				t.Fatalf("file at %s: %v", p, err)
			}
			if runtime.GOOS != "windows" {
				checkMode(t, p, 0o600)
				checkMode(t, filepath.Dir(p), 0o700|fs.ModeDir)
				checkMode(t, filepath.Join(f.dataDir, "attachments"), 0o700|fs.ModeDir)
			}
		})
	}
	if n := rowCount(t, f.db); n != 3 {
		t.Errorf("rows = %d, want 3", n)
	}
}

func checkMode(t *testing.T, p string, want fs.FileMode) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != want {
		t.Errorf("%s mode = %v, want %v", p, st.Mode(), want)
	}
}

func TestTypeComesFromContentNotName(t *testing.T) {
	f := newFixture(t)
	// A JPEG called .pdf is a JPEG.
	m, err := f.st.Put(ctx, f.clerk, "scan.pdf", jpegBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	if m.MIME != MIMEJPEG {
		t.Errorf("MIME = %s, want image/jpeg", m.MIME)
	}

	refused := []struct {
		name, why string
		data      []byte
	}{
		{"发票.jpg", "renamed Windows program", exeBytes()},
		{"发票.pdf", "renamed Windows program", exeBytes()},
		{"收据.png", "text", []byte("这是一张收据")},
		{"a.pdf", "almost a PDF", []byte("%PDF")},
		{"a.png", "PNG signature cut short", []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A}},
		{"a.gif", "GIF", []byte("GIF89a\x01\x00\x01\x00")},
		{"a.zip", "zip / docx", []byte("PK\x03\x04rest")},
		{"a.html", "HTML with a PDF header later on", []byte("<html>%PDF-1.4</html>")},
		{"空.jpg", "empty", nil},
	}
	for _, tt := range refused {
		t.Run(tt.why, func(t *testing.T) {
			_, err := f.st.Put(ctx, f.clerk, tt.name, tt.data)
			e := wantCode(t, err, apperr.AttachmentType)
			for _, part := range []string{"JPG", "PNG", "PDF", "10 MB", tt.name} {
				if !strings.Contains(e.Message, part) {
					t.Errorf("message %q does not mention %q", e.Message, part)
				}
			}
		})
	}
	if n := rowCount(t, f.db); n != 1 {
		t.Errorf("rows = %d, want only the JPEG", n)
	}
	if got := filesUnder(t, f.st.Root()); len(got) != 1 {
		t.Errorf("files = %v, want only the JPEG", got)
	}
}

// filesUnder lists regular files below root, relative, temp folder included.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

func TestSizeLimit(t *testing.T) {
	f := newFixture(t)
	big := make([]byte, MaxSize+1)
	copy(big, jpegBytes(t))
	_, err := f.st.Put(ctx, f.clerk, "手机原图.jpg", big)
	e := wantCode(t, err, apperr.AttachmentTooLarge)
	for _, part := range []string{"10.0 MB", "10 MB", "手机原图.jpg", "JPG"} {
		if !strings.Contains(e.Message, part) {
			t.Errorf("message %q does not mention %q", e.Message, part)
		}
	}
	if rowCount(t, f.db) != 0 || len(filesUnder(t, f.st.Root())) != 0 {
		t.Error("an oversized file left traces")
	}

	exact := big[:MaxSize]
	m, err := f.st.Put(ctx, f.clerk, "正好.jpg", exact)
	if err != nil {
		t.Fatalf("a file of exactly MaxSize was refused: %v", err)
	}
	if m.Size != MaxSize {
		t.Errorf("Size = %d", m.Size)
	}
	if _, data, err := f.st.Get(ctx, m.SHA256); err != nil || len(data) != MaxSize {
		t.Errorf("Get of a MaxSize file: %d bytes, %v", len(data), err)
	}
}

func TestDuplicatePutIsOneFileFirstMetadataWins(t *testing.T) {
	f := newFixture(t)
	data := pngBytes(t)
	first, err := f.st.Put(ctx, f.clerk, "第一次.png", data)
	if err != nil {
		t.Fatal(err)
	}
	later := New(f.db, f.dataDir, func() time.Time { return t0.Add(time.Hour) })
	second, err := later.Put(ctx, f.other, "第二次.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if second != first {
		t.Errorf("second Put = %+v, want the first metadata %+v", second, first)
	}
	if n := rowCount(t, f.db); n != 1 {
		t.Errorf("rows = %d, want 1", n)
	}
	if got := filesUnder(t, f.st.Root()); !slices.Equal(got, []string{first.SHA256[:2] + "/" + first.SHA256}) {
		t.Errorf("files = %v, want one file and no temp leftovers", got)
	}
	// The row cannot be edited afterwards either.
	if _, err := f.db.Exec("UPDATE attachments SET original_name = 'x'"); err == nil {
		t.Error("attachments row was updated; it must be immutable")
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	f := newFixture(t)
	data := jpegBytes(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	metas := make([]Meta, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			metas[i], errs[i] = f.st.Put(ctx, f.clerk, "同一张.jpg", data)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
		if metas[i] != metas[0] {
			t.Errorf("Put %d = %+v, want %+v", i, metas[i], metas[0])
		}
	}
	if n := rowCount(t, f.db); n != 1 {
		t.Errorf("rows = %d", n)
	}
	if got := filesUnder(t, f.st.Root()); len(got) != 1 {
		t.Errorf("files = %v", got)
	}
	if _, _, err := f.st.Get(ctx, metas[0].SHA256); err != nil {
		t.Error(err)
	}
}

func TestTamperedOrLostFileIsRefused(t *testing.T) {
	original := pdfBytes(t)
	tests := []struct {
		name   string
		damage func(t *testing.T, p string)
	}{
		{"edited", func(t *testing.T, p string) {
			b := bytes.Replace(original, []byte("Voucher 001"), []byte("Voucher 009"), 1)
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated", func(t *testing.T, p string) {
			if err := os.Truncate(p, int64(len(original)/2)); err != nil {
				t.Fatal(err)
			}
		}},
		{"one bit flipped", func(t *testing.T, p string) {
			b := slices.Clone(original)
			b[len(b)/2] ^= 1
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"swapped for another voucher", func(t *testing.T, p string) {
			if err := os.WriteFile(p, jpegBytes(t), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"swapped for a huge file", func(t *testing.T, p string) {
			if err := os.WriteFile(p, make([]byte, MaxSize+100), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"deleted", func(t *testing.T, p string) {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			m, err := f.st.Put(ctx, f.clerk, "凭证.pdf", original)
			if err != nil {
				t.Fatal(err)
			}
			tt.damage(t, filepath.Join(f.st.Root(), m.SHA256[:2], m.SHA256))
			_, data, err := f.st.Get(ctx, m.SHA256)
			e := wantCode(t, err, apperr.AttachmentCorrupt)
			if data != nil {
				t.Error("Get returned bytes with the error")
			}
			if !strings.Contains(e.Message, "凭证.pdf") || !strings.Contains(e.Message, "重新上传") {
				t.Errorf("message %q should name the file and say to upload it again", e.Message)
			}
			// Metadata is still there; uploading the original repairs it.
			if _, err := f.st.Meta(ctx, m.SHA256); err != nil {
				t.Error(err)
			}
			if _, err := f.st.Put(ctx, f.clerk, "原件.pdf", original); err != nil {
				t.Fatal(err)
			}
			gm, data, err := f.st.Get(ctx, m.SHA256)
			if err != nil || !bytes.Equal(data, original) || gm.OriginalName != "凭证.pdf" {
				t.Errorf("after re-upload: %+v, %d bytes, %v", gm, len(data), err)
			}
		})
	}
}

func TestCrashLeftovers(t *testing.T) {
	f := newFixture(t)
	data := jpegBytes(t)
	sha := shaOf(data)

	// A Put that died before its rename left a half file in the temp
	// folder, and one died after writing the file but before its row.
	tmp := filepath.Join(f.st.Root(), ".tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(tmp, sha[:16]+"-123")
	young := filepath.Join(tmp, sha[:16]+"-456")
	for _, p := range []string{stale, young} {
		if err := os.WriteFile(p, data[:len(data)/3], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	orphan := pngBytes(t)
	orphanSHA := shaOf(orphan)
	if err := os.MkdirAll(filepath.Join(f.st.Root(), orphanSHA[:2]), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.st.Root(), orphanSHA[:2], orphanSHA), orphan, 0o600); err != nil {
		t.Fatal(err)
	}

	// Readers never see the half file nor the row-less one.
	for _, s := range []string{sha, orphanSHA} {
		if ok, err := f.st.Exists(ctx, s); ok || err != nil {
			t.Errorf("Exists(%s) = %v, %v; want false", s[:8], ok, err)
		}
		if _, _, err := f.st.Get(ctx, s); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Get(%s) = %v, want not_found", s[:8], err)
		}
	}

	// The next Put stores the content whole, removes the stale leftover
	// and keeps the young one (it may be a Put still running).
	if _, err := f.st.Put(ctx, f.clerk, "a.jpg", data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("young temp file removed: %v", err)
	}
	if _, got, err := f.st.Get(ctx, sha); err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get after Put: %d bytes, %v", len(got), err)
	}
	// Storing the orphan's content adopts the existing, correct file.
	m, err := f.st.Put(ctx, f.clerk, "b.png", orphan)
	if err != nil || m.SHA256 != orphanSHA {
		t.Fatalf("Put orphan = %+v, %v", m, err)
	}
	if _, got, err := f.st.Get(ctx, orphanSHA); err != nil || !bytes.Equal(got, orphan) {
		t.Errorf("Get orphan: %v", err)
	}

	if n, err := f.st.CleanTemp(0); err != nil || n != 1 {
		t.Errorf("CleanTemp(0) = %d, %v; want the young file removed", n, err)
	}
}

func TestPathTraversalNames(t *testing.T) {
	f := newFixture(t)
	evil := []string{
		"../../caiji.db",
		`..\..\..\Windows\System32\发票.jpg`,
		"/etc/passwd",
		`C:\Users\张敏\Desktop\收据.jpg`,
		"..",
		"./",
		"a/../../b.jpg",
	}
	for i, name := range evil {
		data := append(jpegBytes(t), byte(i)) // distinct content per name
		m, err := f.st.Put(ctx, f.clerk, name, data)
		if err != nil {
			t.Fatalf("Put(%q): %v", name, err)
		}
		if strings.ContainsAny(m.OriginalName, `/\`) || strings.Contains(m.OriginalName, "..") {
			t.Errorf("Put(%q) stored name %q", name, m.OriginalName)
		}
	}
	// Nothing but the database and the attachments folder in the data dir,
	// and the database untouched by "../../caiji.db".
	entries, err := os.ReadDir(f.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "attachments" && !strings.HasPrefix(e.Name(), "caiji.db") {
			t.Errorf("unexpected entry %q in the data dir", e.Name())
		}
	}
	if err := f.db.Ping(); err != nil {
		t.Fatal(err)
	}

	// A reference is a hash or nothing: no path can reach the file system.
	for _, sha := range []string{"../../caiji.db", "..%2f..%2fcaiji.db", strings.Repeat("../", 21) + "a", "", strings.Repeat("g", 64), strings.Repeat("a", 63)} {
		if _, _, err := f.st.Get(ctx, sha); !apperr.Is(err, apperr.BadInput) {
			t.Errorf("Get(%q) = %v, want bad_input", sha, err)
		}
		if _, err := f.st.Exists(ctx, sha); !apperr.Is(err, apperr.BadInput) {
			t.Errorf("Exists(%q) = %v, want bad_input", sha, err)
		}
	}
}

func TestSanitizeName(t *testing.T) {
	long := strings.Repeat("村", 150)
	tests := []struct{ in, mime, want string }{
		{"收据.jpg", MIMEJPEG, "收据.jpg"},
		{"../../etc/passwd", MIMEPDF, "passwd"},
		{`C:\Users\张敏\收据 1.png`, MIMEPNG, "收据 1.png"},
		{"..", MIMEPNG, "附件.png"},
		{"", MIMEJPEG, "附件.jpg"},
		{"  . ", MIMEPDF, "附件.pdf"},
		{"/", MIMEPDF, "附件.pdf"},
		{"a\x00b\nc\r\td.pdf", MIMEPDF, "abcd.pdf"},
		{"invoice\u202Efdp.exe", MIMEPDF, "invoicefdp.exe"},     // right-to-left override
		{"zero\u200bwidth\ufeff.png", MIMEPNG, "zerowidth.png"}, // zero-width space, BOM
		{"全角\u3000空格.jpg", MIMEJPEG, "全角 空格.jpg"},
		{"bad\xffutf8.pdf", MIMEPDF, "badutf8.pdf"},
		{long + ".pdf", MIMEPDF, strings.Repeat("村", 96) + ".pdf"},
		{long, MIMEPDF, strings.Repeat("村", 100)},
		// A 20-character "extension" is not kept as one; a dot left at the cut is dropped.
		{strings.Repeat("a", 95) + "." + strings.Repeat("x", 20), MIMEPDF, strings.Repeat("a", 95) + ".xxxx"},
		{strings.Repeat("a", 99) + "." + strings.Repeat("x", 20), MIMEPDF, strings.Repeat("a", 99)},
	}
	for _, tt := range tests {
		got := SanitizeName(tt.in, tt.mime)
		if got != tt.want {
			t.Errorf("SanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := len([]rune(got)); n > MaxNameRunes || n == 0 {
			t.Errorf("SanitizeName(%q) has %d runes", tt.in, n)
		}
	}
}

func TestPutNeedsAUser(t *testing.T) {
	f := newFixture(t)
	if _, err := f.st.Put(ctx, 0, "a.jpg", jpegBytes(t)); !apperr.Is(err, apperr.NotLoggedIn) {
		t.Errorf("Put by user 0 = %v, want not_logged_in", err)
	}
	if rowCount(t, f.db) != 0 {
		t.Error("row written without a user")
	}
}

func TestMetaNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.st.Meta(ctx, strings.Repeat("ab", 32))
	wantCode(t, err, apperr.NotFound)
	if ok, err := f.st.Exists(ctx, strings.Repeat("ab", 32)); ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
}
