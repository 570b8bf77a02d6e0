package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

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
// many it indexed. Documents are prepared (normalised, identifiers found) by
// one goroutine per core beside bleve's own analysis workers, in order.
func (ix *Index) Load(ctx context.Context, src Source, progress func(done int)) (int, error) {
	batchDocs := loadBatchDocs
	workers := max(1, runtime.GOMAXPROCS(0))
	type result struct {
		b   *bleve.Batch
		n   int
		err error
	}
	// Each chunk of documents gets its own result channel; the channels
	// queue up in order, so batches reach bleve in source order.
	order := make(chan chan result, workers+1)
	sem := make(chan struct{}, workers)
	done := make(chan struct{})
	defer close(done)
	var srcErr error
	go func() {
		defer close(order)
		chunk := make([]Document, 0, batchDocs)
		flush := func() bool {
			out := make(chan result, 1)
			select {
			case order <- out:
			case <-done:
				return false
			}
			docs := chunk
			chunk = make([]Document, 0, batchDocs)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem }()
				b := ix.bl.NewBatch()
				for i := range docs {
					bd, err := buildDoc(&docs[i])
					if err == nil {
						err = b.IndexAdvanced(bd)
					}
					if err != nil {
						out <- result{err: err}
						return
					}
				}
				out <- result{b: b, n: len(docs)}
			}()
			return true
		}
		srcErr = src(ctx, func(d Document) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			chunk = append(chunk, d)
			if len(chunk) >= batchDocs && !flush() {
				return errors.New("load stopped")
			}
			return nil
		})
		if srcErr == nil && len(chunk) > 0 {
			flush()
		}
	}()
	total := 0
	var persisted chan error
	for out := range order {
		p := <-out
		if p.err != nil {
			return total, p.err
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
		if ix.bulk {
			// Only the last callback matters: batches persist in order.
			persisted = make(chan error, 1)
			ch := persisted
			p.b.SetPersistedCallback(func(err error) { ch <- err })
		}
		if err := ix.batch(p.b); err != nil {
			return total, err
		}
		total += p.n
		if progress != nil {
			progress(total)
		}
	}
	if srcErr != nil {
		return total, srcErr
	}
	if persisted != nil {
		if err := <-persisted; err != nil {
			return total, err
		}
	}
	return total, ctx.Err()
}

// loadBatchDocs is how many documents go into one bleve batch (one segment)
// during Load.
var loadBatchDocs = 5000

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
