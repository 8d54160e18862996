package report

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The audit log export: one row per entry in the given order, times in
// Beijing, and every text through the formula guard — an object or a
// before/after that looks like a formula stays text.
func TestAuditLog(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	rows := []AuditRow{
		{ID: 3, At: at, UserID: 2, UserName: "李强", CertFingerprint: "ab12", Action: "batch.save", ActionLabel: "保存数据",
			Object: "batch:7", Before: `{"revision":1}`, After: `{"revision":2}`},
		{ID: 2, At: at.Add(-time.Minute), Action: "refused", ActionLabel: "操作被拒绝", Object: "Admin.ListUsers",
			After: `{"code":"not_logged_in"}`},
	}
	for i, s := range injections {
		rows = append(rows, AuditRow{ID: int64(100 + i), At: at, UserID: 1, UserName: "张敏", Action: "x", ActionLabel: "x",
			Object: s, Before: s, After: s})
	}
	var buf bytes.Buffer
	err := AuditLog(&buf, Meta{OrgUnit: "某县审计组", GeneratedAt: at}, "筛选 操作：batch.", func(add func(AuditRow) error) error {
		for _, r := range rows {
			if err := add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "审计日志"
	for ref, want := range map[string]string{
		"A1": "序号", "B1": "时间（北京时间）", "F1": "操作", "I1": "变更前",
		"A2": "3", "B2": "2026-03-01 16:00:00", "C2": "李强", "D2": "2", "E2": "ab12", "F2": "保存数据", "G2": "batch.save",
		"H2": "batch:7", "I2": `{"revision":1}`, "J2": `{"revision":2}`,
		"A3": "2", "C3": "（未识别）", "D3": "", "H3": "Admin.ListUsers",
	} {
		if got := cell(t, f, sh, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	for i, s := range injections {
		r := strconv.Itoa(4 + i)
		for _, col := range []string{"H", "I", "J"} {
			checkText(t, data, f, sh, col+r, s)
		}
	}
	noFormulas(t, data, 1)
}
