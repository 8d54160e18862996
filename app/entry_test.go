package app

import (
	"strings"
	"testing"
	"time"

	"caiji/backend/apperr"
	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/period"
	"caiji/backend/session"
)

// validCell is a value of the field's type that passes its cell check.
func validCell(f catalog.Field) string {
	switch f.Type {
	case catalog.Integer:
		return "3"
	case catalog.Money:
		return "1200.50"
	case catalog.Date:
		return "2026-10-15"
	case catalog.Enum:
		return f.Values[0].Code
	case catalog.IDCard:
		return "11010519491231002X"
	case catalog.Account:
		return "6228480402564890018"
	case catalog.Region6:
		return "410102"
	case catalog.Region12:
		return "410102001002"
	case catalog.Phone:
		return "13812345678"
	case catalog.Attachment:
		return strings.Repeat("ab", 32)
	}
	return "测试" + f.Code[:1]
}

// collecting is the period a clerk enters now for a dataset's kind.
func collecting(d catalog.Dataset) string {
	if d.Period == period.Yearly { // comparison lists: this year's
		return period.Current(d.Period, time.Now()).String()
	}
	return period.Current(d.Period, time.Now()).Prev().String()
}

// TestEveryDatasetSurvivesARestart enters one row into a batch of every
// shipped dataset through the bound methods, stops the app, starts a new
// one on the same data directory and finds every cell again.
func TestEveryDatasetSurvivesARestart(t *testing.T) {
	a := demoApp(t)
	dir := a.dataDir
	loginAs(t, a, session.Clerk)
	ds, err := a.Entry.Datasets()
	if err != nil || len(ds) < 12 {
		t.Fatalf("datasets = %d, %v", len(ds), err)
	}
	want := map[int64]map[string]string{}
	for _, d := range ds {
		b, err := a.Entry.OpenBatch(d.Code, collecting(d))
		if err != nil {
			t.Fatalf("%s: open: %v", d.Code, err)
		}
		row := map[string]string{}
		for _, f := range d.Fields {
			row[f.Code] = validCell(f)
		}
		res, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: []map[string]string{row}})
		if err != nil || len(res.Added) != 1 {
			t.Fatalf("%s: save: %+v %v", d.Code, res, err)
		}
		rep, err := a.Entry.Validate(b.ID)
		if err != nil {
			t.Fatalf("%s: validate: %v", d.Code, err)
		}
		for _, is := range rep.Issues {
			// Cross-table rules may ask for rows of other tables; every cell
			// on its own is valid.
			if is.Row == 1 && is.Field != "" && is.Severity == "error" && !strings.Contains(is.Code, "_") && is.Code != "duplicate" {
				t.Errorf("%s: a valid cell is refused: %+v", d.Code, is)
			}
		}
		want[b.ID] = row
	}
	a.Shutdown(a.ctx)

	b := newApp(t, dir)
	loginAs(t, b, session.Clerk)
	cat, _ := catalog.Load()
	for id, row := range want {
		got, err := b.Entry.Rows(id, 0, 10)
		if err != nil || got.Total != 1 {
			t.Fatalf("batch %d after restart: %+v %v", id, got, err)
		}
		bt, _ := b.Entry.GetBatch(id)
		d, _ := cat.Get(bt.Dataset)
		for code, v := range row {
			f, _ := d.Field(code)
			if batch.Personal(f) {
				if got.Rows[0].Cells[code] == v || !strings.Contains(got.Rows[0].Cells[code], "*") {
					t.Errorf("%s.%s is not masked: %q", d.Code, code, got.Rows[0].Cells[code])
				}
				continue
			}
			if got.Rows[0].Cells[code] != v {
				t.Errorf("%s.%s = %q after restart, want %q", d.Code, code, got.Rows[0].Cells[code], v)
			}
		}
	}
}

