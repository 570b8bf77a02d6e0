package extract

import (
	"bytes"
	"context"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

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
	raw := false
	switch {
	case !certain && name == "windows-1252":
		name = DetectEncoding(head)
		b.res.Encoding = name
		src = transform.NewReader(src, encodings[name].NewDecoder())
	case name == "utf-8":
		// Read as is: htmlText replaces what is not valid UTF-8 as the
		// decoder would.
		b.res.Encoding = name
		raw = true
	default:
		b.res.Encoding = name
		src = transform.NewReader(src, enc.NewDecoder())
	}
	err := htmlText(ctx, src, b, KindText, "", raw)
	return b.res, err
}

// htmlText streams the visible text of an HTML document into chunks. When
// raw, src is undecoded UTF-8.
func htmlText(ctx context.Context, src io.Reader, b *builder, kind Kind, label string, raw bool) error {
	z := html.NewTokenizer(src)
	z.SetMaxBuf(4 << 20)
	var sb strings.Builder
	skip := 0 // depth inside script, style...
	inTitle := false
	flush := func() error {
		// Invalid UTF-8 (when raw) is replaced by b.add, as the decoder
		// would: collapsing white space never joins two ill-formed
		// sequences.
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
			t := z.Text()
			if inTitle {
				if raw {
					b.meta("title", string(validUTF8(t)))
				} else {
					b.meta("title", string(t))
				}
			}
			sb.Write(t) // made valid UTF-8 by the decoder or by b.add
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
							if raw {
								v = validUTF8(v)
							}
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

// collapseBlankLines trims each line, collapses runs of white space inside
// it to one space, and keeps at most one empty line in a row.
func collapseBlankLines(s string) string {
	out := make([]byte, 0, len(s))
	blank, lines := 0, 0
	for {
		line := s
		i := strings.IndexByte(s, '\n')
		if i >= 0 {
			line, s = s[:i], s[i+1:]
		}
		mark := len(out)
		if lines > 0 {
			out = append(out, '\n')
		}
		start := len(out)
		out = appendFields(out, line)
		if len(out) == start {
			blank++
		} else {
			blank = 0
		}
		if blank > 1 {
			out = out[:mark]
		} else {
			lines++
		}
		if i < 0 {
			return string(out)
		}
	}
}

// appendFields appends the words of line (as strings.Fields splits them)
// joined by single spaces. Only the lead bytes of ASCII white space and of
// the two- and three-byte encodings of Unicode white space (C2, E1, E2,
// E3) need a closer look; every other byte belongs to a word, so runs of
// them are copied at once.
func appendFields(out []byte, line string) []byte {
	word := false // a word has been written
	sep := false  // white space since the last word
	for i := 0; i < len(line); {
		c := line[i]
		n := 1
		switch fieldClass[c] {
		case fieldSpace:
			sep = true
			i++
			continue
		case fieldMaybeSpace:
			var r rune
			r, n = utf8.DecodeRuneInString(line[i:])
			if unicode.IsSpace(r) {
				sep = true
				i += n
				continue
			}
		}
		if sep && word {
			out = append(out, ' ')
		}
		sep, word = false, true
		j := i + n
		for j < len(line) && fieldClass[line[j]] == fieldWord {
			j++
		}
		out = append(out, line[i:j]...)
		i = j
	}
	return out
}

// fieldClass sorts bytes for appendFields.
var fieldClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < utf8.RuneSelf && asciiSpace[c]:
			t[c] = fieldSpace
		case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
			t[c] = fieldMaybeSpace // U+0085, U+00A0, U+1680, U+2000..U+205F, U+3000
		}
	}
	return t
}()

const (
	fieldWord = iota
	fieldSpace
	fieldMaybeSpace
)

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
