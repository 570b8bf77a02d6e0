package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"casevault/casefile"
	"casevault/internal/caseindex"
	"casevault/search"
)

// indexer is the search index of the unlocked workspace: opened (or
// rebuilt from the case files) in a job after unlock, kept up to date as
// cases are saved, and closed in the lock's job before the workspace drops
// its keys. Its fields marked "UI" belong to the UI goroutine; ix is read
// by searches on their own goroutines under mu.
type indexer struct {
	u  *UI
	ws *casefile.Workspace

	mu sync.RWMutex
	ix *search.Index // nil until open, and after close

	cancel context.CancelFunc // stops a rebuild in progress

	// UI
	state    indexState
	built    int   // documents indexed so far while building
	err      error // why the index is not available, or the last update failure
	pending  map[string]bool
	stopWait func() bool
	closed   bool
	onState  func() // the Search view's update, if it exists

	counted  atomic.Int64 // documents indexed, written by the rebuild
	reported atomic.Bool  // a progress update is queued for the UI
}

type indexState int

const (
	indexOpening indexState = iota
	indexBuilding
	indexReady
	indexFailed
)

// reindexDelay gathers the saves of a burst of edits into one update.
const reindexDelay = 1500 * time.Millisecond

// errIndexNotReady is what a search gets before the index is open.
var errIndexNotReady = errors.New("the search index is not ready yet")

// openIndex starts opening the workspace's index in a job.
func openIndex(u *UI, ws *casefile.Workspace) *indexer {
	x := &indexer{u: u, ws: ws, pending: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	x.cancel = cancel
	// The rebuild opens and closes case files, so it runs in a job like
	// every other casefile call: a case the user opens meanwhile waits.
	u.run(func() {
		ix, _, err := caseindex.Open(ctx, ws, x.reportProgress)
		// Set here, in the job, so that the lock's job (always later)
		// closes it.
		x.mu.Lock()
		x.ix = ix
		x.mu.Unlock()
		u.do(func() {
			if x.closed {
				return
			}
			if err != nil {
				x.state, x.err = indexFailed, err
			} else {
				x.state, x.err = indexReady, nil
			}
			x.changed()
		})
	})
	return x
}

// reportProgress is the rebuild's progress callback: it hands the count
// to the UI goroutine, at most one update queued at a time.
func (x *indexer) reportProgress(n int) {
	x.counted.Store(int64(n))
	if x.reported.Swap(true) {
		return
	}
	x.u.do(func() {
		x.reported.Store(false)
		if !x.closed && x.state != indexReady && x.state != indexFailed {
			x.state, x.built = indexBuilding, int(x.counted.Load())
			x.changed()
		}
	})
}

func (x *indexer) changed() {
	if x.onState != nil {
		x.onState()
	}
}

// search runs q with the index's read lock held, so that closing waits
// for it. It runs on any goroutine.
func (x *indexer) search(ctx context.Context, q string, opts search.SearchOptions) (*search.Results, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.ix == nil {
		return nil, errIndexNotReady
	}
	return x.ix.Search(ctx, q, opts)
}

// caseChanged schedules the case with id to be indexed again, once the
// saves have paused for reindexDelay. It runs on the UI goroutine.
func (x *indexer) caseChanged(id string) {
	if x.closed {
		return
	}
	x.pending[id] = true
	if x.stopWait != nil {
		x.stopWait()
	}
	x.stopWait = x.u.clock.AfterFunc(reindexDelay, func() {
		x.u.do(x.flushPending)
	})
}

// flushPending queues one job per case waiting to be indexed again.
func (x *indexer) flushPending() {
	if x.closed {
		return
	}
	x.stopWait = nil
	for id := range x.pending {
		delete(x.pending, id)
		x.u.run(func() {
			err := x.reindex(id)
			x.u.do(func() { x.updated(err) })
		})
	}
}

// updated shows a failed update (the index is a cache: the case file is
// saved either way, and a rebuild repairs it).
func (x *indexer) updated(err error) {
	if x.closed || x.state != indexReady {
		return
	}
	if err != nil || x.err != nil {
		x.err = err
		x.changed()
	}
}

// reindex replaces the case's documents with its current content. It runs
// in a job; a case that is not open is opened for it and closed again,
// and a case that no longer exists leaves the index.
func (x *indexer) reindex(id string) error {
	x.mu.RLock()
	ix := x.ix
	x.mu.RUnlock()
	if ix == nil {
		return nil // the index is being built from the case files, or failed
	}
	wasOpen := x.ws.CaseIsOpen(id)
	c, err := x.ws.OpenCase(bg, id)
	if errors.Is(err, casefile.ErrNotFound) {
		return ix.DeleteCase(bg, id)
	}
	if err != nil {
		return fmt.Errorf("cannot read the case to index it: %w", err)
	}
	err = caseindex.ReindexCase(bg, ix, c)
	if !wasOpen {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("the search index was not updated: %w", err)
	}
	return nil
}

// caseDeleted removes a deleted case from the index. It runs in a job.
func (x *indexer) caseDeleted(id string) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.ix == nil {
		return nil
	}
	return x.ix.DeleteCase(bg, id)
}

// detach ends the indexer (for a lock or quit): a rebuild in progress
// stops, and the returned function, run in the lock's job before the
// workspace drops its keys, indexes the cases still waiting (and open is
// the case the worker holds, if it has unsaved changes) and closes the
// index.
func (x *indexer) detach() (closeIndex func(open *casefile.Case) error) {
	x.closed = true
	x.cancel()
	if x.stopWait != nil {
		x.stopWait()
	}
	x.onState = nil
	ids := make([]string, 0, len(x.pending))
	for id := range x.pending {
		ids = append(ids, id)
	}
	x.pending = nil
	return func(open *casefile.Case) error {
		if open != nil && open.Dirty() {
			ids = append(ids, open.ID())
		}
		var errs []error
		seen := map[string]bool{}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				errs = append(errs, x.reindex(id))
			}
		}
		x.mu.Lock()
		ix := x.ix
		x.ix = nil
		x.mu.Unlock()
		if ix != nil {
			errs = append(errs, ix.Close())
		}
		// The index is a cache: a failure here is repaired by a rebuild,
		// and must not keep the workspace from locking.
		_ = errors.Join(errs...)
		return nil
	}
}
