package search

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
)

func cachedFor(kr *keyring) (n int) {
	decrypted.mu.Lock()
	defer decrypted.mu.Unlock()
	for _, e := range decrypted.m {
		if e.kr == kr {
			n++
		}
	}
	return n
}

// reopenedWith indexes docs, closes the index and opens it again, so that
// its searches read (and decrypt) the persisted segments.
func reopenedWith(t *testing.T, docs []Document) *Index {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir)
	mustPut(t, ix, docs...)
	ix.Close()
	return openTest(t, dir)
}

// A repeated search is answered from decrypted chunks with the same
// results; closing the index drops them.
func TestChunkCache(t *testing.T) {
	ix := reopenedWith(t, numberedDocs(50))
	kr := ix.kr
	first := search(t, ix, `passport "the border" case:case1`)
	if first.Total != 50 {
		t.Fatalf("%d hits", first.Total)
	}
	// A chunk is kept when it is decrypted a second time (possibly within
	// the first search); after two runs the search is answered from the
	// cache alone.
	again := search(t, ix, `passport "the border" case:case1`)
	n := cachedFor(kr)
	if n == 0 {
		t.Fatal("a repeated search kept nothing")
	}
	third := search(t, ix, `passport "the border" case:case1`)
	for _, r := range []*Results{again, third} {
		if got, want := hitIDs(r), hitIDs(first); !equalStrings(got, want) || r.Hits[0].Snippet.Text != first.Hits[0].Snippet.Text {
			t.Fatalf("cached search differs: %v, want %v", got, want)
		}
	}
	if m := cachedFor(kr); m != n {
		t.Fatalf("the same search kept %d more chunks a third time", m-n)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if m := cachedFor(kr); m != 0 {
		t.Fatalf("%d decrypted chunks kept after Close", m)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The cache keeps within its budget, oldest out first, and never answers
// for another file's reader.
func TestChunkCacheBounds(t *testing.T) {
	c := newChunkCache(10 * (100 + cacheEntryOverhead))
	kr := &keyring{}
	key := func(reader uint64, i byte) chunkKey {
		ct := make([]byte, 24+8+16)
		ct[0], ct[47] = i, i
		return makeChunkKey(reader, ct)
	}
	for i := range byte(25) {
		c.put(key(1, i), kr, bytes.Repeat([]byte{i}, 100))
		if _, ok := c.get(key(1, i)); ok {
			t.Fatal("a chunk decrypted once was kept")
		}
		c.put(key(1, i), kr, bytes.Repeat([]byte{i}, 100))
		if c.bytes > c.max {
			t.Fatalf("cache holds %d bytes, budget %d", c.bytes, c.max)
		}
	}
	if len(c.m) != 10 {
		t.Fatalf("%d entries, want 10", len(c.m))
	}
	if _, ok := c.get(key(1, 14)); ok {
		t.Fatal("an old entry survived")
	}
	if d, ok := c.get(key(1, 24)); !ok || d[0] != 24 {
		t.Fatal("the newest entry is missing")
	}
	if _, ok := c.get(key(2, 24)); ok {
		t.Fatal("another reader's chunk was served")
	}
	c.put(key(1, 99), kr, make([]byte, chunkCacheMaxChunk+1))
	c.put(key(1, 99), kr, make([]byte, chunkCacheMaxChunk+1))
	if _, ok := c.get(key(1, 99)); ok {
		t.Fatal("an oversized chunk was kept")
	}
	c.forget(kr)
	if len(c.m) != 0 || c.bytes != 0 || len(c.queue) != 0 || len(c.seen) != 0 {
		t.Fatalf("forget left %d entries, %d bytes, %d queued, %d seen", len(c.m), c.bytes, len(c.queue), len(c.seen))
	}
}

// Concurrent searches share decrypted chunks and agree with each other.
func TestChunkCacheConcurrent(t *testing.T) {
	ix := reopenedWith(t, numberedDocs(80))
	queries := []string{"passport", `"the border"`, "uniqueword7", "Somchai~ type:chat", "recruit* from:2024-03"}
	want := map[string][]string{}
	for _, q := range queries {
		want[q] = hitIDs(search(t, ix, q))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				q := queries[(g+i)%len(queries)]
				r, err := ix.Search(context.Background(), q, SearchOptions{Limit: 50})
				if err != nil {
					errs <- err.Error()
					return
				}
				if !equalStrings(hitIDs(r), want[q]) {
					errs <- "results of " + q + " differ"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
