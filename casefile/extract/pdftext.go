package extract

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// pdftext.go reads the text layer of well-formed PDF files in Go, about a
// hundred times faster than PDFium in WebAssembly (whose text-page
// analysis takes some 8 ms a page). It handles what office suites,
// browsers and report generators write: simple fonts with a standard
// encoding or a ToUnicode map, Identity-H composite fonts with a
// ToUnicode map, and marked content's /ActualText (which LibreOffice
// writes for shaped Thai and Khmer glyphs and stacked Vietnamese marks).
// Anything else — another filter, an unmapped character, a
// Type 3 font, a broken cross-reference table, an encrypted file — is
// declined as a whole, and PDFium reads the file instead. Both give the
// same characters for the same file (TestPDFFastMatchesPDFium); only the
// placement of spaces and line breaks may differ.

const pdfFastTool = "casevault PDF text-layer reader (Go)"

// pdfFastMax is the largest file read by the fast path: it holds the file
// in memory (and at most pdfMaxStream more at a time for a page). Bigger
// files stream through PDFium.
const pdfFastMax = 32 << 20

// pdfFast extracts the text of a PDF held in data into b, or declines with
// errPDFFallback. ErrTooLarge and context errors pass through.
func pdfFast(ctx context.Context, data []byte, opts Options, b *builder) (err error) {
	defer func() {
		// The reader is bounds-checked Go; a panic is a bug (the fuzz
		// target looks for them), and PDFium gets the file.
		if r := recover(); r != nil {
			err = pdfDecline("reader panic: %v", r)
		}
	}()
	return pdfRead(ctx, data, opts, b)
}

func pdfRead(ctx context.Context, data []byte, opts Options, b *builder) error {
	doc, err := openPDF(data)
	if err != nil {
		return err
	}
	root, err := doc.dict(doc.trailer["Root"])
	if err != nil || root == nil {
		return pdfDecline("no document catalog")
	}
	if info, err := doc.dict(doc.trailer["Info"]); err == nil && info != nil {
		for tag := range pdfInfoKeys {
			if s, ok := doc.resolve(info[pdfName(tag)]).(pdfString); ok {
				pdfMeta(b, tag, pdfTextString(s))
			}
		}
	}
	pages, total, err := doc.pageList(root, b.lim.MaxParts)
	if err != nil {
		return err
	}
	if total == 0 || int64(total) > int64(len(data))/32 {
		return pdfDecline("%d pages", total)
	}
	b.res.Metadata["pages"] = strconv.Itoa(total)
	if total > b.lim.MaxParts {
		b.truncate(tooLargef("%d pages, only the first %d read", total, b.lim.MaxParts))
	}
	t := &pdfText{ctx: ctx, doc: doc, fonts: map[int]*pdfFont{}, fontsAt: map[pdfFontKey]*pdfFont{},
		toUni: map[int]map[uint32]string{}, formsData: map[int][]byte{}}
	empty := 0
	for i, p := range pages {
		if err := ctxErr(ctx); err != nil {
			return err
		}
		text, err := t.page(p)
		if err != nil {
			return err
		}
		if strings.TrimSpace(text) == "" {
			if opts.OCR {
				return pdfDecline("page %d has no text layer: PDFium renders it for OCR", i+1)
			}
			empty++
		}
		if err := b.add(Chunk{Text: text, Kind: KindPage, Index: i + 1}); err != nil {
			return err
		}
	}
	if empty > 0 {
		b.warn(fmt.Sprintf("%d of %d pages have no text layer (scanned?); OCR is off", empty, total))
	}
	return nil
}

type pdfPage struct {
	dict pdfDict
	res  pdfDict
}

