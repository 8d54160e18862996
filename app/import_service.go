package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/importer"
	"caiji/backend/session"
)

// ImportService brings spreadsheet files into a batch. The page uploads
// the file in chunks (the same path in the desktop window and in a
// browser), then asks for a dry run (Check), and commits only when the
// clerk says so. The rules are all in backend/importer and backend/batch.
type ImportService struct {
	app  *App
	mu   sync.Mutex
	jobs map[string]*importJob
}

// importJob is one staged upload and what was last found in it.
type importJob struct {
	id       string
	userID   int64
	name     string
	path     string
	size     int64
	received int64
	cancel   context.CancelFunc // of the running Check or Commit
	result   *importer.Result   // of the last Check, for the error report
	dataset  string
}

// ImportPreview is a run's result for the page: counts, column mapping and
// the first issues (the error report has all of them). Result is a named
// field, not embedded: Wails generates TypeScript only for the types of
// named fields.
type ImportPreview struct {
	UploadID    string          `json:"uploadId"`
	Result      importer.Result `json:"result"`
	IssuesTotal int             `json:"issuesTotal"`
}

// ImportProgress is the "import:progress" event.
type ImportProgress struct {
	UploadID string `json:"uploadId"`
	importer.Progress
}

const (
	maxUploadBytes   = 512 << 20
	maxPreviewIssues = 500
	importEvent      = "import:progress"
)

func (s *ImportService) actor(method string) (batch.Actor, error) {
	a, _, err := s.app.batchActor(method, session.Clerk)
	return a, err
}

// Begin starts an upload of a file of size bytes; name is shown back to
// the clerk only. It returns the upload id.
func (s *ImportService) Begin(name string, size int64) (string, error) {
	const method = "Imports.Begin"
	a, err := s.actor(method)
	if err != nil {
		return "", err
	}
	if size <= 0 {
		return "", toJS(s.app.log, method, apperr.New(apperr.ImportEmpty, "所选文件是空的（0 字节），请重新选择。"))
	}
	if size > maxUploadBytes {
		return "", toJS(s.app.log, method, apperr.New(apperr.ImportTooLarge, "文件超过 512 MB，请按村或按月拆分后分别导入。"))
	}
	dir := filepath.Join(s.app.dataDir, "imports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", toJS(s.app.log, method, apperr.Wrap(apperr.Internal, "无法创建导入暂存目录。", err))
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", toJS(s.app.log, method, apperr.Wrap(apperr.Internal, "无法开始上传。", err))
	}
	id := hex.EncodeToString(raw[:])
	path := filepath.Join(dir, id+".upload")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", toJS(s.app.log, method, apperr.Wrap(apperr.Internal, "无法开始上传。", err))
	}
	f.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs == nil {
		s.jobs = map[string]*importJob{}
	}
	s.jobs[id] = &importJob{id: id, userID: a.UserID, name: baseName(name), path: path, size: size}
	return id, nil
}

