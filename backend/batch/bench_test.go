package batch

import (
	"context"
	"fmt"
	"testing"

	"caiji/backend/fields"
)

// bigBatch is a roster batch of n rows with real-looking, valid cells.
func bigBatch(b *testing.B, n int) (*fixture, Batch) {
	b.Helper()
	f := newFixture(b)
	ctx := context.Background()
	bt := must[Batch](b)(f.svc.Open(ctx, f.clerk, rosterDS, "2026-10"))
	rows := make([]map[string]string, n)
	for i := range rows {
		r := rosterRow(goodID, fmt.Sprintf("%d.%02d", 100+i%900, i%100))
		r["name"] = fmt.Sprintf("王%d", i)
		r["id_number"] = idWithSeq(i)
		rows[i] = r
	}
	must[SaveResult](b)(f.svc.Save(ctx, f.clerk, bt.ID, Edit{Add: rows}))
	return f, must[Batch](b)(f.svc.Get(ctx, f.clerk, bt.ID))
}

// idWithSeq makes distinct valid IDs: region, birth date, sequence, check.
func idWithSeq(i int) string {
	first17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000)
	return first17 + string(fields.IDCheckChar(first17))
}

// BenchmarkOpenFirstPage100k: what the clerk waits for before the first
// rows of a 100,000-row batch show: the batch, then its first page.
func BenchmarkOpenFirstPage100k(b *testing.B) {
	f, bt := bigBatch(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		must[Batch](b)(f.svc.Get(ctx, f.clerk, bt.ID))
		p := must[RowPage](b)(f.svc.Rows(ctx, f.clerk, bt.ID, 0, 2000))
		if len(p.Rows) != 2000 {
			b.Fatal(len(p.Rows))
		}
	}
}

// BenchmarkLoadAll100k: every page of a 100,000-row batch, masked.
func BenchmarkLoadAll100k(b *testing.B) {
	f, bt := bigBatch(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for off := 0; off < 100000; off += MaxPage {
			must[RowPage](b)(f.svc.Rows(ctx, f.clerk, bt.ID, off, MaxPage))
		}
	}
}

// BenchmarkValidate100k: the whole-batch check the grid runs after saves
// and submission requires.
func BenchmarkValidate100k(b *testing.B) {
	f, bt := bigBatch(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := must[Report](b)(f.svc.Validate(ctx, f.clerk, bt.ID))
		if rep.Rows != 100000 {
			b.Fatal(rep.Rows)
		}
	}
}

// BenchmarkSaveCellIn100k: one typed cell in a large batch, committed.
func BenchmarkSaveCellIn100k(b *testing.B) {
	f, bt := bigBatch(b, 100000)
	ctx := context.Background()
	row := must[RowPage](b)(f.svc.Rows(ctx, f.clerk, bt.ID, 500, 1)).Rows[0].ID
	rev := bt.Revision
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := must[SaveResult](b)(f.svc.Save(ctx, f.clerk, bt.ID, Edit{Revision: rev,
			Cells: []CellEdit{{RowID: row, Field: "amount", Value: fmt.Sprint(i)}}}))
		rev = res.Revision
	}
}

// approvedBig is bigBatch approved and signed by the test reviewer; the
// rows are put into review directly (they carry rule findings a
// submission would refuse, which approval does not re-check).
func approvedBig(b *testing.B, n int) (*fixture, Batch) {
	f, bt := bigBatch(b, n)
	ctx := context.Background()
	if _, err := f.st.DB().Exec("UPDATE batches SET status = 'submitted' WHERE id = ?", bt.ID); err != nil {
		b.Fatal(err)
	}
	bt = must[Batch](b)(f.svc.Get(ctx, f.clerk, bt.ID))
	return f, must[Batch](b)(f.svc.Act(ctx, reviewer, reviewerRoles, bt.ID,
		Step{Action: Approve, Revision: bt.Revision, Signer: testSigner(b)}))
}

// BenchmarkCheckSeal100k: what opening an approved 100,000-row batch
// costs to prove it unchanged: canonical content from SQLite, then CMS
// verification against the roots.
func BenchmarkCheckSeal100k(b *testing.B) {
	f, bt := approvedBig(b, 100000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := must[Seal](b)(f.svc.CheckSeal(ctx, f.clerk, bt.ID, testRoots(b))); s.State != SealValid {
			b.Fatal(s)
		}
	}
}

// BenchmarkCorrectionChanges100k: the reviewer's diff of a correction of
// a 100,000-row batch with 1,000 changed rows.
func BenchmarkCorrectionChanges100k(b *testing.B) {
	f, bt := approvedBig(b, 100000)
	ctx := context.Background()
	v2 := must[Batch](b)(f.svc.Correct(ctx, f.clerk, bt.ID, ""))
	page := must[RowPage](b)(f.svc.Rows(ctx, f.clerk, v2.ID, 0, 1000))
	var edits []CellEdit
	for _, r := range page.Rows {
		edits = append(edits, CellEdit{RowID: r.ID, Field: "amount", Value: "1.00"})
	}
	must[SaveResult](b)(f.svc.Save(ctx, f.clerk, v2.ID, Edit{Revision: v2.Revision, Cells: edits}))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if c := must[Changes](b)(f.svc.Changes(ctx, f.clerk, v2.ID)); len(c.Rows) != 1000 {
			b.Fatal(len(c.Rows))
		}
	}
}
