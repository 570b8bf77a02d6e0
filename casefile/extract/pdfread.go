package extract

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// pdfread.go is a small, strict reader of PDF objects for the text-layer
// fast path (pdftext.go). It reads what well-formed files hold — a
// cross-reference table or stream, object streams, Flate-compressed
// streams — and declines anything else with errPDFFallback, so that
// PDFium, which repairs broken files, reads them instead. It never guesses:
// a file it is unsure of goes to PDFium.

// errPDFFallback says the fast reader declines the file.
var errPDFFallback = errors.New("pdf: left to PDFium")

func pdfDecline(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errPDFFallback}, a...)...)
}

type (
	pdfName    string
	pdfKeyword string
	pdfString  []byte
	pdfArray   []any
	pdfDict    map[pdfName]any
	pdfRef     struct{ num, gen int }
	pdfStream  struct {
		dict pdfDict
		raw  []byte // as stored: a slice of the file
	}
)

const (
	pdfMaxDepth      = 64       // nesting of arrays and dictionaries
	pdfMaxObjects    = 1 << 20  // cross-reference entries
	pdfMaxItems      = 1 << 18  // entries in one array or dictionary
	pdfMaxInflated   = 1 << 30  // decompressed bytes per document, a bound on the work
	pdfMaxStream     = 16 << 20 // decompressed bytes per stream
	pdfMaxKept       = 32 << 20 // decompressed object streams kept at a time
	pdfMaxXrefChain  = 64       // /Prev links
	pdfMaxResolveRec = 32       // references resolved inside one another
	// pdfMaxWork bounds what one file may cost: bytes of content lexed,
	// CMap and width ranges walked, page tree nodes visited, fonts loaded.
	// Past it the file goes to PDFium (whose own bounds then apply),
	// well before the extraction's deadline.
	pdfMaxWork = 512 << 20
)

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// pdfLexer reads objects from b. In content mode bare words are returned as
// pdfKeyword operators and "N G R" is not a reference.
type pdfLexer struct {
	b       []byte
	pos     int
	content bool
}

func (l *pdfLexer) skip() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isPDFSpace(c) {
			l.pos++
		} else if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		} else {
			return
		}
	}
}

// word reads a run of regular characters.
func (l *pdfLexer) word() []byte {
	start := l.pos
	for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
		l.pos++
	}
	return l.b[start:l.pos]
}

var errPDFEnd = errors.New("pdf: end of data")

// object reads the next object. A closing ']' or '>>' is returned as a
// pdfKeyword for the caller that reads the container.
func (l *pdfLexer) object(depth int) (any, error) {
	if depth > pdfMaxDepth {
		return nil, pdfDecline("objects nested too deep")
	}
	l.skip()
	if l.pos >= len(l.b) {
		return nil, errPDFEnd
	}
	switch c := l.b[l.pos]; {
	case c == '/':
		l.pos++
		return pdfName(pdfNameDecode(l.word())), nil
	case c == '(':
		return l.literal()
	case c == '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return l.dict(depth)
		}
		return l.hex()
	case c == '>':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '>' {
			l.pos += 2
			return pdfKeyword(">>"), nil
		}
		return nil, pdfDecline("stray '>' at %d", l.pos)
	case c == '[':
		l.pos++
		var a pdfArray
		for {
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if k, ok := v.(pdfKeyword); ok && k == "]" {
				return a, nil
			}
			if len(a) >= pdfMaxItems {
				return nil, pdfDecline("array too long")
			}
			a = append(a, v)
		}
	case c == ']':
		l.pos++
		return pdfKeyword("]"), nil
	case c == '{' || c == '}' || c == ')':
		return nil, pdfDecline("unexpected %q at %d", c, l.pos)
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		return l.number()
	default:
		w := l.word()
		switch string(w) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		if len(w) == 0 {
			return nil, pdfDecline("unreadable byte %#x at %d", l.b[l.pos], l.pos)
		}
		return pdfKeyword(w), nil
	}
}

