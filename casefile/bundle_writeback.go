package casefile

import (
	"io"
	"os"
	"sync"
)

// writeBehindStep is how much is written to a file before the disk is
// asked to start writing it out.
const writeBehindStep = 8 << 20

// writeBehind passes writes to a file and, every writeBehindStep bytes,
// asks the kernel (in another goroutine, so that a busy disk never stalls
// the writer) to start writing what came so far to the disk. Without it
// a large file sits in the page cache until the final fsync, which then
// waits for all of it after every byte was encrypted: with it the disk
// works while the CPU encrypts, and the fsync only waits for the tail.
// It changes no guarantee: durability still comes from the fsync.
type writeBehind struct {
	f      *os.File
	n      int64
	kicked int64
	req    chan [2]int64
	done   chan struct{}
}

// newWriteBehind wraps w when it is a file on a system that can start
// writeback (Linux); otherwise it returns w. Call stop before closing or
// syncing the file.
func newWriteBehind(w io.Writer) (io.Writer, func()) {
	f, ok := w.(*os.File)
	if !ok || !canWriteBehind {
		return w, func() {}
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return w, func() {}
	}
	wb := &writeBehind{f: f, req: make(chan [2]int64, 1), done: make(chan struct{})}
	go func() {
		defer close(wb.done)
		for r := range wb.req {
			startWriteback(wb.f, r[0], r[1])
		}
	}()
	var once sync.Once
	return wb, func() { once.Do(func() { close(wb.req); <-wb.done }) }
}

func (wb *writeBehind) Write(p []byte) (int, error) {
	n, err := wb.f.Write(p)
	wb.n += int64(n)
	if wb.n-wb.kicked >= writeBehindStep {
		select {
		case wb.req <- [2]int64{wb.kicked, wb.n - wb.kicked}:
			wb.kicked = wb.n
		default: // the last request is still running: this range joins the next
		}
	}
	return n, err
}
