package extract

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner reads the tokens of an XML stream as encoding/xml's
// Decoder.Token does in the non-strict mode that newXMLDecoder sets up,
// several times faster, for what office documents hold: UTF-8, ASCII
// names, the five predefined entities and character references, CDATA,
// comments and processing instructions. At the first token it does not
// handle exactly the way encoding/xml does (a DOCTYPE, another encoding,
// an unknown entity, a mismatched end tag, a carriage return, any syntax
// error...), it hands the rest of the stream over to encoding/xml, primed
// with the elements still open and the count of lines read, so that every
// later token and error (line number included) is the one encoding/xml
// alone would have given. FuzzXMLScanner checks this on the extractors'
// own use of it. Only Name.Space may differ (a prefix rather than a
// namespace URL), and nothing here reads it.
type xmlScanner struct {
	r    io.Reader
	rerr error // sticky: what r returned last (io.EOF included)
	buf  []byte
	pos  int // start of the unread data buf[pos:end]
	end  int
	// lines counts the newlines in buf[:counted] and in the data shifted
	// out of buf before it, for the line numbers of encoding/xml's errors.
	lines   int
	counted int
	// open element names (raw, prefix included), one after another in
	// names, each ending at the offset in ends; and their namespace
	// declarations (xmlns attributes, as XML text) in decls, each element's
	// ending at the offset in declEnds. encoding/xml keeps a stack frame
	// for each declaration, which its non-strict closing of mismatched
	// elements meets: the primer must give it the same frames.
	names    []byte
	ends     []int
	decls    []byte
	declEnds []int
	// pendingEnd: the last token was the start of an empty element
	// (<a/>), whose end comes next.
	pendingEnd bool
	scratch    []byte // decoded character data and attribute values
	attrs      []scanAttr
	dec        *xml.Decoder // once handed over

	// The current token.
	kind  xmlTokKind
	local []byte // an element's local name
	text  []byte // character data
	std   xml.Token
}

type xmlTokKind uint8

const (
	tokStart xmlTokKind = iota + 1
	tokEnd
	tokText
	tokOther // comment, processing instruction, directive
)

// scanAttr is an attribute of the current start element, as slices of
// buf or scratch.
type scanAttr struct {
	name  []byte // raw, prefix included
	value []byte
	// in scratch (value is then scratch[from:to] once the tag is read)
	inScratch bool
	from, to  int
}

const xmlScanBuf = 64 << 10

// xmlTextMax is the longest text token the scanner reads itself; the
// buffer never grows past twice it.
const xmlTextMax = 1 << 20

// errXMLHandOver stops the fast path: encoding/xml reads on from the
// token that starts at s.pos.
var errXMLHandOver = errors.New("xml: hand over to encoding/xml")

// errXMLMore asks for more input before the token at s.pos can be read.
var errXMLMore = errors.New("xml: more input needed")

// newXMLScanner reads r; with std set, only through encoding/xml (for
// differential tests).
func newXMLScanner(r io.Reader, std bool) *xmlScanner {
	s := &xmlScanner{r: r}
	if std {
		s.dec = newXMLDecoder(r)
	} else {
		s.buf = make([]byte, xmlScanBuf)
	}
	return s
}

// next reads the next token into s.kind, s.local and s.text (valid until
// the following call). It returns io.EOF at the end, or the error
// encoding/xml would return.
func (s *xmlScanner) next() error {
	if s.dec != nil {
		return s.nextStd()
	}
	if s.pendingEnd {
		s.pendingEnd = false
		s.kind, s.local = tokEnd, s.popLocal()
		return nil
	}
	for {
		err := s.scan()
		switch err {
		case nil:
			return nil
		case errXMLMore:
			if s.rerr == nil {
				if n := s.end - s.pos; n >= xmlScanBuf/2 && s.buf[s.pos] == '<' || n >= xmlTextMax {
					// A long markup token goes to encoding/xml, which does
					// not keep the white space inside tags (it can be the
					// most of a zip bomb), and so does a long text token:
					// encoding/xml keeps it whole too, but the buffer
					// doubling under it, then a copy of it with entities
					// or "\r\n" read, would hold 3 to 6 times it.
					s.handOver()
					return s.nextStd()
				}
				s.fill()
				continue
			}
			if s.rerr != io.EOF {
				return s.rerr // as encoding/xml returns a read error
			}
			if s.pos == s.end && len(s.ends) == 0 {
				return io.EOF
			}
			// encoding/xml reports an unexpected EOF with its line.
			s.handOver()
			return s.nextStd()
		case errXMLHandOver:
			s.handOver()
			return s.nextStd()
		default:
			return err
		}
	}
}

