package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// Source streams every document of the workspace to yield, stopping at the
// first error yield returns.
type Source func(ctx context.Context, yield func(Document) error) error

// Rebuild builds a new index from src in a sibling folder, then replaces dir
// with it and opens it. progress, if not nil, is called with the number of
// documents indexed so far. If the rebuild fails or is cancelled, the old
// folder is left as it was.
func Rebuild(ctx context.Context, dir string, src Source, progress func(done int), keys ...Key) (*Index, error) {
	tmp := filepath.Clean(dir) + ".rebuild"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	ix, err := OpenWith(tmp, Options{Bulk: true}, keys...)
	if err != nil {
		return nil, err
	}
	n, err := ix.Load(ctx, src, progress)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("index rebuild failed after %d documents: %w", n, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	syncDir(filepath.Dir(filepath.Clean(dir)))
	return Open(dir, keys...)
}

// Load indexes every document src yields, in large batches, and returns how
// many it indexed. Batches are built on one lane per core: a lane analyses
// its batch's documents and builds the batch's segment (bleve builds a
// segment on the calling goroutine), so both steps use every core. Batches
// of different lanes reach the index in any order: src must not yield one
// document id twice (a rebuild's source never does). A lane waits until its
// previous batch is on disk before it submits another, which bounds the
// memory a load takes whatever the size of the source.
func (ix *Index) Load(ctx context.Context, src Source, progress func(done int)) (int, error) {
	lanes := max(1, runtime.GOMAXPROCS(0))
	defer limitMemory()()
	work := make(chan []Document)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu    sync.Mutex
		total int
	)
	var wg sync.WaitGroup
	for range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var pending []chan error // the lane's batches not yet on disk, oldest first
			wait := func(keep int) error {
				for len(pending) > keep {
					err := <-pending[0]
					pending = pending[1:]
					if err != nil {
						return err
					}
				}
				return nil
			}
			defer wait(0)
			for docs := range work {
				if ctx.Err() != nil {
					continue // drain
				}
				b := ix.bl.NewBatch()
				for i := range docs {
					d, err := buildDoc(&docs[i])
					if err == nil {
						err = b.IndexAdvanced(d)
					}
					if err != nil {
						cancel(err)
						break
					}
				}
				if ctx.Err() != nil {
					continue
				}
				if err := wait(loadPendingPerLane - 1); err != nil {
					cancel(err)
					continue
				}
				ch := make(chan error, 1)
				b.SetPersistedCallback(func(err error) { ch <- err })
				if err := ix.batchBulk(b); err != nil {
					cancel(err)
					continue
				}
				pending = append(pending, ch)
				mu.Lock()
				total += len(docs)
				if progress != nil {
					progress(total)
				}
				mu.Unlock()
			}
		}()
	}
	var docs []Document
	size := 0
	srcErr := src(ctx, func(d Document) error {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		docs = append(docs, d)
		size += len(d.Text) + len(d.Title)
		if len(docs) >= loadBatchDocs || size >= loadBatchBytes {
			select {
			case work <- docs:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			docs, size = make([]Document, 0, len(docs)), 0
		}
		return nil
	})
	if srcErr == nil && len(docs) > 0 {
		select {
		case work <- docs:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if srcErr != nil {
		return total, srcErr
	}
	if err := context.Cause(ctx); err != nil {
		return total, err
	}
	// Record the generation, and wait until everything is on disk.
	return total, ix.flush()
}

// batchBulk submits a batch of Load without the writer lock, so that lanes
// build their segments at the same time. The index generation is recorded
// once, by the empty batch that ends the load.
func (ix *Index) batchBulk(b *bleve.Batch) (err error) {
	ix.mu.Lock()
	closed := ix.closed
	ix.mu.Unlock()
	if closed {
		return errors.New("search index is closed")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: index write failed: %v", ErrNeedsRebuild, r)
		}
	}()
	return ix.bl.Batch(b)
}

// A bleve batch (one segment) during Load holds loadBatchDocs documents or
// loadBatchBytes of text, whichever comes first. Analysed text takes about
// 30 times its size in memory until bleve has built the segment: with one
// batch being built per lane, a two-core load keeps about 400 MiB live.
// Smaller batches would take less, but every segment repeats the
// vocabulary: 1 MiB batches cost about a quarter more CPU. A lane submits a
// batch once at most loadPendingPerLane-1 of its earlier ones are still
// waiting for the disk.
var (
	loadBatchDocs      = 5000
	loadBatchBytes     = 2 << 20
	loadPendingPerLane = 2
)

// loadMemoryLimit is the Go runtime's soft memory limit while a load runs.
// The collector otherwise lets the heap grow to twice what is live; the
// limit makes it collect sooner instead (a few per cent more CPU). It is
// only ever lowered, and restored when the last load ends.
const loadMemoryLimit = 640 << 20

var loadLimit struct {
	sync.Mutex
	loads int
	saved int64
}

func limitMemory() (restore func()) {
	loadLimit.Lock()
	defer loadLimit.Unlock()
	if loadLimit.loads == 0 {
		loadLimit.saved = debug.SetMemoryLimit(-1)
		if loadLimit.saved > loadMemoryLimit {
			debug.SetMemoryLimit(loadMemoryLimit)
		}
	}
	loadLimit.loads++
	return func() {
		loadLimit.Lock()
		defer loadLimit.Unlock()
		loadLimit.loads--
		if loadLimit.loads == 0 {
			debug.SetMemoryLimit(loadLimit.saved)
		}
	}
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
