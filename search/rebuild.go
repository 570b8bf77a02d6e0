package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
// many it indexed. Document preparation (normalisation, identifiers) runs
// beside bleve's analysis so that both cores are busy.
func (ix *Index) Load(ctx context.Context, src Source, progress func(done int)) (int, error) {
	const batchDocs = 2000
	type prepared struct {
		b   *batchDocsT
		err error
	}
	batches := make(chan prepared, 2)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(batches)
		cur := &batchDocsT{b: ix.bl.NewBatch()}
		err := src(ctx, func(d Document) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			bd, err := buildDoc(&d)
			if err != nil {
				return err
			}
			if err := cur.b.IndexAdvanced(bd); err != nil {
				return err
			}
			cur.n++
			if cur.n >= batchDocs {
				select {
				case batches <- prepared{b: cur}:
				case <-done:
					return errors.New("load stopped")
				}
				cur = &batchDocsT{b: ix.bl.NewBatch()}
			}
			return nil
		})
		if err == nil && cur.n > 0 {
			select {
			case batches <- prepared{b: cur}:
			case <-done:
			}
		}
		if err != nil {
			select {
			case batches <- prepared{err: err}:
			case <-done:
			}
		}
	}()
	total := 0
	var persisted chan error
	for p := range batches {
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
			p.b.b.SetPersistedCallback(func(err error) { ch <- err })
		}
		if err := ix.batch(p.b.b); err != nil {
			return total, err
		}
		total += p.b.n
		if progress != nil {
			progress(total)
		}
	}
	if persisted != nil {
		if err := <-persisted; err != nil {
			return total, err
		}
	}
	return total, ctx.Err()
}

type batchDocsT struct {
	b *bleve.Batch
	n int
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
