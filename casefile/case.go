package casefile

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"casevault/crypto"
)

const caseFileName = "case.db.age"

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newCaseID returns an opaque random id: 20 base32 characters (100 bits).
func newCaseID() (string, error) {
	b := make([]byte, 13)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return idEncoding.EncodeToString(b)[:20], nil
}

func validCaseID(id string) bool {
	if len(id) != 20 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// Case is an open case: its database in memory, saved to its case file.
// Methods are safe for concurrent use.
type Case struct {
	ws       *Workspace
	id       string
	identity *crypto.CaseIdentity

	mu         sync.Mutex
	db         *sql.DB
	conn       *sql.Conn
	generation uint64
	dirty      bool
	closed     bool

	// What saves reuse while the case is open (store.go); c.mu guards
	// them.
	stmts    map[string]*sql.Stmt
	saveBufs [][]byte

	importMu sync.Mutex // one import at a time
	// exhibitMu guards nextSeen, the exhibit number an import's next item
	// takes, and the connection's total_changes() when it was worked out
	// (commitItem, nextExhibitCached).
	exhibitMu sync.Mutex
	nextSeen  struct {
		exhibit int
		changes int64
	}
	blobMu   sync.Mutex
	unsynced []string // blob files written since the last save

	// garbageMu guards garbageDone: whether collectGarbage has run since
	// the case was opened (blob.go, collectGarbageOnce).
	garbageMu   sync.Mutex
	garbageDone bool

	autosave     time.Duration
	timer        *time.Timer
	onSaveResult func(error)
}

// ErrCaseClosed is returned by the methods of a Case that was closed.
var ErrCaseClosed = errors.New("case is closed: open it again")

// lockOpen takes c.mu and checks that the case is still open; on error the
// lock is released.
func (c *Case) lockOpen() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrCaseClosed
	}
	return nil
}

// ID returns the case's opaque id.
func (c *Case) ID() string { return c.id }

// Cases returns the summaries of every case, sorted by reference.
func (w *Workspace) Cases() ([]CaseSummary, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return nil, ErrLocked
	}
	out := make([]CaseSummary, 0, len(w.cat.Cases))
	for _, cc := range w.cat.Cases {
		out = append(out, cc.Summary)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	return out, nil
}

// ResolveCase finds a case by its id, a unique prefix of its id (at least
// four characters), or its exact reference number.
func (w *Workspace) ResolveCase(key string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return "", ErrLocked
	}
	key = strings.TrimSpace(key)
	var match []string
	for _, cc := range w.cat.Cases {
		if cc.ID == key || cc.Summary.Ref == key {
			return cc.ID, nil
		}
		if len(key) >= 4 && strings.HasPrefix(cc.ID, key) {
			match = append(match, cc.ID)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return "", fmt.Errorf("case %q %w: 'case list' shows the cases", key, ErrNotFound)
	default:
		return "", fmt.Errorf("case id prefix %q matches %d cases: type more of the id", key, len(match))
	}
}

// CreateCase makes a new case from info (ID, Created and Updated are set
// here), saves its case file, and returns it open.
func (w *Workspace) CreateCase(ctx context.Context, info CaseInfo) (*Case, error) {
	if err := info.normalize(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return nil, ErrLocked
	}
	for _, cc := range w.cat.Cases {
		if cc.Summary.Ref == info.Ref {
			w.mu.Unlock()
			return nil, invalid("ref", "reference %q is already used by another case in this workspace", info.Ref)
		}
	}
	w.mu.Unlock()
	id, err := newCaseID()
	if err != nil {
		return nil, err
	}
	identity, err := crypto.GenerateCaseIdentity()
	if err != nil {
		return nil, err
	}
	c := &Case{ws: w, id: id, identity: identity}
	if err := c.openDB(ctx, nil); err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	info.ID, info.Created, info.Updated = id, now, now
	err = c.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('case_id', ?), ('generation', '0')", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_info (id, ref, title, status, created, updated) VALUES (?, ?, ?, ?, ?, ?)`,
			id, info.Ref, info.Title, info.Status, now.Format(time.RFC3339), now.Format(time.RFC3339)); err != nil {
			return err
		}
		if err := writeInfo(ctx, tx, &info); err != nil {
			return err
		}
		return appendAudit(ctx, tx, w.Actor(), "case.create", id, info.diff(&CaseInfo{}))
	})
	if err != nil {
		c.closeDB()
		return nil, err
	}
	if err := os.MkdirAll(c.dir(), 0o700); err != nil {
		c.closeDB()
		return nil, fmt.Errorf("cannot create the case folder: %w", err)
	}
	w.mu.Lock()
	w.open[id] = c
	w.mu.Unlock()
	// The case file first, then the catalog: a crash in between leaves a
	// folder that nothing can decrypt, never a catalog entry with no file.
	if err := c.Save(); err != nil {
		w.mu.Lock()
		delete(w.open, id)
		w.mu.Unlock()
		c.closeDB()
		os.RemoveAll(c.dir())
		return nil, err
	}
	return c, nil
}

