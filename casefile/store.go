package casefile

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"

	"filippo.io/age"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver

	"casevault/crypto"
)

const sqliteHeader = "SQLite format 3\x00"

// openDB opens the case's in-memory database: one pinned connection
// (modernc's Deserialize is private to its connection), temp_store in
// memory, nothing attached from disk. plain, if not nil, is the database
// image to load; the caller wipes it.
func (c *Case) openDB(ctx context.Context, plain []byte) error {
	if plain != nil && !bytes.HasPrefix(plain, []byte(sqliteHeader)) {
		return errors.New("not an SQLite database")
	}
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return err
	}
	fail := func(err error) error {
		conn.Close()
		db.Close()
		return err
	}
	if plain != nil {
		err := conn.Raw(func(dc any) error {
			d, ok := dc.(interface{ Deserialize([]byte) error })
			if !ok {
				return errors.New("sqlite driver cannot deserialize")
			}
			return d.Deserialize(plain)
		})
		if err != nil {
			return fail(err)
		}
	}
	for _, p := range []string{"PRAGMA temp_store = MEMORY", "PRAGMA foreign_keys = ON", "PRAGMA trusted_schema = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fail(err)
		}
	}
	if err := migrate(ctx, conn); err != nil {
		return fail(err)
	}
	if plain == nil {
		// A new database moves into SQLite's memdb, as an opened case
		// is, so that its saves too encrypt memdb's buffer (dbImage).
		if err := intoMemdb(conn); err != nil {
			return fail(err)
		}
	}
	// memdb's 1 GiB default would stop a large case's writes; let it grow
	// as far as a bundle may carry. A driver laid out otherwise keeps the
	// default (TestMemdbLimit fails then, so an upgrade is noticed).
	conn.Raw(func(dc any) error {
		setMemdbLimit(dc, memdbLimit)
		return nil
	})
	c.db, c.conn = db, conn
	return nil
}

// intoMemdb reloads the connection's database (just made: the schema, no
// case data) through Serialize and Deserialize, which puts it in memdb.
func intoMemdb(conn *sql.Conn) error {
	return conn.Raw(func(dc any) error {
		d, ok := dc.(interface {
			Serialize() ([]byte, error)
			Deserialize([]byte) error
		})
		if !ok {
			return errors.New("sqlite driver cannot serialize")
		}
		image, err := d.Serialize()
		if err != nil {
			return err
		}
		defer crypto.Wipe(image)
		return d.Deserialize(image)
	})
}

func (c *Case) closeDB() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeDBLocked()
}

func (c *Case) closeDBLocked() {
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts, c.saveBufs = nil, nil
	if c.conn != nil {
		c.wipeDB()
		c.conn.Close()
		c.db.Close()
		c.conn, c.db = nil, nil
	}
}

// wipeDB zeroes the database in memdb's buffer before the connection
// closes: SQLite frees it without clearing it, which would leave the whole
// case in plaintext in freed memory. (The pages SQLite's cache holds, at
// most its cache size, are still freed as they are.)
func (c *Case) wipeDB() {
	size, err := dbSize(context.Background(), c.conn) // c.stmts are closed
	if err != nil {
		return
	}
	if image, ok := c.dbImage(size); ok {
		crypto.Wipe(image)
	}
}

// dbSize is the size of the database's image: its pages times their size.
func dbSize(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&n)
	return n, err
}

// readFile decrypts and authenticates the whole case file. age's chunks
// are authenticated one by one and the final one first (a truncated file
// is refused before anything else is read), so a larger file is decrypted
// in parts on as many goroutines as there are cores (readAtParallel). The
// caller wipes the result.
func (c *Case) readFile(ctx context.Context) ([]byte, error) {
	f, err := os.Open(c.filePath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, damaged(c.relFile(), "the case file is missing; restore it from a backup", err)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", c.relFile(), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", c.relFile(), err)
	}
	r, size, err := age.DecryptReaderAt(f, st.Size(), c.identity.Identity())
	if err != nil {
		return nil, damaged(c.relFile(), adviceBackup, err)
	}
	plain := make([]byte, size)
	if err := readAtParallel(r, plain); err != nil {
		crypto.Wipe(plain)
		return nil, damaged(c.relFile(), adviceBackup, err)
	}
	return plain, nil
}

