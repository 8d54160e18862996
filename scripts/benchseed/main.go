// Command benchseed fills a demo installation with one large roster batch
// for the open-batch benchmark (frontend/tests/bench/open-batch.mjs). It
// writes through backend/batch, the same path the grid uses.
//
//	go run ./scripts/benchseed --data-dir DIR --rows 100000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"caiji/backend/batch"
	"caiji/backend/catalog"
	"caiji/backend/fields"
	"caiji/backend/period"
	"caiji/backend/store"
)

func main() {
	dir := flag.String("data-dir", "", "a demo data directory the app has started in once")
	n := flag.Int("rows", 100000, "rows to write")
	flag.Parse()
	if err := run(*dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, "benchseed:", err)
		os.Exit(1)
	}
}

func run(dir string, n int) error {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		return err
	}
	defer st.Close()
	var a batch.Actor
	// The demo clerk (张敏) owns the batch.
	if err := st.DB().QueryRowContext(ctx, `SELECT u.id, u.org_unit_id FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = 'clerk' ORDER BY u.id LIMIT 1`).Scan(&a.UserID, &a.OrgUnitID); err != nil {
		return fmt.Errorf("no clerk account (start the app once first): %w", err)
	}
	cat, err := catalog.Load()
	if err != nil {
		return err
	}
	svc := batch.New(st.DB(), cat, nil)
	p := period.Current(period.Monthly, time.Now()).Prev().String()
	b, err := svc.Open(ctx, a, "msj_roster", p)
	if err != nil {
		return err
	}
	rows := make([]map[string]string, n)
	for i := range rows {
		rows[i] = map[string]string{
			"name": fmt.Sprintf("测试%d", i), "id_number": idWithSeq(i), "account": "6228480402564890018",
			"bank": "某县农村信用社", "amount": fmt.Sprintf("%d.%02d", 100+i%900, i%100),
			"village_code": "410102001002", "project_code": "P2026001",
		}
	}
	if _, err := svc.Save(ctx, a, b.ID, batch.Edit{Revision: b.Revision, Add: rows}); err != nil {
		return err
	}
	fmt.Println(b.ID)
	return nil
}

// idWithSeq makes distinct valid ID numbers.
func idWithSeq(i int) string {
	first17 := fmt.Sprintf("410102%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000)
	return first17 + string(fields.IDCheckChar(first17))
}
