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
	c.db, c.conn = db, conn
	return nil
}

func (c *Case) closeDB() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeDBLocked()
}

func (c *Case) closeDBLocked() {
	if c.conn != nil {
		c.conn.Close()
		c.db.Close()
		c.conn, c.db = nil, nil
	}
}

// readFile decrypts and authenticates the whole case file. The caller wipes
// the result.
func (c *Case) readFile(ctx context.Context) ([]byte, error) {
	f, err := os.Open(c.filePath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, damaged(c.relFile(), "the case file is missing; restore it from a backup", err)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", c.relFile(), err)
	}
	defer f.Close()
	r, err := crypto.Decrypt(f, c.identity.Identity())
	if err != nil {
		return nil, damaged(c.relFile(), adviceBackup, err)
	}
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil {
		buf.Grow(int(st.Size()))
	}
	if _, err := io.Copy(&buf, r); err != nil {
		crypto.Wipe(buf.Bytes())
		return nil, damaged(c.relFile(), adviceBackup, err)
	}
	return buf.Bytes(), nil
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
	err := writeAtomic(c.dir(), caseFileName, func(out io.Writer) error {
		return c.streamEncrypted(ctx, out)
	})
	if err != nil {
		c.setGeneration(ctx, c.generation)
		return fmt.Errorf("could not save case %s; the last saved copy is intact and your changes are still open: %w", c.id, err)
	}
	c.generation, c.dirty = gen, false

	info, err := readInfo(ctx, c.conn)
	if err != nil {
		return err
	}
	due, err := readDeadlines(ctx, c.conn, c.id)
	if err != nil {
		return err
	}
	open := due[:0]
	for _, d := range due {
		if !d.Done {
			open = append(open, d)
		}
	}
	totals, err := readTotals(ctx, c.conn)
	if err != nil {
		return err
	}
	var size uint64
	var head []byte
	if err := c.conn.QueryRowContext(ctx, "SELECT count(*), coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), x'') FROM audit").Scan(&size, &head); err != nil {
		return err
	}
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return ErrLocked
	}
	cc := w.cat.find(c.id)
	created := cc == nil
	if created {
		cc = &catalogCase{ID: c.id, Identity: c.identity.String()}
		w.cat.Cases = append(w.cat.Cases, cc)
	}
	cc.Generation = gen
	cc.Checkpoint = signCheckpoint(keys, c.id, size, hex.EncodeToString(head))
	cc.Summary = info.summary()
	cc.Due, cc.Totals = open, totals
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
	_, err := c.conn.ExecContext(ctx, "UPDATE meta SET value = ? WHERE key = 'generation'", strconv.FormatUint(gen, 10))
	return err
}

// streamEncrypted writes the database through age to out, page by page from
// sqlite_dbpage (the same bytes as sqlite3_serialize, without holding a
// second copy of the database in memory).
func (c *Case) streamEncrypted(ctx context.Context, out io.Writer) error {
	aw, err := age.Encrypt(out, c.identity.Recipient())
	if err != nil {
		return err
	}
	rows, err := c.conn.QueryContext(ctx, "SELECT data FROM sqlite_dbpage('main') ORDER BY pgno")
	if err != nil {
		return err
	}
	defer rows.Close()
	pages := 0
	for rows.Next() {
		var page sql.RawBytes
		if err := rows.Scan(&page); err != nil {
			return err
		}
		if _, err := aw.Write(page); err != nil {
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
	return aw.Close()
}
