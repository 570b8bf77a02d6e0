package casefile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// blobDirNames lists the blob folder.
func blobDirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// checkBlobRoundTrip stores data twice in store (new, then equal content)
// and checks that the blob reads back, and that the folder holds nothing
// but finished blobs.
func checkBlobRoundTrip(t *testing.T, store *blobStore, data []byte) BlobRef {
	t.Helper()
	ctx := context.Background()
	ref, err := store.putBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if !ref.New {
		t.Fatalf("first put of new content: New false")
	}
	again, err := store.putBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if again.New || again.Name != ref.Name {
		t.Fatalf("equal content stored again: %+v, first %+v", again, ref)
	}
	r, err := store.open(ref.Name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("blob reads back %d bytes (%v), want %d", len(got), err, len(data))
	}
	for _, n := range blobDirNames(t, store.dir) {
		if !strings.HasSuffix(n, blobSuffix) || strings.HasPrefix(n, tempPrefix) {
			t.Errorf("left in the blob folder: %s", n)
		}
	}
	return ref
}

func testStore(t *testing.T) *blobStore {
	t.Helper()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	t.Cleanup(func() { c.Close() })
	store, err := c.blobs()
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// On a file system with O_TMPFILE (the test machine's), blobs are written
// into anonymous files: a write that fails half way leaves nothing in
// the blob folder, not even a temp file.
func TestBlobAnonymousFile(t *testing.T) {
	store := testStore(t)
	if !tmpfileUsable(store.dir) {
		t.Skip("no O_TMPFILE on this file system")
	}
	f, anon, err := createBlobFile(store.dir)
	if err != nil || !anon {
		t.Fatalf("createBlobFile: anon %v, %v", anon, err)
	}
	f.Close()
	checkBlobRoundTrip(t, store, []byte("synthetic exhibit 3: a crew list written into an anonymous file"))

	before := blobDirNames(t, store.dir)
	boom := errors.New("disk full (synthetic)")
	_, err = store.putWith(func(w io.Writer) (int64, error) {
		w.Write(bytes.Repeat([]byte("half of a synthetic exhibit "), 10000))
		return 0, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the write's error", err)
	}
	if after := blobDirNames(t, store.dir); len(after) != len(before) {
		t.Fatalf("a failed write left %v (before: %v)", after, before)
	}
}

// Where O_TMPFILE is refused (FAT, old kernels), blobs go through named
// temp files, renamed into place, as on other systems.
func TestBlobAnonymousFileUnsupported(t *testing.T) {
	defer func(o func(string) (int, error)) { openTmpfile = o }(openTmpfile)
	openTmpfile = func(string) (int, error) { return -1, unix.EOPNOTSUPP }
	store := testStore(t)
	tmpfileDirs.Delete(store.dir)
	defer tmpfileDirs.Delete(store.dir)
	if tmpfileUsable(store.dir) {
		t.Fatal("probe says O_TMPFILE works where it is refused")
	}
	f, anon, err := createBlobFile(store.dir)
	if err != nil || anon {
		t.Fatalf("createBlobFile: anon %v, %v", anon, err)
	}
	f.Close()
	os.Remove(f.Name())
	checkBlobRoundTrip(t, store, []byte("synthetic exhibit 4: stored through a named temp file"))
}

// Where an anonymous file cannot be linked (no /proc), the probe says so
// and named temp files are used; a link that fails after a probe that
// worked fails that blob only (nothing left behind), and later blobs use
// named temp files.
func TestBlobAnonymousFileLinkFails(t *testing.T) {
	defer func(o func(uintptr, string) error) { linkTmpfile = o }(linkTmpfile)
	store := testStore(t)
	if !probeTmpfile(store.dir) {
		t.Skip("no O_TMPFILE on this file system")
	}
	defer tmpfileDirs.Delete(store.dir)

	linkTmpfile = func(uintptr, string) error { return unix.ENOENT }
	tmpfileDirs.Delete(store.dir)
	if tmpfileUsable(store.dir) {
		t.Fatal("probe says anonymous files can be linked where they cannot")
	}
	checkBlobRoundTrip(t, store, []byte("synthetic exhibit 5: no /proc"))

	fails := true
	linkTmpfile = func(fd uintptr, path string) error {
		if filepath.Ext(path) == blobSuffix && fails {
			fails = false
			return unix.EXDEV
		}
		return unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+itoa(fd), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	}
	tmpfileDirs.Delete(store.dir)
	before := blobDirNames(t, store.dir)
	data := []byte("synthetic exhibit 6: the link fails once")
	if _, err := store.putBytes(context.Background(), data); !errors.Is(err, unix.EXDEV) {
		t.Fatalf("got %v, want the link's error", err)
	}
	if after := blobDirNames(t, store.dir); len(after) != len(before) {
		t.Fatalf("a failed link left %v (before: %v)", after, before)
	}
	if tmpfileUsable(store.dir) {
		t.Fatal("anonymous files still used after a link failed")
	}
	checkBlobRoundTrip(t, store, data)
}

func itoa(fd uintptr) string { return strconv.FormatUint(uint64(fd), 10) }

// Anonymous files opened ahead are used for blobs, and closed (freed)
// when the import ends; once the folder stops taking anonymous files
// (a link failed), none is handed out.
func TestBlobFilesOpenedAhead(t *testing.T) {
	store := testStore(t)
	if !tmpfileUsable(store.dir) {
		t.Skip("no O_TMPFILE on this file system")
	}
	defer tmpfileDirs.Delete(store.dir)
	openFDs := func() int {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(entries)
	}
	fds := openFDs()
	store.ahead = startFileAhead(store.dir)
	if store.ahead == nil {
		t.Fatal("no files opened ahead")
	}
	for i := 0; i < 3*fileAheadCount; i++ {
		checkBlobRoundTrip(t, store, []byte("synthetic exhibit "+strconv.Itoa(i)+": written into a file opened ahead"))
	}
	for len(store.ahead.files.ready) < fileAheadCount { // refilled
		runtime.Gosched()
	}
	tmpfileDirs.Store(store.dir, false)
	if f := store.ahead.take(); f != nil {
		t.Fatal("a file handed out after the folder stopped taking anonymous files")
	}
	store.ahead.close()
	// (The blobs' background fsyncs may hold files open for a moment.)
	for deadline := time.Now().Add(10 * time.Second); openFDs() != fds && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := openFDs(); n != fds {
		t.Fatalf("%d files open after close, %d before the files opened ahead", n, fds)
	}
	if names := blobDirNames(t, store.dir); len(names) != 3*fileAheadCount {
		t.Fatalf("%d files in the blob folder, want %d blobs", len(names), 3*fileAheadCount)
	}
}
