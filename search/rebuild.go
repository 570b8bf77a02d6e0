package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/document"

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
// many it indexed. While bleve builds one batch's segment, the next batch
// is prepared (normalised, identifiers found, analysed) by one goroutine
// per core; batches reach bleve in source order.
func (ix *Index) Load(ctx context.Context, src Source, progress func(done int)) (int, error) {
	workers := max(1, runtime.GOMAXPROCS(0))
	type prepared struct {
		b *bleve.Batch
		n int
	}
	// Unbuffered: at most one analysed batch waits for bleve, which bounds
	// the memory a load takes whatever the size of the source.
	batches := make(chan prepared)
	done := make(chan struct{})
	errStopped := errors.New("load stopped")
	var srcErr error
	go func() {
		defer close(batches)
		var docs []Document
		size := 0
		flush := func() error {
			b, err := ix.prepareBatch(docs, workers)
			if err != nil {
				return err
			}
			select {
			case batches <- prepared{b, len(docs)}:
			case <-done:
				return errStopped
			}
			docs, size = make([]Document, 0, len(docs)), 0
			return nil
		}
		srcErr = src(ctx, func(d Document) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			docs = append(docs, d)
			size += len(d.Text) + len(d.Title)
			if len(docs) >= loadBatchDocs || size >= loadBatchBytes {
				return flush()
			}
			return nil
		})
		if srcErr == nil && len(docs) > 0 {
			srcErr = flush()
		}
	}()
	total := 0
	var persisted chan error
	fail := func(err error) (int, error) {
		close(done)
		for range batches { // let the producer finish
		}
		return total, err
	}
	for p := range batches {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if ix.bulk {
			// Only the last callback matters: batches persist in order.
			persisted = make(chan error, 1)
			ch := persisted
			p.b.SetPersistedCallback(func(err error) { ch <- err })
		}
		if err := ix.batch(p.b); err != nil {
			return fail(err)
		}
		total += p.n
		if progress != nil {
			progress(total)
		}
	}
	close(done)
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

// prepareBatch builds and analyses docs on up to workers goroutines.
func (ix *Index) prepareBatch(docs []Document, workers int) (*bleve.Batch, error) {
	out := make([]*document.Document, len(docs))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	per := (len(docs) + workers - 1) / workers
	for w := 0; w < workers && w*per < len(docs); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w * per; i < min(len(docs), (w+1)*per); i++ {
				d, err := buildDoc(&docs[i])
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = d
			}
		}(w)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	b := ix.bl.NewBatch()
	for _, d := range out {
		if err := b.IndexAdvanced(d); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// A bleve batch (one segment) during Load holds loadBatchDocs documents or
// loadBatchBytes of text, whichever comes first. Analysed text takes about
// 30 times its size in memory until bleve has built the segment; two
// batches are in memory at a time (one analysed, one being built).
var (
	loadBatchDocs  = 5000
	loadBatchBytes = 2 << 20
)

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
