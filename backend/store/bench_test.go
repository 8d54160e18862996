package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// Open runs PRAGMA integrity_check on every start: its cost grows with the
// database, and a clerk waits for it each morning.
func BenchmarkOpenWithIntegrityCheck(b *testing.B) {
	for _, rows := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), FileName)
			s, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			// A roster-shaped table: ID number, name, account, amount.
			if _, err := s.DB().Exec(`CREATE TABLE bench_roster (id INTEGER PRIMARY KEY, idno TEXT, name TEXT, account TEXT, fen INTEGER);
				WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < ?)
				INSERT INTO bench_roster(idno, name, account, fen)
				SELECT printf('11010119900101%04d', i % 10000), '张三' || i, printf('6222%015d', i), i * 100 FROM n`, rows); err != nil && rows > 0 {
				b.Fatal(err)
			}
			s.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s, err := Open(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
