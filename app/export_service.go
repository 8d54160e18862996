package app

import (
	"io"
	"net/url"
	"path/filepath"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/export"
	"caiji/backend/importer"
	"caiji/backend/regions"
	"caiji/backend/report"
	"caiji/backend/session"
)

// ExportService writes templates and exports into the exports folder and
// lets the clerk open or copy them. Layouts are backend/report's and
// backend/importer's; this is only who may, and where files go.
type ExportService struct{ app *App }

// Template writes the import template of a dataset; village columns get
// a drop-down of the org unit's county when its projects name one.
func (s *ExportService) Template(dataset string) (SavedFile, error) {
	const method = "Exports.Template"
	a, _, err := s.app.batchActor(method, session.Clerk, session.Reviewer)
	if err != nil {
		return SavedFile{}, err
	}
	d, ok := s.app.catalog.Get(dataset)
	if !ok {
		return SavedFile{}, toJS(s.app.log, method, apperr.New(apperr.NotFound, "没有这个数据集。"))
	}
	var opt importer.TemplateOptions
	if county, err := s.app.batches.County(s.app.ctx, a, time.Now().Format("2006")); err == nil && county != "" {
		if l, err := regions.Load(); err == nil {
			opt.Villages = l.Villages(county)
		}
	}
	saved, err := s.app.exportFile(d.Name+"-导入模板", func(w io.Writer) error { return importer.Template(w, d, opt) })
	return saved, toJS(s.app.log, method, err)
}

// Batch exports a batch as kind (see backend/export's kinds). full keeps
// 身份证号 and accounts unmasked (the bank needs the accounts on a 发放清册);
// it is for the roles that may reveal, and is recorded before the file
// is written.
func (s *ExportService) Batch(batchID int64, kind string, full bool) (SavedFile, error) {
	const method = "Exports.Batch"
	roles := []session.Role{session.Clerk, session.Reviewer}
	if full {
		roles = session.RevealRoles // the same permission as revealing one cell
	}
	a, sess, err := s.app.batchActor(method, roles...)
	if err != nil {
		return SavedFile{}, err
	}
	u, _ := s.app.actor(sess)
	meta := report.Meta{OrgUnit: u.OrgUnit, Preparer: u.Name, GeneratedAt: time.Now()}
	job, err := export.Prepare(s.app.ctx, s.app.batches, s.app.catalog, a, batchID, kind, meta, report.Options{Full: full})
	if err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	// Every export is in the audit log before the file exists; a full
	// one is in the reveals table as well.
	if err := s.app.batches.RecordExport(s.app.ctx, a, batchID, kind, full); err != nil {
		return SavedFile{}, toJS(s.app.log, method, err)
	}
	saved, err := s.app.exportFile(job.Stem, job.Write)
	if err == nil {
		s.app.log.Info("export", "batch", batchID, "kind", kind, "full", full, "rows", job.Rows)
	}
	return saved, toJS(s.app.log, method, err)
}

// SaveAs copies a saved file to where the clerk chooses (desktop only).
// It returns the new path, or "" when the clerk cancelled.
func (s *ExportService) SaveAs(path string) (string, error) {
	const method = "Exports.SaveAs"
	if _, _, err := s.app.batchActor(method); err != nil {
		return "", err
	}
	src, err := s.app.savedPath(path)
	if err != nil {
		return "", toJS(s.app.log, method, err)
	}
	if s.app.desktop.SaveFileDialog == nil {
		return "", toJS(s.app.log, method, apperr.New(apperr.NotAvailable, "浏览器中不能另存，请到导出文件夹中复制文件。"))
	}
	dst, err := s.app.desktop.SaveFileDialog(filepath.Base(src))
	if err != nil || dst == "" {
		return "", toJS(s.app.log, method, err)
	}
	if err := copyFile(src, dst); err != nil {
		return "", toJS(s.app.log, method, apperr.Wrap(apperr.BadInput, "无法保存到所选位置，请换一个文件夹再试。", err))
	}
	return dst, nil
}

// ShowInFolder opens the exports folder in the system's file manager.
func (s *ExportService) ShowInFolder(path string) error {
	const method = "Exports.ShowInFolder"
	if _, _, err := s.app.batchActor(method); err != nil {
		return err
	}
	p, err := s.app.savedPath(path)
	if err != nil {
		return toJS(s.app.log, method, err)
	}
	if s.app.desktop.OpenPath == nil {
		return toJS(s.app.log, method, apperr.New(apperr.NotAvailable, "浏览器中不能打开文件夹。"))
	}
	s.app.desktop.OpenPath((&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Dir(p))}).String())
	return nil
}
