package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
)

// headSize is how much of a file the Registry reads to sniff its format.
const headSize = 64 << 10

// Probe is what an Extractor sees when asked whether it reads a file.
type Probe struct {
	Name string // the file's base name as given (may be empty)
	Ext  string // lower-case extension with the dot, e.g. ".docx"
	Head []byte // the first bytes of the file (up to 64 KiB); nil when matching by name only
	Size int64
	// Zip lists the member names when the file is a ZIP archive.
	Zip []string
}

func (p *Probe) hasZip(name string) bool {
	for _, n := range p.Zip {
		if n == name {
			return true
		}
	}
	return false
}

// Registry chooses an Extractor for each file.
type Registry struct {
	extractors []Extractor
	fallback   Extractor
}

// NewRegistry returns a registry that tries the extractors in order;
// fallback (may be nil) reads files that none recognises but look like text.
func NewRegistry(fallback Extractor, ex ...Extractor) *Registry {
	return &Registry{extractors: ex, fallback: fallback}
}

// Default returns a registry with every built-in extractor.
func Default() *Registry {
	return NewRegistry(PlainText{},
		PDF{}, DOCX{}, XLSX{}, PPTX{}, ODF{}, WhatsAppZip{},
		Mbox{}, EML{}, HTML{}, WhatsApp{}, ChatCSV{}, ChatJSON{}, Photo{}, PlainText{},
	)
}

// Detection tells which extractor a Registry chose and why.
type Detection struct {
	Extractor Extractor
	How       Confidence
	// Mismatch is set when the extension names another format than the
	// content, e.g. a ZIP archive named "invoice.pdf".
	Mismatch string
}

// Detect sniffs the file and chooses an extractor. It reads only the
// head and, for ZIP archives, the central directory.
func (r *Registry) Detect(name string, ra io.ReaderAt, size int64) (Detection, error) {
	p, err := newProbe(name, ra, size)
	if err != nil {
		return Detection{}, err
	}
	return r.detect(p), nil
}

func newProbe(name string, ra io.ReaderAt, size int64) (*Probe, error) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "." || base == "/" {
		base = ""
	}
	p := &Probe{Name: base, Ext: strings.ToLower(path.Ext(base)), Size: size}
	n := min(size, headSize)
	if n > 0 {
		p.Head = make([]byte, n)
		m, err := ra.ReadAt(p.Head, 0)
		if m < len(p.Head) && err != nil && err != io.EOF {
			return nil, fmt.Errorf("failed to read file: %w", err)
		}
		p.Head = p.Head[:m]
	}
	if bytes.HasPrefix(p.Head, []byte("PK\x03\x04")) || bytes.HasPrefix(p.Head, []byte("PK\x05\x06")) {
		if zr, err := zip.NewReader(ra, size); err == nil {
			for i, f := range zr.File {
				if i >= DefaultLimits.MaxParts {
					break
				}
				p.Zip = append(p.Zip, f.Name)
			}
		}
	}
	return p, nil
}

func (r *Registry) detect(p *Probe) Detection {
	var best Extractor
	how := NoMatch
	for _, e := range r.extractors {
		if c := e.Match(p); c > how {
			best, how = e, c
		}
	}
	d := Detection{Extractor: best, How: how}
	if best == nil && r.fallback != nil && len(p.Head) > 0 && looksText(p.Head) {
		d.Extractor, d.How = r.fallback, ByContent
	}
	if d.Extractor == nil || d.How != ByContent || p.Ext == "" {
		return d
	}
	byName := &Probe{Name: p.Name, Ext: p.Ext, Size: p.Size}
	if d.Extractor.Match(byName) == ByName {
		return d
	}
	for _, e := range r.extractors {
		if e.Match(byName) == ByName {
			if _, generic := e.(PlainText); generic && isTextual(d.Extractor) {
				// A chat log or a web page saved as .txt is still text.
				break
			}
			d.Mismatch = fmt.Sprintf("file named %q is not %s: its content is %s", p.Name, e.Name(), d.Extractor.Name())
			break
		}
	}
	return d
}

