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

// What an element is to an xmlText, in one map lookup per token.
const (
	xmlSkip uint8 = 1 << iota
	xmlInText
	xmlEmit
	xmlPara
)

// flags merges the spec's maps by element name.
func (x *xmlText) flags() map[string]uint8 {
	f := map[string]uint8{}
	for n, ok := range x.skip {
		if ok {
			f[n] |= xmlSkip
		}
	}
	for n, ok := range x.text {
		if ok {
			f[n] |= xmlInText
		}
	}
	for n := range x.emit {
		f[n] |= xmlEmit
	}
	for n, ok := range x.paras {
		if ok {
			f[n] |= xmlPara
		}
	}
	return f
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
	// std reads with encoding/xml alone, as the fast scanner must match
	// (for differential tests).
	std bool
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
	d := newXMLScanner(r, w.std)
	flags := w.spec.flags()
	skip, inText := 0, 0
	for {
		err := d.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if isLimitErr(err) {
				return err
			}
			return corruptf("xml: %v", err)
		}
		switch d.kind {
		case tokStart:
			f := flags[string(d.local)]
			if skip > 0 || f&xmlSkip != 0 {
				skip++
				continue
			}
			if w.onStart != nil || w.spec.repeat != nil {
				se := d.startElement()
				if w.onStart != nil {
					if err := w.onStart(w, se); err != nil {
						return err
					}
				}
				f = flags[se.Name.Local]
				if f&xmlInText != 0 {
					inText++
				}
				if f&xmlEmit != 0 {
					w.sb.WriteString(w.spec.emit[se.Name.Local])
				}
				if w.spec.repeat != nil {
					w.sb.WriteString(w.spec.repeat(se))
				}
				continue
			}
			if f&xmlInText != 0 {
				inText++
			}
			if f&xmlEmit != 0 {
				w.sb.WriteString(w.spec.emit[string(d.local)])
			}
		case tokEnd:
			if skip > 0 {
				skip--
				continue
			}
			f := flags[string(d.local)]
			if f&xmlInText != 0 && inText > 0 {
				inText--
			}
			if f&xmlPara != 0 {
				w.sb.WriteByte('\n')
				if w.limit > 0 && w.sb.Len() >= w.limit && w.onFull != nil {
					if err := w.onFull(w); err != nil {
						return err
					}
				}
			}
			if w.onEnd != nil {
				if err := w.onEnd(w, string(d.local)); err != nil {
					return err
				}
			}
		case tokText:
			if skip == 0 && (w.spec.text == nil || inText > 0) {
				w.sb.Write(d.text)
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
