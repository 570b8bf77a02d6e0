package casefile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A case file large enough to be decrypted in parts, one per core
// (readAtParallel), reads back byte for byte; a flipped byte in any part,
// or a file cut short at any chunk, is refused as damaged.
func TestLargeCaseFileReadInParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // parts even on one core
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	id := c.ID()
	fillRandom(t, c, 4<<20) // about 4 MB in 4 KiB pages
	c.dirty = true
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	want := serializeCase(t, c)
	if len(want) < 4*parallelReadMin {
		t.Fatalf("database of %d bytes is too small to be read in four parts", len(want))
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := w.OpenCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := serializeCase(t, c); !bytes.Equal(got, want) {
		t.Fatalf("reopened database differs: %d bytes, want %d", len(got), len(want))
	}
	c.Close()

	path := c.filePath()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer os.WriteFile(path, orig, 0o600)
	bad := tamperCases(orig)
	const encChunk = ageChunk + 16
	for i := 1; i <= 4; i++ { // a byte in each quarter, and a cut there
		off := len(orig) * i / 5
		b := bytes.Clone(orig)
		b[off] ^= 0x01
		bad[fmt.Sprintf("flip-%d/5", i)] = b
		cut := len(orig) - (len(orig)-off)/encChunk*encChunk // whole chunks removed
		bad[fmt.Sprintf("cut-%d/5", i)] = orig[:cut]
	}
	for name, b := range bad {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := w.OpenCase(ctx, id)
		if err == nil {
			c.Close()
			t.Errorf("%s: opened", name)
			continue
		}
		if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "damaged or tampered") {
			t.Errorf("%s: got %v, want a damaged-file error", name, err)
		}
	}
}

// Opening a case does not list its blob folder; what an interrupted import
// left there is removed when the blob store is first used, before anything
// can deduplicate against it: a half-written blob under the name that equal
// content would take is replaced, not reused.
func TestBlobGarbageRemovedBeforeFirstUse(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	id := c.ID()
	store, err := c.blobs()
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("synthetic exhibit 17: a ledger of recruitment fees")
	sum := sha256.Sum256(content)
	half := filepath.Join(store.dir, store.nameOf(sum[:])+blobSuffix)
	tmp := filepath.Join(store.dir, tempPrefix+"blob-1234")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	// What a crash in the middle of an import can leave: a renamed blob
	// whose data never reached the disk, and a temp file.
	for _, p := range []string{half, tmp} {
		if err := os.WriteFile(p, []byte("age-encryption.org/v1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err = w.OpenCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range []string{half, tmp} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("open touched the blob folder: %v", err)
		}
	}
	store, err = c.blobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{half, tmp} {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left in place: %v", filepath.Base(p), err)
		}
	}
	ref, err := store.putBytes(ctx, content)
	if err != nil {
		t.Fatal(err)
	}
	if !ref.New || filepath.Join(store.dir, ref.Name+blobSuffix) != half {
		t.Fatalf("stored as %+v, want a new blob at %s", ref, half)
	}
	r, err := store.open(ref.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("blob reads back %q, %v", got, err)
	}
}