// fill reads more input, keeping buf[s.pos:s.end]: it shifts the unread
// data to the front, doubles the buffer when that data fills more than
// half of it, and reads until the buffer is full or r fails, so that a
// long token is rescanned only a logarithmic number of times.
func (s *xmlScanner) fill() {
	if s.pos > 0 {
		s.lines += bytes.Count(s.buf[s.counted:s.pos], []byte{'\n'})
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end, s.counted = 0, n, 0
	}
	if s.end > len(s.buf)/2 {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for empty := 0; s.end < len(s.buf) && s.rerr == nil; {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		switch {
		case err != nil:
			s.rerr = err
		case n > 0:
			empty = 0
		default:
			if empty++; empty >= 100 {
				s.rerr = io.ErrNoProgress // as bufio gives encoding/xml
			}
		}
	}
}

// handOver gives the stream from s.pos on to encoding/xml, after a
// primer that leaves its decoder as it would be at this point: an empty
// element with as many newlines in its tag as were read, then the open
// elements with their namespace declarations.
func (s *xmlScanner) handOver() {
	s.lines += bytes.Count(s.buf[s.counted:s.pos], []byte{'\n'})
	s.counted = s.pos
	var primer bytes.Buffer
	skip := len(s.ends)
	var in []io.Reader
	if s.lines > 0 {
		// The newlines as white space in an empty element's tag, which
		// encoding/xml counts without keeping them (as it would a
		// comment's), made as they are read.
		in = append(in, strings.NewReader("<a"), &newlineReader{n: s.lines}, strings.NewReader("/>"))
		skip += 2
	}
	from, dfrom := 0, 0
	for k, e := range s.ends {
		primer.WriteByte('<')
		primer.Write(s.names[from:e])
		primer.Write(s.decls[dfrom:s.declEnds[k]])
		primer.WriteByte('>')
		from, dfrom = e, s.declEnds[k]
	}
	rest := bytes.Clone(s.buf[s.pos:s.end])
	in = append(in, &primer, bytes.NewReader(rest), &stickyReader{r: s.r, err: s.rerr})
	s.dec = newXMLDecoder(io.MultiReader(in...))
	s.buf, s.scratch, s.names, s.decls = nil, nil, nil, nil
	for i := 0; i < skip; i++ {
		if _, err := s.dec.Token(); err != nil {
			// The primer is well-formed: this cannot happen.
			panic("xml scanner primer: " + err.Error())
		}
	}
}

// newlineReader reads n newlines.
type newlineReader struct{ n int }

func (r *newlineReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = '\n'
	}
	r.n -= k
	return k, nil
}

// stickyReader reads r until it fails, then returns that error again.
type stickyReader struct {
	r   io.Reader
	err error
}

func (r *stickyReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.r.Read(p)
	r.err = err
	return n, err
}

// nextStd reads a token with encoding/xml.
func (s *xmlScanner) nextStd() error {
	tok, err := s.dec.Token()
	if err != nil {
		return err
	}
	s.std = tok
	switch t := tok.(type) {
	case xml.StartElement:
		s.kind, s.local = tokStart, append(s.local[:0], t.Name.Local...)
	case xml.EndElement:
		s.kind, s.local = tokEnd, append(s.local[:0], t.Name.Local...)
	case xml.CharData:
		s.kind, s.text = tokText, t
	default:
		s.kind = tokOther
	}
	return nil
}

// startElement returns the current start element as encoding/xml gives
// it (allocating).
func (s *xmlScanner) startElement() xml.StartElement {
	if s.dec != nil {
		return s.std.(xml.StartElement)
	}
	se := xml.StartElement{Name: xml.Name{Local: string(s.local)}, Attr: make([]xml.Attr, len(s.attrs))}
	for i, a := range s.attrs {
		se.Attr[i].Name = splitName(a.name)
		se.Attr[i].Value = string(a.value)
	}
	return se
}

func splitName(raw []byte) xml.Name {
	if i := bytes.IndexByte(raw, ':'); i >= 0 {
		return xml.Name{Space: string(raw[:i]), Local: string(raw[i+1:])}
	}
	return xml.Name{Local: string(raw)}
}

func (s *xmlScanner) popLocal() []byte {
	n := len(s.ends)
	from := 0
	if n > 1 {
		from = s.ends[n-2]
	}
	raw := s.names[from:s.ends[n-1]]
	s.names = s.names[:from]
	s.ends = s.ends[:n-1]
	s.decls = s.decls[:declStart(s.declEnds, n-1)]
	s.declEnds = s.declEnds[:n-1]
	return localOf(raw) // still valid: names is only appended to later
}

