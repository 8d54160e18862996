package identity

import "testing"

// The password check is argon2id with 64 MiB: it sets the pause a clerk
// feels after pressing Enter, and how fast a stolen database can be guessed.
func BenchmarkPasswordHash(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := hashPassword("Caiji@2026demo", productionParams); err != nil {
			b.Fatal(err)
		}
	}
}
