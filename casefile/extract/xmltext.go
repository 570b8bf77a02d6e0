package extract

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// xmlText describes how to read the text of one XML vocabulary, by local
// element names (namespaces are ignored: w:t, a:t and t are all "t").
type xmlText struct {
	text  map[string]bool   // elements whose character data is text; nil means all
	skip  map[string]bool   // subtrees to leave out
	emit  map[string]string // written at an element's start (tab, line break)
	paras map[string]bool   // a line break after the element ends
	// repeat, when set, handles elements such as ODF's <text:s text:c="3"/>.
	repeat func(se xml.StartElement) string
}

// xmlEvent lets a caller split the text at chosen elements (one chunk per
// comment, per sheet row...). It is called at each start and end element
// with the text gathered since the last split.
type xmlWalker struct {
	spec  *xmlText
	sb    strings.Builder
	limit int
	// onStart and onEnd may be nil.
	onStart func(w *xmlWalker, se xml.StartElement) error
	onEnd   func(w *xmlWalker, name string) error
	// onFull is called when the gathered text passes limit at a paragraph
	// end.
	onFull func(w *xmlWalker) error
}

// take returns and clears the gathered text.
func (w *xmlWalker) take() string {
	s := w.sb.String()
	w.sb.Reset()
	return s
}

func newXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	return d
}

func (w *xmlWalker) walk(r io.Reader) error {
	d := newXMLDecoder(r)
	skip, inText := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if isLimitErr(err) {
				return err
			}
			return corruptf("xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if skip > 0 || w.spec.skip[name] {
				skip++
				continue
			}
			if w.onStart != nil {
				if err := w.onStart(w, t); err != nil {
					return err
				}
			}
			if w.spec.text[name] {
				inText++
			}
			if s, ok := w.spec.emit[name]; ok {
				w.sb.WriteString(s)
			}
			if w.spec.repeat != nil {
				w.sb.WriteString(w.spec.repeat(t))
			}
		case xml.EndElement:
			name := t.Name.Local
			if skip > 0 {
				skip--
				continue
			}
			if w.spec.text[name] && inText > 0 {
				inText--
			}
			if w.spec.paras[name] {
				w.sb.WriteByte('\n')
				if w.limit > 0 && w.sb.Len() >= w.limit && w.onFull != nil {
					if err := w.onFull(w); err != nil {
						return err
					}
				}
			}
			if w.onEnd != nil {
				if err := w.onEnd(w, name); err != nil {
					return err
				}
			}
		case xml.CharData:
			if skip == 0 && (w.spec.text == nil || inText > 0) {
				w.sb.Write(t)
			}
		}
	}
}

// isLimitErr tells errors that must stop the walk as they are.
func isLimitErr(err error) bool {
	return errors.Is(err, ErrTooLarge) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrCorrupt)
}

// xmlFields reads the leaf elements of a small XML file (document
// properties) into a map from local name to text.
func xmlFields(r io.Reader) map[string]string {
	d := newXMLDecoder(r)
	out := map[string]string{}
	var cur string
	var sb strings.Builder
	for n := 0; n < 10000; n++ {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cur = t.Name.Local
			sb.Reset()
		case xml.CharData:
			if sb.Len() < 4096 {
				sb.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == cur {
				if _, ok := out[cur]; !ok && strings.TrimSpace(sb.String()) != "" {
					out[cur] = strings.TrimSpace(sb.String())
				}
			}
			cur = ""
		}
	}
	return out
}
