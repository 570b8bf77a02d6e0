package search

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	index "github.com/blevesearch/bleve_index_api"
)

func testKey(epoch uint32) Key {
	k := Key{Epoch: epoch, Secret: bytes.Repeat([]byte{byte(epoch), 0x5a}, KeySize/2)}
	return k
}

func openTest(t *testing.T, dir string, keys ...Key) *Index {
	t.Helper()
	if len(keys) == 0 {
		keys = []Key{testKey(1)}
	}
	ix, err := Open(dir, keys...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func mustPut(t *testing.T, ix *Index, docs ...Document) {
	t.Helper()
	if err := ix.Put(docs...); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func search(t *testing.T, ix *Index, q string) *Results {
	t.Helper()
	res, err := ix.Search(context.Background(), q, SearchOptions{Limit: 50})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

func hitIDs(r *Results) []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

const markerA = "ZEBRAMARKERQX"
const markerB = "violetmarkerkj"

func markerDocs(n int) []Document {
	var docs []Document
	for i := range n {
		docs = append(docs, Document{
			CaseID: "case1", Kind: KindEvidence, ItemID: "item" + string(rune('a'+i%26)), Chunk: i,
			Date: time.Date(2024, 3, 1+i%28, 0, 0, 0, 0, time.UTC), Lang: "en",
			Title:  "Chat " + markerA,
			Text:   "The recruiter " + markerA + " took the passport of " + markerB + " at the border, call +66 81 234 5678",
			Fields: map[string]string{FieldType: "chat", FieldPerson: "Somchai " + markerB},
		})
	}
	return docs
}

// readAll returns every file under dir.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p] = b
		return nil
	})
	if len(out) == 0 {
		t.Fatal("no index files")
	}
	return out
}

func TestNoPlaintextAtRest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir)
	mustPut(t, ix, markerDocs(300)...)
	if got := search(t, ix, strings.ToLower(markerA)); got.Total != 300 {
		t.Fatalf("found %d, want 300", got.Total)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	needles := []string{markerA, strings.ToLower(markerA), markerB, "Somchai", "somchai", "recruiter", "passport",
		"812345678", "case1", "casevault_text_v1", "ident", "person", "title", "chunk"}
	for p, b := range readAll(t, dir) {
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) || bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(n))) && len(n) > 5 {
				t.Errorf("%s holds %q in plaintext", filepath.Base(p), n)
			}
		}
	}
}

func TestOpenWithoutHooksFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir)
	mustPut(t, ix, markerDocs(10)...)
	ix.Close()

	w, r := index.WriterHook, index.ReaderHook
	index.WriterHook, index.ReaderHook = nil, nil
	defer func() { index.WriterHook, index.ReaderHook = w, r }()
	kr, _ := newKeyring([]Key{testKey(1)}, false)
	abs, err := registerDir(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	defer unregisterDir(abs)
	if _, err := openBleveRaw(abs); err == nil {
		t.Fatal("index opened without the hooks")
	}
}

func TestOpenWithWrongKeyFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir)
	mustPut(t, ix, markerDocs(10)...)
	ix.Close()
	other := testKey(1)
	other.Secret = bytes.Repeat([]byte{7}, KeySize)
	if _, err := Open(dir, other); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("wrong key: got %v, want ErrNeedsRebuild", err)
	}
	if _, err := Open(dir, testKey(2)); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("missing epoch: got %v, want ErrNeedsRebuild", err)
	}
	// The right key still works after the failures.
	ix = openTest(t, dir)
	if got := search(t, ix, "recruiter"); got.Total != 10 {
		t.Fatalf("found %d, want 10", got.Total)
	}
}

