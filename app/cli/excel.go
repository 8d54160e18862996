package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/atomicfile"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/export"
	"caiji/backend/importer"
	"caiji/backend/regions"
	"caiji/backend/report"
)

// writeAtomic writes path whole or not at all (an interrupted command
// never leaves half a workbook), naming the likely cause when it cannot.
func writeAtomic(path string, write func(io.Writer) error) error {
	err := atomicfile.Write(path, write)
	if _, ok := err.(*apperr.Error); err == nil || ok {
		return err
	}
	return apperr.Wrap(apperr.BadInput, "无法保存为「"+path+"」：请检查文件夹是否存在、是否有写权限，以及文件是否正被 Excel 打开。", err)
}

type savedJSON struct {
	File string `json:"file"`
	Rows int    `json:"rows,omitempty"`
}

// runTemplate: caiji template --dataset D -o F [--county 410102].
func runTemplate(e *env, args []string) int {
	fs := e.flags("template")
	dataset := fs.String("dataset", "", "数据集代码（见 caiji datasets）")
	out := fs.String("o", "", "输出文件（.xlsx）")
	county := fs.String("county", "", "6 位县区代码：村代码列提供该县的村下拉列表")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if *dataset == "" || *out == "" {
		fmt.Fprintln(e.stderr, "用法：caiji template --dataset 数据集代码 -o 文件.xlsx [--county 县区代码] [--json]")
		return ExitUsage
	}
	cat, err := catalog.Load()
	if err != nil {
		return e.fail(err)
	}
	d, ok := cat.Get(*dataset)
	if !ok {
		return e.fail(apperr.New(apperr.BadInput, "没有名为「"+*dataset+"」的数据集，请用 caiji datasets 查看可用的数据集。"))
	}
	var opt importer.TemplateOptions
	if *county != "" {
		l, err := regions.Load()
		if err != nil {
			return e.fail(err)
		}
		if opt.Villages = l.Villages(*county); len(opt.Villages) == 0 {
			return e.fail(apperr.New(apperr.BadInput, "「"+*county+"」不是现行的县级区划代码，请核对 --county。"))
		}
	}
	if err := writeAtomic(*out, func(w io.Writer) error { return importer.Template(w, d, opt) }); err != nil {
		return e.fail(err)
	}
	return e.emit(savedJSON{File: *out}, func(w io.Writer) { fmt.Fprintf(w, "已生成「%s」的导入模板：%s\n", d.Name, *out) })
}

type importJSON struct {
	Rows      int         `json:"rows"`
	Valid     int         `json:"valid"`
	Errors    []issueJSON `json:"errors"`
	Warnings  []issueJSON `json:"warnings"`
	Committed bool        `json:"committed"`
	Imported  int         `json:"imported"`
	Batch     int64       `json:"batch,omitempty"`
	Header    int         `json:"headerRow"`
	Ignored   []string    `json:"ignored"`
	Reason    string      `json:"notCommitted,omitempty"`
	Report    string      `json:"report,omitempty"`
}

