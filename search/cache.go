package search

import (
	"sync"
	"sync/atomic"
)

// chunkCache keeps index chunks decrypted by queries, so that a posting
// list, a frequency block or a stored document that one search decrypted is
// not decrypted again by the next (typing a query runs it once per key
// press). Only memory holds the plaintext, as it holds search results; the
// cache is bounded, and an index's entries are dropped when it closes,
// rotates its key or is verified.
//
// A chunk is kept the second time it is decrypted, not the first: a
// merge reads each chunk of its segments once, and would otherwise push
// out every chunk that searches use. The chunks seen once are remembered
// up to chunkCacheSeen of them, then forgotten all at once.
//
// An entry is found by the file reader that decrypted it (one per open
// file, never reused) and the chunk's nonce and tag: a chunk is never
// served from the cache to another file, and the same bytes at the same
// address in a later mapping are not mistaken for it unless they are the
// same authenticated chunk.
type chunkCache struct {
	mu    sync.Mutex
	seen  map[chunkKey]struct{}   // decrypted once: kept if decrypted again
	m     map[chunkKey]cacheEntry // by value: a hit reads no other memory
	queue []chunkKey              // insertion order, oldest first, from head
	head  int
	bytes int
	max   int
	gen   atomic.Uint64 // moved on by forget: front caches' older entries are void
}

type chunkKey struct {
	reader uint64
	nonce  [24]byte
	tag    [16]byte
}

type cacheEntry struct {
	kr   *keyring
	data []byte
}

// cacheEntryOverhead approximates an entry's bookkeeping in bytes.
const cacheEntryOverhead = 160

// chunkCacheBytes bounds the decrypted chunks kept in memory, for every
// open index together.
const chunkCacheBytes = 64 << 20

// chunkCacheMaxChunk is the largest chunk kept: large chunks (whole term
// dictionaries are read once per segment and kept by bleve itself) would
// push out many small ones.
const chunkCacheMaxChunk = 256 << 10

// chunkCacheSeen bounds the chunks remembered as decrypted once.
const chunkCacheSeen = 1 << 16

var decrypted = newChunkCache(chunkCacheBytes)

func newChunkCache(max int) *chunkCache {
	return &chunkCache{m: map[chunkKey]cacheEntry{}, seen: map[chunkKey]struct{}{}, max: max}
}

var readerIDs atomic.Uint64

func newReaderID() uint64 { return readerIDs.Add(1) }

// makeChunkKey names chunk (nonce || ciphertext || tag, at least
// chunkOverhead bytes) as read by reader.
func makeChunkKey(reader uint64, chunk []byte) chunkKey {
	var k chunkKey
	k.reader = reader
	copy(k.nonce[:], chunk[:chunkNonceSize])
	copy(k.tag[:], chunk[len(chunk)-chunkTagSize:])
	return k
}

func (c *chunkCache) get(k chunkKey) ([]byte, bool) {
	data, _, ok := c.getGen(k)
	return data, ok
}

// getGen is get, with the generation the entry was found in.
func (c *chunkCache) getGen(k chunkKey) ([]byte, uint64, bool) {
	c.mu.Lock()
	e, ok := c.m[k]
	gen := c.gen.Load()
	c.mu.Unlock()
	if !ok {
		return nil, 0, false
	}
	return e.data, gen, true
}

func (c *chunkCache) put(k chunkKey, kr *keyring, data []byte) {
	size := len(data) + cacheEntryOverhead
	if len(data) > chunkCacheMaxChunk || size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if _, ok := c.seen[k]; !ok {
		if len(c.seen) >= chunkCacheSeen {
			clear(c.seen)
		}
		c.seen[k] = struct{}{}
		return
	}
	delete(c.seen, k)
	for c.bytes+size > c.max && c.head < len(c.queue) {
		c.evictOldest()
	}
	c.m[k] = cacheEntry{kr: kr, data: data}
	c.queue = append(c.queue, k)
	c.bytes += size
}

// evictOldest drops the oldest entry still in the queue. Entries already
// dropped by forget leave a stale key in the queue, skipped here.
func (c *chunkCache) evictOldest() {
	k := c.queue[c.head]
	c.queue[c.head] = chunkKey{}
	c.head++
	if e, ok := c.m[k]; ok {
		c.bytes -= len(e.data) + cacheEntryOverhead
		delete(c.m, k)
	}
	if c.head > 1024 && c.head*2 > len(c.queue) {
		c.queue = append([]chunkKey(nil), c.queue[c.head:]...)
		c.head = 0
	}
}

// forget drops every entry decrypted for kr.
func (c *chunkCache) forget(kr *keyring) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	clear(c.seen)
	for k, e := range c.m {
		if e.kr == kr {
			c.bytes -= len(e.data) + cacheEntryOverhead
			delete(c.m, k)
		}
	}
	live := make([]chunkKey, 0, len(c.m))
	for _, k := range c.queue[c.head:] {
		if _, ok := c.m[k]; ok {
			live = append(live, k)
		}
	}
	c.queue, c.head = live, 0
}
