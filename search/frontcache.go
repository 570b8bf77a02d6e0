package search

import (
	"encoding/binary"
	"sync/atomic"
)

// A frontCache sits in front of the shared chunk cache for one file
// reader: a small direct-mapped table of the chunks that reader last
// served from the shared cache, read without a lock. A search that
// fetches a stored document (every hit's id, then its fields) found it in
// the shared cache's large map at a cost of several cache misses and the
// cache's lock per chunk: at 100k chunks that was a sixth of a phrase
// query's CPU time.
//
// An entry is used only for the same nonce and tag as the chunk it was
// made for (as in the shared cache), and only while the shared cache's
// generation is the one it was made in: forget (Close, Rotate, Verify)
// moves the generation on, so no entry made before is served again. Only
// small chunks are kept: beyond the shared cache's budget, a reader keeps
// at most frontSlots * frontMaxChunk bytes alive.
type frontCache [frontSlots]atomic.Pointer[frontEntry]

const (
	frontSlots    = 128
	frontMaxChunk = 8 << 10
)

type frontEntry struct {
	gen   uint64
	nonce [chunkNonceSize]byte
	tag   [chunkTagSize]byte
	data  []byte
}

func frontSlot(chunk []byte) int {
	// The nonce's last 8 bytes count the file's chunks; the tag's first
	// bytes are as good as random.
	n := binary.LittleEndian.Uint64(chunk[16:chunkNonceSize])
	t := binary.LittleEndian.Uint64(chunk[len(chunk)-chunkTagSize:])
	return int((n ^ t ^ t>>29) % frontSlots)
}

func (f *frontCache) get(chunk []byte) ([]byte, bool) {
	e := f[frontSlot(chunk)].Load()
	if e == nil || e.gen != decrypted.gen.Load() ||
		string(e.nonce[:]) != string(chunk[:chunkNonceSize]) ||
		string(e.tag[:]) != string(chunk[len(chunk)-chunkTagSize:]) {
		return nil, false
	}
	return e.data, true
}

// put remembers data, the plaintext of chunk served from the shared cache
// in generation gen.
func (f *frontCache) put(chunk []byte, gen uint64, data []byte) {
	if len(data) > frontMaxChunk {
		return
	}
	e := &frontEntry{gen: gen, data: data}
	copy(e.nonce[:], chunk[:chunkNonceSize])
	copy(e.tag[:], chunk[len(chunk)-chunkTagSize:])
	f[frontSlot(chunk)].Store(e)
}