func (l *pdfLexer) number() (any, error) {
	w := l.word()
	if n, err := strconv.Atoi(string(w)); err == nil {
		if !l.content && n >= 0 {
			// "num gen R" is a reference.
			save := l.pos
			l.skip()
			g := l.word()
			if gen, err := strconv.Atoi(string(g)); err == nil && gen >= 0 && gen < 1<<16 {
				l.skip()
				if l.pos < len(l.b) && l.b[l.pos] == 'R' && (l.pos+1 == len(l.b) || isPDFSpace(l.b[l.pos+1]) || isPDFDelim(l.b[l.pos+1])) {
					l.pos++
					return pdfRef{n, gen}, nil
				}
			}
			l.pos = save
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(string(w), 64)
	if err != nil {
		return nil, pdfDecline("bad number %q", w)
	}
	return f, nil
}

func (l *pdfLexer) dict(depth int) (any, error) {
	d := pdfDict{}
	for {
		k, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if kw, ok := k.(pdfKeyword); ok && kw == ">>" {
			return d, nil
		}
		name, ok := k.(pdfName)
		if !ok {
			return nil, pdfDecline("dictionary key is not a name")
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		if kw, ok := v.(pdfKeyword); ok && (kw == ">>" || kw == "]") {
			return nil, pdfDecline("dictionary key without value")
		}
		if len(d) >= pdfMaxItems {
			return nil, pdfDecline("dictionary too large")
		}
		d[name] = v
	}
}

func (l *pdfLexer) literal() (any, error) {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return pdfString(out), nil
			}
		case '\r':
			if l.pos < len(l.b) && l.b[l.pos] == '\n' {
				l.pos++
			}
			c = '\n'
		case '\\':
			if l.pos >= len(l.b) {
				return nil, pdfDecline("unterminated string")
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e // \( \) \\ and unknown escapes: the character itself
				}
			}
		}
		out = append(out, c)
	}
	return nil, pdfDecline("unterminated string")
}

func (l *pdfLexer) hex() (any, error) {
	l.pos++ // <
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			if half {
				out = append(out, hi<<4)
			}
			return pdfString(out), nil
		}
		if isPDFSpace(c) {
			continue
		}
		v, ok := hexVal(c)
		if !ok {
			return nil, pdfDecline("bad hex string")
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return nil, pdfDecline("unterminated hex string")
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// pdfNameDecode undoes #xx escapes in a name.
func pdfNameDecode(w []byte) string {
	if bytes.IndexByte(w, '#') < 0 {
		return string(w)
	}
	out := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] == '#' && i+2 < len(w) {
			h, ok1 := hexVal(w[i+1])
			lo, ok2 := hexVal(w[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|lo)
				i += 2
				continue
			}
		}
		out = append(out, w[i])
	}
	return string(out)
}

// pdfDoc is a parsed PDF file held in memory.
type pdfDoc struct {
	b        []byte
	xref     map[int]pdfXref
	trailer  pdfDict
	cache    map[int]any
	objStms  map[int]*pdfObjStm
	busy     map[int]bool // references being resolved: a cycle guard
	inflated int64
	kept     int           // bytes of objStms
	work     int64         // see pdfMaxWork
	entries  int           // cross-reference entries read
	fl       io.ReadCloser // one decompressor, reset per stream
}

// charge counts n units of work against pdfMaxWork.
func (d *pdfDoc) charge(n int) error {
	if d.work += int64(n); d.work > pdfMaxWork {
		return pdfDecline("too much work for the fast reader")
	}
	return nil
}

type pdfXref struct {
	off      int // byte offset, or the index within object stream stm
	stm      int // object stream number, 0 for a plain object
	inStream bool
}

type pdfObjStm struct {
	data []byte
	nums []int // the header: object numbers…
	offs []int // …and their offsets in data, by index
}

