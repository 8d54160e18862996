package report

import (
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"caiji/backend/apperr"
	"caiji/backend/period"
)

// AuditRow is one audit log entry as the 审计日志 export shows it.
// Everything is text the log already holds masked; the export adds
// nothing the 审计 page does not show.
type AuditRow struct {
	ID              int64
	At              time.Time
	UserID          int64 // 0: nobody identified
	UserName        string
	CertFingerprint string
	Action          string // stored code, e.g. batch.save
	ActionLabel     string // 中文, e.g. 保存数据
	Object          string
	Before, After   string // JSON text
}

// maxAuditRows keeps an export inside one worksheet (Excel's limit is
// 1,048,576 rows, the header takes one).
const maxAuditRows = 1_048_575

// AuditLog writes audit log entries as a plain table, one row per entry,
// in the order rows gives them. Every value is written as text through
// the formula guard (guard.go): before and after are JSON an auditor
// reads, never something a spreadsheet may run. filter describes the
// selection and is printed in the page header.
func AuditLog(w io.Writer, m Meta, filter string, rows func(add func(AuditRow) error) error) error {
	b, err := newBook(m)
	if err != nil {
		return err
	}
	defer b.close()
	b.docProps("审计日志")
	widths := []float64{10, 20, 12, 10, 20, 16, 18, 22, 50, 50}
	s, err := b.newSheet("审计日志", page{landscape: true, titleRows: 1, widths: widths, headerNote: filter,
		footerNote: "审计日志导出"})
	if err != nil {
		return err
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2",
		ActivePane: "bottomLeft", Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return internal(err)
	}
	header := []string{"序号", "时间（北京时间）", "用户", "用户编号", "证书指纹", "操作", "操作代码", "对象", "变更前", "变更后"}
	vals := make([]any, len(header))
	for i, h := range header {
		vals[i] = b.text(h, stHeader)
	}
	if err := s.add(0, vals...); err != nil {
		return err
	}
	n := 0
	err = rows(func(r AuditRow) error {
		n++
		if n > maxAuditRows {
			return apperr.New(apperr.BadInput, "符合条件的审计日志超过一张工作表能容纳的行数，请缩小日期范围后分几次导出。")
		}
		user := r.UserName
		if r.UserID == 0 && user == "" {
			user = "（未识别）"
		}
		at := ""
		if !r.At.IsZero() {
			at = r.At.In(period.Zone()).Format("2006-01-02 15:04:05")
		}
		cells := []string{"", at, user, "", r.CertFingerprint, r.ActionLabel, r.Action, r.Object, r.Before, r.After}
		for i, c := range cells {
			vals[i] = b.text(c, stText)
		}
		vals[0] = b.number(int(r.ID), stNumber)
		if r.UserID != 0 {
			vals[3] = b.number(int(r.UserID), stNumber)
		}
		return s.add(0, vals...)
	})
	if err != nil {
		return err
	}
	last := max(s.row, 2)
	if err := b.f.AutoFilter(s.name, "A1:J"+strconv.Itoa(last), nil); err != nil {
		return internal(err)
	}
	if err := s.flush(); err != nil {
		return err
	}
	return b.write(w)
}
