// Package attachments keeps voucher attachments (票据凭证: receipts,
// contracts, scans) of village-finance and fund rows. Files are stored
// content-addressed under the data directory,
//
//	<dataDir>/attachments/ab/abcdef…   (the name is the SHA-256 of the bytes)
//
// and described by a row of the attachments table (store migration 0004).
// A data row's cell refers to its attachments by hash; the cell format is
// defined once, at RefSeparator (ref.go).
//
// Rules: only JPEG, PNG and PDF, decided by the content; at most MaxSize
// bytes; a file appears under its final name only complete and synced
// (temp file, fsync, rename); the same content is stored once; a file whose
// bytes no longer hash to its name is refused on read.
package attachments

import (
	"bytes"
	"caiji/backend/store"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"caiji/backend/apperr"
)

// MaxSize is the largest attachment, 10 MiB. A phone photo of a receipt is
// 2–5 MB and a scanned multi-page voucher PDF a few MB; anything larger is
// usually an unscaled camera original or a whole ledger scanned at 600 dpi.
// The limit also bounds memory: an upload crosses the Wails bridge as
// base64 (4/3 the size) and is held whole in the webview and in Go, on
// township PCs with little RAM, and every attachment is later sent to the
// provincial platform over county links.
const MaxSize = 10 << 20

// DirName is the folder under the data directory.
const DirName = "attachments"

// tmpDir holds files being written. It sits inside the attachments folder
// so the final rename never crosses a file system, and apart from the
// shard folders so no reader ever looks at a temp file.
const tmpDir = ".tmp"

// staleTemp is how old a temp file must be before it is treated as the
// leftover of a crash: no write of 10 MiB takes an hour, so a younger one
// may belong to a Put in progress (this or another process).
const staleTemp = time.Hour

// tsLayout is the timestamp layout of all migrations (fixed width, UTC).
const tsLayout = store.TimeLayout

// Meta describes a stored attachment.
type Meta struct {
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	MIME         string    `json:"mime"`
	OriginalName string    `json:"originalName"`
	CreatedBy    int64     `json:"createdBy"` // users.id; 0 if unknown
	CreatedAt    time.Time `json:"createdAt"`
}

// Store is the attachment store over the database and the data directory.
// It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	root  string
	now   func() time.Time
	clean sync.Once
}

// New returns a store whose files live in <dataDir>/attachments. now may be
// nil for time.Now. Nothing is touched on disk until the first Put.
func New(db *sql.DB, dataDir string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, root: filepath.Join(dataDir, DirName), now: now}
}

// Root is the folder holding the files.
func (s *Store) Root() string { return s.root }

// path is where the file of sha lives; sha must be valid.
func (s *Store) path(sha string) string { return filepath.Join(s.root, sha[:2], sha) }