// openPDF reads the cross-reference data and the trailer. An encrypted
// file is declined (PDFium reads those it can).
func openPDF(b []byte) (*pdfDoc, error) {
	d := &pdfDoc{b: b, xref: map[int]pdfXref{}, cache: map[int]any{}, objStms: map[int]*pdfObjStm{}, busy: map[int]bool{}}
	tail := b[max(0, len(b)-2048):]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil, pdfDecline("no startxref")
	}
	l := &pdfLexer{b: tail, pos: i + len("startxref")}
	l.skip()
	off, err := strconv.Atoi(string(l.word()))
	if err != nil || off <= 0 || off >= len(b) {
		return nil, pdfDecline("bad startxref")
	}
	seen := map[int]bool{}
	for n := 0; off > 0; n++ {
		if n >= pdfMaxXrefChain || seen[off] {
			return nil, pdfDecline("cross-reference chain loops")
		}
		seen[off] = true
		trailer, err := d.readXref(off)
		if err != nil {
			return nil, err
		}
		if d.trailer == nil {
			d.trailer = trailer
		}
		if v, present := trailer["XRefStm"]; present {
			x, ok := v.(int)
			if !ok {
				return nil, pdfDecline("/XRefStm is not an offset")
			}
			if _, err := d.readXref(x); err != nil {
				return nil, err
			}
		}
		off = 0
		if v, present := trailer["Prev"]; present {
			p, ok := v.(int)
			if !ok || p <= 0 {
				return nil, pdfDecline("/Prev is not an offset")
			}
			off = p
		}
	}
	if _, ok := d.trailer["Encrypt"]; ok {
		return nil, pdfDecline("encrypted")
	}
	return d, nil
}

// readXref reads one cross-reference section (table or stream) at off,
// keeping entries already read from newer sections.
func (d *pdfDoc) readXref(off int) (pdfDict, error) {
	if off <= 0 || off >= len(d.b) {
		return nil, pdfDecline("cross-reference offset out of range")
	}
	l := &pdfLexer{b: d.b, pos: off}
	l.skip()
	if !bytes.HasPrefix(d.b[l.pos:], []byte("xref")) {
		return d.readXrefStream(off)
	}
	l.pos += 4
	for {
		l.skip()
		if bytes.HasPrefix(d.b[l.pos:], []byte("trailer")) {
			l.pos += len("trailer")
			t, err := l.object(0)
			if err != nil {
				return nil, err
			}
			td, ok := t.(pdfDict)
			if !ok {
				return nil, pdfDecline("trailer is not a dictionary")
			}
			return td, nil
		}
		start, err1 := strconv.Atoi(string(l.word()))
		l.skip()
		count, err2 := strconv.Atoi(string(l.word()))
		if err1 != nil || err2 != nil || start < 0 || count < 0 || start > pdfMaxObjects || count > pdfMaxObjects-start {
			return nil, pdfDecline("bad cross-reference subsection")
		}
		if err := d.countEntries(count); err != nil {
			return nil, err
		}
		for i := 0; i < count; i++ {
			l.skip()
			o, err1 := strconv.Atoi(string(l.word()))
			l.skip()
			_, err2 := strconv.Atoi(string(l.word()))
			l.skip()
			kind := l.word()
			if err1 != nil || err2 != nil || len(kind) != 1 || (kind[0] != 'n' && kind[0] != 'f') {
				return nil, pdfDecline("bad cross-reference entry")
			}
			if _, ok := d.xref[start+i]; !ok && kind[0] == 'n' && o > 0 {
				d.xref[start+i] = pdfXref{off: o}
			} else if !ok && kind[0] == 'f' {
				d.xref[start+i] = pdfXref{} // free: later sections must not revive it
			}
		}
	}
}