// OpenCase decrypts a case file into memory. An already open case is
// returned as it is.
func (w *Workspace) OpenCase(ctx context.Context, id string) (*Case, error) {
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return nil, ErrLocked
	}
	if c, ok := w.open[id]; ok {
		w.mu.Unlock()
		return c, nil
	}
	cc := w.cat.find(id)
	if cc == nil {
		w.mu.Unlock()
		return nil, fmt.Errorf("case %q %w", id, ErrNotFound)
	}
	identity, err := cc.caseKey()
	wantGen := cc.Generation
	w.mu.Unlock()
	if err != nil {
		return nil, damaged(catalogName, adviceBackup, err)
	}
	c := &Case{ws: w, id: id, identity: identity}
	plain, err := c.readFile(ctx)
	if err != nil {
		return nil, err
	}
	err = c.openDB(ctx, plain)
	crypto.Wipe(plain)
	if err != nil {
		return nil, damaged(c.relFile(), adviceBackup, err)
	}
	if err := c.checkIdentity(ctx, wantGen); err != nil {
		c.closeDB()
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if other, ok := w.open[id]; ok { // opened concurrently
		c.closeDB()
		return other, nil
	}
	if w.cat == nil {
		c.closeDB()
		return nil, ErrLocked
	}
	if cc := w.cat.find(id); cc != nil && c.generation > cc.Generation {
		// A crash came after the case file was saved and before the
		// catalog was: the file is the newer, authentic state.
		cc.Generation = c.generation
	}
	w.open[id] = c
	return c, nil
}

// RollbackError reports a case file older than the catalog says it should
// be: an earlier copy was put back in place.
type RollbackError struct {
	File            string
	Found, Expected uint64
}

func (e *RollbackError) Error() string {
	return fmt.Sprintf("%s is an older copy (save %d, but save %d was made): it was rolled back or restored from an old backup; nothing was loaded or changed: put back the latest copy", e.File, e.Found, e.Expected)
}

// checkIdentity confirms the database belongs to this case and is not older
// than the catalog's generation.
func (c *Case) checkIdentity(ctx context.Context, wantGen uint64) error {
	var caseID string
	var gen uint64
	err := c.conn.QueryRowContext(ctx, "SELECT (SELECT value FROM meta WHERE key='case_id'), (SELECT CAST(value AS INTEGER) FROM meta WHERE key='generation')").Scan(&caseID, &gen)
	if err != nil {
		return damaged(c.relFile(), adviceBackup, err)
	}
	if caseID != c.id {
		return damaged(c.relFile(), "it belongs to another case", nil)
	}
	if gen < wantGen {
		return &RollbackError{File: c.relFile(), Found: gen, Expected: wantGen}
	}
	c.generation = gen
	return nil
}

func (c *Case) dir() string      { return filepath.Join(c.ws.dir, casesDir, c.id) }
func (c *Case) relFile() string  { return casesDir + "/" + c.id + "/" + caseFileName }
func (c *Case) filePath() string { return filepath.Join(c.dir(), caseFileName) }

// tx runs fn in a transaction on the case database and marks the case
// changed when it commits.
func (c *Case) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := c.lockOpen(); err != nil {
		return err
	}
	defer c.mu.Unlock()
	tx, err := c.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return caseFull(err)
	}
	if err := tx.Commit(); err != nil {
		return caseFull(err)
	}
	c.dirty = true
	c.scheduleSaveLocked()
	return nil
}

// Info returns the case's record.
func (c *Case) Info(ctx context.Context) (CaseInfo, error) {
	if err := c.lockOpen(); err != nil {
		return CaseInfo{}, err
	}
	defer c.mu.Unlock()
	return readInfo(ctx, c.conn)
}

