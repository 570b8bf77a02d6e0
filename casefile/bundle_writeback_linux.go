package casefile

import (
	"os"

	"golang.org/x/sys/unix"
)

const canWriteBehind = true

// startWriteback starts writing a range of f to the disk without waiting
// for it (sync_file_range with SYNC_FILE_RANGE_WRITE). Errors are
// ignored: the caller's fsync reports them.
func startWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
