package casefile

import (
	"bytes"
	"time"
)

// The catalog is rewritten after every case save, but a case save does not
// wait for it: a background flusher writes the newest catalog once the
// case file is durable, coalescing bursts of saves. This is safe because a
// catalog that lags (a crash before the flush) only records an older
// generation, and a case file newer than the catalog is accepted as the
// authentic later state; only an older one is a rollback. Creating and
// deleting a case, locking and closing flush synchronously, with the
// folder fsynced, because there the catalog itself is the change.

// requestFlushLocked marks the catalog changed and starts the flusher if it
// is not running. w.mu must be held.
func (w *Workspace) requestFlushLocked() {
	w.catDirty = true
	if w.flushing {
		return
	}
	w.flushing = true
	w.flushDone.Add(1)
	go w.flushLoop()
}

// catalogFlushDelay lets a burst of saves share one catalog write. A
// rollback of a case file to a copy made inside this window is not
// detected.
const catalogFlushDelay = 200 * time.Millisecond

func (w *Workspace) flushLoop() {
	defer w.flushDone.Done()
	select {
	case <-time.After(catalogFlushDelay):
	case <-w.flushKick:
	}
	for {
		w.mu.Lock()
		if !w.catDirty || w.keys == nil {
			w.flushing = false
			w.mu.Unlock()
			return
		}
		w.catDirty = false
		var buf bytes.Buffer
		err := w.cat.encryptTo(&buf, w.keys.Recipient())
		w.mu.Unlock()
		if err == nil {
			err = w.writeCatalogNoDirSync(buf.Bytes())
		}
		if err != nil {
			w.mu.Lock()
			w.flushErr, w.catDirty, w.flushing = err, true, false
			w.mu.Unlock()
			return
		}
	}
}

// Flush writes the catalog now if it has changes not yet on disk, and
// returns the error of any background write that failed since the last
// call.
func (w *Workspace) Flush() error {
	w.kickFlush()
	w.flushDone.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked(false)
}

// flushLocked writes the catalog synchronously. dirSync also fsyncs the
// folder, so that the rename itself is durable: needed when the catalog
// is the change (a new case), not when it only records newer generations
// and summaries, which a crash may lose as the background flusher's can.
// w.mu must be held and the flusher must not be running.
func (w *Workspace) flushLocked(dirSync bool) error {
	if w.keys == nil || !w.catDirty {
		return w.takeFlushErrLocked()
	}
	w.catDirty = false
	w.flushErr = nil
	var err error
	if dirSync {
		err = w.saveCatalogLocked()
	} else {
		err = w.saveCatalogNoDirSyncLocked()
	}
	if err != nil {
		w.catDirty = true
		return err
	}
	return nil
}

// writeAtomicNoDirSync is writeFileAtomic without the final folder fsync:
// the new file is complete on disk before the rename, so a crash leaves the
// old catalog or the new one, and a lost rename only means an older one.
func writeAtomicNoDirSync(dir, name string, data []byte) error {
	return writeAtomicOpt(dir, name, false, func(w interface{ Write([]byte) (int, error) }) error {
		_, err := w.Write(data)
		return err
	})
}

// writeCatalogNoDirSync writes an encrypted catalog without the folder
// fsync (see writeAtomicNoDirSync).
func (w *Workspace) writeCatalogNoDirSync(data []byte) error {
	w.catWrite.Lock()
	defer w.catWrite.Unlock()
	return writeAtomicNoDirSync(w.dir, catalogName, data)
}

// saveCatalogNoDirSyncLocked is saveCatalogLocked without the folder
// fsync. w.mu must be held.
func (w *Workspace) saveCatalogNoDirSyncLocked() error {
	var buf bytes.Buffer
	if err := w.cat.encryptTo(&buf, w.keys.Recipient()); err != nil {
		return err
	}
	return w.writeCatalogNoDirSync(buf.Bytes())
}

func (w *Workspace) takeFlushErrLocked() error {
	err := w.flushErr
	w.flushErr = nil
	return err
}

// kickFlush makes a waiting flusher write now.
func (w *Workspace) kickFlush() {
	select {
	case w.flushKick <- struct{}{}:
	default:
	}
}
