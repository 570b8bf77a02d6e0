package extract

import (
	"context"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// ODF reads OpenDocument text, spreadsheets and presentations (.odt, .ods,
// .odp): body text, headers and footers from the styles, annotations
// (comments, with author and date) and meta.xml properties.
type ODF struct{}

// Name implements Extractor.
func (ODF) Name() string { return "odf" }

// Version implements Extractor.
func (ODF) Version() string { return ooxmlTool + " " + goVersion() }

var odfTypes = map[string]string{
	"application/vnd.oasis.opendocument.text":         ".odt",
	"application/vnd.oasis.opendocument.spreadsheet":  ".ods",
	"application/vnd.oasis.opendocument.presentation": ".odp",
	"application/vnd.oasis.opendocument.graphics":     ".odg",
}

// Match implements Extractor. An ODF package starts with an uncompressed
// "mimetype" member, so its type shows in the first bytes.
func (ODF) Match(p *Probe) Confidence {
	if len(p.Head) > 38 && string(p.Head[30:38]) == "mimetype" {
		for mt := range odfTypes {
			if strings.HasPrefix(string(p.Head[38:]), mt) {
				return ByContent
			}
		}
	}
	if p.hasZip("content.xml") && p.hasZip("META-INF/manifest.xml") {
		return ByContent
	}
	switch p.Ext {
	case ".odt", ".ods", ".odp", ".odg", ".ott":
		return ByName
	}
	return NoMatch
}

var odfSpec = &xmlText{
	skip: map[string]bool{"annotation": true, "tracked-changes": true, "forms": true, "scripts": true,
		"font-face-decls": true, "automatic-styles": true, "sequence-decls": true, "variable-decls": true},
	emit:  map[string]string{"tab": "\t", "line-break": "\n"},
	paras: map[string]bool{"p": true, "h": true, "table-row": true},
	repeat: func(se xml.StartElement) string {
		switch se.Name.Local {
		case "s":
			n, err := strconv.Atoi(attr(se, "c"))
			if err != nil || n < 1 {
				n = 1
			}
			return strings.Repeat(" ", min(n, 100))
		case "table-cell":
			return "\t"
		}
		return ""
	},
}

// Extract implements Extractor.
func (x ODF) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/vnd.oasis.opendocument", ooxmlTool, goVersion(), opts)
	z, err := openZip(ctx, r, size, b.lim)
	if err != nil {
		return nil, err
	}
	if mt, err := z.readAll("mimetype", 256); err == nil {
		b.res.MediaType = strings.TrimSpace(string(mt))
		if ext := odfTypes[b.res.MediaType]; ext != "" {
			b.res.Format = ext[1:]
		}
	}
	if z.files["content.xml"] == nil {
		return nil, corruptf("no content.xml in OpenDocument package")
	}
	if mf, err := z.readAll("META-INF/manifest.xml", 1<<20); err == nil && strings.Contains(string(mf), "encryption-data") {
		return nil, ErrEncrypted
	}
	if z.files["meta.xml"] != nil {
		if rc, err := z.open("meta.xml"); err == nil {
			keys := map[string]string{"initial-creator": "author", "creator": "last_modified_by",
				"creation-date": "created", "date": "modified", "title": "title", "subject": "subject",
				"keyword": "keywords", "description": "description", "generator": "application",
				"editing-cycles": "revision", "print-date": "last_printed"}
			for k, v := range xmlFields(io.LimitReader(rc, 1<<20)) {
				if key, ok := keys[k]; ok {
					b.meta(key, v)
				}
			}
			rc.Close()
		}
	}
	kind := KindText
	if b.res.Format == "odp" {
		kind = KindSlide
	}
	if err := odfBody(z, b, kind); err != nil {
		return b.res, err
	}
	if z.files["styles.xml"] != nil {
		if err := odfHeaders(z, b); err != nil {
			return b.res, err
		}
	}
	return b.res, nil
}

// odfBody reads content.xml: one chunk per page of a presentation, per
// table of a spreadsheet, else chunks of about 32 KiB; annotations
// separately with their author and date.
func odfBody(z *zipArchive, b *builder, kind Kind) error {
	rc, err := z.open("content.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	var label string
	w := &xmlWalker{spec: odfSpec, limit: textChunkSize}
	w.onFull = func(w *xmlWalker) error {
		if kind == KindSlide {
			return nil
		}
		return b.add(Chunk{Text: w.take(), Kind: kind, Label: label})
	}
	// Annotations are skipped by the main spec and read by a second pass
	// below, so that each becomes its own chunk.
	w.onStart = func(w *xmlWalker, se xml.StartElement) error {
		switch se.Name.Local {
		case "page", "table":
			if err := b.add(Chunk{Text: w.take(), Kind: kind, Label: label}); err != nil {
				return err
			}
			label = attr(se, "name")
			if se.Name.Local == "table" && kind == KindText && b.res.Format == "ods" {
				kind = KindSheet
			}
		}
		return nil
	}
	if err := w.walk(rc); err != nil {
		b.add(Chunk{Text: w.take(), Kind: kind, Label: label})
		return err
	}
	if err := b.add(Chunk{Text: w.take(), Kind: kind, Label: label}); err != nil {
		return err
	}
	return odfAnnotations(z, b)
}

func odfAnnotations(z *zipArchive, b *builder) error {
	rc, err := z.open("content.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newXMLDecoder(rc)
	depth := 0
	var author, date, field string
	var sb strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil // the body pass already reported it
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "annotation" {
				depth++
				sb.Reset()
				author, date = "", ""
			} else if depth > 0 {
				field = t.Name.Local
			}
		case xml.CharData:
			if depth > 0 {
				switch field {
				case "creator":
					author += string(t)
				case "date":
					date += string(t)
				default:
					if sb.Len() < 1<<20 {
						sb.Write(t)
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "annotation" && depth > 0 {
				depth--
				if err := b.add(Chunk{Text: sb.String(), Kind: KindPart, Label: "comment", Sender: author, Time: parseTime(date)}); err != nil {
					return err
				}
			} else if depth > 0 {
				if t.Name.Local == "p" {
					sb.WriteByte('\n')
				}
				field = ""
			}
		}
	}
}

// odfHeaders reads the page headers and footers kept in styles.xml.
func odfHeaders(z *zipArchive, b *builder) error {
	rc, err := z.open("styles.xml")
	if err != nil {
		return err
	}
	defer rc.Close()
	in := ""
	w := &xmlWalker{spec: &xmlText{skip: odfSpec.skip, emit: odfSpec.emit, paras: odfSpec.paras, repeat: odfSpec.repeat}}
	w.onStart = func(w *xmlWalker, se xml.StartElement) error {
		switch se.Name.Local {
		case "header", "footer", "header-left", "footer-left", "header-first", "footer-first":
			w.take()
			in = strings.Split(se.Name.Local, "-")[0]
		}
		return nil
	}
	w.onEnd = func(w *xmlWalker, name string) error {
		switch name {
		case "header", "footer", "header-left", "footer-left", "header-first", "footer-first":
			s := w.take()
			in = ""
			return b.add(Chunk{Text: s, Kind: KindPart, Label: strings.Split(name, "-")[0]})
		}
		return nil
	}
	err = w.walk(rc)
	_ = in
	return err
}
