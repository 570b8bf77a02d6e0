package extract

import (
	"bytes"
	"context"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// HTML reads the visible text of web pages and saved chats, skipping
// scripts, styles and markup; <title> and <meta> go to Metadata.
type HTML struct{}

// Name implements Extractor.
func (HTML) Name() string { return "html" }

// Version implements Extractor.
func (HTML) Version() string { return xnetVersion }

// Match implements Extractor.
func (HTML) Match(p *Probe) Confidence {
	h := bytes.TrimLeft(bytes.TrimPrefix(p.Head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(h) > 512 {
		h = h[:512]
	}
	lh := bytes.ToLower(h)
	if bytes.HasPrefix(lh, []byte("<!doctype html")) || bytes.HasPrefix(lh, []byte("<html")) ||
		bytes.HasPrefix(lh, []byte("<head")) || bytes.HasPrefix(lh, []byte("<body")) ||
		(bytes.HasPrefix(lh, []byte("<!--")) || bytes.HasPrefix(lh, []byte("<?xml"))) && bytes.Contains(lh, []byte("<html")) {
		return ByContent
	}
	switch p.Ext {
	case ".html", ".htm", ".xhtml":
		return ByName
	}
	return NoMatch
}

// Extract implements Extractor.
func (h HTML) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(h.Name(), "text/html", "golang.org/x/net/html", h.Version(), opts)
	head := make([]byte, min(size, 4096))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	src := io.Reader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)))
	enc, name, certain := charset.DetermineEncoding(head, "")
	if !certain && name == "windows-1252" {
		name = DetectEncoding(head)
		b.res.Encoding = name
		src = transform.NewReader(src, encodings[name].NewDecoder())
	} else {
		b.res.Encoding = name
		src = transform.NewReader(src, enc.NewDecoder())
	}
	err := htmlText(ctx, src, b, KindText, "")
	return b.res, err
}

// htmlText streams the visible text of an HTML document into chunks.
func htmlText(ctx context.Context, src io.Reader, b *builder, kind Kind, label string) error {
	z := html.NewTokenizer(src)
	z.SetMaxBuf(4 << 20)
	var sb strings.Builder
	skip := 0 // depth inside script, style...
	inTitle := false
	flush := func() error {
		s := collapseBlankLines(sb.String())
		sb.Reset()
		return b.add(Chunk{Text: s, Kind: kind, Label: label})
	}
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctxErr(ctx); err != nil {
				return err
			}
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return flush()
			}
			if ferr := flush(); ferr != nil {
				return ferr
			}
			return corruptf("html: %v", z.Err())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if inTitle {
				b.meta("title", t)
			}
			sb.WriteString(strings.ToValidUTF8(t, "\uFFFD"))
			if sb.Len() >= textChunkSize {
				if err := flush(); err != nil {
					return err
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Object, atom.Iframe:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Title:
				inTitle = tt == html.StartTagToken
			case atom.Meta:
				if hasAttr {
					var key, val, content string
					for {
						k, v, more := z.TagAttr()
						switch string(k) {
						case "name", "property", "http-equiv":
							key = strings.ToLower(string(v))
						case "content":
							content = string(v)
						}
						if !more {
							break
						}
					}
					val = content
					switch key {
					case "author", "description", "keywords", "generator", "date", "og:title":
						b.meta(strings.TrimPrefix(key, "og:"), val)
					}
				}
			case atom.Img:
				if hasAttr && skip == 0 {
					for {
						k, v, more := z.TagAttr()
						if string(k) == "alt" && len(v) > 0 {
							sb.WriteString(" " + string(v) + " ")
						}
						if !more {
							break
						}
					}
				}
			case atom.Br, atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Table, atom.Ul, atom.Ol, atom.Blockquote, atom.Pre, atom.Section, atom.Article, atom.Header,
				atom.Footer, atom.Hr, atom.Dt, atom.Dd, atom.Address, atom.Form, atom.Main, atom.Nav:
				sb.WriteByte('\n')
			case atom.Td, atom.Th:
				sb.WriteByte('\t')
			}
		}
	}
}

// collapseBlankLines trims each line and keeps at most one empty line in a
// row.
func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimSpace(strings.Join(strings.Fields(l), " "))
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
