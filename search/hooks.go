package search

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of an index key in bytes.
const KeySize = chacha20poly1305.KeySize

// Key is one index encryption key and its epoch. The epoch names the key in
// the index files (as "cv1-<epoch>", in plaintext): a later key gets a
// higher epoch, so that Rotate can tell which files still need re-encrypting.
type Key struct {
	Epoch  uint32
	Secret []byte // KeySize bytes, e.g. WorkspaceKeys.DeriveKey(crypto.LabelIndex, 32)
}

// keyIDPrefix starts every writer id CaseVault stores beside an index chunk.
const keyIDPrefix = "cv1-"

// chunkADLabel is the domain-separation label of a chunk's associated data.
const chunkADLabel = "casevault/v1/index-chunk\x00"

func keyID(epoch uint32) string { return keyIDPrefix + strconv.FormatUint(uint64(epoch), 10) }

func parseKeyID(id string) (uint32, bool) {
	s, ok := strings.CutPrefix(id, keyIDPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || strconv.FormatUint(n, 10) != s {
		return 0, false
	}
	return uint32(n), true
}

// keyring holds the keys of one open index folder.
type keyring struct {
	mu      sync.RWMutex
	current uint32
	keys    map[uint32][]byte
	plain   bool // test peers only: no encryption at all
	bulk    bool // a bulk load: what it reads (merges) is not cached
}

// key returns a copy of the key of epoch.
func (k *keyring) key(epoch uint32) ([]byte, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, ok := k.keys[epoch]
	if !ok {
		return nil, fmt.Errorf("%w: no key for epoch %d", ErrWrongKey, epoch)
	}
	return bytes.Clone(key), nil
}

var errChunkTooShort = errors.New("index chunk too short")

var (
	// ErrWrongKey is returned when an index file was written under a key
	// epoch the caller did not supply.
	ErrWrongKey = errors.New("index key not available")
	// ErrPlaintext is returned when an index file on disk is not encrypted.
	ErrPlaintext = errors.New("index file is not encrypted")
	// ErrNoKeyring is returned when bleve touches a folder no Open registered.
	ErrNoKeyring = errors.New("index folder was not opened through search.Open")
)

// keyRegistry maps an index folder (cleaned, absolute) to its keyring. The bleve
// hooks are process-wide, so several workspaces (or tests) in one process
// each find their own keys by the path bleve hands the hooks.
var keyRegistry = struct {
	sync.RWMutex
	dirs map[string]*keyring
}{dirs: map[string]*keyring{}}

var hooksOnce sync.Once

// installHooks sets bleve's file hooks once per process, before any index
// opens. Every binary that opens the index gets them through Open.
func installHooks() {
	hooksOnce.Do(func() {
		index.WriterHook = writerHook
		index.ReaderHook = readerHook
	})
}

func registerDir(dir string, kr *keyring) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	abs = filepath.Clean(abs)
	keyRegistry.Lock()
	defer keyRegistry.Unlock()
	if _, ok := keyRegistry.dirs[abs]; ok {
		return "", fmt.Errorf("index %q is already open in this process", abs)
	}
	keyRegistry.dirs[abs] = kr
	return abs, nil
}

func unregisterDir(abs string) {
	keyRegistry.Lock()
	delete(keyRegistry.dirs, abs)
	keyRegistry.Unlock()
}

// lookup finds the keyring for a file bleve names: the index folder itself
// holds index_meta.json, its store/ sub-folder holds root.bolt and the
// segments.
func lookup(path string) (*keyring, error) {
	d := filepath.Dir(filepath.Clean(path))
	keyRegistry.RLock()
	defer keyRegistry.RUnlock()
	for range 3 {
		if kr, ok := keyRegistry.dirs[d]; ok {
			return kr, nil
		}
		d = filepath.Dir(d)
	}
	return nil, fmt.Errorf("%w: %s", ErrNoKeyring, filepath.Base(path))
}

// chunkAD binds a chunk to its file's base name, so chunks cannot be moved
// between files. Base names are stable: scorch never renames a segment, and
// index_meta.json is always processed under its final name.
func chunkAD(context []byte) []byte {
	base := filepath.Base(string(context))
	return append([]byte(chunkADLabel), base...)
}

