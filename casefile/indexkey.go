package casefile

import (
	"path/filepath"

	"casevault/crypto"
)

// indexDir is the workspace's search index folder.
const indexDir = "index"

// IndexDir returns the folder of the workspace's search index.
func (w *Workspace) IndexDir() string { return filepath.Join(w.dir, indexDir) }

// IndexKey derives the search index key from the workspace identity. The
// caller wipes it when the index is closed.
func (w *Workspace) IndexKey() ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keys == nil {
		return nil, ErrLocked
	}
	return w.keys.DeriveKey(crypto.LabelIndex, 32)
}

// CaseIsOpen reports whether the case is open in this process.
func (w *Workspace) CaseIsOpen(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.open[id]
	return ok
}