func TestPlaintextIndexRefused(t *testing.T) {
	root := t.TempDir()
	plainDir := filepath.Join(root, "plain")
	p, err := OpenWith(plainDir, Options{plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, p, markerDocs(20)...)
	p.Close()
	// A whole plaintext index is refused.
	if _, err := Open(plainDir, testKey(1)); !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("plaintext index: got %v", err)
	}
	// The reader hook itself refuses an on-disk file without a key id,
	// and passes in-memory segments through.
	kr, _ := newKeyring([]Key{testKey(1)}, false)
	abs, err := registerDir(plainDir, kr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readerHook("", []byte(filepath.Join(abs, "store", "000000000001.zap"))); !errors.Is(err, ErrPlaintext) {
		t.Fatalf("reader hook on a plaintext file: %v", err)
	}
	if f, err := readerHook("", nil); err != nil || f == nil {
		t.Fatalf("reader hook on an in-memory segment: %v", err)
	}
	if id, f, err := writerHook(nil); err != nil || id != "" || string(f([]byte("x"))) != "x" {
		t.Fatalf("writer hook on an in-memory segment: %q %v", id, err)
	}
	unregisterDir(abs)
	// A plaintext segment put in place of an encrypted one is refused.
	encDir := filepath.Join(root, "enc")
	ix := openTest(t, encDir)
	mustPut(t, ix, markerDocs(20)...)
	ix.Close()
	encZaps, _ := filepath.Glob(filepath.Join(encDir, "store", "*.zap"))
	plainZaps, _ := filepath.Glob(filepath.Join(plainDir, "store", "*.zap"))
	if len(encZaps) == 0 || len(plainZaps) == 0 {
		t.Fatalf("zap files: enc %v plain %v", encZaps, plainZaps)
	}
	b, _ := os.ReadFile(plainZaps[0])
	for _, z := range encZaps {
		os.WriteFile(z, b, 0o600)
	}
	ix2, err := Open(encDir, testKey(1))
	if err == nil {
		err = ix2.Verify(context.Background())
		ix2.Close()
	}
	// bleve falls back to the snapshot before the plaintext segment; the
	// generation check notices.
	if !errors.Is(err, ErrNeedsRebuild) {
		t.Fatalf("plaintext segment: got %v", err)
	}
}

func TestKeyRotation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir, testKey(1))
	mustPut(t, ix, markerDocs(50)...)
	ix.Close()
	ix = openTest(t, dir, testKey(1))
	mustPut(t, ix, markerDocs(60)[50:]...)
	if e, _ := ix.KeyEpochsInUse(); len(e) != 1 || e[0] != 1 {
		t.Fatalf("epochs before rotation: %v", e)
	}
	if err := ix.Rotate(testKey(2)); err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if e, _ := ix.KeyEpochsInUse(); len(e) != 1 || e[0] != 2 {
		t.Fatalf("epochs after rotation: %v", e)
	}
	if got := search(t, ix, "recruiter"); got.Total != 60 {
		t.Fatalf("after rotation found %d, want 60", got.Total)
	}
	ix.Close()
	for p, b := range readAll(t, dir) {
		if bytes.Contains(b, []byte(keyID(1))) {
			t.Errorf("%s still names key %s", filepath.Base(p), keyID(1))
		}
	}
	if _, err := Open(dir, testKey(1)); err == nil {
		t.Fatal("old key alone opens the rotated index")
	}
	ix = openTest(t, dir, testKey(2))
	if err := ix.Verify(context.Background()); err != nil {
		t.Fatalf("Verify after rotation: %v", err)
	}
	if got := search(t, ix, markerB); got.Total != 60 {
		t.Fatalf("reopened after rotation found %d, want 60", got.Total)
	}
}

func TestDamagedIndexDetected(t *testing.T) {
	build := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "index")
		ix := openTest(t, dir)
		mustPut(t, ix, markerDocs(200)...)
		if err := ix.Verify(context.Background()); err != nil {
			t.Fatalf("Verify of a good index: %v", err)
		}
		ix.Close()
		return dir
	}
	openAndVerify := func(dir string) error {
		ix, err := Open(dir, testKey(1))
		if err != nil {
			return err
		}
		defer ix.Close()
		return ix.Verify(context.Background())
	}
	zaps := func(dir string) []string {
		z, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		return z
	}
	t.Run("flipped bytes", func(t *testing.T) {
		for _, where := range []float64{0.1, 0.5, 0.9} {
			dir := build(t)
			for _, z := range zaps(dir) {
				b, _ := os.ReadFile(z)
				b[int(float64(len(b))*where)] ^= 0x40
				os.WriteFile(z, b, 0o600)
			}
			if err := openAndVerify(dir); !errors.Is(err, ErrNeedsRebuild) {
				t.Fatalf("flip at %.0f%%: got %v", where*100, err)
			}
		}
	})
	t.Run("segment deleted", func(t *testing.T) {
		dir := build(t)
		for _, z := range zaps(dir) {
			os.Remove(z)
		}
		if err := openAndVerify(dir); !errors.Is(err, ErrNeedsRebuild) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("root deleted", func(t *testing.T) {
		dir := build(t)
		os.Remove(filepath.Join(dir, "store", "root.bolt"))
		if err := openAndVerify(dir); !errors.Is(err, ErrNeedsRebuild) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("meta deleted", func(t *testing.T) {
		dir := build(t)
		os.Remove(filepath.Join(dir, "index_meta.json"))
		if err := openAndVerify(dir); !errors.Is(err, ErrNeedsRebuild) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("root flipped", func(t *testing.T) {
		dir := build(t)
		p := filepath.Join(dir, "store", "root.bolt")
		b, _ := os.ReadFile(p)
		for i := 4096; i < len(b); i += 97 {
			b[i] ^= 0xff
		}
		os.WriteFile(p, b, 0o600)
		if err := openAndVerify(dir); !errors.Is(err, ErrNeedsRebuild) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestRebuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix := openTest(t, dir)
	mustPut(t, ix, markerDocs(5)...)
	ix.Close()
	docs := markerDocs(120)
	var last int
	ix, err := Rebuild(context.Background(), dir, func(ctx context.Context, yield func(Document) error) error {
		for _, d := range docs {
			if err := yield(d); err != nil {
				return err
			}
		}
		return nil
	}, func(n int) { last = n }, testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if last != 120 {
		t.Fatalf("progress ended at %d", last)
	}
	if n, _ := ix.DocCount(); n != 120 {
		t.Fatalf("rebuilt index has %d documents", n)
	}
	if err := ix.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
}
