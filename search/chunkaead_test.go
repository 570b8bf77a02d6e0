package search

import (
	"bytes"
	"crypto/rand"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
)

// The chunk sealer and opener are XChaCha20-Poly1305 byte for byte: what
// one writes the other reads, and either agrees with chacha20poly1305.NewX.
func TestChunkAEADIsXChaCha(t *testing.T) {
	key := bytes.Repeat([]byte{0x42, 0x17}, KeySize/2)
	ad := chunkAD([]byte("/x/store/000000000001.zap"))
	x, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	var prefix [16]byte
	rand.Read(prefix[:])
	s, err := newChunkSealer(key, prefix, ad)
	if err != nil {
		t.Fatal(err)
	}
	o := &chunkOpener{key: key, ad: ad}
	for _, n := range []int{0, 1, 63, 64, 65, 1000, 70000} {
		pt := make([]byte, n)
		rand.Read(pt)
		ct := s.seal(pt)
		if len(ct) != n+chunkOverhead || !bytes.Equal(ct[:16], prefix[:]) {
			t.Fatalf("chunk of %d bytes sealed to %d", n, len(ct))
		}
		got, err := x.Open(nil, ct[:chunkNonceSize], ct[chunkNonceSize:], ad)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("NewX does not open a sealed chunk of %d bytes: %v", n, err)
		}
		got, err = o.open(ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("opener does not open a sealed chunk of %d bytes: %v", n, err)
		}
		// A chunk NewX sealed under another nonce prefix (another file's
		// writer, or a writer of an older build) opens too.
		nonce := make([]byte, chunkNonceSize)
		rand.Read(nonce)
		ct2 := x.Seal(append([]byte(nil), nonce...), nonce, pt, ad)
		got, err = o.open(ct2)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("opener does not open NewX's chunk of %d bytes: %v", n, err)
		}
	}
}

// A flipped bit anywhere in a chunk (nonce, ciphertext or tag), a chunk of
// another file, a truncated chunk or another key are refused.
func TestChunkAEADTampering(t *testing.T) {
	key := bytes.Repeat([]byte{0x42, 0x17}, KeySize/2)
	ad := chunkAD([]byte("/x/store/000000000001.zap"))
	var prefix [16]byte
	rand.Read(prefix[:])
	s, err := newChunkSealer(key, prefix, ad)
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("a posting list of the word passport")
	ct := s.seal(pt)
	o := &chunkOpener{key: key, ad: ad}
	if _, err := o.open(ct); err != nil {
		t.Fatal(err)
	}
	for i := range ct {
		for _, bit := range []byte{1, 0x80} {
			bad := bytes.Clone(ct)
			bad[i] ^= bit
			if _, err := o.open(bad); err == nil {
				t.Fatalf("byte %d of %d flipped (%#x) was not detected", i, len(ct), bit)
			}
		}
	}
	// The opener still opens the good chunk after the bad prefixes.
	if got, err := o.open(ct); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("good chunk after tampered ones: %v", err)
	}
	other := &chunkOpener{key: key, ad: chunkAD([]byte("/x/store/000000000002.zap"))}
	if _, err := other.open(ct); err == nil {
		t.Fatal("a chunk moved to another file was accepted")
	}
	wrong := &chunkOpener{key: bytes.Repeat([]byte{1}, KeySize), ad: ad}
	if _, err := wrong.open(ct); err == nil {
		t.Fatal("a chunk opened under another key")
	}
	for _, n := range []int{0, chunkOverhead - 1, len(ct) - 1} {
		if _, err := o.open(ct[:n]); err == nil {
			t.Fatalf("a chunk cut to %d bytes was accepted", n)
		}
	}
}

// Nonces of one writer never repeat.
func TestChunkSealerNonces(t *testing.T) {
	key := bytes.Repeat([]byte{3}, KeySize)
	var prefix [16]byte
	s, err := newChunkSealer(key, prefix, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[chunkNonceSize]byte]bool{}
	for range 1000 {
		var n [chunkNonceSize]byte
		copy(n[:], s.seal(nil))
		if seen[n] {
			t.Fatal("nonce repeated")
		}
		seen[n] = true
	}
}

func BenchmarkChunkSeal(b *testing.B) {
	key := bytes.Repeat([]byte{3}, KeySize)
	pt := make([]byte, 512)
	b.Run("subkey", func(b *testing.B) {
		s, _ := newChunkSealer(key, [16]byte{1}, []byte("ad"))
		b.SetBytes(int64(len(pt)))
		for b.Loop() {
			s.seal(pt)
		}
	})
	b.Run("newx", func(b *testing.B) {
		x, _ := chacha20poly1305.NewX(key)
		nonce := make([]byte, chunkNonceSize)
		b.SetBytes(int64(len(pt)))
		for b.Loop() {
			out := make([]byte, chunkNonceSize, chunkOverhead+len(pt))
			copy(out, nonce)
			x.Seal(out, out, pt, []byte("ad"))
		}
	})
}

func BenchmarkChunkOpen(b *testing.B) {
	key := bytes.Repeat([]byte{3}, KeySize)
	s, _ := newChunkSealer(key, [16]byte{1}, []byte("ad"))
	ct := s.seal(make([]byte, 512))
	b.Run("subkey", func(b *testing.B) {
		o := &chunkOpener{key: key, ad: []byte("ad")}
		b.SetBytes(512)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := o.open(ct); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("newx", func(b *testing.B) {
		x, _ := chacha20poly1305.NewX(key)
		b.SetBytes(512)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := x.Open(nil, ct[:chunkNonceSize], ct[chunkNonceSize:], []byte("ad")); err != nil {
				b.Fatal(err)
			}
		}
	})
}