// declStart is where the declarations of open element k start in decls.
func declStart(declEnds []int, k int) int {
	if k == 0 {
		return 0
	}
	return declEnds[k-1]
}

func localOf(raw []byte) []byte {
	if i := bytes.IndexByte(raw, ':'); i >= 0 {
		return raw[i+1:]
	}
	return raw
}

// scan reads one token from buf[s.pos:s.end]: nil with the token set and
// s.pos past it, errXMLMore, errXMLHandOver, or a read error met inside a
// token.
func (s *xmlScanner) scan() error {
	data := s.buf[s.pos:s.end]
	if len(data) == 0 {
		return errXMLMore
	}
	if data[0] != '<' {
		return s.scanText(data)
	}
	if len(data) < 2 {
		return s.more()
	}
	switch data[1] {
	case '/':
		return s.scanEnd(data)
	case '?':
		return s.scanPI(data)
	case '!':
		return s.scanBang(data)
	}
	return s.scanStart(data)
}

// more is what a token cut by the end of the data gets: wait for more
// input or, once r has failed, hand the token over: encoding/xml reports
// an unexpected EOF with its line number, and before a read error it may
// still read the token's text, or fail on it first (an attribute value
// cut inside a UTF-8 sequence is invalid UTF-8 to it, not the read error).
func (s *xmlScanner) more() error {
	if s.rerr == nil {
		return errXMLMore
	}
	return errXMLHandOver
}

// scanText reads character data up to the next '<'. Text cut by the end
// of the input is returned as it is, as encoding/xml does.
func (s *xmlScanner) scanText(data []byte) error {
	s.scratch = s.scratch[:0]
	copied := 0 // data[:copied] is in scratch (after an entity)
	i := 0
	for i < len(data) {
		c := data[i]
		if c >= 0x20 && c < 0x80 && c != '<' && c != '&' && c != ']' {
			i++
			continue
		}
		switch {
		case c == '<':
			goto done
		case c == '\n' || c == '\t':
			i++
		case c == ']':
			if i+2 >= len(data) {
				if s.rerr == nil {
					return errXMLMore
				}
				i++ // "]" or "]]" at the end: plain text
				continue
			}
			if data[i+1] == ']' && data[i+2] == '>' {
				return errXMLHandOver
			}
			i++
		case c == '&':
			r, n, err := s.entity(data[i:])
			if err != nil {
				return err
			}
			s.scratch = append(s.scratch, data[copied:i]...)
			s.scratch = utf8.AppendRune(s.scratch, r)
			i += n
			copied = i
		case c >= 0x80:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				if !utf8.FullRune(data[i:]) && s.rerr == nil {
					return errXMLMore
				}
				return errXMLHandOver
			}
			if !xmlCharOK(r) {
				return errXMLHandOver
			}
			i += n
		case c == '\r':
			// encoding/xml reads "\r\n" and a lone '\r' as '\n' (Word
			// writes "\r\n" after the XML declaration).
			if i+1 == len(data) && s.rerr == nil {
				return errXMLMore
			}
			s.scratch = append(s.scratch, data[copied:i]...)
			s.scratch = append(s.scratch, '\n')
			i++
			if i < len(data) && data[i] == '\n' {
				i++
			}
			copied = i
		default: // a control character
			return errXMLHandOver
		}
	}
	// The data ends inside the text.
	if s.rerr == nil {
		return errXMLMore
	}
done:
	if copied > 0 {
		s.scratch = append(s.scratch, data[copied:i]...)
		s.text = s.scratch
	} else {
		s.text = data[:i]
	}
	s.kind = tokText
	s.pos += i
	return nil
}

