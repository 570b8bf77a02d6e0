package search

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// ErrNeedsRebuild is returned (wrapped, with the cause) by Open and Verify
// when the index cannot be trusted: damaged files, a missing key, or an index
// built by another analyser or mapping version. The index is a cache of the
// case files; the caller rebuilds it with Rebuild.
var ErrNeedsRebuild = errors.New("search index needs a rebuild")

// Index is an open, encrypted search index. Its methods are safe for
// concurrent use.
type Index struct {
	dir    string // absolute
	kr     *keyring
	bl     bleve.Index
	m      *mapping.IndexMappingImpl
	stamp  string
	config map[string]any
	bulk   bool
	gen    uint64 // batches written, also in the index and in genFile

	mu     sync.Mutex // serialises writers (Put, Delete, Rotate)
	closed bool
}

// Options tune an index. The zero value is what the applications use.
type Options struct {
	// Bulk favours throughput over per-batch durability: batches return
	// before they reach the disk. Rebuild uses it; Close still persists
	// everything.
	Bulk bool

	plaintext bool // benchmark peer only: bleve without encryption
}

// Open opens the index in dir, creating it if dir does not exist or is
// empty. keys are every key the index may be encrypted under; the one with
// the highest epoch encrypts what is written from now on. A damaged index, a
// missing key or an outdated index yields an error wrapping ErrNeedsRebuild.
func Open(dir string, keys ...Key) (*Index, error) {
	return OpenWith(dir, Options{}, keys...)
}

// OpenWith is Open with options.
func OpenWith(dir string, opts Options, keys ...Key) (ix *Index, err error) {
	installHooks()
	kr, err := newKeyring(keys, opts.plaintext)
	if err != nil {
		return nil, err
	}
	kr.bulk = opts.Bulk
	abs, err := registerDir(dir, kr)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: index open failed: %v", ErrNeedsRebuild, r)
		}
		if err != nil {
			unregisterDir(abs)
		}
	}()
	m := buildMapping()
	config := map[string]any{
		// Segments stop growing at maxSegmentDocs documents: a merge never
		// maps more than that much of the index at once (a merge of the
		// default plan's 5M-document segments alone passes 1 GiB).
		"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": maxSegmentDocs},
	}
	if opts.Bulk {
		config["unsafe_batch"] = true
	}
	ix = &Index{dir: abs, kr: kr, m: m, stamp: stamp(m), config: config, bulk: opts.Bulk}
	if empty, err := isEmptyDir(abs); err != nil {
		return nil, err
	} else if empty {
		if err := os.MkdirAll(abs, 0o700); err != nil {
			return nil, err
		}
		ix.bl, err = bleve.NewUsing(abs, m, scorch.Name, scorch.Name, config)
		if err != nil {
			return nil, fmt.Errorf("failed to create index: %w", err)
		}
		if err := ix.bl.SetInternal(internalStamp, []byte(ix.stamp)); err != nil {
			ix.bl.Close()
			return nil, fmt.Errorf("failed to stamp index: %w", err)
		}
		if err := ix.writeGen(); err != nil {
			ix.bl.Close()
			return nil, err
		}
		return ix, nil
	}
	want, err := ix.readGen()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNeedsRebuild, err)
	}
	ix.bl, err = bleve.OpenUsing(abs, config)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNeedsRebuild, err)
	}
	got, err := ix.bl.GetInternal(internalStamp)
	if err != nil || !bytes.Equal(got, []byte(ix.stamp)) {
		ix.bl.Close()
		if err == nil {
			err = fmt.Errorf("index version %q, want %q", got, ix.stamp)
		}
		return nil, fmt.Errorf("%w: %v", ErrNeedsRebuild, err)
	}
	if err := ix.checkGen(want); err != nil {
		ix.bl.Close()
		return nil, fmt.Errorf("%w: %v", ErrNeedsRebuild, err)
	}
	return ix, nil
}

// maxSegmentDocs bounds the documents (chunks) of one index segment.
const maxSegmentDocs = 50_000

func newKeyring(keys []Key, plain bool) (*keyring, error) {
	kr := &keyring{keys: map[uint32][]byte{}, plain: plain}
	if plain {
		return kr, nil
	}
	if len(keys) == 0 {
		return nil, errors.New("no index key")
	}
	for i, k := range keys {
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("index key %d is %d bytes, want %d", k.Epoch, len(k.Secret), KeySize)
		}
		if _, dup := kr.keys[k.Epoch]; dup {
			return nil, fmt.Errorf("index key epoch %d given twice", k.Epoch)
		}
		kr.keys[k.Epoch] = bytes.Clone(k.Secret)
		if i == 0 || k.Epoch > kr.current {
			kr.current = k.Epoch
		}
	}
	return kr, nil
}

func isEmptyDir(dir string) (bool, error) {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) == 0 {
		return true, nil
	}
	return false, err
}

func (ix *Index) cb() bleve.IndexWithCallbacks {
	cb, ok := ix.bl.(bleve.IndexWithCallbacks)
	if !ok {
		panic("search: bleve index without file callbacks")
	}
	return cb
}

// Dir returns the index folder.
func (ix *Index) Dir() string { return ix.dir }

