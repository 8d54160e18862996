package batch

import (
	"context"
	"database/sql"
	"testing"

	"caiji/backend/apperr"
	"caiji/backend/approval"
)

// tamper changes the database as someone with the file would: past the
// triggers that freeze approved rows.
func tamper(t *testing.T, db *sql.DB, stmt string, args ...any) {
	t.Helper()
	for _, s := range []string{"DROP TRIGGER IF EXISTS batch_rows_frozen_update", "DROP TRIGGER IF EXISTS batch_rows_frozen_insert",
		"DROP TRIGGER IF EXISTS batch_rows_frozen_delete", "DROP TRIGGER IF EXISTS batch_signatures_no_update"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func seal(t *testing.T, f *fixture, id int64) Seal {
	t.Helper()
	return must[Seal](t)(f.svc.CheckSeal(context.Background(), f.clerk, id, testRoots(t)))
}

func TestApprovalIsSigned(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := rosterReady(t, f, "300")
	if s := seal(t, f, b.ID); s.State != SealNone {
		t.Fatalf("draft seal %+v", s)
	}
	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}))
	// Approving needs the reviewer's key; without it nothing changes.
	if _, err := f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, Step{Action: Approve, Revision: b.Revision}); !apperr.Is(err, apperr.NotLoggedIn) {
		t.Fatalf("approve without a key: %v", err)
	}
	if again := must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID)); again.Status != Submitted {
		t.Fatalf("status after a refused approval: %s", again.Status)
	}
	b = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, approveStep(t, b)))
	s := seal(t, f, b.ID)
	if s.State != SealValid || s.Signer != "王审" || s.SignedAt.IsZero() {
		t.Fatalf("seal of an approved batch: %+v", s)
	}
	content := must[[]byte](t)(f.svc.Content(ctx, f.clerk, b.ID))
	if s.Digest != approval.DigestHex(content) {
		t.Fatal("stored digest is not the content's")
	}
	// The signature is what openssl and the platform check: it verifies
	// over the canonical bytes with the trusted root.
	var cms []byte
	f.st.DB().QueryRow("SELECT cms FROM batch_signatures WHERE batch_id = ?", b.ID).Scan(&cms)
	if _, err := approval.Verify(content, cms, testRoots(t), s.SignedAt); err != nil {
		t.Fatal(err)
	}
}

func TestSealBreaksOnAnyChange(t *testing.T) {
	f := newFixture(t)
	db := f.st.DB()
	ctx := context.Background()
	b := rosterReady(t, f, "300")
	must[SaveResult](t)(f.svc.Save(ctx, f.clerk, b.ID, Edit{Revision: b.Revision, Add: []map[string]string{{
		"name": "李雷", "id_number": "110105198001010016", "account": "6228480402564890026", "bank": "某县农村信用社",
		"amount": "120", "village_code": "410102001002", "project_code": "P1"}}}))
	b = must[Batch](t)(f.svc.Get(ctx, f.clerk, b.ID))
	b = must[Batch](t)(f.svc.Act(ctx, f.clerk, clerkRoles, b.ID, Step{Action: Submit, Revision: b.Revision}))
	b = must[Batch](t)(f.svc.Act(ctx, reviewer, reviewerRoles, b.ID, approveStep(t, b)))
	row := firstRow(t, f, b.ID)
	var cells string
	db.QueryRow("SELECT cells FROM batch_rows WHERE id = ?", row.ID).Scan(&cells)

	// Every single byte of the stored row, changed in place.
	changed := 0
	for i := 0; i < len(cells); i++ {
		c := []byte(cells)
		if c[i] == 'a' {
			c[i] = 'b'
		} else {
			c[i] = 'a'
		}
		if _, err := db.Exec("DROP TRIGGER IF EXISTS batch_rows_frozen_update"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("UPDATE batch_rows SET cells = ? WHERE id = ?", string(c), row.ID); err != nil {
			continue // not JSON any more: the table's CHECK refused it
		}
		changed++
		if s := seal(t, f, b.ID); s.State != SealBroken || s.Code == "" || s.Message == "" {
			t.Fatalf("byte %d changed (%q): seal %+v", i, c, s)
		}
		tamper(t, db, "UPDATE batch_rows SET cells = ? WHERE id = ?", cells, row.ID)
	}
	if changed < len(cells)/2 {
		t.Fatalf("only %d of %d byte changes were stored", changed, len(cells))
	}
	if s := seal(t, f, b.ID); s.State != SealValid {
		t.Fatalf("restored batch: %+v", s)
	}

	for _, c := range []struct{ name, stmt, undo string }{
		{"row added", "INSERT INTO batch_rows (batch_id, seq, cells, updated_at) VALUES (?, 99, '{\"name\":\"冒名\"}', 'x')", "DELETE FROM batch_rows WHERE batch_id = ? AND seq = 99"},
		{"rows reordered", "UPDATE batch_rows SET seq = 1000 - seq WHERE batch_id = ?", "UPDATE batch_rows SET seq = 1000 - seq WHERE batch_id = ?"},
		{"version", "UPDATE batches SET version = 7 WHERE id = ?", "UPDATE batches SET version = 1 WHERE id = ?"},
		{"rectification", "UPDATE batches SET rectification = '伪造' WHERE id = ?", "UPDATE batches SET rectification = '' WHERE id = ?"},
		{"org unit", "UPDATE org_units SET code = code || 'X' WHERE id = (SELECT org_unit_id FROM batches WHERE id = ?)", "UPDATE org_units SET code = substr(code, 1, length(code) - 1) WHERE id = (SELECT org_unit_id FROM batches WHERE id = ?)"},
		{"stored digest", "UPDATE batch_signatures SET digest = (CASE WHEN substr(digest, 1, 1) = 'a' THEN 'b' ELSE 'a' END) || substr(digest, 2) WHERE batch_id = ?", ""},
		{"signature byte", "", ""},
	} {
		var orig []byte
		var digest string
		db.QueryRow("SELECT cms, digest FROM batch_signatures WHERE batch_id = ?", b.ID).Scan(&orig, &digest)
		if c.stmt == "" { // one byte of the signature value itself
			bad := append([]byte(nil), orig...)
			bad[len(bad)-5] ^= 0x01
			tamper(t, db, "UPDATE batch_signatures SET cms = ? WHERE batch_id = ?", bad, b.ID)
		} else {
			tamper(t, db, c.stmt, b.ID)
		}
		if s := seal(t, f, b.ID); s.State != SealBroken {
			t.Errorf("%s: seal %+v", c.name, s)
		}
		if c.undo != "" {
			tamper(t, db, c.undo, b.ID)
		} else {
			tamper(t, db, "UPDATE batch_signatures SET cms = ?, digest = ? WHERE batch_id = ?", orig, digest, b.ID)
		}
		if s := seal(t, f, b.ID); s.State != SealValid {
			t.Fatalf("after undoing %s: %+v", c.name, s)
		}
	}
	// The row deleted, and the signature deleted, are each broken too.
	tamper(t, db, "DELETE FROM batch_rows WHERE id = ?", row.ID)
	if s := seal(t, f, b.ID); s.State != SealBroken {
		t.Errorf("row deleted: %+v", s)
	}
	db.Exec("DROP TRIGGER batch_signatures_no_delete")
	tamper(t, db, "DELETE FROM batch_signatures WHERE batch_id = ?", b.ID)
	if s := seal(t, f, b.ID); s.State != SealBroken || s.Code != approval.SignatureMalformed {
		t.Errorf("signature deleted: %+v", s)
	}
}