// writerHook encrypts what zapx writes to an index file, chunk by chunk.
//
// Why persisting a new segment costs a second encoding (about 15-20% of a
// bulk load's CPU): zapx builds an in-memory segment through
// NewFileWriterEmpty, which never calls the hook, so its bytes are
// plaintext and its reader id is "". PersistSegmentBase asks the hook for
// the file's id; when it differs from the segment's (always, here: "cv1-N"
// against ""), it rewrites the segment through mergeSegmentBases, which
// decodes and re-encodes every posting list, dictionary and stored
// document, calling the hook on each chunk. The in-memory bytes cannot
// be encrypted as they are copied out instead: the file's offsets are
// those of plaintext chunks, and a sealed chunk is 40 bytes longer. An
// unencrypted index writes the in-memory bytes as they are (unless two or
// more segments wait, which the persister merges either way). Merges of
// encrypted segments also lose zapx's byte-copy paths (copyFlag in
// merge.go and section_inverted_text_index.go). Avoiding the rewrite needs
// zapx to build in-memory segments through the hook, or to let a persist
// rewrite sections without decoding them.
//
// What the hook returns may be kept by zapx until written (merge.go seals
// a stored document's meta and data, then writes both) or reused as its
// own buffer (contentcoder.go compresses the next chunk into it): a sealed
// chunk is a fresh allocation, never pooled.
func writerHook(context []byte) (string, func([]byte) []byte, error) {
	if context == nil { // in-memory segment: never reaches the disk
		return "", func(b []byte) []byte { return b }, nil
	}
	kr, err := lookup(string(context))
	if err != nil {
		return "", nil, err
	}
	if kr.plain {
		return "", nil, nil
	}
	kr.mu.RLock()
	epoch := kr.current
	kr.mu.RUnlock()
	key, err := kr.key(epoch)
	if err != nil {
		return "", nil, err
	}
	// Each writer (one file) draws a random 16-byte nonce prefix and counts
	// its chunks in the last 8 bytes: nonces never repeat under a key (a
	// prefix collision is a 2^-64 event per pair of files), and a chunk
	// costs no system call for randomness. The counter is atomic in case
	// bleve ever writes one file from several goroutines.
	var prefix [16]byte
	if _, err := rand.Read(prefix[:]); err != nil {
		return "", nil, fmt.Errorf("no randomness for index nonces: %w", err)
	}
	s, err := newChunkSealer(key, prefix, chunkAD(context))
	if err != nil {
		return "", nil, err
	}
	return keyID(epoch), s.seal, nil
}

func readerHook(id string, context []byte) (func([]byte) ([]byte, error), error) {
	if context == nil {
		if id != "" {
			return nil, fmt.Errorf("in-memory segment with key id %q", id)
		}
		return func(b []byte) ([]byte, error) { return b, nil }, nil
	}
	kr, err := lookup(string(context))
	if err != nil {
		return nil, err
	}
	if kr.plain && id == "" {
		return nil, nil
	}
	if id == "" {
		return nil, fmt.Errorf("%w: %s", ErrPlaintext, filepath.Base(string(context)))
	}
	epoch, ok := parseKeyID(id)
	if !ok {
		return nil, fmt.Errorf("unknown index key id %q", id)
	}
	key, err := kr.key(epoch)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(string(context))
	o := &chunkOpener{key: key, ad: chunkAD(context)}
	reader := newReaderID()
	cache := !kr.bulk
	var front *frontCache
	if cache {
		front = new(frontCache)
	}
	return func(data []byte) ([]byte, error) {
		if len(data) < chunkOverhead {
			return nil, errChunkTooShort
		}
		var k chunkKey
		if cache {
			if pt, ok := front.get(data); ok {
				return pt, nil
			}
			k = makeChunkKey(reader, data)
			if pt, gen, ok := decrypted.getGen(k); ok {
				front.put(data, gen, pt)
				return pt, nil
			}
		}
		pt, err := o.open(data)
		if err != nil {
			return nil, fmt.Errorf("index chunk failed authentication in %s", name)
		}
		if cache {
			decrypted.put(k, kr, pt)
		}
		return pt, nil
	}, nil
}