// parallelReadMin is the smallest case file decrypted on more than one
// goroutine: below it, starting one costs about what it saves.
const parallelReadMin = 512 << 10

// readAtParallel fills p from r, in parts of whole age chunks read
// concurrently, one per core.
func readAtParallel(r io.ReaderAt, p []byte) error {
	parts := 1
	if len(p) >= parallelReadMin {
		parts = min(runtime.GOMAXPROCS(0), len(p)/ageChunk)
	}
	per := (len(p)/parts + ageChunk - 1) / ageChunk * ageChunk
	errs := make(chan error, parts)
	for off := 0; off < len(p); off += per {
		part := p[off:min(off+per, len(p))]
		go func() {
			n, err := r.ReadAt(part, int64(off))
			if n == len(part) && errors.Is(err, io.EOF) {
				err = nil
			} else if err == nil && n < len(part) {
				err = io.ErrUnexpectedEOF
			}
			errs <- err
		}()
	}
	var err error
	for off := 0; off < len(p); off += per {
		if e := <-errs; err == nil {
			err = e
		}
	}
	return err
}

// Save writes the case file if the case changed: the generation goes up by
// one, the database pages are streamed through age encryption into a temp
// file that atomically replaces the case file, then the catalog records the
// new generation, the audit checkpoint and the summary. On error the old
// case file is intact and the case stays unsaved.
func (c *Case) Save() error {
	ctx := context.Background()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || (!c.dirty && c.generation > 0) {
		return nil
	}
	if c.timer != nil {
		c.timer.Stop()
	}
	w := c.ws
	w.mu.Lock()
	keys := w.keys
	w.mu.Unlock()
	if keys == nil {
		return ErrLocked
	}
	if err := c.syncBlobs(); err != nil {
		return err
	}
	gen := c.generation + 1
	if err := c.setGeneration(ctx, gen); err != nil {
		return err
	}
	// The catalog's summary and checkpoint are read from the database as
	// it is saved (c.mu keeps it unchanged), while the file is being made
	// durable.
	var sum saveSummary
	var sumErr error
	err := c.writeCaseFile(ctx, func() { sum, sumErr = c.readSaveSummary(ctx) })
	if err != nil {
		c.setGeneration(ctx, c.generation)
		return fmt.Errorf("could not save case %s; the last saved copy is intact and your changes are still open: %w", c.id, err)
	}
	c.generation, c.dirty = gen, false
	if sumErr != nil {
		return sumErr
	}
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return ErrLocked
	}
	cc := w.cat.find(c.id)
	created := cc == nil
	if created {
		cc = &catalogCase{ID: c.id, Identity: c.identity.String(), key: c.identity}
		w.cat.Cases = append(w.cat.Cases, cc)
	}
	cc.Generation = gen
	cc.Checkpoint = signCheckpoint(keys, c.id, sum.auditSize, hex.EncodeToString(sum.auditHead))
	cc.Summary = sum.info.summary()
	cc.Due, cc.Totals = sum.due, sum.totals
	w.catalogChangedLocked()
	if !created {
		flushErr := w.takeFlushErrLocked()
		w.requestFlushLocked()
		w.mu.Unlock()
		if flushErr != nil {
			return fmt.Errorf("case %s is saved, but an earlier catalog update failed (it is retried now): %w", c.id, flushErr)
		}
		return nil
	}
	w.mu.Unlock()
	// A new case exists only once the catalog holding its key is on disk.
	w.kickFlush()
	w.flushDone.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.catDirty = true
	if err := w.flushLocked(true); err != nil {
		w.cat.remove(c.id)
		w.catalogChangedLocked()
		return fmt.Errorf("could not record the new case in the catalog: %w", err)
	}
	return nil
}

func (c *Case) setGeneration(ctx context.Context, gen uint64) error {
	_, err := savedQueries{c}.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = 'generation'", strconv.FormatUint(gen, 10))
	return err
}

// saveSummary is what the catalog records of a saved case.
type saveSummary struct {
	info      CaseInfo
	due       []Deadline // open deadlines only
	totals    []Total
	auditSize uint64
	auditHead []byte
}

