package casefile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestCaseRoundTrip(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	want, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want.Title = "Edited title"
	want.Tags = append(want.Tags, "edited")
	if err := c.Update(ctx, want); err != nil {
		t.Fatal(err)
	}
	want, _ = c.Info(ctx)
	w2 := reopen(t, w)
	c2, err := w2.OpenCase(ctx, c.ID())
	if err != nil {
		t.Fatal(err)
	}
	got, err := c2.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen:\n got %+v\nwant %+v", got, want)
	}
	entries, rep, err := c2.Audit(ctx)
	if err != nil || !rep.OK || len(entries) != 2 {
		t.Fatalf("audit: %v %+v %d", err, rep, len(entries))
	}
	list, _ := w2.Cases()
	if len(list) != 1 || list[0].Title != "Edited title" {
		t.Fatalf("catalog summary: %+v", list)
	}
}

func TestCaseValidation(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	mustCreateCase(t, w, sampleInfo())
	for name, mod := range map[string]func(*CaseInfo){
		"duplicate ref":   func(ci *CaseInfo) {},
		"empty title":     func(ci *CaseInfo) { ci.Ref = "X"; ci.Title = " " },
		"bad status":      func(ci *CaseInfo) { ci.Ref = "X"; ci.Status = "lost" },
		"bad country":     func(ci *CaseInfo) { ci.Ref = "X"; ci.Jurisdictions = []Jurisdiction{{"XX", RoleOrigin}} },
		"bad role":        func(ci *CaseInfo) { ci.Ref = "X"; ci.Jurisdictions = []Jurisdiction{{"TH", "source"}} },
		"closed not done": func(ci *CaseInfo) { ci.Ref = "X"; ci.Closed = MustDate("2026-02-01") },
		"control char":    func(ci *CaseInfo) { ci.Ref = "X"; ci.Title = "a\x07b" },
	} {
		ci := sampleInfo()
		mod(&ci)
		_, err := w.CreateCase(ctx, ci)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a ValidationError", name, err)
		}
	}
	if list, _ := w.Cases(); len(list) != 1 {
		t.Fatalf("refused cases were created: %d", len(list))
	}
}

// A case opens with the connection settings it relies on: foreign keys
// enforced, no trust in functions named by the schema, temp data in
// memory only (nothing of a case may reach a temp file) — for a new case
// and for one read back from its file.
func TestCaseConnectionSettings(t *testing.T) {
	w, _ := newTestWorkspace(t)
	ctx := context.Background()
	c, err := w.CreateCase(ctx, sampleInfo())
	if err != nil {
		t.Fatal(err)
	}
	id := c.ID()
	check := func(when string, c *Case) {
		t.Helper()
		var fk, trusted, temp, version int
		err := c.conn.QueryRowContext(ctx, "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT trusted_schema FROM pragma_trusted_schema), (SELECT temp_store FROM pragma_temp_store), (SELECT user_version FROM pragma_user_version)").Scan(&fk, &trusted, &temp, &version)
		if err != nil || fk != 1 || trusted != 0 || temp != 2 || version != SchemaVersion {
			t.Fatalf("%s: foreign_keys %d, trusted_schema %d, temp_store %d, user_version %d (want 1, 0, 2, %d): %v", when, fk, trusted, temp, version, SchemaVersion, err)
		}
	}
	check("new", c)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = w.OpenCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	check("reopened", c)
}

// TestSavedFileIsTheDatabase checks that the case file decrypts to exactly
// the bytes sqlite3_serialize gives for the database, for a database of a
// few pages (one chunk) and one of many chunks (the pages are carried
// between two goroutines in buffers).
func TestSavedFileIsTheDatabase(t *testing.T) {
	// The pages are read from sqlite_dbpage, as when SQLite's memdb
	// buffer is out of reach (TestSaveUsesTheMemdbImage tests that path).
	defer func(u bool) { useMemdbImage = u }(useMemdbImage)
	useMemdbImage = false
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	check := func(when string) {
		t.Helper()
		c.mu.Lock()
		c.dirty = true
		c.mu.Unlock()
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		image := serializeCase(t, c)
		plain, err := c.readFile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain, image) {
			t.Fatalf("%s: the case file holds %d bytes, not the %d-byte database", when, len(plain), len(image))
		}
	}
	check("small")
	filler := strings.Repeat("x", 3000)
	for i := 0; i < 700; i++ { // ~2.8 MB: some twenty 128 KiB chunks
		if _, err := c.conn.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?)", fmt.Sprintf("filler-%d", i), filler); err != nil {
			t.Fatal(err)
		}
	}
	check("large")
	// Above savePipelineMax one goroutine reads and encrypts.
	defer func(m int64) { savePipelineMax = m }(savePipelineMax)
	savePipelineMax = 0
	check("large, one goroutine")
	path := c.filePath()
	before, _ := os.ReadFile(path)
	faultWriter = func(w io.Writer) io.Writer { return &failingWriter{w, 100_000} }
	c.mu.Lock()
	c.dirty = true
	c.mu.Unlock()
	err := c.Save()
	faultWriter = nil
	if err == nil || !strings.Contains(err.Error(), "no space left") || !c.Dirty() {
		t.Fatalf("a failing write, one goroutine: %v (dirty %v)", err, c.Dirty())
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Fatal("a failed save changed the case file")
	}
	check("large, one goroutine, after a failure")
}
