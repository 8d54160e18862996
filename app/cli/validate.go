package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/config"
	"caiji/backend/store"
)

// issueJSON is one finding as scripts read it; the same shape serves the
// importer's report (issue 5).
type issueJSON struct {
	Row      int    `json:"row"`
	Column   string `json:"column,omitempty"` // imports: the file's column letter
	Field    string `json:"field"`
	Code     string `json:"code"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type validateJSON struct {
	OK       bool        `json:"ok"` // no errors; warnings need a confirmation, not a fix
	Batch    int64       `json:"batch"`
	Dataset  string      `json:"dataset"`
	Rows     int         `json:"rows"`
	Errors   []issueJSON `json:"errors"`
	Warnings []issueJSON `json:"warnings"`
}

// runValidate handles `caiji validate --dataset D --batch B`: the checks the
// grid and submission run, over a stored batch. Exit 0 when the batch has
// no errors, 1 when it has errors or cannot be read, 2 for usage.
func runValidate(e *env, args []string) int {
	fs := e.flags("validate")
	dataset := fs.String("dataset", "", "数据集代码（见 caiji datasets）")
	batchID := fs.Int64("batch", 0, "批次编号")
	if ok, code := e.parse(fs, args); !ok {
		return code
	}
	if *dataset == "" || *batchID <= 0 {
		fmt.Fprintln(e.stderr, "用法：caiji validate --dataset 数据集代码 --batch 批次编号 [--data-dir 目录] [--json]")
		return ExitUsage
	}
	dir, err := config.ResolveDataDir(e.dataDir)
	if err != nil {
		return e.fail(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	cat, err := catalog.Load()
	if err != nil {
		return e.fail(err)
	}
	if _, ok := cat.Get(*dataset); !ok {
		return e.fail(apperr.New(apperr.BadInput, "没有名为「"+*dataset+"」的数据集，请用 caiji datasets 查看可用的数据集。"))
	}
	rep, err := batch.New(st.DB(), cat, nil).ValidateStored(ctx, *batchID)
	if err != nil {
		return e.fail(err)
	}
	if rep.Dataset != *dataset {
		return e.fail(apperr.New(apperr.BadInput, fmt.Sprintf("批次 %d 属于数据集「%s」，不是「%s」。", *batchID, rep.Dataset, *dataset)))
	}
	out := validateJSON{OK: rep.Errors == 0, Batch: rep.BatchID, Dataset: rep.Dataset, Rows: rep.Rows,
		Errors: []issueJSON{}, Warnings: []issueJSON{}}
	for _, is := range rep.Issues {
		j := issueJSON{Row: is.Row, Field: is.Field, Code: is.Code, Severity: is.Severity, Message: is.Message}
		if is.Severity == "error" {
			out.Errors = append(out.Errors, j)
		} else {
			out.Warnings = append(out.Warnings, j)
		}
	}
	code := e.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "批次 %d（%s）共 %d 行：%d 个错误，%d 个提示。\n", out.Batch, out.Dataset, out.Rows, len(out.Errors), len(out.Warnings))
		for _, is := range rep.Issues {
			sev := "错误"
			if is.Severity != "error" {
				sev = "提示"
			}
			fmt.Fprintf(w, "  第 %d 行  %s  %s  %s\n", is.Row, sev, is.Field, is.Message)
		}
	})
	if code == ExitOK && !out.OK {
		return ExitRefused
	}
	return code
}