// xmlCharOK is encoding/xml's isInCharacterRange for runes above ASCII.
func xmlCharOK(r rune) bool {
	return r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// entity reads a predefined entity or a character reference at data[0]
// ('&'): its rune and length. Where encoding/xml would keep the text as
// it is (an unknown entity, no semicolon) it is handed over; input that
// ends before the entity does is what encoding/xml fails on.
func (s *xmlScanner) entity(data []byte) (rune, int, error) {
	i := 1
	if i == len(data) {
		return 0, 0, s.more()
	}
	if data[1] == '#' {
		i = 2
		base := 10
		if i < len(data) && data[i] == 'x' {
			i, base = 3, 16
		}
		start := i
		for i < len(data) && ('0' <= data[i] && data[i] <= '9' || base == 16 && ('a' <= data[i] && data[i] <= 'f' || 'A' <= data[i] && data[i] <= 'F')) {
			i++
		}
		if i == len(data) {
			return 0, 0, s.more()
		}
		if data[i] != ';' || i == start || i-start > 8 {
			return 0, 0, errXMLHandOver
		}
		n, err := strconv.ParseUint(string(data[start:i]), base, 32)
		r := rune(n)
		if err != nil || !(r == '\t' || r == '\n' || r >= 0x20 && r < 0x80 || r >= 0x80 && xmlCharOK(r)) {
			// \r, other controls, surrogates (which encoding/xml turns
			// into U+FFFD) and the rest: its way.
			return 0, 0, errXMLHandOver
		}
		return r, i + 1, nil
	}
	for i < len(data) && (data[i] >= 0x80 || isNameByte(data[i])) {
		i++
	}
	if i == len(data) {
		return 0, 0, s.more()
	}
	if data[i] != ';' {
		return 0, 0, errXMLHandOver
	}
	switch string(data[1:i]) {
	case "lt":
		return '<', i + 1, nil
	case "gt":
		return '>', i + 1, nil
	case "amp":
		return '&', i + 1, nil
	case "apos":
		return '\'', i + 1, nil
	case "quot":
		return '"', i + 1, nil
	}
	return 0, 0, errXMLHandOver
}

// isNameByte is encoding/xml's: the ASCII bytes it reads as part of a
// name.
func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

// name reads an ASCII XML name at data[0]: its length, or 0 with
// errXMLHandOver for anything else (non-ASCII names, or names that
// encoding/xml would split otherwise: "a:b:c", ":a", "a:").
func (s *xmlScanner) name(data []byte) (int, error) {
	colons, colonAt := 0, -1
	i := 0
	for ; i < len(data); i++ {
		c := data[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' {
			continue
		}
		if i > 0 && ('0' <= c && c <= '9' || c == '.' || c == '-') {
			continue
		}
		if c == ':' {
			colons++
			colonAt = i
			continue
		}
		if c >= 0x80 {
			return 0, errXMLHandOver
		}
		break
	}
	if i == len(data) {
		return 0, s.more()
	}
	if i == 0 || colons > 1 || colons == 1 && (colonAt == 0 || colonAt == i-1) {
		return 0, errXMLHandOver
	}
	return i, nil
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isXMLSpace(data[i]) {
		i++
	}
	return i
}

// nameAndSpace reads the name after the two-byte opener of data ("</" or
// "<?") and the white space after it, returning the name and the index
// past the space; at the end of data it asks for more.
func (s *xmlScanner) nameAndSpace(data []byte) ([]byte, int, error) {
	n, err := s.name(data[2:])
	if err != nil {
		return nil, 0, err
	}
	i := skipSpace(data, 2+n)
	if i == len(data) {
		return nil, 0, s.more()
	}
	return data[2 : 2+n], i, nil
}

func (s *xmlScanner) scanEnd(data []byte) error {
	raw, i, err := s.nameAndSpace(data)
	if err != nil {
		return err
	}
	if data[i] != '>' || len(s.ends) == 0 {
		return errXMLHandOver
	}
	from := 0
	if k := len(s.ends); k > 1 {
		from = s.ends[k-2]
	}
	if !bytes.Equal(s.names[from:], raw) {
		return errXMLHandOver // non-strict mode closes it its own way
	}
	s.kind, s.local = tokEnd, s.popLocal()
	s.pos += i + 1
	return nil
}

func (s *xmlScanner) scanPI(data []byte) error {
	target, i, err := s.nameAndSpace(data)
	if err != nil {
		return err
	}
	k := bytes.Index(data[i:], []byte("?>"))
	if k < 0 {
		return s.more()
	}
	if string(target) == "xml" {
		content := string(data[i : i+k])
		if ver := procInst("version", content); ver != "" && ver != "1.0" {
			return errXMLHandOver
		}
		if enc := procInst("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return errXMLHandOver
		}
	}
	s.kind = tokOther
	s.pos += i + k + 2
	return nil
}

// procInst is encoding/xml's reading of a parameter of <?xml ...?>.
func procInst(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

func (s *xmlScanner) scanBang(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("<!--")):
		k := bytes.Index(data[4:], []byte("--"))
		if k < 0 || 4+k+2 >= len(data) {
			return s.more()
		}
		if data[4+k+2] != '>' {
			return errXMLHandOver
		}
		s.kind = tokOther
		s.pos += 4 + k + 3
		return nil
	case bytes.HasPrefix(data, []byte("<![CDATA[")):
		body := data[9:]
		k := bytes.Index(body, []byte("]]>"))
		if k < 0 {
			return s.more()
		}
		body = body[:k]
		for i := 0; i < len(body); {
			c := body[i]
			switch {
			case c >= 0x20 && c < 0x80 || c == '\n' || c == '\t':
				i++
			case c >= 0x80:
				r, n := utf8.DecodeRune(body[i:])
				if r == utf8.RuneError && n <= 1 || !xmlCharOK(r) {
					return errXMLHandOver
				}
				i += n
			default:
				return errXMLHandOver
			}
		}
		s.kind, s.text = tokText, body
		s.pos += 9 + k + 3
		return nil
	case len(data) < 9 && (bytes.HasPrefix([]byte("<!--"), data) || bytes.HasPrefix([]byte("<![CDATA["), data)):
		return s.more()
	}
	return errXMLHandOver // a directive (DOCTYPE...) or a syntax error
}

