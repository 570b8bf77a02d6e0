package casefile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// On Linux a blob is written into an anonymous file (open with
// O_TMPFILE) in the blob folder and linked under its final name once its
// hash is known (linkat through /proc/self/fd). Compared with a named temp
// file renamed into place, this spares a directory entry created and
// removed per blob, the Stat that checked whether equal content was
// already stored (linkat refuses an existing name: EEXIST says so,
// atomically), and, on a crash, leaves nothing behind: an anonymous file
// that was never linked is freed by the file system. What was linked but
// not yet made durable is a blob no saved case file refers to, removed
// after the next open (collectGarbage), as before.
//
// File systems without O_TMPFILE (FAT on a USB drive, some network
// file systems), kernels without it, or a process without /proc fall back
// to the named temp file.

// openTmpfile opens an anonymous file in dir; tests replace it.
var openTmpfile = func(dir string) (int, error) {
	return unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
}

// linkTmpfile gives the anonymous file fd the name path; tests replace it.
var linkTmpfile = func(fd uintptr, path string) error {
	return unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.FormatUint(uint64(fd), 10), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
}

// tmpfileDirs remembers, per blob folder, whether anonymous files can be
// made and linked there (probed once).
var tmpfileDirs sync.Map // string -> bool

// tmpfileUsable reports whether dir takes anonymous, linkable files: the
// first time, it makes one and links it under a temp name (then removes
// it), so that a blob is never written into a file that could not be
// given its name.
func tmpfileUsable(dir string) bool {
	if ok, found := tmpfileDirs.Load(dir); found {
		return ok.(bool)
	}
	ok := probeTmpfile(dir)
	tmpfileDirs.Store(dir, ok)
	return ok
}

func probeTmpfile(dir string) bool {
	fd, err := openTmpfile(dir)
	if err != nil {
		return false
	}
	f := os.NewFile(uintptr(fd), dir)
	defer f.Close()
	name := filepath.Join(dir, tempPrefix+"probe-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatUint(uint64(fd), 10))
	os.Remove(name)
	if err := linkTmpfile(f.Fd(), name); err != nil {
		return false
	}
	os.Remove(name)
	return true
}

// createBlobFile returns a new file in dir to write a blob into:
// anonymous (anon true) when dir allows, else a named temp file.
func createBlobFile(dir string) (f *os.File, anon bool, err error) {
	if tmpfileUsable(dir) {
		fd, err := openTmpfile(dir)
		if err == nil {
			return os.NewFile(uintptr(fd), dir), true, nil
		}
		// Not expected after a probe that worked; the named temp
		// file reports what is wrong if it is the folder.
	}
	f, err = os.CreateTemp(dir, tempPrefix+"blob-*")
	return f, false, err
}

// linkBlobFile names the anonymous file f final. exists reports that
// final was already there (equal content already stored), in which case
// f is left unnamed and is freed when closed.
func linkBlobFile(f *os.File, final string) (exists bool, err error) {
	err = linkTmpfile(f.Fd(), final)
	if errors.Is(err, unix.EEXIST) {
		return true, nil
	}
	if err != nil {
		// Do not try again here: later blobs use named temp files.
		tmpfileDirs.Store(filepath.Dir(final), false)
	}
	return false, err
}

// fileAhead opens anonymous files in a blob folder ahead of need, in
// goroutines of its own (madeAhead): on a file system that has seen many files
// deleted, ext4 spends a millisecond or more of CPU finding a free inode
// for each new file (recently_deleted, reading inode tables), and an
// import makes two files per input. Made ahead, that work runs while the
// workers wait for the disk instead of on their way. A file made ahead
// and never used is closed when the import ends and, having no name, is
// freed; a crash frees it too.
type fileAhead struct {
	dir   string
	files *madeAhead[*os.File]
}

// fileAheadCount is how many anonymous files are kept open ahead.
const fileAheadCount = 16

// fileAheadOpeners is how many goroutines open files ahead: with one, a
// worker still found none ready now and then (one new inode can take
// several milliseconds here).
const fileAheadOpeners = 2

// startFileAhead starts opening anonymous files in dir ahead, or returns
// nil where dir takes none.
func startFileAhead(dir string) *fileAhead {
	if !tmpfileUsable(dir) {
		return nil
	}
	open := func() (*os.File, bool) {
		fd, err := openTmpfile(dir)
		if err != nil {
			return nil, false // take finds none, and putWith makes its own
		}
		return os.NewFile(uintptr(fd), dir), true
	}
	return &fileAhead{dir: dir, files: startAhead(fileAheadCount, fileAheadOpeners, open, func(f *os.File) { f.Close() })}
}

// take returns a file opened ahead, or nil when none is ready (or dir
// no longer takes anonymous files).
func (a *fileAhead) take() *os.File {
	if a == nil {
		return nil
	}
	f, ok := a.files.take()
	if !ok {
		return nil
	}
	if !tmpfileUsable(a.dir) {
		f.Close()
		return nil
	}
	return f
}

// close stops opening files ahead and closes those not taken.
func (a *fileAhead) close() {
	if a != nil {
		a.files.close()
	}
}

// setTmpfileUsable says whether dir takes anonymous files, as the probe
// would have (benchmarks compare both ways).
func setTmpfileUsable(dir string, ok bool) { tmpfileDirs.Store(dir, ok) }
