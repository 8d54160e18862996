package token

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"testing"
)

// Signing on the token is what login (proof of possession) and, later,
// every approval signature cost. SoftHSM2 is a software token; a USB key
// is slower, so these are a floor.
func BenchmarkSign(b *testing.B) {
	for _, k := range []struct {
		name string
		kind KeyKind
	}{{"RSA2048", RSA2048}, {"ECP256", ECP256}} {
		b.Run(k.name, func(b *testing.B) {
			m := openSoftHSM(b)
			s := newLoggedInToken(b, m, fmt.Sprintf("bench-%s-%d", k.name, b.N))
			signer, _ := provision(b, s, k.kind, "bench-key")
			d := sha256.Sum256([]byte("登录挑战"))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := signer.Sign(rand.Reader, d[:], crypto.SHA256); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
