package extract

import (
	"fmt"
	"io"
)

// windowReader bounds how much a parser reads between two marks: the size
// of one record, message or header, which parsers such as encoding/csv,
// encoding/json and go-message's header reader hold in memory whole. A
// 4 GB quoted CSV field or header line stops with ErrTooLarge instead of
// filling memory.
type windowReader struct {
	r     io.Reader
	n     int64
	limit int64
	what  string
}

func newWindowReader(r io.Reader, limit int64, what string) *windowReader {
	return &windowReader{r: r, limit: limit, what: what}
}

// mark starts a new window.
func (w *windowReader) mark() { w.n = 0 }

func (w *windowReader) Read(p []byte) (int, error) {
	if w.n > w.limit {
		return 0, fmt.Errorf("%w: one %s is larger than %d bytes", ErrTooLarge, w.what, w.limit)
	}
	n, err := w.r.Read(p)
	w.n += int64(n)
	return n, err
}