func (d *pdfDoc) readXrefStream(off int) (pdfDict, error) {
	_, v, err := d.parseAt(off)
	if err != nil {
		return nil, err
	}
	s, ok := v.(*pdfStream)
	if !ok || s.dict["Type"] != pdfName("XRef") {
		return nil, pdfDecline("no cross-reference at startxref")
	}
	data, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	w, ok := s.dict["W"].(pdfArray)
	if !ok || len(w) != 3 {
		return nil, pdfDecline("bad /W")
	}
	var ws [3]int
	row := 0
	for i, x := range w {
		n, ok := x.(int)
		if !ok || n < 0 || n > 8 {
			return nil, pdfDecline("bad /W")
		}
		ws[i] = n
		row += n
	}
	size, _ := s.dict["Size"].(int)
	index := pdfArray{0, size}
	if ix, ok := s.dict["Index"].(pdfArray); ok {
		index = ix
	}
	if row == 0 || len(index)%2 != 0 {
		return nil, pdfDecline("bad cross-reference stream")
	}
	field := func(p []byte) int {
		v := 0
		for _, c := range p {
			v = v<<8 | int(c)
		}
		return v
	}
	pos := 0
	for k := 0; k+1 < len(index); k += 2 {
		start, ok1 := index[k].(int)
		count, ok2 := index[k+1].(int)
		if !ok1 || !ok2 || start < 0 || count < 0 || start > pdfMaxObjects || count > pdfMaxObjects-start {
			return nil, pdfDecline("bad /Index")
		}
		if err := d.countEntries(count); err != nil {
			return nil, err
		}
		for i := 0; i < count; i++ {
			if pos+row > len(data) {
				return nil, pdfDecline("cross-reference stream too short")
			}
			p := data[pos : pos+row]
			pos += row
			typ := 1
			if ws[0] > 0 {
				typ = field(p[:ws[0]])
			}
			f2, f3 := field(p[ws[0]:ws[0]+ws[1]]), field(p[ws[0]+ws[1]:])
			if _, ok := d.xref[start+i]; ok {
				continue
			}
			switch typ {
			case 0:
				d.xref[start+i] = pdfXref{}
			case 1:
				if f2 > 0 {
					d.xref[start+i] = pdfXref{off: f2}
				}
			case 2:
				d.xref[start+i] = pdfXref{stm: f2, off: f3, inStream: true}
			}
		}
	}
	return s.dict, nil
}

// countEntries bounds the cross-reference entries by the file's size (an
// object takes some bytes even compressed), so that a small file cannot
// declare a million objects.
func (d *pdfDoc) countEntries(n int) error {
	d.entries += n
	if d.entries > 4096+len(d.b)/2 {
		return pdfDecline("more cross-reference entries than the file could hold")
	}
	return nil
}