// Extract detects the format of the named file and extracts its text under
// opts.Limits. It never panics on bad input. On ErrTooLarge the returned
// Result, when not nil, holds what was read before the limit.
func (r *Registry) Extract(ctx context.Context, name string, ra io.ReaderAt, size int64, opts Options) (res *Result, err error) {
	opts.Limits = opts.Limits.withDefaults()
	if opts.Depth > opts.Limits.MaxDepth {
		return nil, tooLargef("nested more than %d levels deep", opts.Limits.MaxDepth)
	}
	if size == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrUnsupported)
	}
	if size < 0 {
		return nil, fmt.Errorf("%w: negative size", ErrCorrupt)
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Limits.Timeout)
	defer cancel()

	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("%w: extractor panicked: %v\n%s", ErrCorrupt, v, firstFrames(debug.Stack()))
		}
	}()
	p, err := newProbe(name, ra, size)
	if err != nil {
		return nil, err
	}
	if err := oleFile(p); err != nil {
		return nil, err
	}
	d := r.detect(p)
	if d.Extractor == nil {
		return nil, fmt.Errorf("%w: %s (%s)", ErrUnsupported, describe(p), http.DetectContentType(p.Head))
	}
	res, err = d.Extractor.Extract(ctx, ra, size, opts)
	if err != nil {
		err = classify(err)
		if d.How == ByName && errors.Is(err, ErrCorrupt) {
			err = fmt.Errorf("%w (the content does not look like %s)", err, d.Extractor.Name())
		}
	}
	if res != nil {
		if d.Mismatch != "" {
			res.Warnings = append([]string{d.Mismatch}, res.Warnings...)
		}
		if ctx.Err() != nil && err == nil {
			err = ctxErr(ctx)
		}
	}
	return res, err
}

// oleFile explains OLE compound files, which no extractor reads: Office
// encrypts OOXML documents into one, and the legacy .doc, .xls, .ppt and
// Outlook .msg formats are ones.
func oleFile(p *Probe) error {
	if !bytes.HasPrefix(p.Head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return nil
	}
	switch p.Ext {
	case ".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm":
		return fmt.Errorf("%w: password-protected Office document", ErrEncrypted)
	case ".msg":
		return fmt.Errorf("%w: Outlook .msg message (save it as .eml)", ErrUnsupported)
	}
	return fmt.Errorf("%w: legacy Office file (.doc, .xls or .ppt; convert it to the current format)", ErrUnsupported)
}

// isTextual tells the formats that are text with a structure, which a
// .txt, .csv or .json name does not misdescribe.
func isTextual(e Extractor) bool {
	switch e.(type) {
	case PlainText, HTML, EML, Mbox, WhatsApp, ChatCSV, ChatJSON:
		return true
	}
	return false
}

func describe(p *Probe) string {
	if p.Ext != "" {
		return fmt.Sprintf("unrecognised %s file", p.Ext)
	}
	return "unrecognised file"
}

// firstFrames keeps a panic's stack short enough for a result list.
func firstFrames(stack []byte) []byte {
	lines := bytes.SplitN(stack, []byte("\n"), 16)
	if len(lines) > 15 {
		lines = lines[:15]
	}
	return bytes.Join(lines, []byte("\n"))
}

// looksText reports whether head is plausibly text in some encoding: no NUL
// bytes outside UTF-16, few other control characters.
func looksText(head []byte) bool {
	if len(head) == 0 {
		return false
	}
	if enc := detectUTF16(head); enc != "" {
		return true
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	ctl := 0
	for _, c := range head {
		ctl += int(textControl[c])
	}
	return ctl*100 < len(head)
}

// textControl marks the control characters that looksText counts against
// text: all below U+0020 but tab, line feed, form feed, carriage return
// and escape.
var textControl = func() (t [256]uint8) {
	for c := 1; c < 0x20; c++ {
		if c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			t[c] = 1
		}
	}
	return t
}()