// Append adds the next chunk (standard base64) and returns the bytes
// received so far.
func (s *ImportService) Append(uploadID, chunk string) (int64, error) {
	const method = "Imports.Append"
	_, j, err := s.find(method, uploadID)
	if err != nil {
		return 0, err
	}
	data, err := base64.StdEncoding.DecodeString(chunk)
	if err != nil {
		return 0, toJS(s.app.log, method, apperr.Wrap(apperr.BadInput, "收到的文件数据不完整，请重新选择文件。", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.received+int64(len(data)) > j.size {
		return 0, toJS(s.app.log, method, apperr.New(apperr.BadInput, "收到的数据比文件大小多，请重新选择文件。"))
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, toJS(s.app.log, method, apperr.Wrap(apperr.Internal, "无法写入暂存文件。", err))
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return 0, toJS(s.app.log, method, apperr.Wrap(apperr.Internal, "无法写入暂存文件，磁盘可能已满。", werr))
	}
	j.received += int64(len(data))
	return j.received, nil
}

// Check is the dry run: the file read and validated against the batch as
// it would be after the import (mode "append" or "replace"). Nothing is
// stored. Progress arrives as "import:progress" events.
func (s *ImportService) Check(uploadID string, batchID int64, mode string) (ImportPreview, error) {
	return s.run("Imports.Check", uploadID, batchID, mode, false, false, -1)
}

// Commit imports the file: every row, or with validOnly the rows without
// errors; revision is the batch revision the clerk's Check returned.
func (s *ImportService) Commit(uploadID string, batchID int64, mode string, validOnly bool, revision int64) (ImportPreview, error) {
	return s.run("Imports.Commit", uploadID, batchID, mode, true, validOnly, revision)
}

func (s *ImportService) run(method, uploadID string, batchID int64, modeText string, commit, validOnly bool, revision int64) (ImportPreview, error) {
	a, j, err := s.find(method, uploadID)
	if err != nil {
		return ImportPreview{}, err
	}
	mode, err := batch.ParseImportMode(modeText)
	if err != nil {
		return ImportPreview{}, toJS(s.app.log, method, err)
	}
	b, err := s.app.batches.Get(s.app.ctx, a, batchID)
	if err != nil {
		return ImportPreview{}, toJS(s.app.log, method, err)
	}
	d, _ := s.app.catalog.Get(b.Dataset)
	ctx, cancel := context.WithCancel(batch.WithImportFile(s.app.ctx, j.name)) // the file's name for the audit log
	defer cancel()
	s.mu.Lock()
	if j.received != j.size {
		s.mu.Unlock()
		return ImportPreview{}, toJS(s.app.log, method, apperr.New(apperr.BadInput, "文件还没有上传完整，请重新选择文件。"))
	}
	if j.cancel != nil {
		s.mu.Unlock()
		return ImportPreview{}, toJS(s.app.log, method, apperr.New(apperr.BadInput, "这个文件正在处理中，请等待完成或先取消。"))
	}
	j.cancel = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		j.cancel = nil
		s.mu.Unlock()
	}()

	var last time.Time
	res, err := importer.Run(ctx, importer.Request{
		Path: j.path, Dataset: d, Catalog: s.app.catalog,
		Batches: s.app.batches, Actor: a, BatchID: batchID, Mode: mode,
		Commit: commit, ValidOnly: validOnly, Revision: revision,
		Progress: func(p importer.Progress) {
			// At most ~8 events a second: a slow PC's webview should
			// draw the bar, not drown in events.
			if p.Percent != 100 && p.Percent >= 0 && time.Since(last) < 120*time.Millisecond {
				return
			}
			last = time.Now()
			s.app.emit(importEvent, ImportProgress{UploadID: uploadID, Progress: p})
		},
	})
	if err != nil {
		return ImportPreview{}, toJS(s.app.log, method, err)
	}
	s.mu.Lock()
	j.result, j.dataset = &res, d.Code
	s.mu.Unlock()
	s.app.log.Info("import", "method", method, "batch", batchID, "rows", res.Rows, "errors", res.Errors,
		"warnings", res.Warnings, "committed", res.Committed, "imported", res.Imported)
	return preview(uploadID, res), nil
}

func preview(id string, res importer.Result) ImportPreview {
	p := ImportPreview{UploadID: id, Result: res, IssuesTotal: len(res.Issues)}
	if len(p.Result.Issues) > maxPreviewIssues {
		p.Result.Issues = p.Result.Issues[:maxPreviewIssues]
	}
	return p
}

// Cancel stops a running Check or Commit; a commit stopped before its
// end stores nothing.
func (s *ImportService) Cancel(uploadID string) error {
	const method = "Imports.Cancel"
	_, j, err := s.find(method, uploadID)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if j.cancel != nil {
		j.cancel()
	}
	s.mu.Unlock()
	return nil
}

// ErrorReport writes the last Check's error report into the exports
// folder: the file with its bad cells marked, for the clerk to fix.
func (s *ImportService) ErrorReport(uploadID string) (SavedFile, error) {
	const method = "Imports.ErrorReport"
	_, j, err := s.find(method, uploadID)
	if err != nil {
		return SavedFile{}, err
	}
	s.mu.Lock()
	res, dataset := j.result, j.dataset
	s.mu.Unlock()
	if res == nil {
		return SavedFile{}, toJS(s.app.log, method, apperr.New(apperr.BadInput, "请先检查文件，再下载错误报告。"))
	}
	d, _ := s.app.catalog.Get(dataset)
	stem := strings.TrimSuffix(j.name, filepath.Ext(j.name))
	saved, err := s.app.exportFile(stem+"-错误报告", func(w io.Writer) error {
		return importer.WriteErrorReport(s.app.ctx, j.path, d, *res, w, nil)
	})
	return saved, toJS(s.app.log, method, err)
}

// Discard deletes an upload; the page calls it when the dialog closes.
func (s *ImportService) Discard(uploadID string) error {
	const method = "Imports.Discard"
	_, j, err := s.find(method, uploadID)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if j.cancel != nil {
		j.cancel()
	}
	delete(s.jobs, uploadID)
	s.mu.Unlock()
	os.Remove(j.path)
	return nil
}

// find is the guard of every call on an upload: a clerk, and the upload
// is theirs.
func (s *ImportService) find(method, uploadID string) (batch.Actor, *importJob, error) {
	a, err := s.actor(method)
	if err != nil {
		return a, nil, err
	}
	j, err := s.job(a, uploadID)
	if err != nil {
		return a, nil, toJS(s.app.log, method, err)
	}
	return a, j, nil
}

// job finds an upload of the calling account; another account's upload
// is not found.
func (s *ImportService) job(a batch.Actor, id string) (*importJob, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok || j.userID != a.UserID {
		return nil, apperr.New(apperr.NotFound, "上传的文件已失效，请重新选择文件。")
	}
	return j, nil
}

// baseName keeps the last path element of a name the page sent.
func baseName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		return "导入文件"
	}
	return name
}
