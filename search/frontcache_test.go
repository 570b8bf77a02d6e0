package search

import (
	"bytes"
	"path/filepath"
	"testing"
)

// The front cache answers only for the same nonce and tag, only within the
// shared cache's generation, and keeps only small chunks.
func TestFrontCache(t *testing.T) {
	key := bytes.Repeat([]byte{9}, KeySize)
	s, err := newChunkSealer(key, [16]byte{1, 2, 3}, []byte("ad"))
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("stored fields of one document")
	ct := s.seal(pt)
	var f frontCache
	gen := decrypted.gen.Load()
	f.put(ct, gen, pt)
	if got, ok := f.get(ct); !ok || !bytes.Equal(got, pt) {
		t.Fatal("front cache missed its own chunk")
	}
	for _, i := range []int{0, 15, 16, 23, len(ct) - 16, len(ct) - 1} {
		bad := bytes.Clone(ct)
		bad[i] ^= 1
		if _, ok := f.get(bad); ok {
			t.Fatalf("front cache answered for a chunk with byte %d flipped", i)
		}
	}
	decrypted.forget(&keyring{})
	if _, ok := f.get(ct); ok {
		t.Fatal("front cache answered after forget")
	}
	big := make([]byte, frontMaxChunk+1)
	bigCT := s.seal(big)
	f.put(bigCT, decrypted.gen.Load(), big)
	if _, ok := f.get(bigCT); ok {
		t.Fatal("front cache kept a large chunk")
	}
}

// Through the hooks: a chunk served from the caches is the one written; a
// flipped byte of its nonce or tag is refused even after it was cached;
// after forget (Close, Rotate, Verify) the chunk is decrypted again.
func TestReaderHookCachedTampering(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	kr, err := newKeyring([]Key{testKey(1)}, false)
	if err != nil {
		t.Fatal(err)
	}
	abs, err := registerDir(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	defer unregisterDir(abs)
	defer decrypted.forget(kr)
	file := []byte(filepath.Join(abs, "store", "000000000007.zap"))
	id, seal, err := writerHook(file)
	if err != nil {
		t.Fatal(err)
	}
	open, err := readerHook(id, file)
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("posting list of passport")
	ct := seal(pt)
	for i := range 4 { // decrypted, admitted to the shared cache, then front
		got, err := open(ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("read %d: %q, %v", i, got, err)
		}
	}
	if cachedFor(kr) != 1 {
		t.Fatalf("%d chunks cached, want 1", cachedFor(kr))
	}
	for _, i := range []int{0, 20, 23, len(ct) - 16, len(ct) - 1} {
		bad := bytes.Clone(ct)
		bad[i] ^= 0x40
		if _, err := open(bad); err == nil {
			t.Fatalf("byte %d flipped in a cached chunk was not detected", i)
		}
	}
	decrypted.forget(kr)
	if got, err := open(ct); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("after forget: %q, %v", got, err)
	}
}
