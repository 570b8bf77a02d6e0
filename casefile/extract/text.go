package extract

import (
	"bufio"
	"context"
	"io"
	"strings"

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
	src := transform.NewReader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), encodings[enc].NewDecoder())
	err = chunkText(ctx, src, b, KindText, "")
	return b.res, err
}

// chunkText cuts a stream of UTF-8 text into chunks of about textChunkSize.
func chunkText(ctx context.Context, src io.Reader, b *builder, kind Kind, label string) error {
	br := bufio.NewReaderSize(src, 64<<10)
	var sb strings.Builder
	flush := func() error {
		s := strings.ToValidUTF8(sb.String(), "\uFFFD")
		sb.Reset()
		return b.add(Chunk{Text: s, Kind: kind, Label: label})
	}
	for {
		line, err := br.ReadSlice('\n')
		sb.Write(line)
		if sb.Len() >= textChunkSize {
			if err == bufio.ErrBufferFull {
				// A very long line: cut it at a character boundary.
				s := sb.String()
				cut := cutUTF8(s, len(s)-3)
				rest := s[len(cut):]
				sb.Reset()
				sb.WriteString(cut)
				if ferr := flush(); ferr != nil {
					return ferr
				}
				sb.WriteString(rest)
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
