package extract

import (
	"bufio"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// go-message decodes base64 bodies with encoding/base64's stream decoder
// behind two readers that look at every byte alone: one turning spaces
// and tabs into line breaks, one dropping line breaks. That was about 60%
// of e-mail extraction. readMessage and mimeParts read messages and parts
// as message.Read and Entity.MultipartReader do, the same readers in the
// same order, but hand base64 bodies to mailBase64, which skips the same
// bytes eight at a time and decodes as the stream decoder does: the same
// reads, the same bytes, the same errors at the same offsets, so the
// extract is unchanged.

// mailHeaderMax is go-message's default limit on a header block.
const mailHeaderMax = 1 << 20

var errMailHeaderTooBig = errors.New("message: header exceeds maximum size")

// readMessage is message.Read.
func readMessage(r io.Reader) (*message.Entity, error) {
	lr := &mailHeaderLimit{r: r, n: mailHeaderMax}
	br := bufio.NewReader(lr)
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return nil, err
	}
	lr.n = math.MaxInt64
	return newMailEntity(message.Header{Header: h}, br)
}

// mailHeaderLimit is go-message's limitedReader.
type mailHeaderLimit struct {
	r io.Reader
	n int64
}

func (lr *mailHeaderLimit) Read(p []byte) (int, error) {
	if lr.n <= 0 {
		return 0, errMailHeaderTooBig
	}
	if int64(len(p)) > lr.n {
		p = p[:lr.n]
	}
	n, err := lr.r.Read(p)
	lr.n -= int64(n)
	return n, err
}

// newMailEntity is message.New, but a base64 body (never a multipart's,
// which go-message leaves alone) is decoded by mailBase64: message.New
// sees the header without its Content-Transfer-Encoding, and the entity
// gets the whole header back.
func newMailEntity(h message.Header, body io.Reader) (*message.Entity, error) {
	mt, _, _ := h.ContentType()
	if strings.HasPrefix(mt, "multipart/") || strings.ToLower(h.Get("Content-Transfer-Encoding")) != "base64" {
		return message.New(h, body)
	}
	plain := h.Copy()
	plain.Del("Content-Transfer-Encoding")
	e, err := message.New(plain, &mailBase64{r: body})
	if e != nil {
		e.Header = h
	}
	return e, err
}

// mimeParts is Entity.MultipartReader: nil unless e is multipart.
func mimeParts(e *message.Entity) *mimePartReader {
	mt, params, _ := e.Header.ContentType()
	if !strings.HasPrefix(mt, "multipart/") {
		return nil
	}
	return &mimePartReader{textproto.NewMultipartReader(e.Body, params["boundary"])}
}

type mimePartReader struct{ r *textproto.MultipartReader }

// NextPart is go-message's multipartReader.NextPart.
func (m *mimePartReader) NextPart() (*message.Entity, error) {
	p, err := m.r.NextPart()
	if err != nil {
		return nil, err
	}
	return newMailEntity(message.Header{Header: p.Header}, p)
}

// mailBase64 is encoding/base64's stream decoder (NewDecoder with
// StdEncoding) reading through go-message's whitespaceReplacingReader:
// its Read is the decoder's, line for line, and fill is the
// newlineFilteringReader's, dropping spaces and tabs as well as line
// breaks.
type mailBase64 struct {
	err     error
	readErr error // error from r.Read
	r       io.Reader
	buf     [1024]byte // leftover input
	nbuf    int
	out     []byte // leftover decoded output
	outbuf  [1024 / 4 * 3]byte
}

func (d *mailBase64) Read(p []byte) (n int, err error) {
	// Use leftover decoded output from last read.
	if len(d.out) > 0 {
		n = copy(p, d.out)
		d.out = d.out[n:]
		return n, nil
	}
	if d.err != nil {
		return 0, d.err
	}
	// Refill buffer.
	for d.nbuf < 4 && d.readErr == nil {
		nn := len(p) / 3 * 4
		if nn < 4 {
			nn = 4
		}
		if nn > len(d.buf) {
			nn = len(d.buf)
		}
		nn, d.readErr = d.fill(d.buf[d.nbuf:nn])
		d.nbuf += nn
	}
	if d.nbuf < 4 {
		// StdEncoding pads: no final fragment without padding.
		d.err = d.readErr
		if d.err == io.EOF && d.nbuf > 0 {
			d.err = io.ErrUnexpectedEOF
		}
		return 0, d.err
	}
	// Decode chunk into p, or d.out and then p if p is too small.
	nr := d.nbuf / 4 * 4
	nw := d.nbuf / 4 * 3
	if nw > len(p) {
		nw, d.err = base64.StdEncoding.Decode(d.outbuf[:], d.buf[:nr])
		d.out = d.outbuf[:nw]
		n = copy(p, d.out)
		d.out = d.out[n:]
	} else {
		n, d.err = base64.StdEncoding.Decode(p, d.buf[:nr])
	}
	d.nbuf -= nr
	copy(d.buf[:d.nbuf], d.buf[nr:])
	return n, d.err
}

// fill is newlineFilteringReader.Read over whitespaceReplacingReader.
func (d *mailBase64) fill(p []byte) (int, error) {
	n, err := d.r.Read(p)
	for n > 0 {
		if k := dropMailSpace(p[:n]); k > 0 {
			return k, err
		}
		// Previous buffer entirely whitespace, read again
		n, err = d.r.Read(p)
	}
	return n, err
}

func isMailSpace(c byte) bool { return c == '\r' || c == '\n' || c == ' ' || c == '\t' }

// dropMailSpace moves the bytes of p other than CR, LF, space and tab to
// its start, in order, and returns how many there are. Runs without them
// (a base64 line) are found eight bytes at a time, and moved whole.
func dropMailSpace(p []byte) int {
	const highs, below = 0x8080808080808080, 0x21 * 0x0101010101010101
	w, i := 0, 0
	for i < len(p) {
		j := i
		for j < len(p) {
			if j+8 <= len(p) {
				// no byte below 0x21 in these eight: none is a space
				if x := binary.LittleEndian.Uint64(p[j:]); (x-below)&^x&highs == 0 {
					j += 8
					continue
				}
			}
			if isMailSpace(p[j]) {
				break
			}
			j++
		}
		if w != i {
			copy(p[w:], p[i:j])
		}
		w += j - i
		for j < len(p) && isMailSpace(p[j]) {
			j++
		}
		i = j
	}
	return w
}
