package extract

import (
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Hostile inputs for the fast XML scanner (xmlscan.go): each one either
// was a difference from encoding/xml or a lost resource bound, fixed, or
// shows a case handled.

// repeatReader gives head, n copies of unit, then tail, without holding
// them in memory.
func repeatReader(head, unit string, n int, tail string) io.Reader {
	return io.MultiReader(strings.NewReader(head), &unitReader{unit: unit, n: n}, strings.NewReader(tail))
}

type unitReader struct {
	unit string
	n    int
	part int
}

func (u *unitReader) Read(p []byte) (int, error) {
	if u.n == 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && u.n > 0 {
		c := copy(p[k:], u.unit[u.part:])
		k += c
		u.part += c
		if u.part == len(u.unit) {
			u.part = 0
			u.n--
		}
	}
	return k, nil
}

// allocated returns the bytes f allocates (cumulative, so a bound on its
// peak).
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestXMLScanHostileDifferential: inputs on which the scanner once
// differed from encoding/xml, or that probe a hand-over.
func TestXMLScanHostileDifferential(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		// encoding/xml keeps a stack frame per xmlns attribute; its
		// non-strict unwinding of a mismatched end tag stops there with an
		// error. The primer once dropped them, so the scanner read on and
		// revealed text encoding/xml never reached (fixed in b1f9329).
		{"xmlns frame stops unwinding", `<a><b xmlns:w="u"><c></a>after`},
		{"xmlns frame, docx shaped", `<w:body><w:p xmlns:x="u"><w:r><w:t>seen</w:t></w:r></w:body><w:p><w:r><w:t>hidden</w:t></w:r></w:p>`},
		{"default xmlns frame", `<a><b xmlns="u&amp;&#10;v"><c></a><t>after</t>`},
		{"xmlns frames on every level", `<a xmlns:p="1"><b xmlns="2" xmlns:q="3"><c xmlns:p="4"></b></a><t>x</t>`},
		{"prefix mismatch w:t x:t", `<w:p><w:t>one</x:t>two</w:p><w:t>three</w:t>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, chunk := range []int{0, 1, 3} {
				checkScanner(t, []byte(c.doc), chunk, 0)
			}
			for failAt := 1; failAt < len(c.doc); failAt++ {
				checkScanner(t, []byte(c.doc), 2, failAt)
			}
		})
	}
}

// TestXMLScanHostileTagMemory: white space inside a tag is not kept by
// encoding/xml, so a zip bomb of spaces inside one tag (a 1 GiB member
// deflates from about 1 MiB) took constant memory; the scanner kept the
// whole tag in a doubling buffer, about 3.5 times the tag at its peak.
// Long markup now goes to encoding/xml.
func TestXMLScanHostileTagMemory(t *testing.T) {
	const n = 16 << 20
	for _, c := range []struct{ name, head, unit, tail string }{
		{"start tag", "<w:t", " ", ">x</w:t>"},
		{"end tag", "<w:t>x</w:t", " ", ">"},
		{"between attributes", "<w:t a='1'", "\n", "b='2'>x</w:t>"},
		{"processing instruction", "<?pi", "\t", "data?><w:t>x</w:t>"},
		{"xml declaration", "<?xml", " ", "version='1.0'?><w:t>x</w:t>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			var out string
			a := allocated(func() {
				w := &xmlWalker{spec: docxSpec}
				err = w.walk(repeatReader(c.head, c.unit, n, c.tail))
				out = w.take()
			})
			if err != nil || out != "x" {
				t.Fatalf("got %q, %v", out, err)
			}
			if a > n/4 {
				t.Fatalf("%d MiB of white space in a tag: %d MiB allocated", n>>20, a>>20)
			}
		})
	}
}

// TestXMLScanHostileLineCount: the hand-over primed encoding/xml with a
// comment of as many newlines as had been read, for its error line
// numbers: 3 to 4 bytes held per line at the peak (the repeated string,
// the primer, encoding/xml's copy of the comment), where encoding/xml
// alone holds none (a 1 GiB member of "<b/>\n" then an unknown entity:
// 200 Mi lines, some 700 MiB). The newlines now stream through an empty
// element's tag.
func TestXMLScanHostileLineCount(t *testing.T) {
	const lines = 4 << 20
	for _, tail := range []string{"&unknown;</x>", "</y>", ""} {
		var err error
		a := allocated(func() {
			w := &xmlWalker{spec: docxSpec}
			err = w.walk(repeatReader("<x>", "<b/>\n", lines, tail))
		})
		if a > lines/4 {
			t.Errorf("%q after %d lines: %d MiB allocated", tail, lines, a>>20)
		}
		if tail == "" && (err == nil || !strings.Contains(err.Error(), "line 4194305:")) {
			t.Errorf("EOF after %d lines: %v", lines, err)
		}
	}
	// Line numbers as encoding/xml gives them, whatever reads there are.
	for _, doc := range []string{
		"<x>" + strings.Repeat("<b/>\n", 70000) + "</y>",
		"<x>\n" + strings.Repeat("<b>\r\n</b>", 20000) + "\n<!-- \n --><a",
		"\n\n<x a='\n'>\n<![CDATA[\n]]><?p \n?>\n&bad;\n",
	} {
		for _, chunk := range []int{0, 1000} {
			checkScanner(t, []byte(doc), chunk, 0)
		}
	}
}

// TestXMLScanHostileReadErrorMidToken: a token cut by a read error (a
// corrupt zip member, the decompression budget, the deadline) gets what
// encoding/xml gives there. An attribute value cut inside a UTF-8
// sequence is invalid UTF-8 to encoding/xml, a corrupt-file error, where
// the scanner returned the read error itself.
func TestXMLScanHostileReadErrorMidToken(t *testing.T) {
	for _, c := range []struct {
		doc    string
		failAt int
	}{
		{"<a b=\"x\xe0", 8},
		{"<a b=\"x\xe0\xb8", 9},
		{"<a b='\xf0\x9f\x98", 9},
		{"<a>x\xe0\xb8", 6},
		{"<a>x& y", 7},
		{"<a>x&amp", 8},
		{"<a b=\"& y", 9},
		{"<a b=\"&#x41", 11},
		{"<a b=\"\r", 7},
		{"<a>x\r", 5},
		{"<a>x]]", 6},
		{"<![CDATA[x\xe0", 11},
		{"<!-- x \xe0", 9},
		{"<?p x\xe0", 7},
		{"<a b=\"x\">y</a", 13},
		{"<a><b/", 6},
		{"<a\n b", 5},
	} {
		for _, chunk := range []int{0, 1} {
			checkScanner(t, []byte(c.doc+"zzzz"), chunk, c.failAt)
		}
	}
}

// TestXMLScanHostileEveryCut: every seed cut by a read error at every
// byte, read a byte at a time and whole.
func TestXMLScanHostileEveryCut(t *testing.T) {
	n := 0
	for _, seed := range xmlScanSeeds {
		if len(seed) > 1024 {
			continue
		}
		for failAt := 1; failAt <= len(seed); failAt++ {
			checkScanner(t, []byte(seed), 1, failAt)
			checkScanner(t, []byte(seed), 0, failAt)
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d cuts", n)
	}
}

// TestXMLScanHostileTextMemory: encoding/xml keeps a text token whole
// (about 1.75 times it at its peak); the scanner's doubling buffer, with
// the copy it makes once an entity or "\r\n" is read, held 3 to 6 times
// it (a 1 GiB run of "&amp;" in a skipped w:instrText: some 5 GiB). A
// text token past xmlTextMax now goes to encoding/xml. Text of any length
// read a byte at a time still takes linear time
// (TestXMLScannerLongTokens).
func TestXMLScanHostileTextMemory(t *testing.T) {
	const n = 1 << 20 // units of 8 bytes: 8 MiB
	for _, unit := range []string{"abcdefgh", "abcdef\r\n", "abc&amp;", "ผู้a"} {
		var err error
		var std, fast uint64
		for _, s := range []bool{true, false} {
			a := allocated(func() {
				w := &xmlWalker{spec: docxSpec, std: s}
				err = w.walk(repeatReader("<w:instrText>", unit, n, "</w:instrText><w:t>x</w:t>"))
				if out := w.take(); out != "x" && err == nil {
					t.Errorf("%q: got %q", unit, out)
				}
			})
			if err != nil {
				t.Fatalf("%q: %v", unit, err)
			}
			if s {
				std = a
			} else {
				fast = a
			}
		}
		if fast > std+8*xmlTextMax { // the scanner's own, up to xmlTextMax
			t.Errorf("%d MiB text run of %q: scanner allocated %d MiB, encoding/xml %d MiB", len(unit)*n>>20, unit, fast>>20, std>>20)
		}
	}
}

// TestXMLScanHostileHandled: inputs a hostile document might use to hide
// or reveal text differently, each read the same as by encoding/xml.
func TestXMLScanHostileHandled(t *testing.T) {
	for _, doc := range []string{
		`<w:p><w:r><w:t>a</w:t><w:delText>gone</w:delText><w:instrText>HYPERLINK</w:instrText><x:t>other ns</x:t></w:r></w:p>`,
		`<w:t a=">" b='>"' c="&gt;&#62;&#x3e;">gt in attributes</w:t>`,
		`<w:t a="1" a="2" w:a="3">duplicate attributes</w:t>`,
		`<w:t>entities &lt;&amp;&gt;&quot;&apos; &#65;&#x41;&#X41;&#x0041; &#xd7ff;&#xE000;&#xFFFD;&#x10FFFF;</w:t>`,
		`<w:t>surrogate refs &#xD800;&#xDFFF;&#55296;</w:t>`,
		`<w:t>out of range &#x110000;&#xFFFE;&#xFFFF;&#0;&#x1F;&#9;&#10;&#13;&#99999999999;</w:t>`,
		`<w:t>long refs &#x0000000041;&#0000000065;&#xx41;&#;&#x;&amp;amp;</w:t>`,
		`<w:t>unknown &nbsp; &copy; &lt &amp  &ampx; &a:b; &ไทย;</w:t>`,
		"<w:t>surrogate bytes \xed\xa0\x80 overlong \xc0\x80 \xf4\x90\x80\x80 nul \x00</w:t>",
		"<w:t>nul\x00</w:t>", "<w:t>\xef\xbf\xbe</w:t>", "<w:t>\xef\xbf\xbd\u0085\u2028</w:t>",
		"\ufeff\ufeff<w:t>\ufeffboms</w:t>", "\xef\xbb<w:t>half a BOM</w:t>", "\xff\xfe<\x00w\x00:\x00t\x00>\x00",
		`<w:t>]]></w:t>`, `<w:t>]]&gt; ]&#93;> ]] > ]]]></w:t>`, `<w:t a="]]>">x</w:t>`,
		"<w:t><![CDATA[<w:t>inner</w:t> &amp; ]]]]><![CDATA[>]]></w:t>",
		"<w:t><![CDATA[\r\n\r]]>\r\n\r&#13;\r&#10;</w:t>",
		"<w:t><!-- hidden <w:t>x</w:t> -->shown<!----><!-- - --></w:t>",
		"<w:t><!-- a -- b -->x</w:t>", "<w:t><!--->x--></w:t>",
		"<w:t><?pi <w:t>hidden</w:t> ?>shown<?xml version='1.0'?></w:t>",
		`<w:t>end tag spaces</w:t  ><w:t>b</w:t` + "\n\t\r" + `>`,
		`<w:t>end tag attrs</w:t a="1">`, `<w:t>no name</>`, `<w:t/ >`, `<w:t / >x`,
		`<?xml version="1.0" encoding="utf-8"?><w:t>x</w:t>`,
		`<?xml version="1.0" encoding="UTF8"?><w:t>x</w:t>`,
		`<?xml version="1.0" encoding="us-ascii"?><w:t>x</w:t>`,
		"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><w:t>caf\xe9</w:t>",
		`<?xml version="1.0" encoding="UTF-16"?><w:t>x</w:t>`,
		`<?xml version="1.0" encoding="bogus"?><w:t>x</w:t>`,
		`<?xml version="1.1"?><w:t>x</w:t>`, `<?xml version='1.0'encoding='latin1'?><w:t>x</w:t>`,
		`<w:t>x</w:t><?xml encoding="latin1"?><w:t>caf` + "\xe9" + `</w:t>`,
		`<?XML encoding="latin1"?><w:t>x</w:t>`, `<?xmlx encoding="latin1"?><w:t>x</w:t>`,
		`<!DOCTYPE w:t [<!ENTITY h "hidden">]><w:t>&h;</w:t>`,
		`<w:t xmlns="a" xmlns:w="b" xmlns:xml="c" xml:space="preserve">ns</w:t>`,
		`<w:p><w:t>one</w:p><w:t>two</w:t>`, `<w:p><w:t>one</w:t></w:t></w:p>`, `</w:t>before`,
		`<w:t>a</w:t>trailing<w:t>b</w:t>`, `<a:b:c>x</a:b:c>`, `<:t>x</:t>`, `<t:>x</t:>`, `<w:1t>x</w:1t>`,
		`<w:t a=b>unquoted</w:t>`, `<w:t a>valueless</w:t>`, `<w:t a="<">lt</w:t>`, `<w:t a="x"b="y">no space</w:t>`,
		"<w:t a=\"\t\n\r\n\">ws in value</w:t>", "<w:t\r\na='1'\r>cr in tag</w:t\r>",
	} {
		for _, chunk := range []int{0, 1, 7} {
			checkScanner(t, []byte(doc), chunk, 0)
		}
	}
}

// stallReader returns one byte per read, after stall empty reads before
// the byte at offset at (before every byte when at < 0).
type stallReader struct {
	data         []byte
	off          int
	stall, at    int
	left         int
	stallStarted bool
}

func (r *stallReader) Read(p []byte) (int, error) {
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	if (r.at < 0 || r.off == r.at) && !r.stallStarted {
		r.stallStarted, r.left = true, r.stall
	}
	if r.left > 0 {
		r.left--
		return 0, nil
	}
	r.stallStarted = false
	p[0] = r.data[r.off]
	r.off++
	return 1, nil
}

// dataErrReader returns data[:cut] in chunks, the last one together with
// err (as budgetReader returns its limit error).
type dataErrReader struct {
	data     []byte
	off, cut int
	chunk    int
	err      error
}

func (r *dataErrReader) Read(p []byte) (int, error) {
	if r.off >= r.cut {
		return 0, r.err
	}
	n := copy(p, r.data[r.off:min(r.cut, r.off+r.chunk)])
	r.off += n
	if r.off >= r.cut {
		return n, r.err
	}
	return n, nil
}

func hostileTokens(r io.Reader, std bool) string {
	var out strings.Builder
	s := newXMLScanner(r, std)
	for {
		if err := s.next(); err != nil {
			out.WriteString("[err " + err.Error() + "]")
			return out.String()
		}
		switch s.kind {
		case tokStart:
			out.WriteString("<" + string(s.local) + ">")
		case tokEnd:
			out.WriteString("</" + string(s.local) + ">")
		case tokText:
			out.WriteString(strconv.Quote(string(s.text)))
		}
	}
}

// TestXMLScanHostileReaders: empty reads (io.ErrNoProgress after 100 in a
// row, as bufio gives encoding/xml) and data returned with an error, at
// every position.
func TestXMLScanHostileReaders(t *testing.T) {
	doc := "<w:p><w:t a='\xe0\xb8\x81'>text &amp; m\xe0\xb8\x81ore\r\n</w:t></w:p>\n<w:t>b</w:t><!-- c --><?p x?><![CDATA[d]]>"
	for _, stall := range []int{1, 99, 100, 101} {
		for at := -1; at < len(doc); at++ {
			if at < 0 && stall >= 100 {
				continue
			}
			want := hostileTokens(&stallReader{data: []byte(doc), stall: stall, at: at}, true)
			if got := hostileTokens(&stallReader{data: []byte(doc), stall: stall, at: at}, false); got != want {
				t.Errorf("%d empty reads at %d:\nencoding/xml %s\nscanner      %s", stall, at, want, got)
			}
		}
	}
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, ErrTooLarge} {
		for cut := 0; cut <= len(doc); cut++ {
			for _, chunk := range []int{1, 3, 1000} {
				want := hostileTokens(&dataErrReader{data: []byte(doc), cut: cut, chunk: chunk, err: e}, true)
				if got := hostileTokens(&dataErrReader{data: []byte(doc), cut: cut, chunk: chunk, err: e}, false); got != want {
					t.Errorf("%v with the data up to %d, %d at a time:\nencoding/xml %s\nscanner      %s", e, cut, chunk, want, got)
				}
			}
		}
	}
}
