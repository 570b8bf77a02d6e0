package extract

import (
	"bufio"
	"bytes"
	"context"
	"io"

	"golang.org/x/text/transform"
)

// textChunkSize is the size around which plain text is cut into chunks (at
// a line end when one is near).
const textChunkSize = 32 << 10

// PlainText reads text files in UTF-8, UTF-16 or a legacy encoding of the
// region, detected by DetectEncoding.
type PlainText struct{}

// Name implements Extractor.
func (PlainText) Name() string { return "text" }

// Version implements Extractor.
func (PlainText) Version() string { return "casevault/extract text " + xtextVersion }

var plainExts = map[string]bool{
	".txt": true, ".text": true, ".log": true, ".md": true, ".csv": true, ".tsv": true,
	".json": true, ".xml": true, ".srt": true, ".vtt": true, ".ini": true, ".cfg": true,
}

// Match implements Extractor. Text has no magic number: content that
// merely looks like text is the Registry's fallback, not a match.
func (PlainText) Match(p *Probe) Confidence {
	if plainExts[p.Ext] {
		return ByName
	}
	return NoMatch
}

// Extract implements Extractor.
func (t PlainText) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(t.Name(), "text/plain", "casevault/extract", t.Version(), opts)
	head := make([]byte, min(size, headSize))
	n, err := r.ReadAt(head, 0)
	if n < len(head) && err != nil && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	if !looksText(head) {
		return nil, corruptf("not a text file (binary content)")
	}
	enc := DetectEncoding(head)
	b.res.Encoding = enc
	b.res.MediaType = "text/plain; charset=" + enc
	var src io.Reader
	if enc == EncUTF8 {
		// UTF-8 is read as is, without a decoder: builder.add replaces what
		// is not valid as the decoder would. A byte-order mark is skipped.
		off := int64(0)
		if bytes.HasPrefix(head, utf8BOM) {
			off = int64(len(utf8BOM))
		}
		src = newCtxReader(ctx, io.NewSectionReader(r, off, size-off))
	} else {
		src = transform.NewReader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), encodings[enc].NewDecoder())
	}
	err = chunkText(ctx, src, b, KindText, "")
	return b.res, err
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// chunkText cuts a stream of UTF-8 text into chunks of about textChunkSize.
// The stream may be undecoded UTF-8: b.add replaces each maximal
// ill-formed sequence by U+FFFD, as the decoder would have.
func chunkText(ctx context.Context, src io.Reader, b *builder, kind Kind, label string) error {
	br := bufio.NewReaderSize(src, 64<<10)
	buf := make([]byte, 0, textChunkSize+64<<10)
	flush := func() error {
		s := string(buf) // made valid UTF-8 by b.add
		buf = buf[:0]
		return b.add(Chunk{Text: s, Kind: kind, Label: label})
	}
	for {
		line, err := br.ReadSlice('\n')
		buf = append(buf, line...)
		if len(buf) >= textChunkSize {
			if err == bufio.ErrBufferFull {
				// A very long line: cut it at a character boundary.
				cut := len(cutUTF8(string(buf), len(buf)-3))
				rest := string(buf[cut:])
				buf = buf[:cut]
				if ferr := flush(); ferr != nil {
					return ferr
				}
				buf = append(buf, rest...)
			} else if ferr := flush(); ferr != nil {
				return ferr
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	return flush()
}

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	n   int
}

func newCtxReader(ctx context.Context, r io.Reader) *ctxReader { return &ctxReader{ctx: ctx, r: r} }

func (c *ctxReader) Read(p []byte) (int, error) {
	c.n++
	if c.n&15 == 0 {
		if err := ctxErr(c.ctx); err != nil {
			return 0, err
		}
	}
	return c.r.Read(p)
}