// parseAt reads "num gen obj <object> [stream]" at off.
func (d *pdfDoc) parseAt(off int) (int, any, error) {
	if off <= 0 || off >= len(d.b) {
		return 0, nil, pdfDecline("object offset %d out of range", off)
	}
	l := &pdfLexer{b: d.b, pos: off}
	l.skip()
	num, err := strconv.Atoi(string(l.word()))
	l.skip()
	_, err2 := strconv.Atoi(string(l.word()))
	l.skip()
	if err != nil || err2 != nil || string(l.word()) != "obj" {
		return 0, nil, pdfDecline("no object at offset %d", off)
	}
	v, err := l.object(0)
	if err != nil {
		return 0, nil, err
	}
	dict, ok := v.(pdfDict)
	if !ok {
		return num, v, nil
	}
	l.skip()
	if !bytes.HasPrefix(d.b[l.pos:], []byte("stream")) {
		return num, v, nil
	}
	l.pos += len("stream")
	if l.pos < len(d.b) && d.b[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(d.b) && d.b[l.pos] == '\n' {
		l.pos++
	}
	start := l.pos
	n := -1
	switch x := dict["Length"].(type) {
	case int:
		n = x
	case pdfRef:
		if v, ok := d.resolve(x).(int); ok {
			n = v
		}
	}
	if n < 0 || start+n > len(d.b) || !pdfEndstreamAt(d.b, start+n) {
		return 0, nil, pdfDecline("stream length of object %d does not match", num)
	}
	return num, &pdfStream{dict: dict, raw: d.b[start : start+n]}, nil
}

// pdfEndstreamAt says whether "endstream" follows at i, after an optional
// end of line.
func pdfEndstreamAt(b []byte, i int) bool {
	for k := 0; k < 2 && i < len(b) && (b[i] == '\r' || b[i] == '\n' || b[i] == ' '); k++ {
		i++
	}
	return bytes.HasPrefix(b[i:], []byte("endstream"))
}

// object returns object num, or nil when it does not exist.
func (d *pdfDoc) object(num int) (any, error) {
	if v, ok := d.cache[num]; ok {
		if b, bad := v.(pdfBad); bad {
			return nil, b.err // read once, failed once
		}
		return v, nil
	}
	x, ok := d.xref[num]
	if !ok || (x.off == 0 && !x.inStream) {
		return nil, nil
	}
	if d.busy[num] || len(d.busy) > pdfMaxResolveRec {
		return nil, pdfDecline("references loop through object %d", num)
	}
	d.busy[num] = true
	defer delete(d.busy, num)
	var v any
	if x.inStream {
		stm, err := d.objStm(x.stm)
		if err != nil {
			return nil, err
		}
		// The entry gives the object's index in the stream's header,
		// which must name the same object.
		if x.off >= len(stm.nums) || stm.nums[x.off] != num {
			return nil, pdfDecline("object %d is not where its object stream says", num)
		}
		l := &pdfLexer{b: stm.data, pos: stm.offs[x.off]}
		if v, err = l.object(0); err != nil {
			d.cache[num] = pdfBad{err}
			return nil, err
		}
	} else {
		got, obj, err := d.parseAt(x.off)
		if err != nil {
			d.cache[num] = pdfBad{err}
			return nil, err
		}
		if got != num {
			return nil, pdfDecline("object %d is not where the table says", num)
		}
		v = obj
	}
	if kw, ok := v.(pdfKeyword); ok {
		return nil, pdfDecline("object %d is %q", num, kw)
	}
	d.cache[num] = v
	return v, nil
}

func (d *pdfDoc) objStm(num int) (*pdfObjStm, error) {
	if s, ok := d.objStms[num]; ok {
		return s, nil
	}
	v, err := d.object(num)
	if err != nil {
		return nil, err
	}
	s, ok := v.(*pdfStream)
	if !ok || s.dict["Type"] != pdfName("ObjStm") {
		return nil, pdfDecline("object %d is not an object stream", num)
	}
	n, ok1 := s.dict["N"].(int)
	first, ok2 := s.dict["First"].(int)
	if !ok1 || !ok2 || n < 0 || first < 0 {
		return nil, pdfDecline("bad object stream %d", num)
	}
	data, err := d.decode(s)
	if err != nil {
		return nil, err
	}
	if first > len(data) || n > len(data) {
		return nil, pdfDecline("bad object stream %d", num)
	}
	if d.kept += len(data); d.kept > pdfMaxKept {
		return nil, pdfDecline("object streams too large")
	}
	stm := &pdfObjStm{data: data, nums: make([]int, 0, min(n, 1024)), offs: make([]int, 0, min(n, 1024))}
	l := &pdfLexer{b: data[:first]}
	for i := 0; i < n; i++ {
		l.skip()
		obj, err1 := strconv.Atoi(string(l.word()))
		l.skip()
		o, err2 := strconv.Atoi(string(l.word()))
		if err1 != nil || err2 != nil || o < 0 || o > len(data)-first {
			return nil, pdfDecline("bad object stream %d header", num)
		}
		stm.nums = append(stm.nums, obj)
		stm.offs = append(stm.offs, first+o)
	}
	d.objStms[num] = stm
	return stm, nil
}

// resolve follows a reference; anything else is returned as is. A missing
// or unreadable object is nil; errors surface through get.
func (d *pdfDoc) resolve(v any) any {
	r, ok := v.(pdfRef)
	if !ok {
		return v
	}
	o, err := d.object(r.num)
	if err != nil {
		return pdfBad{err}
	}
	return o
}

// pdfBad stands for an object that could not be read.
type pdfBad struct{ err error }

// get resolves v and reports an unreadable object as an error.
func (d *pdfDoc) get(v any) (any, error) {
	o := d.resolve(v)
	if b, ok := o.(pdfBad); ok {
		return nil, b.err
	}
	return o, nil
}

// need resolves v like get, but a reference to an object that does not
// exist (missing or free) declines the file: PDFium may find the object
// by repairing the file where this reader would read nothing.
func (d *pdfDoc) need(v any) (any, error) {
	o, err := d.get(v)
	if err != nil {
		return nil, err
	}
	if _, isRef := v.(pdfRef); isRef && o == nil {
		return nil, pdfDecline("a reference to a missing object")
	}
	return o, nil
}

func (d *pdfDoc) dict(v any) (pdfDict, error) {
	o, err := d.get(v)
	if err != nil || o == nil {
		return nil, err
	}
	switch x := o.(type) {
	case pdfDict:
		return x, nil
	case *pdfStream:
		return x.dict, nil
	}
	return nil, pdfDecline("not a dictionary")
}

// decode returns a stream's data with its filters undone. Only Flate (with
// or without a PNG predictor) is read here.
func (d *pdfDoc) decode(s *pdfStream) ([]byte, error) {
	filter, err := d.get(s.dict["Filter"])
	if err != nil {
		return nil, err
	}
	params, err := d.get(s.dict["DecodeParms"])
	if err != nil {
		return nil, err
	}
	switch f := filter.(type) {
	case nil:
		return s.raw, nil
	case pdfArray:
		if len(f) == 0 {
			return s.raw, nil
		}
		if len(f) != 1 {
			return nil, pdfDecline("filter chain %v", f)
		}
		filter = d.resolve(f[0])
		if pa, ok := params.(pdfArray); ok && len(pa) == 1 {
			params = d.resolve(pa[0])
		}
	}
	if filter != pdfName("FlateDecode") {
		return nil, pdfDecline("filter %v", filter)
	}
	out, err := d.inflate(s.raw)
	if err != nil {
		return nil, err
	}
	if p, ok := params.(pdfDict); ok {
		return pdfPredict(out, p)
	}
	return out, nil
}

func (d *pdfDoc) inflate(raw []byte) ([]byte, error) {
	// A zlib header; its checksum is not checked (readers don't).
	if len(raw) < 2 || raw[0]&0x0f != 8 || (int(raw[0])<<8|int(raw[1]))%31 != 0 || raw[1]&0x20 != 0 {
		return nil, pdfDecline("not a zlib stream")
	}
	src := bytes.NewReader(raw[2:])
	if d.fl == nil {
		d.fl = flate.NewReader(src)
	} else if err := d.fl.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, pdfDecline("inflate: %v", err)
	}
	limit := min(int64(pdfMaxStream), pdfMaxInflated-d.inflated)
	var buf bytes.Buffer
	buf.Grow(min(len(raw)*4, int(limit)+1))
	n, err := buf.ReadFrom(io.LimitReader(d.fl, limit+1))
	d.inflated += n
	if n > limit {
		return nil, pdfDecline("stream too large once decompressed")
	}
	if err != nil {
		return nil, pdfDecline("inflate: %v", err)
	}
	return buf.Bytes(), nil
}

