package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
)

func TestListFilters(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	db := st.DB()
	// 120 entries a second apart from 2026-03-01 08:00 UTC: 16:00 on
	// 1 March in Beijing.
	appendN(t, db, 120)
	// Two on 3 March (Beijing) by nobody and user 2.
	for i, e := range []Entry{
		{At: time.Date(2026, 3, 2, 16, 30, 0, 0, time.UTC), Action: ActRefused, Object: "Admin.ListUsers",
			After: json.RawMessage(`{"code":"not_logged_in"}`)},
		{At: time.Date(2026, 3, 3, 15, 59, 0, 0, time.UTC), UserID: 2, CertFingerprint: "f2", Action: ActBatchExport, Object: "batch:12"},
	} {
		if _, err := Append(ctx, db, e); err != nil {
			t.Fatal(i, err)
		}
	}

	page := func(f Filter) Page {
		t.Helper()
		p, err := List(ctx, db, f)
		if err != nil {
			t.Fatalf("List(%+v): %v", f, err)
		}
		return p
	}
	p := page(Filter{})
	if p.Total != 122 || len(p.Items) != PageSize || p.Page != 1 || p.PageSize != 50 {
		t.Fatalf("first page: total %d, %d items, page %d", p.Total, len(p.Items), p.Page)
	}
	if p.Items[0].ID != 122 || p.Items[49].ID != 73 {
		t.Errorf("not newest first: %d … %d", p.Items[0].ID, p.Items[49].ID)
	}
	if it := p.Items[0]; it.UserName != "李强" || it.Action != ActBatchExport || it.Before != "" || it.CertFingerprint != "f2" {
		t.Errorf("newest = %+v", it)
	}
	if p := page(Filter{Page: 3}); len(p.Items) != 22 || p.Items[21].ID != 1 {
		t.Errorf("last page: %d items", len(p.Items))
	}
	if p := page(Filter{Page: 9}); len(p.Items) != 0 || p.Total != 122 {
		t.Errorf("past the end: %+v", p)
	}

	count := func(f Filter) int { t.Helper(); return page(f).Total }
	cases := []struct {
		f    Filter
		want int
	}{
		{Filter{UserID: -1}, 24 + 1},       // entry(i) has nobody when i%5 == 0, and the refusal
		{Filter{UserID: 2}, 48 + 1},        // odd i not divisible by 5, and the export
		{Filter{Action: "batch."}, 60 + 1}, // batch.save and batch.reveal, and the export
		{Filter{Action: "batch.save"}, 30}, // i%4 == 1
		{Filter{Action: "log"}, 60},        // login and logout
		{Filter{Action: "login"}, 30},
		{Filter{Object: "batch:3"}, 17}, // i%7 == 3
		{Filter{Object: "batch"}, 121},  // every batch:N
		{Filter{Object: "batch:1"}, 18}, // i%7 == 1, not batch:12
		{Filter{Object: "Admin"}, 1},    // Admin.ListUsers at a '.' boundary
		{Filter{Object: "Adm"}, 0},      // no partial words
		{Filter{From: "2026-03-01", To: "2026-03-01"}, 120},
		{Filter{From: "2026-03-02"}, 2}, // 2 March 16:30 UTC is 3 March in Beijing
		{Filter{From: "2026-03-03", To: "2026-03-03"}, 2},
		{Filter{To: "2026-03-02"}, 120},
		{Filter{UserID: 2, Action: "batch.", From: "2026-03-03"}, 1},
	}
	for _, c := range cases {
		if got := count(c.f); got != c.want {
			t.Errorf("List(%+v).Total = %d, want %d", c.f, got, c.want)
		}
	}
	for _, f := range []Filter{{From: "2026-3-1"}, {To: "明天"}, {From: "2026-03-05", To: "2026-03-01"}, {UserID: -2}} {
		if _, err := List(ctx, db, f); !apperr.Is(err, apperr.BadInput) {
			t.Errorf("List(%+v) = %v, want bad_input", f, err)
		} else if !strings.Contains(apperr.From(err).Message, "请") {
			t.Errorf("message %q does not say what to do", apperr.From(err).Message)
		}
		if f.Check() == nil {
			t.Errorf("Check(%+v) = nil", f)
		}
	}

	var ids []int64
	if err := Each(ctx, db, Filter{Action: "batch.export"}, func(it Item) error { ids = append(ids, it.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids) != "[122]" {
		t.Errorf("Each = %v", ids)
	}
	n := 0
	if err := Each(ctx, db, Filter{}, func(Item) error { n++; return nil }); err != nil || n != 122 {
		t.Errorf("Each over everything: %d, %v", n, err)
	}
}

func TestDescribeAndLabels(t *testing.T) {
	if got := (Filter{}).Describe(""); got != "全部审计日志" {
		t.Errorf("Describe() = %q", got)
	}
	got := Filter{UserID: 3, Action: "batch.", Object: "batch:12", From: "2026-03-01", To: "2026-03-31"}.Describe("张敏")
	if got != "筛选 用户：张敏；操作：batch.；对象：batch:12；日期：2026-03-01 至 2026-03-31" {
		t.Errorf("Describe = %q", got)
	}
	if Label(ActBatchSave) != "保存数据" || Label("batch.future") != "batch.future" {
		t.Error("Label")
	}
	if got := ColonHex("0123456789abcdef0"); got != "01:23:45:67:89:ab:cd:ef:0" {
		t.Errorf("ColonHex = %q", got)
	}
	if MaskText(ColonHex("12345678901234567890")) != ColonHex("12345678901234567890") {
		t.Error("a colon-separated fingerprint is masked")
	}
}
