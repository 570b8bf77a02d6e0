package casefile

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"filippo.io/age"

	"casevault/crypto"
)

const (
	blobsDir        = "blobs"
	blobSuffix      = ".age"
	labelBlobNames  = "casevault/v1/blob-names"
	blobCopyBufSize = 256 << 10
)

// errBlobMissing reports a blob file that is not there.
var errBlobMissing = errors.New("blob is missing")

// BlobRef names a stored blob and what it holds.
type BlobRef struct {
	Name   string // file name under blobs/, without the suffix
	SHA256 string // hex SHA-256 of the plaintext
	Size   int64  // plaintext size
	New    bool   // false when equal content was already stored
}

// blobStore keeps a case's large, immutable content: each blob one age
// file encrypted to the case's recipient, streamed (never whole in
// memory, never a plaintext temp file), named by an HMAC of its plaintext
// SHA-256 so that equal content is stored once and a name reveals nothing.
type blobStore struct {
	dir      string
	rcpt     age.Recipient
	id       age.Identity
	nameKey  []byte
	progress func(n int64)     // called as bytes are stored, if set
	written  func(path string) // called for each new blob file, to sync before the next save
	ahead    *fileAhead        // anonymous files opened ahead (an import), if set
}

func (c *Case) blobs() (*blobStore, error) {
	if err := c.collectGarbageOnce(); err != nil {
		return nil, err
	}
	key, err := c.identity.DeriveKey(labelBlobNames, 32)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(c.dir(), blobsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the blob folder: %w", err)
	}
	return &blobStore{dir: dir, rcpt: c.identity.Recipient(), id: c.identity.Identity(), nameKey: key, written: c.blobWritten}, nil
}

func (b *blobStore) nameOf(sum []byte) string {
	m := hmac.New(sha256.New, b.nameKey)
	m.Write(sum)
	return hex.EncodeToString(m.Sum(nil))
}

// put streams r into a new blob. The plaintext is hashed on the way into
// the age encryption; the encrypted temp file is renamed to its final name
// once the hash is known. ctx cancels between buffers.
func (b *blobStore) put(ctx context.Context, r io.Reader) (BlobRef, error) {
	return b.putWith(func(w io.Writer) (int64, error) {
		return copyCtx(ctx, w, r, b.progress)
	})
}