// pageList walks the page tree in order, with inherited resources. It
// returns up to max pages and the number of pages.
func (d *pdfDoc) pageList(root pdfDict, max int) ([]pdfPage, int, error) {
	var pages []pdfPage
	total := 0
	seen := map[int]bool{}
	mark := func(v any) error {
		if r, ok := v.(pdfRef); ok {
			if seen[r.num] {
				return pdfDecline("page tree loops")
			}
			seen[r.num] = true
		}
		return d.charge(pdfMapWork)
	}
	var walk func(v, res any, depth int) error
	walk = func(v, res any, depth int) error {
		if depth > 64 {
			return pdfDecline("page tree too deep")
		}
		if err := mark(v); err != nil {
			return err
		}
		n, err := d.dict(v)
		if err != nil {
			return err
		}
		if n == nil {
			return pdfDecline("missing page tree node")
		}
		if r, ok := n["Resources"]; ok {
			res = r
		}
		kv, hasKids := n["Kids"]
		if hasKids && n["Type"] == pdfName("Page") {
			return pdfDecline("a page with kids") // readers disagree on these
		}
		if hasKids {
			if err := mark(kv); err != nil {
				return err
			}
			k, err := d.get(kv)
			kids, ok := k.(pdfArray)
			if err != nil || !ok {
				return pdfDecline("bad /Kids")
			}
			for _, kid := range kids {
				if err := walk(kid, res, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if total++; total > 1<<20 {
			return pdfDecline("too many pages")
		}
		if len(pages) < max {
			rd, err := d.dict(res)
			if err != nil {
				return err
			}
			pages = append(pages, pdfPage{dict: n, res: rd})
		}
		return nil
	}
	if err := walk(root["Pages"], nil, 0); err != nil {
		return nil, 0, err
	}
	// PDFium believes the tree's /Count: where the pages found disagree,
	// let it read the file.
	if top, _ := d.dict(root["Pages"]); top != nil {
		if n, ok := d.resolve(top["Count"]).(int); !ok || n != total {
			return nil, 0, pdfDecline("the page tree counts %v pages, holds %d", top["Count"], total)
		}
	}
	return pages, total, nil
}

type pdfMatrix [6]float64

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

// mul returns m × n.
func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	return pdfMatrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func pdfTranslate(tx, ty float64) pdfMatrix { return pdfMatrix{1, 0, 0, 1, tx, ty} }

type pdfGState struct {
	ctm                  pdfMatrix
	font                 *pdfFont
	size, tc, tw, th, tl float64
	rise                 float64
}

// pdfText runs content streams and lays their text out: a line break
// where the baseline moves across, a space where it jumps along.
type pdfText struct {
	ctx       context.Context
	doc       *pdfDoc
	fonts     map[int]*pdfFont          // by font object
	fontsAt   map[pdfFontKey]*pdfFont   // fonts written in a resource dictionary
	toUni     map[int]map[uint32]string // parsed ToUnicode maps, by stream object
	formsData map[int][]byte            // decoded form XObjects
	out       []byte
	ops       int

	gs       pdfGState
	stack    []pdfGState
	tm, tlm  pdfMatrix
	started  bool
	endX     float64 // where the last text ended (device space)
	endY     float64
	lastSize float64
	space    bool // a TJ gap asks for a space before the next text
	forms    map[int]bool

	marks       int     // marked-content sections open
	actual      *string // the /ActualText of the section open at actualAt
	actualAt    int
	actualShown bool // the section's text is written
}

const (
	pdfMaxOps      = 4 << 20  // content operators per page, forms included
	pdfMaxPageText = 16 << 20 // bytes of text a page may give
)

// pdfFontKey names a font written directly in a resource dictionary:
// the dictionary (by identity) and the name.
type pdfFontKey struct {
	dict uintptr
	name pdfName
}

func (t *pdfText) page(p pdfPage) (string, error) {
	t.out = t.out[:0]
	t.started, t.space = false, false
	t.marks, t.actual = 0, nil
	t.gs = pdfGState{ctm: pdfIdentity, th: 1}
	t.stack = t.stack[:0]
	t.ops = 0
	t.forms = map[int]bool{}
	c, err := t.doc.need(p.dict["Contents"])
	if err != nil {
		return "", err
	}
	var parts []any
	switch x := c.(type) {
	case nil:
		return "", nil // no contents: an empty page
	case *pdfStream:
		parts = []any{x}
	case pdfArray:
		parts = x
	default:
		return "", pdfDecline("bad page contents")
	}
	// The parts of a page's contents form one stream, split anywhere.
	var data []byte
	for _, part := range parts {
		o, err := t.doc.need(part)
		if err != nil {
			return "", err
		}
		s, ok := o.(*pdfStream)
		if !ok {
			return "", pdfDecline("bad page contents")
		}
		dec, err := t.doc.decode(s)
		if err != nil {
			return "", err
		}
		if len(parts) == 1 {
			data = dec
		} else {
			if len(data)+len(dec) > pdfMaxStream {
				return "", pdfDecline("page contents too large")
			}
			data = append(append(data, dec...), '\n')
		}
	}
	if err := t.run(data, p.res, 0); err != nil {
		return "", err
	}
	return string(t.out), nil
}

func pdfNum(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// nums reads n numeric operands, or says they are not there.
func nums(ops []any, n int) ([]float64, bool) {
	if len(ops) < n {
		return nil, false
	}
	out := make([]float64, n)
	for i, v := range ops[len(ops)-n:] {
		f, ok := pdfNum(v)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// run interprets one content stream. Operators that draw no text are
// skipped; operators with wrong operands are ignored, as viewers do.
func (t *pdfText) run(data []byte, res pdfDict, depth int) error {
	if err := t.doc.charge(len(data)); err != nil {
		return err
	}
	l := &pdfLexer{b: data, content: true}
	var ops []any
	for {
		v, err := l.object(0)
		if err == errPDFEnd {
			return nil
		}
		if err != nil {
			return err
		}
		op, ok := v.(pdfKeyword)
		if !ok {
			if len(ops) >= 64 {
				return pdfDecline("too many operands")
			}
			ops = append(ops, v)
			continue
		}
		if t.ops++; t.ops > pdfMaxOps {
			return pdfDecline("too many operators")
		}
		if err := t.doc.charge(pdfOpWork); err != nil {
			return err
		}
		if t.ops%4096 == 0 {
			if err := ctxErr(t.ctx); err != nil {
				return err
			}
		}
		switch op {
		case "q":
			if len(t.stack) < 256 {
				t.stack = append(t.stack, t.gs)
			}
		case "Q":
			if n := len(t.stack); n > 0 {
				t.gs = t.stack[n-1]
				t.stack = t.stack[:n-1]
			}
		case "cm":
			if f, ok := nums(ops, 6); ok {
				t.gs.ctm = pdfMatrix(f).mul(t.gs.ctm)
			}
		case "BT":
			t.tm, t.tlm = pdfIdentity, pdfIdentity
		case "Tf":
			if len(ops) < 2 {
				break
			}
			name, ok1 := ops[len(ops)-2].(pdfName)
			size, ok2 := pdfNum(ops[len(ops)-1])
			if !ok1 || !ok2 {
				break
			}
			f, err := t.font(res, name)
			if err != nil {
				return err
			}
			t.gs.font, t.gs.size = f, size
		case "Tc", "Tw", "Tz", "TL", "Ts":
			f, ok := nums(ops, 1)
			if !ok {
				break
			}
			switch op {
			case "Tc":
				t.gs.tc = f[0]
			case "Tw":
				t.gs.tw = f[0]
			case "Tz":
				t.gs.th = f[0] / 100
			case "TL":
				t.gs.tl = f[0]
			case "Ts":
				t.gs.rise = f[0]
			}
		case "Td", "TD":
			if f, ok := nums(ops, 2); ok {
				if op == "TD" {
					t.gs.tl = -f[1]
				}
				t.tlm = pdfTranslate(f[0], f[1]).mul(t.tlm)
				t.tm = t.tlm
			}
		case "Tm":
			if f, ok := nums(ops, 6); ok {
				t.tlm = pdfMatrix(f)
				t.tm = t.tlm
			}
		case "T*":
			t.nextLine()
		case "Tj", "'", "\"":
			if len(ops) < 1 {
				break
			}
			s, ok := ops[len(ops)-1].(pdfString)
			if !ok {
				break
			}
			if op == "\"" {
				if f, ok := nums(ops[:len(ops)-1], 2); ok {
					t.gs.tw, t.gs.tc = f[0], f[1]
				}
			}
			if op != "Tj" {
				t.nextLine()
			}
			if err := t.show(s); err != nil {
				return err
			}
		case "TJ":
			if len(ops) < 1 {
				break
			}
			a, ok := ops[len(ops)-1].(pdfArray)
			if !ok {
				break
			}
			for _, e := range a {
				if s, ok := e.(pdfString); ok {
					if err := t.show(s); err != nil {
						return err
					}
				} else if n, ok := pdfNum(e); ok {
					tx := -n / 1000 * t.gs.size * t.gs.th
					t.tm = pdfTranslate(tx, 0).mul(t.tm)
					if -n > 120 {
						t.space = true
					}
				}
			}
		case "Do":
			if len(ops) < 1 {
				break
			}
			if name, ok := ops[len(ops)-1].(pdfName); ok {
				if err := t.form(res, name, depth); err != nil {
					return err
				}
			}
		case "BI":
			if err := skipInlineImage(l); err != nil {
				return err
			}
		case "BMC":
			t.marks++
		case "BDC":
			t.marks++
			// Marked content may carry the text its glyphs stand for
			// (office suites write it for shaped Thai, Khmer and
			// stacked Vietnamese marks): as PDFium does, that text is
			// given instead of the glyphs'.
			if len(ops) == 2 && t.actual == nil {
				props := ops[1]
				if name, ok := props.(pdfName); ok {
					pr, err := t.doc.dict(res["Properties"])
					if err != nil {
						return err
					}
					props = pr[name]
				}
				pd, err := t.doc.dict(props)
				if err != nil {
					return err
				}
				if v, ok := pd["ActualText"]; ok {
					at, ok := t.doc.resolve(v).(pdfString)
					if !ok {
						return pdfDecline("/ActualText is not a string")
					}
					text := strings.ReplaceAll(pdfTextString(at), "\x00", "")
					t.actual, t.actualAt, t.actualShown = &text, t.marks, false
				}
			}
		case "EMC":
			if t.actual != nil && t.marks == t.actualAt {
				t.actual = nil
			}
			t.marks = max(t.marks-1, 0)
		}
		ops = ops[:0]
	}
}

func (t *pdfText) nextLine() {
	t.tlm = pdfTranslate(0, -t.gs.tl).mul(t.tlm)
	t.tm = t.tlm
}

// skipInlineImage moves past "… ID <data> EI". Where the data ends is
// computed from the image's size, as PDFium does; an image with a filter
// (whose length only decoding tells) is declined, and so is one not
// followed by EI where its size says.
func skipInlineImage(l *pdfLexer) error {
	d := pdfDict{}
	for {
		k, err := l.object(0)
		if err != nil {
			return pdfDecline("bad inline image")
		}
		if kw, ok := k.(pdfKeyword); ok && kw == "ID" {
			break
		}
		name, ok := k.(pdfName)
		if !ok {
			return pdfDecline("bad inline image")
		}
		v, err := l.object(0)
		if err != nil {
			return pdfDecline("bad inline image")
		}
		d[name] = v
	}
	get := func(long, short pdfName) any {
		if v, ok := d[long]; ok {
			return v
		}
		return d[short]
	}
	if f := get("Filter", "F"); f != nil {
		if a, ok := f.(pdfArray); !ok || len(a) != 0 {
			return pdfDecline("inline image with a filter")
		}
	}
	w, ok1 := get("Width", "W").(int)
	h, ok2 := get("Height", "H").(int)
	bpc, _ := get("BitsPerComponent", "BPC").(int)
	comps := 0
	if m, _ := get("ImageMask", "IM").(bool); m {
		comps, bpc = 1, 1
	} else {
		switch get("ColorSpace", "CS") {
		case pdfName("G"), pdfName("DeviceGray"), pdfName("CalGray"):
			comps = 1
		case pdfName("RGB"), pdfName("DeviceRGB"), pdfName("CalRGB"):
			comps = 3
		case pdfName("CMYK"), pdfName("DeviceCMYK"):
			comps = 4
		}
	}
	if !ok1 || !ok2 || w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 || comps == 0 ||
		(bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		return pdfDecline("inline image of unknown size")
	}
	n := h * ((w*comps*bpc + 7) / 8)
	start := l.pos + 1 // the single white-space byte after ID
	end := start + n
	if end > len(l.b) {
		return pdfDecline("inline image runs past the content")
	}
	i := end
	for i < len(l.b) && isPDFSpace(l.b[i]) {
		i++
	}
	if !bytes.HasPrefix(l.b[i:], []byte("EI")) || (i+2 < len(l.b) && !isPDFSpace(l.b[i+2]) && !isPDFDelim(l.b[i+2])) {
		return pdfDecline("inline image not ended by EI where its size says")
	}
	l.pos = i + 2
	return nil
}

// form runs a form XObject's content.
func (t *pdfText) form(res pdfDict, name pdfName, depth int) error {
	xobjs, err := t.doc.dict(res["XObject"])
	if err != nil || xobjs == nil {
		return err
	}
	ref, isRef := xobjs[name].(pdfRef)
	o, err := t.doc.need(xobjs[name])
	if err != nil {
		return err
	}
	if o == nil {
		return pdfDecline("XObject %s missing", name)
	}
	s, ok := o.(*pdfStream)
	if !ok {
		return pdfDecline("XObject %s is not a stream", name)
	}
	if s.dict["Subtype"] != pdfName("Form") {
		return nil // images draw no text
	}
	if depth >= 12 || (isRef && t.forms[ref.num]) {
		return pdfDecline("form XObjects nested too deep or in a loop")
	}
	if isRef {
		t.forms[ref.num] = true
		defer delete(t.forms, ref.num)
	}
	data, ok := t.formsData[ref.num]
	if !ok || !isRef {
		if data, err = t.doc.decode(s); err != nil {
			return err
		}
		if isRef {
			t.formsData[ref.num] = data
		}
	}
	fres := res
	if r, err := t.doc.dict(s.dict["Resources"]); err != nil {
		return err
	} else if r != nil {
		fres = r
	}
	saved, savedStack, tm, tlm := t.gs, len(t.stack), t.tm, t.tlm
	if m, ok := t.doc.resolve(s.dict["Matrix"]).(pdfArray); ok {
		if f, ok := nums(m, 6); ok && len(m) == 6 {
			t.gs.ctm = pdfMatrix(f).mul(t.gs.ctm)
		}
	}
	err = t.run(data, fres, depth+1)
	t.gs, t.stack, t.tm, t.tlm = saved, t.stack[:savedStack], tm, tlm
	return err
}

// show lays out one string in the current font.
func (t *pdfText) show(s pdfString) error {
	f := t.gs.font
	if f == nil {
		return pdfDecline("text without a font")
	}
	if len(s) == 0 {
		return nil
	}
	g := &t.gs
	trm := pdfMatrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(t.tm).mul(g.ctm)
	x, y := trm[4], trm[5]
	dx, dy := trm[0], trm[1]
	if n := math.Hypot(dx, dy); n > 0 {
		dx, dy = dx/n, dy/n
	} else {
		dx, dy = 1, 0
	}
	size := math.Hypot(trm[2], trm[3])
	if t.actual != nil && t.actualShown {
		t.space = false // the section's text is written: its glyphs only move the pen
	} else {
		t.place(x, y, dx, dy, size)
	}

	var adv float64 // along the baseline, in text space
	if t.actual != nil {
		// The section's replacement text, once, where its first glyphs
		// are; the glyphs' codes need no mapping.
		if !t.actualShown {
			t.out = append(t.out, *t.actual...)
			t.actualShown = true
		}
		step := 1
		if f.twoByte {
			step = 2
			if len(s)%2 != 0 {
				return pdfDecline("odd byte count for a two-byte font")
			}
		}
		for i := 0; i+step <= len(s); i += step {
			code := uint32(s[i])
			w := f.sw[code&0xff]
			if step == 2 {
				code = code<<8 | uint32(s[i+1])
				var ok bool
				if w, ok = f.w[code]; !ok {
					w = f.dw
				}
			}
			adv += w/1000*g.size + g.tc
		}
	} else if !f.twoByte {
		for _, c := range s {
			if !f.mapped[c] {
				return pdfDecline("character code %#x has no Unicode mapping", c)
			}
			t.out = append(t.out, f.simple[c]...)
			tx := f.sw[c]/1000*g.size + g.tc
			if c == ' ' {
				tx += g.tw
			}
			adv += tx
		}
	} else {
		if len(s)%2 != 0 {
			return pdfDecline("odd byte count for a two-byte font")
		}
		for i := 0; i+1 < len(s); i += 2 {
			code := uint32(s[i])<<8 | uint32(s[i+1])
			text, ok := f.toUni[code]
			if !ok {
				return pdfDecline("character code %#x has no Unicode mapping", code)
			}
			t.out = append(t.out, text...)
			w, ok := f.w[code]
			if !ok {
				w = f.dw
			}
			adv += w/1000*g.size + g.tc
		}
	}
	t.tm = pdfTranslate(adv*g.th, 0).mul(t.tm)
	if len(t.out) > pdfMaxPageText {
		return pdfDecline("a page with more than %d bytes of text", pdfMaxPageText)
	}
	if f.widths {
		end := pdfMatrix{1, 0, 0, 1, 0, g.rise}.mul(t.tm).mul(g.ctm)
		t.endX, t.endY = end[4], end[5]
	} else {
		// Without widths the end is unknown: measure the next gap from
		// this string's start, so that a jump along the line is a space.
		t.endX, t.endY = x, y
	}
	t.lastSize = size
	return nil
}

// place writes the space or line break that separates text starting at
// (x, y), with baseline direction (dx, dy), from the text before it.
func (t *pdfText) place(x, y, dx, dy, size float64) {
	if !t.started {
		t.started = true
		t.space = false
		return
	}
	sz := max(size, t.lastSize)
	if sz <= 0 {
		sz = 1
	}
	ex, ey := x-t.endX, y-t.endY
	along := ex*dx + ey*dy
	across := -ex*dy + ey*dx
	switch {
	case math.Abs(across) > 0.5*sz:
		t.sep('\n')
	case along > 0.12*sz || along < -sz || t.space:
		t.sep(' ')
	}
	t.space = false
}

// sep writes a separator unless the text already ends with white space.
func (t *pdfText) sep(c byte) {
	if len(t.out) == 0 {
		return
	}
	last, _ := utf8.DecodeLastRune(t.out)
	if last == '\n' || (c == ' ' && (last == ' ' || last == '\t')) {
		return
	}
	t.out = append(t.out, c)
}

// font loads the font named in res.
func (t *pdfText) font(res pdfDict, name pdfName) (*pdfFont, error) {
	fonts, err := t.doc.dict(res["Font"])
	if err != nil {
		return nil, err
	}
	if fonts == nil {
		return nil, pdfDecline("font %s not in the resources", name)
	}
	ref, isRef := fonts[name].(pdfRef)
	key := pdfFontKey{reflect.ValueOf(fonts).Pointer(), name}
	if isRef {
		if f, ok := t.fonts[ref.num]; ok {
			return f, nil
		}
	} else if f, ok := t.fontsAt[key]; ok {
		return f, nil
	}
	fd, err := t.doc.dict(fonts[name])
	if err != nil {
		return nil, err
	}
	if fd == nil {
		return nil, pdfDecline("font %s missing", name)
	}
	if err := t.doc.charge(4096); err != nil { // a font's tables
		return nil, err
	}
	f, err := t.loadFont(fd)
	if err != nil {
		return nil, err
	}
	if isRef {
		t.fonts[ref.num] = f
	} else {
		t.fontsAt[key] = f
	}
	return f, nil
}

// pdfFont maps character codes to text and widths.
type pdfFont struct {
	twoByte bool
	toUni   map[uint32]string  // ToUnicode; for two-byte fonts, all there is
	w       map[uint32]float64 // two-byte fonts' widths
	dw      float64            // width of codes not in w
	widths  bool               // widths are known

	// Simple fonts: each code's text (from ToUnicode, else the encoding)
	// and width.
	simple [256]string
	mapped [256]bool
	sw     [256]float64
}

var pdfStandard14 = map[string]bool{
	"Helvetica": true, "Helvetica-Bold": true, "Helvetica-Oblique": true, "Helvetica-BoldOblique": true,
	"Times-Roman": true, "Times-Bold": true, "Times-Italic": true, "Times-BoldItalic": true,
	"Courier": true, "Courier-Bold": true, "Courier-Oblique": true, "Courier-BoldOblique": true,
	"Arial": true, "Arial,Bold": true, "Arial,Italic": true, "Arial,BoldItalic": true,
	"TimesNewRoman": true, "TimesNewRoman,Bold": true, "TimesNewRoman,Italic": true, "TimesNewRoman,BoldItalic": true,
}

func (t *pdfText) loadFont(fd pdfDict) (*pdfFont, error) {
	d := t.doc
	f := &pdfFont{w: map[uint32]float64{}}
	if v, ok := fd["ToUnicode"]; ok {
		ref, isRef := v.(pdfRef)
		if m, ok := t.toUni[ref.num]; ok && isRef {
			f.toUni = m
		} else {
			o, err := d.get(v)
			if err != nil {
				return nil, err
			}
			s, ok := o.(*pdfStream)
			if !ok {
				return nil, pdfDecline("ToUnicode is not a stream")
			}
			data, err := d.decode(s)
			if err != nil {
				return nil, err
			}
			if f.toUni, err = d.parseToUnicode(data); err != nil {
				return nil, err
			}
			if isRef {
				t.toUni[ref.num] = f.toUni
			}
		}
	}
	switch fd["Subtype"] {
	case pdfName("Type0"):
		if enc, _ := d.get(fd["Encoding"]); enc != pdfName("Identity-H") {
			return nil, pdfDecline("composite font encoding %v", enc)
		}
		if f.toUni == nil {
			return nil, pdfDecline("composite font without ToUnicode")
		}
		f.twoByte, f.widths, f.dw = true, true, 1000
		a, err := d.get(fd["DescendantFonts"])
		arr, ok := a.(pdfArray)
		if err != nil || !ok || len(arr) != 1 {
			return nil, pdfDecline("bad DescendantFonts")
		}
		cf, err := d.dict(arr[0])
		if err != nil || cf == nil {
			return nil, pdfDecline("bad descendant font")
		}
		if dw, ok := pdfNum(d.resolve(cf["DW"])); ok {
			f.dw = dw
		}
		if err := d.cidWidths(cf["W"], f.w); err != nil {
			return nil, err
		}
	case pdfName("Type1"), pdfName("TrueType"), pdfName("MMType1"):
		base, _ := d.resolve(fd["BaseFont"]).(pdfName)
		name := string(base)
		if i := strings.IndexByte(name, '+'); i == 6 {
			name = name[7:] // a subset tag
		}
		desc, _ := d.dict(fd["FontDescriptor"])
		flags, _ := pdfNum(d.resolve(desc["Flags"]))
		symbolic := int(flags)&4 != 0 || name == "Symbol" || name == "ZapfDingbats"
		encv := d.resolve(fd["Encoding"])
		ed, differences := encv.(pdfDict)
		if differences {
			_, differences = ed["Differences"]
		}
		_, named := encv.(pdfName)
		type1 := fd["Subtype"] != pdfName("TrueType")
		if f.toUni == nil {
			// The cases where the font program's own encoding, which
			// only PDFium reads, decides the characters.
			_, program := desc["FontFile"]
			if _, ok := desc["FontFile3"]; ok {
				program = true
			}
			_, base := ed["BaseEncoding"]
			switch {
			case name == "Symbol" || name == "ZapfDingbats":
				return nil, pdfDecline("font %s without ToUnicode", name)
			case symbolic && !differences && !(type1 && named):
				return nil, pdfDecline("symbolic font %s without ToUnicode", name)
			case type1 && program && !named && !base:
				return nil, pdfDecline("embedded font %s with its own encoding", name)
			}
		}
		enc, err := d.encoding(encv, f.toUni != nil || (!symbolic && pdfStandard14[name]), symbolic)
		if err != nil {
			return nil, err
		}
		first, _ := pdfNum(d.resolve(fd["FirstChar"]))
		if wa, ok := d.resolve(fd["Widths"]).(pdfArray); ok && first >= 0 && first < 256 {
			f.widths = true
			for i, v := range wa {
				if w, ok := pdfNum(d.resolve(v)); ok && int(first)+i < 256 {
					f.w[uint32(int(first)+i)] = w
				}
			}
		}
		if mw, ok := pdfNum(d.resolve(desc["MissingWidth"])); ok {
			f.dw = mw
		}
		for c := range 256 {
			if s, ok := f.toUni[uint32(c)]; ok {
				f.simple[c], f.mapped[c] = strings.ReplaceAll(s, "\x00", ""), true
			} else if enc[c] != 0 {
				f.simple[c], f.mapped[c] = string(enc[c]), true
			}
			f.sw[c] = f.dw
			if w, ok := f.w[uint32(c)]; ok {
				f.sw[c] = w
			}
		}
	default:
		return nil, pdfDecline("font type %v", fd["Subtype"])
	}
	return f, nil
}

// cidWidths reads a /W array: "c [w1 w2 …]" or "c1 c2 w".
func (d *pdfDoc) cidWidths(v any, w map[uint32]float64) error {
	o, err := d.get(v)
	if err != nil {
		return err
	}
	a, _ := o.(pdfArray)
	for i := 0; i < len(a); {
		c1, ok := pdfNum(d.resolve(a[i]))
		if !ok || c1 < 0 || c1 > 0xffff || i+1 >= len(a) {
			return pdfDecline("bad /W")
		}
		if ws, ok := d.resolve(a[i+1]).(pdfArray); ok {
			if err := d.charge(pdfMapWork * len(ws)); err != nil {
				return err
			}
			for k, x := range ws {
				if f, ok := pdfNum(d.resolve(x)); ok && int(c1)+k <= 0xffff {
					w[uint32(int(c1)+k)] = f
				}
			}
			i += 2
			continue
		}
		if i+2 >= len(a) {
			return pdfDecline("bad /W")
		}
		c2, ok1 := pdfNum(d.resolve(a[i+1]))
		f, ok2 := pdfNum(d.resolve(a[i+2]))
		if !ok1 || !ok2 || c2 < c1 || c2 > 0xffff || len(w) > 1<<17 {
			return pdfDecline("bad /W")
		}
		if err := d.charge(pdfMapWork * (int(c2-c1) + 1)); err != nil {
			return err
		}
		for c := int(c1); c <= int(c2); c++ {
			w[uint32(c)] = f
		}
		i += 3
	}
	return nil
}

// encoding builds a simple font's code → character table. With no
// /Encoding the standard encoding applies when allowed; otherwise the font
// is declined. A symbolic font's differences apply to no base encoding
// unless one is named.
func (d *pdfDoc) encoding(v any, standardOK, symbolic bool) (*[256]rune, error) {
	switch e := v.(type) {
	case nil:
		if !standardOK {
			return nil, pdfDecline("font without encoding")
		}
		t := pdfStandardEncoding
		return &t, nil
	case pdfName:
		return pdfNamedEncoding(e)
	case pdfDict:
		t := pdfStandardEncoding
		if symbolic {
			t = [256]rune{}
		}
		if b, ok := d.resolve(e["BaseEncoding"]).(pdfName); ok {
			bt, err := pdfNamedEncoding(b)
			if err != nil {
				return nil, err
			}
			t = *bt
		}
		diffs, _ := d.resolve(e["Differences"]).(pdfArray)
		code := -1
		for _, x := range diffs {
			switch y := d.resolve(x).(type) {
			case int:
				code = y
			case pdfName:
				if code >= 0 && code < 256 {
					t[code] = 0
					if s := glyphText(string(y)); utf8.RuneCountInString(s) == 1 {
						t[code], _ = utf8.DecodeRuneInString(s)
					}
				}
				code++
			}
		}
		return &t, nil
	}
	return nil, pdfDecline("bad /Encoding")
}

func pdfNamedEncoding(n pdfName) (*[256]rune, error) {
	switch n {
	case "WinAnsiEncoding":
		return &pdfWinAnsi, nil
	case "MacRomanEncoding":
		return &pdfMacRoman, nil
	case "StandardEncoding":
		t := pdfStandardEncoding
		return &t, nil
	}
	return nil, pdfDecline("encoding %s", n)
}

var pdfWinAnsi, pdfMacRoman, pdfStandardEncoding = func() (w, m, s [256]rune) {
	for c := 0x20; c < 0x100; c++ {
		if r := charmap.Windows1252.DecodeByte(byte(c)); r != utf8.RuneError && c != 0x7f {
			w[c] = r
		}
		if r := charmap.Macintosh.DecodeByte(byte(c)); r != utf8.RuneError && c != 0x7f {
			m[c] = r
		}
	}
	// PDF's MacRomanEncoding is Mac OS Roman before the euro, without
	// the mathematical signs and the Apple logo.
	m[0xdb] = '\u00a4'
	for _, c := range []byte{0xad, 0xb0, 0xb2, 0xb3, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbd, 0xc3, 0xc5, 0xc6, 0xd7, 0xf0} {
		m[c] = 0
	}
	// The standard encoding: ASCII but for the quotes; its upper half is
	// rarely used and left unmapped (such a file goes to PDFium).
	for c := 0x20; c < 0x7f; c++ {
		s[c] = rune(c)
	}
	s['\''], s['`'] = '\u2019', '\u2018'
	return
}()

// glyphText maps a glyph name to its text: "uniXXXX", "uXXXX", the names of
// the Latin letters, digits and punctuation, accented letters, and
// ligatures written with underscores. Unknown names give "".
func glyphText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for _, p := range strings.Split(name, "_") {
			s := glyphText(p)
			if s == "" {
				return ""
			}
			b.WriteString(s)
		}
		return b.String()
	}
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return name
	}
	if r, ok := glyphNames[name]; ok {
		return string(r)
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var units []uint16
		for i := 3; i < len(name); i += 4 {
			v, err := strconv.ParseUint(name[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			units = append(units, uint16(v))
		}
		return string(utf16.Decode(units))
	}
	if strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7 {
		if v, err := strconv.ParseUint(name[1:], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
			return string(rune(v))
		}
	}
	for suffix, mark := range glyphAccents {
		if base, ok := strings.CutSuffix(name, suffix); ok && len(base) == 1 {
			return norm.NFC.String(base + string(mark))
		}
	}
	return ""
}

var glyphAccents = map[string]rune{
	"acute": '\u0301', "grave": '\u0300', "circumflex": '\u0302', "dieresis": '\u0308', "tilde": '\u0303',
	"ring": '\u030a', "cedilla": '\u0327', "caron": '\u030c', "breve": '\u0306', "macron": '\u0304',
	"ogonek": '\u0328', "dotaccent": '\u0307', "hungarumlaut": '\u030b',
}

var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "quoteright": '\u2019', "quoteleft": '\u2018', "parenleft": '(',
	"parenright": ')', "asterisk": '*', "plus": '+', "comma": ',', "hyphen": '-', "period": '.', "slash": '/',
	"zero": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7',
	"eight": '8', "nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=', "greater": '>',
	"question": '?', "at": '@', "bracketleft": '[', "backslash": '\\', "bracketright": ']',
	"asciicircum": '^', "underscore": '_', "grave": '`', "braceleft": '{', "bar": '|', "braceright": '}',
	"asciitilde": '~', "quotedblleft": '\u201c', "quotedblright": '\u201d', "quotesinglbase": '\u201a',
	"quotedblbase": '\u201e', "endash": '\u2013', "emdash": '\u2014', "bullet": '\u2022',
	"ellipsis": '\u2026', "dagger": '\u2020', "daggerdbl": '\u2021', "trademark": '\u2122',
	"copyright": '\u00a9', "registered": '\u00ae', "degree": '\u00b0', "section": '\u00a7',
	"paragraph": '\u00b6', "periodcentered": '\u00b7', "guillemotleft": '\u00ab', "guillemotright": '\u00bb',
	"guilsinglleft": '\u2039', "guilsinglright": '\u203a', "exclamdown": '\u00a1', "questiondown": '\u00bf',
	"cent": '\u00a2', "sterling": '\u00a3', "yen": '\u00a5', "Euro": '\u20ac', "currency": '\u00a4',
	"florin": '\u0192', "perthousand": '\u2030', "multiply": '\u00d7', "divide": '\u00f7',
	"minus": '\u2212', "plusminus": '\u00b1', "fi": '\ufb01', "fl": '\ufb02', "germandbls": '\u00df',
	"AE": '\u00c6', "ae": '\u00e6', "OE": '\u0152', "oe": '\u0153', "Oslash": '\u00d8', "oslash": '\u00f8',
	"Lslash": '\u0141', "lslash": '\u0142', "dotlessi": '\u0131', "Eth": '\u00d0', "eth": '\u00f0',
	"Thorn": '\u00de', "thorn": '\u00fe', "nbspace": '\u00a0', "sfthyphen": '\u00ad', "brokenbar": '\u00a6',
	"ordfeminine": '\u00aa', "ordmasculine": '\u00ba', "logicalnot": '\u00ac', "mu": '\u00b5',
	"onesuperior": '\u00b9', "twosuperior": '\u00b2', "threesuperior": '\u00b3', "onequarter": '\u00bc',
	"onehalf": '\u00bd', "threequarters": '\u00be', "dong": '\u20ab',
}

// parseToUnicode reads a ToUnicode CMap's bfchar and bfrange entries. An
// entry mapping to nothing, a range whose destination overflows, or more
// than pdfMaxMapped codes are declined.
func (d *pdfDoc) parseToUnicode(data []byte) (map[uint32]string, error) {
	if err := d.charge(len(data)); err != nil {
		return nil, err
	}
	walked := 0
	l := &pdfLexer{b: data, content: true}
	m := map[uint32]string{}
	var ops []any
	code := func(v any) (uint32, int, bool) {
		s, ok := v.(pdfString)
		if !ok || len(s) == 0 || len(s) > 4 {
			return 0, 0, false
		}
		var c uint32
		for _, b := range s {
			c = c<<8 | uint32(b)
		}
		return c, len(s), true
	}
	for {
		v, err := l.object(0)
		if err == errPDFEnd {
			return m, nil
		}
		if err != nil {
			return nil, err
		}
		kw, ok := v.(pdfKeyword)
		if !ok {
			if len(ops) > 1<<16 {
				return nil, pdfDecline("ToUnicode block too large")
			}
			ops = append(ops, v)
			continue
		}
		switch kw {
		case "usecmap":
			return nil, pdfDecline("ToUnicode uses another CMap")
		case "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				c, _, ok := code(ops[i])
				dst, ok2 := ops[i+1].(pdfString)
				if !ok || !ok2 {
					return nil, pdfDecline("bad bfchar")
				}
				text, err := pdfMapped(dst)
				if err != nil {
					return nil, err
				}
				m[c] = text
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops); i += 3 {
				lo, n1, ok1 := code(ops[i])
				hi, n2, ok2 := code(ops[i+1])
				if !ok1 || !ok2 || n1 != n2 || hi < lo || hi-lo > 0xffff {
					return nil, pdfDecline("bad bfrange")
				}
				if walked += int(hi-lo) + 1; walked > pdfMaxMapped {
					return nil, pdfDecline("ToUnicode maps too many codes")
				}
				if err := d.charge(pdfMapWork * (int(hi-lo) + 1)); err != nil {
					return nil, err
				}
				switch dst := ops[i+2].(type) {
				case pdfString:
					u := utf16Units(dst)
					if len(u) == 0 || len(u) > pdfMaxMappedUnits || len(dst)%2 != 0 {
						return nil, pdfDecline("bad bfrange")
					}
					// The last unit counts up through the range; it must
					// not overflow. Codes whose last unit would be a
					// surrogate are left unmapped (using one declines).
					if uint32(u[len(u)-1])+(hi-lo) > 0xffff {
						return nil, pdfDecline("bfrange destination overflows")
					}
					for k := uint32(0); k <= hi-lo; k++ { // hi may be the largest code
						v := append([]uint16(nil), u...)
						if v[len(v)-1] += uint16(k); v[len(v)-1] >= 0xd800 && v[len(v)-1] <= 0xdfff {
							continue
						}
						text := strings.ReplaceAll(string(utf16.Decode(v)), "\x00", "")
						if text == "" {
							continue // as a surrogate: unmapped
						}
						m[lo+k] = text
					}
				case pdfArray:
					for k, x := range dst {
						s, ok := x.(pdfString)
						if !ok || lo+uint32(k) > hi {
							break
						}
						text, err := pdfMapped(s)
						if err != nil {
							return nil, err
						}
						m[lo+uint32(k)] = text
					}
				default:
					return nil, pdfDecline("bad bfrange")
				}
			}
		}
		ops = ops[:0]
	}
}

const (
	// pdfMapWork is what one map entry costs against pdfMaxWork, in the
	// units of a byte lexed: some thirty times more.
	pdfMapWork = 32
	// pdfOpWork is what one content operator (with its operands) costs:
	// without it, 8 MB of one-byte operators shared by 2000 pages cost
	// 19 s and 4 GB of allocations before the byte count stopped them.
	pdfOpWork = 64

	pdfMaxMapped      = 1 << 18 // codes one ToUnicode CMap may map
	pdfMaxMappedUnits = 32      // UTF-16 units one code may map to
)

// pdfMapped decodes a ToUnicode destination: UTF-16BE, at most
// pdfMaxMappedUnits units, not empty (PDFium reads those differently).
func pdfMapped(dst pdfString) (string, error) {
	if len(dst)%2 != 0 || len(dst) > 2*pdfMaxMappedUnits {
		return "", pdfDecline("bad ToUnicode destination")
	}
	text := strings.ReplaceAll(pdfUTF16(dst), "\x00", "")
	if text == "" {
		return "", pdfDecline("ToUnicode maps a code to nothing")
	}
	return text, nil
}

func utf16Units(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return u
}

func pdfUTF16(b []byte) string { return string(utf16.Decode(utf16Units(b))) }

// pdfTextString decodes a text string outside content streams: UTF-16BE
// or UTF-8 with a byte order mark, else PDFDocEncoding.
func pdfTextString(s pdfString) string {
	switch {
	case len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff:
		return pdfUTF16(s[2:])
	case len(s) >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf:
		return strings.ToValidUTF8(string(s[3:]), "\uFFFD")
	}
	var b strings.Builder
	for _, c := range s {
		if r, ok := pdfDocSpecials[c]; ok {
			b.WriteRune(r)
		} else {
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

var pdfDocSpecials = map[byte]rune{
	0x18: '\u02d8', 0x19: '\u02c7', 0x1a: '\u02c6', 0x1b: '\u02d9', 0x1c: '\u02dd', 0x1d: '\u02db', 0x1e: '\u02da', 0x1f: '\u02dc',
	0x80: '\u2022', 0x81: '\u2020', 0x82: '\u2021', 0x83: '\u2026', 0x84: '\u2014', 0x85: '\u2013', 0x86: '\u0192', 0x87: '\u2044',
	0x88: '\u2039', 0x89: '\u203a', 0x8a: '\u2212', 0x8b: '\u2030', 0x8c: '\u201e', 0x8d: '\u201c', 0x8e: '\u201d', 0x8f: '\u2018',
	0x90: '\u2019', 0x91: '\u201a', 0x92: '\u2122', 0x93: '\ufb01', 0x94: '\ufb02', 0x95: '\u0141', 0x96: '\u0152', 0x97: '\u0160',
	0x98: '\u0178', 0x99: '\u017d', 0x9a: '\u0131', 0x9b: '\u0142', 0x9c: '\u0153', 0x9d: '\u0161', 0x9e: '\u017e', 0xa0: '\u20ac',
}