func (c *Case) readSaveSummary(ctx context.Context) (saveSummary, error) {
	var s saveSummary
	var err error
	q := savedQueries{c}
	if s.info, err = readInfo(ctx, q); err != nil {
		return s, err
	}
	due, err := readDeadlines(ctx, q, c.id)
	if err != nil {
		return s, err
	}
	s.due = due[:0]
	for _, d := range due {
		if !d.Done {
			s.due = append(s.due, d)
		}
	}
	if s.totals, err = readTotals(ctx, q); err != nil {
		return s, err
	}
	err = q.QueryRowContext(ctx, "SELECT count(*), coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), x'') FROM audit").Scan(&s.auditSize, &s.auditHead)
	return s, err
}

// savedQueries runs the queries that every save repeats on statements
// prepared once per open case: preparing them is most of what they cost.
// c.mu must be held.
type savedQueries struct{ c *Case }

func (q savedQueries) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c := q.c
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, nil
}

func (q savedQueries) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (q savedQueries) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return q.c.conn.QueryRowContext(ctx, query, args...) // the same error
	}
	return st.QueryRowContext(ctx, args...)
}

func (q savedQueries) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// A save carries the database pages from SQLite to the encrypting writer
// in saveChunks buffers. Each holds a thirty-second of the database,
// rounded up to age's 64 KiB chunks, between 64 and 256 KiB: together
// about an eighth of a small case (at least 256 KiB), and few chunks to
// hand from one goroutine to the other for a large one (each hand-over
// costs the scheduler some microseconds).
const (
	saveChunks       = 4
	ageChunk         = 64 << 10
	saveChunkMaxSize = 4 * ageChunk
)

func saveChunkSize(dbSize int64) int {
	n := (dbSize/32 + ageChunk - 1) / ageChunk * ageChunk
	return int(min(max(n, ageChunk), saveChunkMaxSize))
}

type pageChunk struct {
	buf []byte
	n   int
	end bool  // the last chunk: every page was read
	err error // reading the pages failed
}

var errWriterStopped = errors.New("the case file writer stopped")

// writeCaseFile atomically replaces the case file with the database,
// encrypted with age: the same bytes as sqlite3_serialize, without a second
// copy of the database in memory. A case opened from its file is encrypted
// straight from SQLite's memdb buffer (dbImage) on another goroutine, which
// then makes the file durable and puts it in place (writeAtomic). Any other
// database is read page by page from sqlite_dbpage: up to savePipelineMax,
// two goroutines share the work so that the two cores overlap it (this one
// reads the pages out of SQLite; the other encrypts and writes them);
// above it, the other goroutine reads and encrypts alone. Once every page
// is read, meanwhile (if not nil) runs here while the other goroutine
// finishes. The caller holds c.mu.
func (c *Case) writeCaseFile(ctx context.Context, meanwhile func()) error {
	dbSize, err := dbSize(ctx, savedQueries{c})
	if err != nil {
		return err
	}
	if image, ok := c.dbImage(dbSize); ok && bytes.HasPrefix(image, []byte(sqliteHeader)) {
		return c.writeCaseFileOnce(func(out io.Writer, r age.Recipient) error {
			return crypto.Encrypt(out, image, r)
		}, meanwhile)
	}
	if dbSize > savePipelineMax {
		return c.writeCaseFileOnce(func(out io.Writer, r age.Recipient) error {
			return c.encryptPages(ctx, out, r)
		}, meanwhile)
	}
	if size := saveChunkSize(dbSize); len(c.saveBufs) == 0 || len(c.saveBufs[0]) != size {
		c.saveBufs = make([][]byte, saveChunks)
		for i := range c.saveBufs {
			c.saveBufs[i] = make([]byte, size)
		}
	}
	bufs := c.saveBufs
	free := make(chan []byte, saveChunks)
	for _, b := range bufs {
		free <- b
	}
	// Room for every buffer and an error: no send blocks.
	full := make(chan pageChunk, saveChunks+1)
	stop := make(chan struct{})
	done := make(chan error, 1)
	dir, rcpt := c.dir(), c.identity.Recipient()
	go func() {
		defer close(stop)
		done <- writeAtomic(dir, caseFileName, func(out io.Writer) error {
			return encryptChunks(out, rcpt, full, free)
		})
	}()
	err = c.readPages(ctx, full, free, stop)
	if err != nil {
		full <- pageChunk{err: err}
	}
	close(full)
	if err == nil && meanwhile != nil {
		meanwhile()
	}
	werr := <-done
	for _, b := range bufs { // plaintext pages; kept for the next save
		crypto.Wipe(b)
	}
	if werr != nil {
		return werr
	}
	return err
}