// putWith stores what write writes (and returns the count of) as a new
// blob, hashed and encrypted on the way, as put does.
func (b *blobStore) putWith(write func(w io.Writer) (int64, error)) (BlobRef, error) {
	f, anon, err := b.ahead.take(), true, error(nil)
	if f == nil {
		f, anon, err = createBlobFile(b.dir)
	}
	if err != nil {
		return BlobRef{}, fmt.Errorf("cannot create a file in the case folder: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) (BlobRef, error) {
		f.Close()
		if !anon {
			os.Remove(tmp)
		}
		return BlobRef{}, err
	}
	var out io.Writer = f
	if faultWriter != nil {
		out = faultWriter(out)
	}
	aw, err := age.Encrypt(out, b.rcpt)
	if err != nil {
		return fail(err)
	}
	h := sha256.New()
	n, err := write(io.MultiWriter(aw, h))
	if err != nil {
		return fail(err)
	}
	if err := aw.Close(); err != nil {
		return fail(err)
	}
	// No fsync here: blobs are made durable together, before the case file
	// that first refers to them is saved (Case.Save, syncBlobs). A blob
	// that a crash leaves half-written is referred to by nothing and is
	// removed after the next open, when the blob store is first used
	// (collectGarbageOnce), before anything could deduplicate against it.
	sum := h.Sum(nil)
	ref := BlobRef{Name: b.nameOf(sum), SHA256: hex.EncodeToString(sum), Size: n}
	final := filepath.Join(b.dir, ref.Name+blobSuffix)
	if anon {
		// Linked while still open (it has no other name), then closed.
		exists, err := linkBlobFile(f, final)
		if err != nil {
			return fail(fmt.Errorf("cannot name an evidence file: %w", err))
		}
		if err := f.Close(); err != nil {
			if !exists {
				os.Remove(final)
			}
			return BlobRef{}, err
		}
		if exists {
			return ref, nil // equal content is already stored
		}
	} else {
		if err := f.Close(); err != nil {
			return fail(err)
		}
		if _, err := os.Stat(final); err == nil {
			os.Remove(tmp) // equal content is already stored
			return ref, nil
		}
		if err := replaceFile(tmp, final); err != nil {
			os.Remove(tmp)
			return BlobRef{}, err
		}
	}
	ref.New = true
	if b.written != nil {
		b.written(final)
	}
	return ref, nil
}

// putBytes stores small content held in memory.
func (b *blobStore) putBytes(ctx context.Context, data []byte) (BlobRef, error) {
	return b.put(ctx, bytes.NewReader(data))
}

// remove deletes a blob (one created by an import that was then
// cancelled or failed).
func (b *blobStore) remove(name string) {
	if validBlobName(name) {
		os.Remove(filepath.Join(b.dir, name+blobSuffix))
	}
}

func validBlobName(name string) bool {
	if len(name) != 64 {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}

// openAt returns random access to a blob's plaintext, decrypting the
// chunks read (memory stays flat whatever the size). Close the file when
// done.
func (b *blobStore) openAt(name string) (io.ReaderAt, int64, *os.File, error) {
	if !validBlobName(name) {
		return nil, 0, nil, fmt.Errorf("malformed blob name %q", name)
	}
	f, err := os.Open(filepath.Join(b.dir, name+blobSuffix))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil, fmt.Errorf("%w: %s", errBlobMissing, name)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	ra, size, err := age.DecryptReaderAt(f, st.Size(), b.id)
	if err != nil {
		f.Close()
		return nil, 0, nil, fmt.Errorf("%w: blob %s: %v", ErrDamaged, name, err)
	}
	return ra, size, f, nil
}

// open returns a sequential reader of a blob's plaintext; read errors say
// the blob is damaged.
func (b *blobStore) open(name string) (io.ReadCloser, error) {
	if !validBlobName(name) {
		return nil, fmt.Errorf("malformed blob name %q", name)
	}
	f, err := os.Open(filepath.Join(b.dir, name+blobSuffix))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", errBlobMissing, name)
	}
	if err != nil {
		return nil, err
	}
	r, err := crypto.Decrypt(f, b.id)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob %s: %w", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{r, f}, nil
}

// hashBlob re-reads a blob and returns its plaintext SHA-256 and size.
func (b *blobStore) hashBlob(ctx context.Context, name string, progress func(int64)) (string, int64, error) {
	r, err := b.open(name)
	if err != nil {
		return "", 0, err
	}
	defer r.Close()
	h := sha256.New()
	n, err := copyCtx(ctx, h, r, progress)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// copyBufs recycles copyCtx's buffers (one import copies many files).
var copyBufs = sync.Pool{New: func() any { return new([blobCopyBufSize]byte) }}

// copyCtx copies with a fixed buffer, checking ctx between buffers.
func copyCtx(ctx context.Context, dst io.Writer, src io.Reader, progress func(int64)) (int64, error) {
	bp := copyBufs.Get().(*[blobCopyBufSize]byte)
	defer copyBufs.Put(bp)
	buf := bp[:]
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, rerr := src.Read(buf)
		if k > 0 {
			if _, err := dst.Write(buf[:k]); err != nil {
				return n, err
			}
			n += int64(k)
			if progress != nil {
				progress(int64(k))
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// blobWritten records a blob file not yet made durable, and starts making
// it durable in the background.
func (c *Case) blobWritten(path string) {
	c.blobMu.Lock()
	c.unsynced = append(c.unsynced, path)
	c.blobMu.Unlock()
	blobSyncs.start(path)
}

// syncBlobs makes every blob written since the last save durable, then
// the folder. It runs before the case file that refers to them is saved.
// Most were fsynced in the background as they were written; it waits for
// those and fsyncs the rest. A blob removed since (an import's garbage)
// needs nothing.
func (c *Case) syncBlobs() error {
	c.blobMu.Lock()
	files := c.unsynced
	c.unsynced = nil
	c.blobMu.Unlock()
	if len(files) == 0 {
		return nil
	}
	dir := filepath.Join(c.dir(), blobsDir)
	err := blobSyncs.wait(files)
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		c.blobMu.Lock()
		c.unsynced = append(files, c.unsynced...)
		c.blobMu.Unlock()
		return fmt.Errorf("cannot flush the evidence files to disk: %w", err)
	}
	return nil
}

// blobSyncs fsyncs blob files in the background, a few at a time, as
// soon as they are written: the disk writes them while the import goes on
// (plain age with an fsync per file gets the same overlap), and a save
// waits only for what is still in flight. One syncfs at save time did
// this work only at the end, and also waited for every other program's
// writes to the same file system.
var blobSyncs = newBlobSyncer(4)

type blobSyncer struct {
	queue chan *blobSync
	mu    sync.Mutex
	state map[string]*blobSync // started and not yet waited for
}

type blobSync struct {
	path string
	done chan struct{} // closed once err is set
	err  error
}

func newBlobSyncer(workers int) *blobSyncer {
	s := &blobSyncer{queue: make(chan *blobSync, 4096), state: map[string]*blobSync{}}
	for i := 0; i < workers; i++ {
		go func() {
			for st := range s.queue {
				st.err = fsyncFile(st.path)
				close(st.done)
			}
		}()
	}
	return s
}

// start queues path for an fsync; when the queue is full, the fsync is
// left to wait.
func (s *blobSyncer) start(path string) {
	s.mu.Lock()
	if _, ok := s.state[path]; ok {
		s.mu.Unlock()
		return
	}
	st := &blobSync{path: path, done: make(chan struct{})}
	s.state[path] = st
	s.mu.Unlock()
	select {
	case s.queue <- st:
	default:
		s.mu.Lock()
		delete(s.state, path)
		s.mu.Unlock()
	}
}

// wait returns once every file is durable: synced in the background
// (waiting for it), or now.
func (s *blobSyncer) wait(files []string) error {
	var firstErr error
	for _, path := range files {
		s.mu.Lock()
		st := s.state[path]
		delete(s.state, path)
		s.mu.Unlock()
		var err error
		if st != nil {
			<-st.done
			err = st.err
		}
		if st == nil || err != nil {
			err = fsyncFile(path)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// fsyncFile makes a file durable; a file that is gone needs nothing.
func fsyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// collectGarbageOnce runs collectGarbage the first time the blob store is
// asked for after the case is opened: before anything could deduplicate
// against what an interrupted import left, while an open that never
// touches evidence files does not list the blob folder.
func (c *Case) collectGarbageOnce() error {
	c.garbageMu.Lock()
	defer c.garbageMu.Unlock()
	if c.garbageDone {
		return nil
	}
	if err := c.collectGarbage(context.Background()); err != nil {
		return fmt.Errorf("cannot tidy the evidence files of case %s: %w", c.id, err)
	}
	c.garbageDone = true
	return nil
}

// collectGarbage removes blob files that the case database does not refer
// to: what an import left when it was cancelled, failed, or was cut short
// by a crash before the case was saved.
func (c *Case) collectGarbage(ctx context.Context) error {
	dir := filepath.Join(c.dir(), blobsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // no blobs yet
	}
	refs := map[string]bool{}
	err = scanList(ctx, c.conn, "SELECT blob FROM attachment UNION SELECT text_blob FROM attachment", func(r *sql.Rows) error {
		var n string
		err := r.Scan(&n)
		refs[n] = true
		return err
	})
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, tempPrefix) || (strings.HasSuffix(name, blobSuffix) && !refs[strings.TrimSuffix(name, blobSuffix)]) {
			os.Remove(filepath.Join(dir, name))
		}
	}
	return nil
}

// pipeBuffers is how many buffers copyPipelined keeps in flight.
const pipeBuffers = 4

// copyPipelined copies like copyCtx, but reads src in another goroutine
// while dst is written, so that what reading costs (decrypting, hashing,
// tar parsing) overlaps what writing costs (encrypting, the disk) on two
// cores. Memory is pipeBuffers buffers. src is not read after it returns.
func copyPipelined(ctx context.Context, dst io.Writer, src io.Reader, progress func(int64)) (int64, error) {
	free := make(chan []byte, pipeBuffers)
	for i := 0; i < pipeBuffers; i++ {
		free <- make([]byte, blobCopyBufSize)
	}
	return pipeCopy(ctx, dst, src, nil, free, progress)
}