// Close persists what is pending, closes the index and forgets its keys.
func (ix *Index) Close() error {
	// bleve's Close does not always persist the newest snapshot: not
	// what unsafe batches left in memory (internal values such as the
	// mapping and the version stamp, when no document followed them), and,
	// one time in two, not the last batch of a case re-indexed just
	// before, although that batch waited for persistence. The next open
	// then found an older generation and rebuilt the whole index. An
	// empty batch, waited for, persists everything before it.
	flushErr := ix.flush()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	err := ix.bl.Close()
	if err == nil {
		err = flushErr
	}
	if err == nil {
		err = ix.writeGen()
	}
	unregisterDir(ix.dir)
	decrypted.forget(ix.kr)
	ix.kr.mu.Lock()
	for _, k := range ix.kr.keys {
		clear(k)
	}
	ix.kr.keys = nil
	ix.kr.mu.Unlock()
	return err
}

// flush writes an empty batch and waits until it, and so every batch
// before it, is on disk.
func (ix *Index) flush() error {
	ix.mu.Lock()
	closed := ix.closed
	ix.mu.Unlock()
	if closed {
		return nil
	}
	b, persisted := ix.persistedBatch()
	if err := ix.batch(b); err != nil {
		return err
	}
	return <-persisted
}

// persistedBatch returns an empty batch and the channel that receives its
// persistence. Submitted and waited for, it makes bleve persist
// everything submitted before it (see Close).
func (ix *Index) persistedBatch() (*bleve.Batch, <-chan error) {
	b := ix.bl.NewBatch()
	persisted := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { persisted <- err })
	return b, persisted
}

// DocCount returns the number of documents (chunks) in the index.
func (ix *Index) DocCount() (uint64, error) { return ix.bl.DocCount() }

// KeyEpochsInUse lists the key epochs that some index file is still
// encrypted under.
func (ix *Index) KeyEpochsInUse() ([]uint32, error) {
	ids, err := ix.cb().FileWriterIDsInUse()
	if err != nil {
		return nil, err
	}
	var out []uint32
	for id := range ids {
		e, ok := parseKeyID(id)
		if !ok {
			return nil, fmt.Errorf("%w: index file with key id %q", ErrPlaintext, id)
		}
		out = append(out, e)
	}
	slices.Sort(out)
	return out, nil
}

// Rotate makes key the current key, re-encrypts every index file written
// under an older key, removes what older keys encrypted (old snapshots,
// freed pages, unreferenced segments), and forgets the older keys.
// key.Epoch must be higher than every epoch in use.
func (ix *Index) Rotate(key Key) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return errors.New("search index is closed")
	}
	if len(key.Secret) != KeySize {
		return fmt.Errorf("index key is %d bytes, want %d", len(key.Secret), KeySize)
	}
	ix.kr.mu.Lock()
	if key.Epoch <= ix.kr.current {
		ix.kr.mu.Unlock()
		return fmt.Errorf("new index key epoch %d is not after %d", key.Epoch, ix.kr.current)
	}
	ix.kr.keys[key.Epoch] = bytes.Clone(key.Secret)
	ix.kr.current = key.Epoch
	ix.kr.mu.Unlock()

	inUse, err := ix.cb().FileWriterIDsInUse()
	if err != nil {
		return err
	}
	drop := map[string]struct{}{}
	for id := range inUse {
		if id != keyID(key.Epoch) {
			drop[id] = struct{}{}
		}
	}
	if len(drop) > 0 {
		if err := ix.cb().DropFileWriterIDs(drop); err != nil {
			return fmt.Errorf("failed to re-encrypt index: %w", err)
		}
	}
	// Reopen around a pruning of the store: bleve keeps an older snapshot,
	// and bolt keeps freed pages, both under the old key. The pruning keeps
	// the newest snapshot on disk, which must be the re-encrypted one
	// (without this, one rotation in five kept a segment under the old
	// key): an empty batch, waited for, persists it.
	b, persisted := ix.persistedBatch()
	if err := ix.bl.Batch(b); err != nil {
		return err
	}
	if err := <-persisted; err != nil {
		return err
	}
	if err := ix.bl.Close(); err != nil {
		return err
	}
	if err := pruneStore(ix.dir); err != nil {
		return fmt.Errorf("failed to prune index after rotation: %w", err)
	}
	bl, err := bleve.OpenUsing(ix.dir, ix.config)
	if err != nil {
		ix.closed = true
		unregisterDir(ix.dir)
		return fmt.Errorf("%w: reopen after rotation: %v", ErrNeedsRebuild, err)
	}
	ix.bl = bl
	ids, err := ix.cb().FileWriterIDsInUse()
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return fmt.Errorf("index still uses key ids %v after rotation", ids)
	}
	if _, ok := ids[keyID(key.Epoch)]; !ok {
		return fmt.Errorf("index still uses key ids %v after rotation", ids)
	}
	decrypted.forget(ix.kr)
	ix.kr.mu.Lock()
	for e, k := range ix.kr.keys {
		if e != key.Epoch {
			clear(k)
			delete(ix.kr.keys, e)
		}
	}
	ix.kr.mu.Unlock()
	return nil
}

// Remove deletes an index folder, e.g. before a rebuild. The folder must
// not be open.
func Remove(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	keyRegistry.RLock()
	_, open := keyRegistry.dirs[filepath.Clean(abs)]
	keyRegistry.RUnlock()
	if open {
		return fmt.Errorf("index %q is open", abs)
	}
	return os.RemoveAll(abs)
}
