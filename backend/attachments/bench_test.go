package attachments

import (
	"crypto/rand"
	"testing"
)

// fiveMiB is a phone photo's size: JPEG magic, then noise (no two runs
// share content, so every Put writes a new file).
func fiveMiB(b *testing.B) []byte {
	data := make([]byte, 5<<20)
	rand.Read(data)
	copy(data, []byte{0xFF, 0xD8, 0xFF, 0xE0})
	return data
}

func BenchmarkPut5MiB(b *testing.B) {
	f := newFixture(b)
	data := fiveMiB(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		data[100] = byte(i)
		data[101] = byte(i >> 8)
		data[102] = byte(i >> 16)
		if _, err := f.st.Put(ctx, f.clerk, "photo.jpg", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutDuplicate5MiB(b *testing.B) {
	f := newFixture(b)
	data := fiveMiB(b)
	if _, err := f.st.Put(ctx, f.clerk, "photo.jpg", data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := f.st.Put(ctx, f.clerk, "photo.jpg", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet5MiB(b *testing.B) {
	f := newFixture(b)
	data := fiveMiB(b)
	m, err := f.st.Put(ctx, f.clerk, "photo.jpg", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := f.st.Get(ctx, m.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}
