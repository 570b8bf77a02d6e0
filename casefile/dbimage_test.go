package casefile

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSaveUsesTheMemdbImage: a case, new or opened from its file, is saved
// straight from SQLite's memdb buffer, and the file then decrypts to
// exactly the database. If a driver upgrade changes the connection's
// layout, this fails instead of every save silently taking the slower
// sqlite_dbpage path.
func TestSaveUsesTheMemdbImage(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	size := func() int64 {
		n, err := dbSize(ctx, c.conn)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, ok := c.dbImage(size()); !ok {
		t.Fatal("a new case's database is not in memdb")
	}
	c = closeAndOpen(t, w, c)
	n := size()
	image, ok := c.dbImage(n)
	if !ok {
		t.Fatal("an opened case's database gave no memdb image; is modernc.org/sqlite's conn still {db uintptr; tls *libc.TLS}?")
	}
	if !bytes.HasPrefix(image, []byte(sqliteHeader)) || int64(len(image)) != n {
		t.Fatalf("image of %d bytes, header %q", len(image), image[:16])
	}
	if _, ok := c.dbImage(n + 4096); ok {
		t.Fatal("an image of the wrong size was used")
	}
	filler := strings.Repeat("y", 3000)
	for round := range 3 {
		for i := range 300 { // the memdb grows (and moves) between saves
			if _, err := c.conn.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", fmt.Sprintf("filler-%d-%d", round, i), filler); err != nil {
				t.Fatal(err)
			}
		}
		c.mu.Lock()
		c.dirty = true
		c.mu.Unlock()
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		want := serializeCase(t, c)
		got, err := c.readFile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d: the case file holds %d bytes, not the %d-byte database", round, len(got), len(want))
		}
		if _, ok := c.dbImage(size()); !ok {
			t.Fatalf("round %d: no memdb image after the save", round)
		}
	}
	c = closeAndOpen(t, w, c)
	var count int
	if err := c.conn.QueryRowContext(ctx, "SELECT count(*) FROM meta WHERE key LIKE 'filler-%'").Scan(&count); err != nil || count != 900 {
		t.Fatalf("reopened: %d filler rows (%v), want 900", count, err)
	}
}

// TestCloseWipesTheDatabase: closing a case zeroes memdb's buffer, which
// SQLite would free with the whole case in it.
func TestCloseWipesTheDatabase(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	n, err := dbSize(ctx, c.conn)
	if err != nil {
		t.Fatal(err)
	}
	image, ok := c.dbImage(n)
	if !ok || !bytes.Contains(image, []byte(sampleInfo().Title)) {
		t.Fatal("no memdb image holding the case title")
	}
	c.mu.Lock()
	c.wipeDB() // as closeDBLocked does, but with the buffer still allocated
	c.mu.Unlock()
	if i := slices.IndexFunc(image, func(b byte) bool { return b != 0 }); i >= 0 {
		t.Fatalf("byte %d of %d is %#x after the wipe", i, len(image), image[i])
	}
	c.mu.Lock()
	c.dirty = false // the wiped database must not be saved
	c.mu.Unlock()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMemdbLimit: a case database, new or opened from its file, may grow in
// memdb up to memdbLimit, not memdb's 1 GiB default; and the limit is what
// stops a write (which then fails whole, leaving the case usable).
func TestMemdbLimit(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	limit := func(set int64) int64 {
		var got int64
		var ok bool
		c.conn.Raw(func(dc any) error {
			got, ok = setMemdbLimit(dc, set)
			return nil
		})
		if !ok {
			t.Fatal("no memdb size limit; is modernc.org/sqlite's conn still {db uintptr; tls *libc.TLS}?")
		}
		return got
	}
	if got := limit(-1); got != memdbLimit {
		t.Fatalf("new case: memdb limit %d, want %d", got, memdbLimit)
	}
	c = closeAndOpen(t, w, c)
	defer c.Close()
	if got := limit(-1); got != memdbLimit {
		t.Fatalf("opened case: memdb limit %d, want %d", got, memdbLimit)
	}

	size, err := dbSize(ctx, c.conn)
	if err != nil {
		t.Fatal(err)
	}
	limit(size + 64<<10)
	insert := func() error {
		tx, err := c.conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for i := range 64 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", fmt.Sprint("limit-", i), strings.Repeat("z", 4000)); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	if err := insert(); err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("256 KB past a 64 KiB margin: %v, want a full database", err)
	}
	var n int
	if err := c.conn.QueryRowContext(ctx, "SELECT count(*) FROM meta WHERE key LIKE 'limit-%'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("after the failed write: %d rows, %v", n, err)
	}
	// Through the case's own writes, the user is told what happened.
	err = c.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('limit-big', ?)", strings.Repeat("z", 256<<10))
		return err
	})
	if !errors.Is(err, ErrCaseFull) {
		t.Fatalf("a case write past the limit: %v, want ErrCaseFull", err)
	}
	limit(memdbLimit)
	if err := insert(); err != nil {
		t.Fatalf("under the full limit: %v", err)
	}
}
