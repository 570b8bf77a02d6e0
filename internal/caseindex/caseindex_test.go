package caseindex

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"casevault/casefile"
)

// TestIndexSurvivesReindexAndClose: the CLI updates the index after every
// change (open, re-index the case, close); the next open must find it
// current instead of rebuilding it from every case file. Before the fix
// the last batch before Close was not persisted, and every command that
// followed a change rebuilt the whole index.
func TestIndexSurvivesReindexAndClose(t *testing.T) {
	ctx := context.Background()
	w, _, err := casefile.Create(filepath.Join(t.TempDir(), "ws"), []byte("a long enough fictional passphrase"), casefile.CreateOptions{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	c, err := w.CreateCase(ctx, casefile.CaseInfo{Ref: "IX-1", Title: "Harbour case (fictional)"})
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "note.txt"), []byte("the broker kept the passports at the harbour"), 0o600)
	for round := range 3 {
		if _, err := c.Import(ctx, []string{src}, casefile.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
		ix, rebuilt, err := Open(ctx, w, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rebuilt != (round == 0) {
			t.Fatalf("round %d: rebuilt %v (only the first open builds the index)", round, rebuilt)
		}
		if err := ReindexCase(ctx, ix, c); err != nil {
			t.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