// Put stores data uploaded by userID under its SHA-256 and returns its
// metadata. Storing content that is already there changes nothing and
// returns the first upload's metadata (a missing or damaged file is
// rewritten from data, which is known to hash correctly).
func (s *Store) Put(ctx context.Context, userID int64, originalName string, data []byte) (Meta, error) {
	if len(data) == 0 {
		return Meta{}, apperr.New(apperr.AttachmentType, "文件「"+SanitizeName(originalName, MIMEPDF)+"」是空的。"+allowed)
	}
	if len(data) > MaxSize {
		return Meta{}, TooLarge(originalName, int64(len(data)))
	}
	mime := DetectMIME(data)
	if mime == "" {
		return Meta{}, apperr.New(apperr.AttachmentType,
			"文件「"+SanitizeName(originalName, MIMEPDF)+"」不是 JPG、PNG 图片或 PDF 文件（按文件内容识别，改扩展名无效）。"+allowed)
	}
	if userID <= 0 {
		return Meta{}, apperr.New(apperr.NotLoggedIn, "请先登录再上传附件。")
	}
	s.clean.Do(func() { _, _ = s.CleanTemp(staleTemp) })

	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	if err := s.ensureFile(sha, data); err != nil {
		return Meta{}, err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO attachments(sha256, size, mime, original_name, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`,
		sha, len(data), mime, SanitizeName(originalName, mime), userID, s.now().UTC().Format(tsLayout))
	if err != nil {
		return Meta{}, apperr.Wrap(apperr.Internal, "无法记录附件信息。", err)
	}
	return s.Meta(ctx, sha)
}

// allowed ends every refusal of Put: what would have been accepted.
var allowed = fmt.Sprintf("只能上传 JPG、PNG 图片或 PDF 文件，单个文件不超过 %d MB。", MaxSize>>20)

// TooLarge is the refusal of a file of size bytes. The app layer uses it
// too, to refuse an oversized upload before decoding it.
func TooLarge(originalName string, size int64) error {
	return apperr.New(apperr.AttachmentTooLarge, fmt.Sprintf("文件「%s」有 %.1f MB，超过了上限。%s",
		SanitizeName(originalName, MIMEPDF), float64(size)/(1<<20), allowed))
}

// ensureFile makes the file of sha hold data. An existing file with the
// right content is kept; anything else under the final name is replaced.
func (s *Store) ensureFile(sha string, data []byte) error {
	final := s.path(sha)
	if ok, _ := fileHashes(final, sha); ok {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return s.diskErr(err)
	}
	tmp := filepath.Join(s.root, tmpDir)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return s.diskErr(err)
	}
	f, err := os.CreateTemp(tmp, sha[:16]+"-*") // CreateTemp makes it 0600
	if err != nil {
		return s.diskErr(err)
	}
	name := f.Name()
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(name)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return s.diskErr(err)
	}
	if err := f.Sync(); err != nil {
		return s.diskErr(err)
	}
	if err := f.Close(); err != nil {
		return s.diskErr(err)
	}
	if err := os.Rename(name, final); err != nil {
		return s.diskErr(err)
	}
	committed = true
	// The rename itself must survive a power cut before the row that
	// points at it is written.
	return syncDir(filepath.Dir(final))
}

func (s *Store) diskErr(err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return apperr.Wrap(apperr.DataDirUnusable, "无法写入附件目录 "+s.root+"，请检查权限。", err)
	}
	return apperr.Wrap(apperr.DataDirUnusable, "保存附件失败，请检查磁盘空间和数据目录 "+s.root+" 的权限。", err)
}

// syncDir flushes a directory entry. Windows cannot open a directory for
// syncing (NTFS journals the rename itself), so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "保存附件失败：无法打开目录 "+dir+"。", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return apperr.Wrap(apperr.DataDirUnusable, "保存附件失败：无法把目录 "+dir+" 写入磁盘。", err)
	}
	return nil
}

// fileHashes reports whether the file at p exists and hashes to sha.
func fileHashes(p, sha string) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, MaxSize+1)); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sha, nil
}

// Meta returns the metadata of sha; NotFound if it was never stored.
func (s *Store) Meta(ctx context.Context, sha string) (Meta, error) {
	sha, err := checkSHA(sha)
	if err != nil {
		return Meta{}, err
	}
	var m Meta
	var by sql.NullInt64
	var at string
	err = s.db.QueryRowContext(ctx, `SELECT sha256, size, mime, original_name, created_by, created_at
		FROM attachments WHERE sha256 = ?`, sha).Scan(&m.SHA256, &m.Size, &m.MIME, &m.OriginalName, &by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Meta{}, apperr.New(apperr.NotFound, "找不到编号为 "+sha[:12]+"… 的附件，它可能是在另一台电脑上上传的。")
	}
	if err != nil {
		return Meta{}, apperr.Wrap(apperr.Internal, "无法读取附件信息。", err)
	}
	m.CreatedBy = by.Int64
	if m.CreatedAt, err = time.Parse(tsLayout, at); err != nil {
		return Meta{}, apperr.Wrap(apperr.Internal, "附件记录的时间格式有误。", err)
	}
	return m, nil
}

// Exists reports whether sha has a metadata row and a file. It does not
// hash the file; Get does.
func (s *Store) Exists(ctx context.Context, sha string) (bool, error) {
	m, err := s.Meta(ctx, sha)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	st, err := os.Stat(s.path(m.SHA256))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, apperr.Wrap(apperr.DataDirUnusable, "无法读取附件目录 "+s.root+"。", err)
	}
	return st.Mode().IsRegular(), nil
}

// Get returns the metadata and bytes of sha. The bytes are hashed again:
// a file changed on disk (edited, swapped, damaged) is refused with
// AttachmentCorrupt rather than shown as a voucher it is not.
func (s *Store) Get(ctx context.Context, sha string) (Meta, []byte, error) {
	m, err := s.Meta(ctx, sha)
	if err != nil {
		return Meta{}, nil, err
	}
	f, err := os.Open(s.path(m.SHA256))
	if errors.Is(err, fs.ErrNotExist) {
		return Meta{}, nil, apperr.Wrap(apperr.AttachmentCorrupt, fmt.Sprintf(
			"附件「%s」的文件在本机找不到了（可能被删除或数据目录被替换）。请重新上传原件。", m.OriginalName), err)
	}
	if err != nil {
		return Meta{}, nil, apperr.Wrap(apperr.DataDirUnusable, "无法读取附件目录 "+s.root+"，请检查权限。", err)
	}
	defer f.Close()
	// Read at most one byte past the recorded size: a swapped-in huge file
	// must not exhaust memory before it is found out.
	data, err := readUpTo(f, m.Size+1)
	if err != nil {
		return Meta{}, nil, apperr.Wrap(apperr.DataDirUnusable, "读取附件文件失败，请检查磁盘。", err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != m.SHA256 || int64(len(data)) != m.Size {
		return Meta{}, nil, apperr.New(apperr.AttachmentCorrupt, fmt.Sprintf(
			"附件「%s」的文件内容与上传时不一致（已损坏或被改动），不能作为凭证使用。请重新上传原件，并告知系统管理员检查这台电脑。", m.OriginalName))
	}
	return m, data, nil
}

// readUpTo reads f whole but never more than limit bytes, in one
// allocation when the file is no larger than limit.
func readUpTo(f *os.File, limit int64) ([]byte, error) {
	var b bytes.Buffer
	if st, err := f.Stat(); err == nil && st.Size() < limit {
		b.Grow(int(st.Size()) + bytes.MinRead) // ReadFrom wants MinRead spare
	}
	_, err := b.ReadFrom(io.LimitReader(f, limit))
	return b.Bytes(), err
}

// CleanTemp removes temp files older than olderThan: leftovers of a Put
// that crashed or lost power before its rename. They are never read (no
// reader looks in the temp folder), so this only frees space. It returns
// how many were removed.
func (s *Store) CleanTemp(olderThan time.Duration) (int, error) {
	dir := filepath.Join(s.root, tmpDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-olderThan) // file times are wall-clock times, not s.now
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.ModTime().After(cutoff) {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n, nil
}

// checkSHA normalises a reference and refuses anything that is not a hash,
// which also keeps path traversal out of s.path.
func checkSHA(sha string) (string, error) {
	sha = strings.ToLower(strings.TrimSpace(sha))
	if !ValidSHA(sha) {
		return "", apperr.New(apperr.BadInput, "附件编号无效（应为 64 位十六进制 SHA-256）。")
	}
	return sha, nil
}
