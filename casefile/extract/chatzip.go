package extract

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
)

// WhatsAppZip reads WhatsApp's "Export chat" with media: a ZIP holding
// _chat.txt (iOS) or "WhatsApp Chat with ….txt" (Android) and the photos,
// voice notes and documents sent, which come back as Embedded items.
type WhatsAppZip struct{}

// Name implements Extractor.
func (WhatsAppZip) Name() string { return "whatsapp-zip" }

// Version implements Extractor.
func (WhatsAppZip) Version() string { return "casevault/extract whatsapp 1 (archive/zip)" }

// Match implements Extractor.
func (WhatsAppZip) Match(p *Probe) Confidence {
	if chatMember(p.Zip) != "" {
		return ByContent
	}
	return NoMatch
}

func chatMember(names []string) string {
	for _, n := range names {
		base := path.Base(n)
		if base == "_chat.txt" || strings.HasPrefix(base, "WhatsApp Chat") && strings.HasSuffix(base, ".txt") {
			return n
		}
	}
	return ""
}

// Extract implements Extractor.
func (x WhatsAppZip) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/zip", "casevault/extract whatsapp (archive/zip)", x.Version(), opts)
	z, err := openZip(ctx, r, size, b.lim)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(z.zr.File))
	for _, f := range z.zr.File {
		names = append(names, f.Name)
	}
	chat := chatMember(names)
	if chat == "" {
		return nil, corruptf("no chat text in the archive")
	}
	rc, err := z.open(chat)
	if err != nil {
		return nil, err
	}
	err = parseWhatsApp(ctx, rc, b, opts)
	rc.Close()
	b.res.Format = x.Name()
	b.res.MediaType = "application/zip"
	if err != nil {
		return b.res, err
	}
	for _, f := range z.zr.File {
		if f.Name == chat || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if err := b.attach(zipEmbedded(f, b.lim.MaxDecompressed)); err != nil {
			return b.res, err
		}
	}
	return b.res, nil
}

// zipEmbedded makes an archive member an Embedded item. Its reader stops
// with ErrTooLarge past max bytes, whatever the header claims.
func zipEmbedded(f *zip.File, max int64) Embedded {
	mt := mime.TypeByExtension(strings.ToLower(path.Ext(f.Name)))
	if mt == "" {
		mt = "application/octet-stream"
	}
	size := int64(f.UncompressedSize64)
	if size < 0 || size > max {
		size = -1
	}
	return Embedded{
		Name: f.Name, OriginalName: f.Name, MediaType: mt, Size: size,
		Open: func() (io.ReadCloser, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, corruptf("zip member %q: %v", f.Name, err)
			}
			return &cappedReader{rc: rc, left: max, name: f.Name}, nil
		},
	}
}

type cappedReader struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, fmt.Errorf("%w: zip member %q inflates past the limit", ErrTooLarge, c.name)
	}
	return n, err
}

func (c *cappedReader) Close() error { return c.rc.Close() }