func (s *xmlScanner) scanStart(data []byte) error {
	n, err := s.name(data[1:])
	if err != nil {
		return err
	}
	raw := data[1 : 1+n]
	s.attrs = s.attrs[:0]
	s.scratch = s.scratch[:0]
	i := 1 + n
	empty := false
	for {
		i = skipSpace(data, i)
		if i == len(data) {
			return s.more()
		}
		if data[i] == '/' {
			if i+1 == len(data) {
				return s.more()
			}
			if data[i+1] != '>' {
				return errXMLHandOver
			}
			empty = true
			i += 2
			break
		}
		if data[i] == '>' {
			i++
			break
		}
		n, err := s.name(data[i:])
		if err != nil {
			return err
		}
		a := scanAttr{name: data[i : i+n]}
		i = skipSpace(data, i+n)
		if i == len(data) {
			return s.more()
		}
		if data[i] != '=' {
			return errXMLHandOver
		}
		i = skipSpace(data, i+1)
		if i == len(data) {
			return s.more()
		}
		q := data[i]
		if q != '"' && q != '\'' {
			return errXMLHandOver
		}
		i++
		start, copied := i, i
		a.from = len(s.scratch)
		for {
			if i == len(data) {
				return s.more()
			}
			c := data[i]
			if c == q {
				break
			}
			switch {
			case c >= 0x20 && c < 0x80 && c != '<' && c != '&' || c == '\n' || c == '\t':
				i++
			case c == '&':
				r, n, err := s.entity(data[i:])
				if err != nil {
					return err
				}
				s.scratch = append(s.scratch, data[copied:i]...)
				s.scratch = utf8.AppendRune(s.scratch, r)
				a.inScratch = true
				i += n
				copied = i
			case c >= 0x80:
				r, n := utf8.DecodeRune(data[i:])
				if r == utf8.RuneError && n <= 1 {
					if !utf8.FullRune(data[i:]) {
						return s.more()
					}
					return errXMLHandOver
				}
				if !xmlCharOK(r) {
					return errXMLHandOver
				}
				i += n
			default: // '<', '\r' or a control character
				return errXMLHandOver
			}
		}
		if a.inScratch {
			s.scratch = append(s.scratch, data[copied:i]...)
			a.to = len(s.scratch)
		} else {
			a.value = data[start:i]
		}
		i++ // the closing quote
		s.attrs = append(s.attrs, a)
	}
	for k := range s.attrs {
		if a := &s.attrs[k]; a.inScratch {
			a.value = s.scratch[a.from:a.to]
		}
	}
	s.names = append(s.names, raw...)
	s.ends = append(s.ends, len(s.names))
	for _, a := range s.attrs {
		if bytes.Equal(a.name, []byte("xmlns")) || bytes.HasPrefix(a.name, []byte("xmlns:")) {
			s.decls = append(s.decls, ' ')
			s.decls = append(s.decls, a.name...)
			s.decls = append(s.decls, '=', '"')
			s.decls = appendEscaped(s.decls, a.value)
			s.decls = append(s.decls, '"')
		}
	}
	s.declEnds = append(s.declEnds, len(s.decls))
	s.kind, s.local = tokStart, localOf(raw)
	s.pendingEnd = empty
	s.pos += i
	return nil
}

// appendEscaped appends v escaped for a quoted attribute value.
func appendEscaped(dst, v []byte) []byte {
	var b bytes.Buffer
	xml.EscapeText(&b, v)
	return append(dst, b.Bytes()...)
}