// savePipelineMax is the largest database (in bytes) whose pages are read
// on one goroutine while another encrypts them. Beyond it the split costs
// more CPU than the overlap saves time (100 MB: +19% CPU, 367 -> 437 ms,
// for a wall time within the noise), and one goroutine does both.
var savePipelineMax int64 = 16 << 20

// writeCaseFileOnce is writeCaseFile where one goroutine encrypts the
// whole database: from SQLite's memdb buffer (dbImage), or, for a large
// database outside memdb, reading its pages as well (encryptPages). This
// goroutine waits, then runs meanwhile while the file is made durable.
func (c *Case) writeCaseFileOnce(encrypt func(out io.Writer, r age.Recipient) error, meanwhile func()) error {
	paged := make(chan bool, 1) // every page read and encrypted
	done := make(chan error, 1)
	dir, rcpt := c.dir(), c.identity.Recipient()
	go func() {
		sent := false
		err := writeAtomic(dir, caseFileName, func(out io.Writer) error {
			err := encrypt(out, rcpt)
			paged <- err == nil // c.conn is no longer used here
			sent = true
			return err
		})
		if !sent {
			paged <- false
		}
		done <- err
	}()
	if <-paged && meanwhile != nil {
		meanwhile()
	}
	return <-done
}

// encryptPages writes the database pages, in order, through age to out.
func (c *Case) encryptPages(ctx context.Context, out io.Writer, r age.Recipient) error {
	aw, err := age.Encrypt(out, r)
	if err != nil {
		return err
	}
	err = c.eachPage(ctx, func(page []byte) error {
		_, err := aw.Write(page)
		return err
	})
	if err != nil {
		return err
	}
	return aw.Close()
}

// readPages copies the database pages, in order, into buffers from free
// and sends them on full, the last one marked end. It stops when stop is
// closed (the writer failed).
func (c *Case) readPages(ctx context.Context, full chan<- pageChunk, free <-chan []byte, stop <-chan struct{}) error {
	var buf []byte
	n := 0
	next := func() bool {
		select {
		case buf = <-free:
			n = 0
			return true
		case <-stop:
			return false
		}
	}
	if !next() {
		return errWriterStopped
	}
	err := c.eachPage(ctx, func(page []byte) error {
		for len(page) > 0 {
			k := copy(buf[n:], page)
			n, page = n+k, page[k:]
			if n == len(buf) {
				full <- pageChunk{buf: buf, n: n}
				if !next() {
					return errWriterStopped
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	full <- pageChunk{buf: buf, n: n, end: true}
	return nil
}

// eachPage calls fn with each database page, in order, from sqlite_dbpage
// (the bytes of sqlite3_serialize). A page is valid only during its call:
// it is the driver's own copy of the page, which is wiped afterwards, so
// that no plaintext page is left for the garbage collector.
func (c *Case) eachPage(ctx context.Context, fn func(page []byte) error) error {
	rows, err := savedQueries{c}.QueryContext(ctx, "SELECT data FROM sqlite_dbpage('main') ORDER BY pgno")
	if err != nil {
		return err
	}
	defer rows.Close()
	pages := 0
	var page sql.RawBytes // the driver's slice, not a copy
	for rows.Next() {
		if err := rows.Scan(&page); err != nil {
			return err
		}
		err := fn(page)
		crypto.Wipe(page)
		if err != nil {
			return err
		}
		pages++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if pages == 0 {
		return errors.New("database has no pages")
	}
	return nil
}

// encryptChunks writes the chunks from full through age to out, returning
// each buffer to free, until the one marked end.
func encryptChunks(out io.Writer, r age.Recipient, full <-chan pageChunk, free chan<- []byte) error {
	aw, err := age.Encrypt(out, r)
	if err != nil {
		return err
	}
	for ch := range full {
		if ch.err != nil {
			return ch.err
		}
		if _, err := aw.Write(ch.buf[:ch.n]); err != nil {
			return err
		}
		if ch.end {
			return aw.Close()
		}
		free <- ch.buf
	}
	return errors.New("the database pages ended early")
}