// Update validates info and replaces the case's record with it (ID and
// Created are kept), with an audit entry listing what changed. A record with
// nothing changed writes nothing.
func (c *Case) Update(ctx context.Context, info CaseInfo) error {
	if err := info.normalize(); err != nil {
		return err
	}
	w := c.ws
	w.mu.Lock()
	if w.cat != nil {
		for _, cc := range w.cat.Cases {
			if cc.ID != c.id && cc.Summary.Ref == info.Ref {
				w.mu.Unlock()
				return invalid("ref", "reference %q is already used by another case in this workspace", info.Ref)
			}
		}
	}
	w.mu.Unlock()
	return c.tx(ctx, func(tx *sql.Tx) error {
		old, err := readInfo(ctx, tx)
		if err != nil {
			return err
		}
		info.ID, info.Created = old.ID, old.Created
		d := info.diff(&old)
		if len(d) == 0 {
			return nil
		}
		info.Updated = time.Now().UTC().Truncate(time.Second)
		if err := writeInfo(ctx, tx, &info); err != nil {
			return err
		}
		return appendAudit(ctx, tx, w.Actor(), "case.update", c.id, d)
	})
}

// Audit returns the case's audit chain and whether it verifies.
func (c *Case) Audit(ctx context.Context) ([]AuditEntry, ChainReport, error) {
	if err := c.lockOpen(); err != nil {
		return nil, ChainReport{}, err
	}
	defer c.mu.Unlock()
	entries, err := readAudit(ctx, c.conn)
	if err != nil {
		return nil, ChainReport{}, err
	}
	return entries, verifyChain(entries), nil
}

// Dirty reports whether the case has changes not yet saved.
func (c *Case) Dirty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dirty
}

// SetAutosave makes every change save the case after delay without further
// changes (debounced); zero turns it off. onResult, if not nil, is called
// after each automatic save with its error (nil on success), from another
// goroutine.
func (c *Case) SetAutosave(delay time.Duration, onResult func(error)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.autosave, c.onSaveResult = delay, onResult
}

func (c *Case) scheduleSaveLocked() {
	if c.autosave <= 0 {
		return
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(c.autosave, func() {
		err := c.Save()
		c.mu.Lock()
		cb := c.onSaveResult
		c.mu.Unlock()
		if cb != nil {
			cb(err)
		}
	})
}

// Close saves the case if it changed and frees its memory. If the save
// fails, the case stays open and the error says why.
func (c *Case) Close() error {
	if err := c.Save(); err != nil {
		return err
	}
	c.mu.Lock()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.closed = true
	c.closeDBLocked()
	c.mu.Unlock()
	c.ws.mu.Lock()
	delete(c.ws.open, c.id)
	c.ws.mu.Unlock()
	return nil
}

// DeleteCase removes a case: its identity leaves the catalog first, so that
// whatever remains of its files (a backup, a failed removal) can never be
// decrypted again, then its folder is removed.
func (w *Workspace) DeleteCase(ctx context.Context, id string) error {
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return ErrLocked
	}
	cc := w.cat.find(id)
	if cc == nil {
		w.mu.Unlock()
		return fmt.Errorf("case %q %w", id, ErrNotFound)
	}
	c := w.open[id]
	w.mu.Unlock()
	if c != nil {
		c.mu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.closed = true
		c.closeDBLocked()
		c.mu.Unlock()
	}
	w.kickFlush()
	w.flushDone.Wait()
	w.mu.Lock()
	delete(w.open, id)
	saved := w.cat.Cases
	w.cat.Cases = append([]*catalogCase(nil), w.cat.Cases...)
	w.cat.remove(id)
	undoReceived := w.forgetReceivedLocked(id)
	w.catalogChangedLocked()
	if err := w.saveCatalogLocked(); err != nil {
		w.cat.Cases = saved
		undoReceived()
		w.mu.Unlock()
		return err
	}
	w.mu.Unlock()
	if err := os.RemoveAll(filepath.Join(w.dir, casesDir, id)); err != nil {
		return fmt.Errorf("the case is deleted and its key destroyed, but its folder could not be removed (%v): its files can no longer be decrypted; remove the folder by hand", err)
	}
	return nil
}
