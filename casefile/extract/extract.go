package extract

import (
	"context"
	"io"
	"time"
)

// Extractor reads one family of formats. Implementations must not write to
// disk, must honour ctx and opts.Limits, and may panic only on a bug (the
// Registry recovers and reports ErrCorrupt).
type Extractor interface {
	// Name is the format family, e.g. "pdf", "docx", "whatsapp".
	Name() string
	// Version names the tool and version that does the work, recorded in
	// every Result for the court, e.g. "github.com/ledongthuc/pdf v0.0.0-...".
	Version() string
	// Match tells how sure the extractor is that it reads the probed file.
	Match(p *Probe) Confidence
	// Extract reads the size bytes of r.
	Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error)
}

// Confidence is how an Extractor recognised a file.
type Confidence int

// Confidence levels, weakest first. Content beats the file name.
const (
	NoMatch   Confidence = iota
	ByName               // the extension is one of the format's
	ByContent            // the bytes say so (magic number, structure)
)

// Kind says what a Chunk is.
type Kind string

// Chunk kinds.
const (
	KindText     Kind = "text"     // body text of a file without pages
	KindPage     Kind = "page"     // one page of a paged document
	KindSlide    Kind = "slide"    // one presentation slide
	KindSheet    Kind = "sheet"    // one spreadsheet sheet
	KindMessage  Kind = "message"  // one chat message
	KindEmail    Kind = "email"    // the headers of one e-mail
	KindPart     Kind = "part"     // a document part: header, footer, comment, note, e-mail body
	KindMetadata Kind = "metadata" // document properties or EXIF fields as text
)

// Chunk is one searchable piece of text.
type Chunk struct {
	// Text is valid UTF-8 in Unicode normalization form C, trimmed, never
	// empty (the builder every extractor adds chunks through sees to it).
	Text  string
	Kind  Kind
	Index int    // 1-based position among chunks of its kind: page, slide, message number
	Label string // part name ("header", "comment", sheet name) or the raw timestamp of a message
	// Sender and Time are set for messages and e-mails. Time is zero when
	// unknown.
	Sender string
	Time   time.Time
	// Script is the dominant writing system ("Thai", "Khmer", "Han",
	// "Latin"...), Lang a best guess at the language (BCP 47, "" if unsure).
	Script string
	Lang   string
}

// Embedded is an item found inside the file (an e-mail attachment, a photo
// in a chat export) for the caller to store and extract as a linked item
// with Options.Depth one higher.
type Embedded struct {
	Name         string // safe file name: no path, no control or bidi characters
	OriginalName string // as written in the file, for the record
	MediaType    string
	Size         int64 // -1 when unknown before reading
	// Open returns the item's bytes. It stays valid as long as the
	// io.ReaderAt given to Extract does.
	Open func() (io.ReadCloser, error)
}

// Result is what one extraction found.
type Result struct {
	Format      string // extractor name, e.g. "docx"
	MediaType   string
	Tool        string // the library or command that did the work
	ToolVersion string
	Encoding    string // character encoding detected for text formats
	Chunks      []Chunk
	Metadata    map[string]string // author, created, modified, exif.*, gps.*, device...
	Attachments []Embedded
	Warnings    []string
	Truncated   bool // a limit cut the text short; see Warnings
}

// Text returns all chunks' text joined by blank lines.
func (r *Result) Text() string {
	n := 0
	for _, c := range r.Chunks {
		n += len(c.Text) + 2
	}
	b := make([]byte, 0, n)
	for i, c := range r.Chunks {
		if i > 0 {
			b = append(b, '\n', '\n')
		}
		b = append(b, c.Text...)
	}
	return string(b)
}

// Options tunes one extraction. The zero value is valid.
type Options struct {
	Limits Limits
	// OCR runs tesseract on images (and image-only PDF pages) when true.
	OCR bool
	// OCRLanguages are tesseract language codes ("tha", "khm", "vie"...).
	// Empty means chosen by the script of the file name and metadata, with
	// "eng" always added.
	OCRLanguages []string
	// Location interprets timestamps written without a zone (WhatsApp
	// exports, chat logs). Nil means UTC.
	Location *time.Location
	// Depth is how deeply this item is nested in others (0 for a file the
	// user imported, 1 for its attachments...).
	Depth int
}

// Limits bound one extraction run. Zero fields take the defaults.
type Limits struct {
	Timeout         time.Duration // wall time; default 2 minutes
	MaxText         int64         // bytes of extracted text; default 64 MiB
	MaxDecompressed int64         // bytes inflated from archives and encoded parts; default 1 GiB
	MaxInMemory     int64         // largest single piece held in memory (an e-mail, an attachment); default 64 MiB
	MaxDepth        int           // nesting of e-mails, multiparts and archives; default 10
	MaxParts        int           // archive members, MIME parts, attachments, pages; default 10000
	MaxChunks       int           // chunks in one Result; default 2,000,000
}

// DefaultLimits are the limits used for zero fields.
var DefaultLimits = Limits{
	Timeout:         2 * time.Minute,
	MaxText:         64 << 20,
	MaxDecompressed: 1 << 30,
	MaxInMemory:     64 << 20,
	MaxDepth:        10,
	MaxParts:        10000,
	MaxChunks:       2_000_000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.MaxText > 0 {
		d.MaxText = l.MaxText
	}
	if l.MaxDecompressed > 0 {
		d.MaxDecompressed = l.MaxDecompressed
	}
	if l.MaxInMemory > 0 {
		d.MaxInMemory = l.MaxInMemory
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxParts > 0 {
		d.MaxParts = l.MaxParts
	}
	if l.MaxChunks > 0 {
		d.MaxChunks = l.MaxChunks
	}
	return d
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}