// runImport: caiji import --dataset D --file F [--org O --period P --user U]
// [--mode append|replace] [--valid-only] [--dry-run] [--report R.xlsx].
// Without --org the file is only checked. Exit 0 when the file was read
// (even with row errors), 1 when it was refused as a whole.
func runImport(e *env, args []string) int {
	fs := e.flags("import")
	dataset := fs.String("dataset", "", "数据集代码（见 caiji datasets）")
	file := fs.String("file", "", "要导入的 .xlsx 或 .csv 文件")
	org := fs.String("org", "", "单位代码：导入到该单位的批次（不写则只检查文件）")
	per := fs.String("period", "", "期间，如 2026-11、2026Q3、2026")
	user := fs.String("user", "", "以哪个账号导入（账号编号或姓名），与 --org 一起使用")
	modeText := fs.String("mode", "append", "append 追加到批次现有数据，replace 替换现有数据")
	validOnly := fs.Bool("valid-only", false, "只导入无误的行，跳过有错误的行")
	dry := fs.Bool("dry-run", false, "只检查，不导入")
	reportPath := fs.String("report", "", "有错误或提醒时，把错误报告写到这个 .xlsx 文件")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if *dataset == "" || *file == "" || (*org != "") != (*per != "") || (*org != "" && *user == "") {
		fmt.Fprintln(e.stderr, "用法：caiji import --dataset 数据集代码 --file 文件 [--org 单位代码 --period 期间 --user 账号] [--mode append|replace] [--valid-only] [--dry-run] [--report 报告.xlsx] [--json]")
		return ExitUsage
	}
	mode, err := batch.ParseImportMode(*modeText)
	if err != nil {
		return e.fail(err)
	}
	ctx := context.Background()
	l, err := e.openLocal(ctx)
	if err != nil {
		return e.fail(err)
	}
	defer l.Close()
	d, err := l.dataset(*dataset)
	if err != nil {
		return e.fail(err)
	}
	req := importer.Request{Path: *file, Dataset: d, Catalog: l.cat, Mode: mode, Commit: !*dry, ValidOnly: *validOnly, Revision: -1}
	if *org != "" {
		a, err := l.actor(ctx, *org, *user)
		if err != nil {
			return e.fail(err)
		}
		b, err := l.batches.Open(ctx, a, d.Code, *per)
		if err != nil {
			return e.fail(err)
		}
		req.Batches, req.Actor, req.BatchID = l.batches, a, b.ID
	}
	res, err := importer.Run(batch.WithImportFile(ctx, *file), req) // the file's name for the audit log
	if err != nil {
		return e.fail(err)
	}
	out := importJSON{Rows: res.Rows, Valid: res.Valid, Errors: []issueJSON{}, Warnings: []issueJSON{},
		Committed: res.Committed, Imported: res.Imported, Batch: req.BatchID, Header: res.HeaderRow,
		Ignored: append([]string{}, res.Ignored...), Reason: res.NotCommitted}
	if req.Batches == nil && !*dry {
		out.Reason = "没有指定 --org 和 --period，只检查了文件，没有导入。"
	}
	for _, is := range res.Issues {
		j := issueJSON{Row: is.Row, Column: is.Column, Field: is.Field, Code: is.Code, Severity: is.Severity, Message: is.Message}
		if is.Severity == "error" {
			out.Errors = append(out.Errors, j)
		} else {
			out.Warnings = append(out.Warnings, j)
		}
	}
	if *reportPath != "" && len(res.Issues) > 0 {
		if err := writeAtomic(*reportPath, func(w io.Writer) error {
			return importer.WriteErrorReport(ctx, *file, d, res, w, nil)
		}); err != nil {
			return e.fail(err)
		}
		out.Report = *reportPath
	}
	return e.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "读取 %d 行（表头在第 %d 行）：%d 行无误，%d 行有错误，%d 处提醒。\n", res.Rows, res.HeaderRow, res.Valid, res.ErrorRows, res.Warnings)
		if len(res.Ignored) > 0 {
			fmt.Fprintf(w, "未识别、已忽略的列：%s\n", strings.Join(res.Ignored, "、"))
		}
		for _, is := range res.Issues {
			sev := "错误"
			if is.Severity != "error" {
				sev = "提醒"
			}
			fmt.Fprintf(w, "  第 %d 行 %s 列  %s  %s\n", is.Row, is.Column, sev, is.Message)
		}
		switch {
		case res.Committed:
			fmt.Fprintf(w, "已导入 %d 行到批次 %d，批次现有 %d 行。\n", res.Imported, req.BatchID, res.BatchRows)
		case out.Reason != "":
			fmt.Fprintln(w, "未导入："+out.Reason)
		}
		if out.Report != "" {
			fmt.Fprintln(w, "错误报告："+out.Report)
		}
	})
}

// runExport: caiji export --batch B --kind K -o F [--full --user U].
func runExport(e *env, args []string) int {
	fs := e.flags("export")
	batchID := fs.Int64("batch", 0, "批次编号")
	kind := fs.String("kind", export.Table, "导出类型："+strings.Join(export.Kinds, "、"))
	out := fs.String("o", "", "输出文件（.xlsx）")
	full := fs.Bool("full", false, "包含完整的身份证号和账号（会被记录，需要 --user）")
	user := fs.String("user", "", "以哪个账号导出（账号编号或姓名），--full 时必填")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if *batchID <= 0 || *out == "" || (*full && *user == "") {
		fmt.Fprintln(e.stderr, "用法：caiji export --batch 批次编号 --kind 类型 -o 文件.xlsx [--full --user 账号] [--json]")
		return ExitUsage
	}
	ctx := context.Background()
	l, err := e.openLocal(ctx)
	if err != nil {
		return e.fail(err)
	}
	defer l.Close()
	var a batch.Actor
	var orgCode, orgName string
	if err := l.st.DB().QueryRowContext(ctx, `SELECT o.id, o.code, o.name FROM batches b JOIN org_units o ON o.id = b.org_unit_id
		WHERE b.id = ?`, *batchID).Scan(&a.OrgUnitID, &orgCode, &orgName); err != nil {
		return e.fail(apperr.New(apperr.NotFound, fmt.Sprintf("没有编号为 %d 的批次。", *batchID)))
	}
	meta := report.Meta{OrgUnit: orgName, GeneratedAt: time.Now()}
	if *full {
		if a, err = l.actor(ctx, orgCode, *user); err != nil {
			return e.fail(err)
		}
	}
	job, err := export.Prepare(ctx, l.batches, l.cat, a, *batchID, *kind, meta, report.Options{Full: *full})
	if err != nil {
		return e.fail(err)
	}
	// Recorded before the file exists, as in the window.
	if err := l.batches.RecordExport(ctx, a, *batchID, *kind, *full); err != nil {
		return e.fail(err)
	}
	if err := writeAtomic(*out, job.Write); err != nil {
		return e.fail(err)
	}
	return e.emit(savedJSON{File: *out, Rows: job.Rows}, func(w io.Writer) { fmt.Fprintf(w, "已导出 %d 行：%s\n", job.Rows, *out) })
}
