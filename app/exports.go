package app

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/atomicfile"
)

// SavedFile is a file the app wrote for the clerk: templates, exports and
// error reports all land in one folder the clerk can open from the page.
type SavedFile struct {
	Path string `json:"path"`
	Name string `json:"name"`
	Dir  string `json:"dir"`
	Size int64  `json:"size"`
}

// Desktop is what only the desktop window can do; main supplies it, and
// in a browser (E2E) it stays empty and the page hides those buttons.
type Desktop struct {
	// SaveFileDialog asks where to save, "" when the clerk cancels.
	SaveFileDialog func(defaultName string) (string, error)
	// OpenPath opens a folder or file with the system's file manager.
	OpenPath func(path string)
}

// SetDesktop is called by main once the window exists.
func (a *App) SetDesktop(d Desktop) { a.desktop = d }

// exportsDir is where saved files go: inside the data directory, so a
// PC's data and its exports stay together and nothing is written
// elsewhere without the clerk choosing it (另存为).
func (a *App) exportsDir() string { return filepath.Join(a.dataDir, "导出") }

// exportFile writes a file named stem-YYYYMMDD-HHMMSS.xlsx (atomically:
// a crash never leaves half a workbook under the final name).
func (a *App) exportFile(stem string, write func(io.Writer) error) (SavedFile, error) {
	dir := a.exportsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return SavedFile{}, apperr.Wrap(apperr.Internal, "无法创建导出文件夹。", err)
	}
	base := safeFileName(stem) + "-" + time.Now().Format("20060102-150405")
	name := base + ".xlsx"
	// Two exports in one second (two rows' histories) must not replace
	// each other: the second gets -2, and so on.
	for n := 2; ; n++ {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = base + "-" + strconv.Itoa(n) + ".xlsx"
	}
	path := filepath.Join(dir, name)
	if err := atomicfile.Write(path, write); err != nil {
		if _, ok := err.(*apperr.Error); ok {
			return SavedFile{}, err
		}
		return SavedFile{}, apperr.Wrap(apperr.Internal, "无法保存导出文件，磁盘可能已满。", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return SavedFile{}, apperr.Wrap(apperr.Internal, "无法保存导出文件。", err)
	}
	return SavedFile{Path: path, Name: name, Dir: dir, Size: st.Size()}, nil
}

// safeFileName keeps a name legal on Windows and short.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60])
	}
	if s == "" {
		s = "导出"
	}
	return s
}

// savedPath refuses any path outside the exports folder: the page may
// only ask to open or copy what the app itself saved.
func (a *App) savedPath(path string) (string, error) {
	dir, err := filepath.Abs(a.exportsDir())
	if err != nil {
		return "", apperr.Wrap(apperr.Internal, "无法定位导出文件夹。", err)
	}
	p, err := filepath.Abs(path)
	if err != nil || filepath.Dir(p) != dir {
		return "", apperr.New(apperr.BadInput, "只能打开本系统导出的文件。")
	}
	if _, err := os.Stat(p); err != nil {
		return "", apperr.New(apperr.NotFound, "文件已被移走或删除，请重新导出。")
	}
	return p, nil
}

// copyFile copies src to dst, whole or not at all.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
