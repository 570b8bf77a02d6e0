package extract

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"

	"strconv"
	"strings"
	"time"
)

// Office Open XML (DOCX, XLSX, PPTX) is a ZIP of XML parts; the standard
// library reads it, under the zip limits of archive.go.

const ooxmlTool = "casevault/extract ooxml (archive/zip, encoding/xml)"

func ooxmlVersion() string { return ooxmlTool + " " + goVersion() }

// DOCX reads Word documents: body, headers, footers, footnotes, endnotes,
// comments (with author and date), tracked deletions and properties.
type DOCX struct{}

// Name implements Extractor.
func (DOCX) Name() string { return "docx" }

// Version implements Extractor.
func (DOCX) Version() string { return ooxmlVersion() }

// Match implements Extractor.
func (DOCX) Match(p *Probe) Confidence {
	return zipMatch(p, "word/document.xml", ".docx", ".docm", ".dotx")
}

var docxSpec = &xmlText{
	text:  map[string]bool{"t": true},
	skip:  map[string]bool{"instrText": true, "delText": true},
	emit:  map[string]string{"tab": "\t", "br": "\n", "cr": "\n"},
	paras: map[string]bool{"p": true, "tr": true},
}

var docxDeleted = &xmlText{
	text:  map[string]bool{"delText": true},
	paras: map[string]bool{"p": true},
}

// Extract implements Extractor.
func (x DOCX) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ooxmlTool, goVersion(), opts)
	z, err := openZip(ctx, r, size, b.lim)
	if err != nil {
		return nil, err
	}
	if err := encryptedOOXML(z); err != nil {
		return nil, err
	}
	ooxmlProperties(z, b)
	if err := xmlChunks(z, "word/document.xml", docxSpec, b, KindText, ""); err != nil {
		return b.res, err
	}
	parts := []struct{ prefix, label string }{
		{"word/header", "header"}, {"word/footer", "footer"},
		{"word/footnotes", "footnote"}, {"word/endnotes", "endnote"},
	}
	for _, p := range parts {
		for _, name := range z.matching(p.prefix, ".xml") {
			if err := xmlChunks(z, name, docxSpec, b, KindPart, p.label); err != nil {
				return b.res, err
			}
		}
	}
	if z.files["word/comments.xml"] != nil {
		if err := docxComments(z, b); err != nil {
			return b.res, err
		}
	}
	if err := xmlChunks(z, "word/document.xml", docxDeleted, b, KindPart, "deleted text"); err != nil {
		return b.res, err
	}
	return b.res, nil
}

// docxComments makes one chunk per comment, with its author and date.
func docxComments(z *zipArchive, b *builder) error {
	rc, err := z.open("word/comments.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	var author string
	var when time.Time
	w := &xmlWalker{spec: docxSpec}
	w.onStart = func(w *xmlWalker, se xml.StartElement) error {
		if se.Name.Local == "comment" {
			w.take()
			author, when = attr(se, "author"), parseTime(attr(se, "date"))
		}
		return nil
	}
	w.onEnd = func(w *xmlWalker, name string) error {
		if name == "comment" {
			return b.add(Chunk{Text: w.take(), Kind: KindPart, Label: "comment", Sender: author, Time: when})
		}
		return nil
	}
	return w.walk(rc)
}

// PPTX reads PowerPoint presentations: one chunk per slide, then speaker
// notes and comments.
type PPTX struct{}

// Name implements Extractor.
func (PPTX) Name() string { return "pptx" }

// Version implements Extractor.
func (PPTX) Version() string { return ooxmlVersion() }

// Match implements Extractor.
func (PPTX) Match(p *Probe) Confidence {
	return zipMatch(p, "ppt/presentation.xml", ".pptx", ".pptm", ".ppsx")
}

var pptxSpec = &xmlText{
	text:  map[string]bool{"t": true, "text": true},
	emit:  map[string]string{"br": "\n", "tab": "\t"},
	paras: map[string]bool{"p": true, "cm": true},
}

// Extract implements Extractor.
func (x PPTX) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/vnd.openxmlformats-officedocument.presentationml.presentation", ooxmlTool, goVersion(), opts)
	z, err := openZip(ctx, r, size, b.lim)
	if err != nil {
		return nil, err
	}
	if err := encryptedOOXML(z); err != nil {
		return nil, err
	}
	ooxmlProperties(z, b)
	for _, name := range z.matching("ppt/slides/slide", ".xml") {
		n, _ := trailingNumber(name)
		if err := xmlChunk(z, name, pptxSpec, b, Chunk{Kind: KindSlide, Index: n}); err != nil {
			return b.res, err
		}
	}
	for _, name := range z.matching("ppt/notesSlides/notesSlide", ".xml") {
		n, _ := trailingNumber(name)
		if err := xmlChunk(z, name, pptxSpec, b, Chunk{Kind: KindPart, Label: fmt.Sprintf("notes, slide %d", n)}); err != nil {
			return b.res, err
		}
	}
	for _, name := range z.matching("ppt/comments/", ".xml") {
		if err := xmlChunk(z, name, pptxSpec, b, Chunk{Kind: KindPart, Label: "comment"}); err != nil {
			return b.res, err
		}
	}
	return b.res, nil
}