func TestEntryRolesAreCheckedInTheBackend(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	b, err := a.Entry.OpenBatch("msj_roster", collecting(catalog.Dataset{Period: period.Monthly}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Entry.Save(b.ID, batch.Edit{Add: []map[string]string{{"name": "王芳", "id_number": "11010519491231002X"}}})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := a.Entry.Reveal(b.ID, res.Added[0], "id_number"); err != nil || v != "11010519491231002X" {
		t.Fatalf("clerk reveal = %q, %v", v, err)
	}
	if _, err := a.Entry.GrantLockException("msj_roster", "2024-12", "核实后更正金额", "整改〔2026〕1号"); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("clerk granted a lock exception: %v", err)
	}
	a.Session.Logout()

	loginAs(t, a, session.Reviewer)
	if _, err := a.Entry.Save(b.ID, batch.Edit{Revision: 1}); jsCode(t, err).Code != apperr.Forbidden {
		t.Fatalf("reviewer saved: %v", err)
	}
	if _, err := a.Entry.Reveal(b.ID, res.Added[0], "id_number"); err != nil {
		t.Fatalf("reviewer reveal: %v", err)
	}
	if _, err := a.Entry.GrantLockException("msj_roster", "2024-12", "核实后更正金额", "整改〔2026〕1号"); err != nil {
		t.Fatalf("reviewer lock exception: %v", err)
	}
	a.Session.Logout()

	for _, r := range []session.Role{session.Auditor, session.SysAdmin} {
		loginAs(t, a, r)
		if _, err := a.Entry.Reveal(b.ID, res.Added[0], "id_number"); jsCode(t, err).Code != apperr.Forbidden {
			t.Errorf("%s revealed an ID: %v", r, err)
		}
		if _, err := a.Entry.OpenBatch("msj_roster", b.Period); jsCode(t, err).Code != apperr.Forbidden {
			t.Errorf("%s opened a batch: %v", r, err)
		}
		a.Session.Logout()
	}
}

// TestCrossTableRulesSeeOtherBatches: the roster is checked against the
// project table and the disbursements the same org unit holds this year.
func TestCrossTableRulesSeeOtherBatches(t *testing.T) {
	a := demoApp(t)
	loginAs(t, a, session.Clerk)
	cat, _ := catalog.Load()
	enter := func(code string, rows ...map[string]string) batch.Batch {
		t.Helper()
		d, _ := cat.Get(code)
		b, err := a.Entry.OpenBatch(code, collecting(d))
		if err != nil {
			t.Fatal(err)
		}
		full := make([]map[string]string, len(rows))
		for i, r := range rows {
			full[i] = map[string]string{}
			for _, f := range d.Fields {
				full[i][f.Code] = validCell(f)
			}
			for k, v := range r {
				full[i][k] = v
			}
		}
		if _, err := a.Entry.Save(b.ID, batch.Edit{Revision: b.Revision, Add: full}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	codes := func(b batch.Batch) map[string][]int {
		t.Helper()
		rep, err := a.Entry.Validate(b.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]int{}
		for _, is := range rep.Issues {
			out[is.Code] = append(out[is.Code], is.Row)
		}
		return out
	}

	roster := enter("msj_roster",
		map[string]string{"project_code": "P-1", "amount": "600", "id_number": "11010519491231002X"},
		map[string]string{"project_code": "P-1", "amount": "500", "id_number": "440524188001010014"},
		map[string]string{"project_code": "P-404", "amount": "10", "id_number": "11010519491231002X"})
	if got := codes(roster)["project_missing"]; len(got) != 3 {
		t.Fatalf("without a project table every row misses its project: %v", got)
	}
	enter("msj_project", map[string]string{"project_code": "P-1", "total_amount": "5000", "start_date": "2026-01-01", "end_date": "2026-12-31", "county_code": "410102"})
	got := codes(roster)
	if len(got["project_missing"]) != 1 || got["project_missing"][0] != 3 {
		t.Fatalf("project_missing = %v, want row 3 only", got["project_missing"])
	}
	if len(got["roster_exceeds_disbursed"]) != 0 {
		t.Fatalf("no disbursements yet, but %v", got["roster_exceeds_disbursed"])
	}
	// 1,000 yuan disbursed for P-1; the roster pays out 1,100.
	enter("msj_disbursement", map[string]string{"project_code": "P-1", "amount": "1000", "voucher_no": "V1", "pay_date": "2026-02-01"})
	if got := codes(roster)["roster_exceeds_disbursed"]; len(got) != 1 {
		t.Fatalf("roster_exceeds_disbursed = %v, want one issue for P-1", got)
	}
}