// pdfPredict undoes a PNG predictor (cross-reference streams use one).
func pdfPredict(data []byte, p pdfDict) ([]byte, error) {
	pred, _ := p["Predictor"].(int)
	if pred <= 1 {
		return data, nil
	}
	colors, bpc, cols := 1, 8, 1
	if v, ok := p["Colors"].(int); ok {
		colors = v
	}
	if v, ok := p["BitsPerComponent"].(int); ok {
		bpc = v
	}
	if v, ok := p["Columns"].(int); ok {
		cols = v
	}
	if pred < 10 || bpc != 8 || colors < 1 || colors > 4 || cols < 1 || cols > 1<<16 {
		return nil, pdfDecline("predictor %d", pred)
	}
	bpp := colors
	rowLen := colors * cols
	out := make([]byte, 0, len(data)/(rowLen+1)*rowLen)
	prev, cur := make([]byte, rowLen), make([]byte, rowLen)
	for i := 0; i+rowLen+1 <= len(data); i += rowLen + 1 {
		f, row := data[i], data[i+1:i+1+rowLen]
		for x := 0; x < rowLen; x++ {
			var a, c byte
			if x >= bpp {
				a, c = cur[x-bpp], prev[x-bpp]
			}
			b := prev[x]
			switch f {
			case 0:
				cur[x] = row[x]
			case 1:
				cur[x] = row[x] + a
			case 2:
				cur[x] = row[x] + b
			case 3:
				cur[x] = row[x] + byte((int(a)+int(b))/2)
			case 4:
				cur[x] = row[x] + paeth(a, b, c)
			default:
				return nil, pdfDecline("PNG filter %d", f)
			}
		}
		out = append(out, cur...)
		prev, cur = cur, prev
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	if pa <= pb && pa <= pc {
		return a
	}
	if pb <= pc {
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