// zipMatch recognises an OOXML or ODF package by a member that only its
// kind has, else by extension.
func zipMatch(p *Probe, member string, exts ...string) Confidence {
	if p.hasZip(member) {
		return ByContent
	}
	for _, e := range exts {
		if p.Ext == e {
			return ByName
		}
	}
	return NoMatch
}

// encryptedOOXML spots the parts Office writes in a protected package.
func encryptedOOXML(z *zipArchive) error {
	if z.files["EncryptedPackage"] != nil || z.files["EncryptionInfo"] != nil {
		return fmt.Errorf("%w: password-protected Office document", ErrEncrypted)
	}
	return nil
}

// ooxmlProperties reads docProps/core.xml and app.xml into Metadata.
func ooxmlProperties(z *zipArchive, b *builder) {
	keys := map[string]string{
		"creator": "author", "lastModifiedBy": "last_modified_by", "created": "created",
		"modified": "modified", "title": "title", "subject": "subject", "keywords": "keywords",
		"description": "description", "revision": "revision", "lastPrinted": "last_printed",
		"Application": "application", "AppVersion": "application_version", "Company": "company",
		"Manager": "manager", "Template": "template", "TotalTime": "editing_minutes",
		"Pages": "pages", "Slides": "slides",
	}
	for _, part := range []string{"docProps/core.xml", "docProps/app.xml"} {
		if z.files[part] == nil {
			continue
		}
		rc, err := z.open(part)
		if err != nil {
			b.warn(err.Error())
			continue
		}
		for k, v := range xmlFields(io.LimitReader(rc, 1<<20)) {
			if key, ok := keys[k]; ok {
				b.meta(key, v)
			}
		}
		rc.Close()
	}
}

// xmlChunks reads one XML member into chunks of about textChunkSize, cut
// at paragraph ends.
func xmlChunks(z *zipArchive, name string, spec *xmlText, b *builder, kind Kind, label string) error {
	rc, err := z.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	w := &xmlWalker{spec: spec, limit: textChunkSize}
	w.onFull = func(w *xmlWalker) error { return b.add(Chunk{Text: w.take(), Kind: kind, Label: label}) }
	if err := w.walk(rc); err != nil {
		b.add(Chunk{Text: w.take(), Kind: kind, Label: label})
		return fmt.Errorf("%s: %w", name, err)
	}
	return b.add(Chunk{Text: w.take(), Kind: kind, Label: label})
}

// xmlChunk reads one XML member into a single chunk shaped like c.
func xmlChunk(z *zipArchive, name string, spec *xmlText, b *builder, c Chunk) error {
	rc, err := z.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	w := &xmlWalker{spec: spec}
	err = w.walk(rc)
	c.Text = w.take()
	if aerr := b.add(c); aerr != nil {
		return aerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// parseTime reads the date forms of document properties and chat logs.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		switch {
		case n > 1e17: // nanoseconds
			return time.Unix(0, n).UTC()
		case n > 1e14: // microseconds
			return time.UnixMicro(n).UTC()
		case n > 1e11: // milliseconds
			return time.UnixMilli(n).UTC()
		default:
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Time{}
}
