package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// xmlScanSeeds are XML texts that take the fast path and, one by one,
// each way out of it to encoding/xml.
var xmlScanSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">Boat left Songkhla </w:t></w:r><w:r><w:tab/><w:t>ผู้เสียหาย</w:t><w:br/></w:r></w:p><w:p><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
	`<w:comments xmlns:w="x"><w:comment w:id="0" w:author="Det. Nguyễn &amp; co" w:date="2026-03-02T10:00:00Z"><w:p><w:r><w:t>check &lt;this&gt; &#x0E01;&#3585; &quot;q&quot; &apos;a&apos;</w:t></w:r></w:p></w:comment></w:comments>`,
	`<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb"><office:body><office:text><text:p>one<text:s text:c="3"/>two<text:tab/>three<text:line-break/></text:p><table:table table:name="Sheet1"><table:table-row><table:table-cell><text:p>c1</text:p></table:table-cell></table:table-row></table:table><office:annotation><text:p>note</text:p></office:annotation></office:text></office:body></office:document-content>`,
	`<sst><si><t>plain</t></si><si><r><t>rich</t></r><rPh><t>ふりがな</t></rPh></si></sst>`,
	"<a><![CDATA[raw <b> & ]] text]]><!-- a comment -- no --><?pi some data?>tail</a>\n",
	"\ufeff<a>with a byte order mark</a>",
	"<a>carriage\r\nreturn\rhere</a>",
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<a>\r\n  <t>x\r\r\n\ry</t>\r</a>\r",
	"<a>\r]]\r\n]]>\r</a>",
	"<a>&amp;\r\n&#10;\r&#13;\n</a>",
	`<!DOCTYPE a [<!ENTITY e "entity">]><a>&e;</a>`,
	`<a>&unknown; &#0; &#xD800; &#13; &#x110000; &amp</a>`,
	`<?xml version="1.0" encoding="windows-1252"?><a>caf` + "\xe9" + `</a>`,
	`<?xml version="1.1"?><a/>`,
	`<a><b></a></b>`,
	`<a><b xmlns:w="u"><c></a>after`,
	`<w:body><w:p xmlns:x="u"><w:r><w:t>seen</w:t></w:r></w:body><w:p><w:r><w:t>hidden?</w:t></w:r></w:p>`,
	`<a><b xmlns="u&amp;&#10;v"><c></a><t>after</t>`,
	`<a><b>unclosed`,
	`<a>text</a>trailing text`,
	"<a>bad \xff utf-8</a>",
	"<a>control \x01 char</a>",
	"<a>not ]]> here</a>",
	`<a b=unquoted c>valueless</a>`,
	`<a b="<">lt in attr</a>`,
	`<p:a:b>two colons</p:a:b>`,
	`<:a>colon first</:a><a:>colon last</a:>`,
	`<ไทย>non-ASCII name</ไทย>`,
	`</a>`,
	`<a x="1"y="2" z = '3' >spaces</a >`,
	"<a>\n\n<b>\n</c>lines before a syntax error</a>",
	"<a>\n<!-- unterminated",
	"<a>\n<![CDATA[unterminated",
	"<a>\n<![CDAT",
	"<a>\n<!",
	"<a>text &#x0E01",
	"<a>x&0000000 00",
	"<a>x&00 0",
	"<a>x&#12 3</a>",
	`<a>` + strings.Repeat("long text ", 20000) + `</a>`,
	`<a b="` + strings.Repeat("v", 200000) + `"/>`,
}

// scanTrace is everything a walk does that callers see.
func scanTrace(data []byte, spec *xmlText, std bool, chunk int, failAt int) string {
	var out strings.Builder
	w := &xmlWalker{spec: spec, limit: 64, std: std}
	w.onStart = func(w *xmlWalker, se xml.StartElement) error {
		fmt.Fprintf(&out, "<%s", se.Name.Local)
		for _, a := range se.Attr {
			fmt.Fprintf(&out, " %s=%q", a.Name.Local, a.Value)
		}
		out.WriteString(">")
		return nil
	}
	w.onEnd = func(w *xmlWalker, name string) error {
		fmt.Fprintf(&out, "</%s>", name)
		return nil
	}
	w.onFull = func(w *xmlWalker) error {
		fmt.Fprintf(&out, "[full %q]", w.take())
		return nil
	}
	err := w.walk(&pacedReader{data: data, chunk: chunk, failAt: failAt})
	fmt.Fprintf(&out, "[rest %q][err %v]", w.take(), err)
	return out.String()
}

// scanTokens lists the tokens of data as the scanner reads them.
func scanTokens(data []byte, std bool, chunk, failAt int) string {
	var out strings.Builder
	s := newXMLScanner(&pacedReader{data: data, chunk: chunk, failAt: failAt}, std)
	for n := 0; n < 1e6; n++ {
		err := s.next()
		if err != nil {
			fmt.Fprintf(&out, "[err %v]", err)
			break
		}
		switch s.kind {
		case tokStart:
			se := s.startElement()
			fmt.Fprintf(&out, "<%s", se.Name.Local)
			for _, a := range se.Attr {
				fmt.Fprintf(&out, " %s=%q", a.Name.Local, a.Value)
			}
			out.WriteString(">")
		case tokEnd:
			fmt.Fprintf(&out, "</%s>", s.local)
		case tokText:
			fmt.Fprintf(&out, "%q", s.text)
		case tokOther:
			out.WriteString("[other]")
		}
	}
	return out.String()
}

// pacedReader returns data chunk bytes at a time (all of it when chunk is
// 0), and fails with errPaced after failAt bytes when failAt > 0.
type pacedReader struct {
	data   []byte
	chunk  int
	failAt int
	off    int
}

var errPaced = errors.New("paced reader failure")

func (r *pacedReader) Read(p []byte) (int, error) {
	if r.failAt > 0 && r.off >= r.failAt {
		return 0, errPaced
	}
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	n := len(r.data) - r.off
	if r.chunk > 0 {
		n = min(n, r.chunk)
	}
	if r.failAt > 0 {
		n = min(n, r.failAt-r.off)
	}
	n = copy(p, r.data[r.off:r.off+n])
	r.off += n
	return n, nil
}

var scanSpecs = []*xmlText{docxSpec, docxDeleted, pptxSpec, odfSpec,
	{text: map[string]bool{"t": true}, skip: map[string]bool{"rPh": true}}}

// checkScanner compares the fast scanner with encoding/xml on data.
func checkScanner(t *testing.T, data []byte, chunk, failAt int) {
	t.Helper()
	if want, got := scanTokens(data, true, chunk, failAt), scanTokens(data, false, chunk, failAt); got != want {
		t.Fatalf("tokens of %.200q (chunk %d, fail at %d):\nencoding/xml %.2000s\nscanner      %.2000s", data, chunk, failAt, want, got)
	}
	for i, spec := range scanSpecs {
		if want, got := scanTrace(data, spec, true, chunk, failAt), scanTrace(data, spec, false, chunk, failAt); got != want {
			t.Fatalf("walk %d of %.200q (chunk %d, fail at %d):\nencoding/xml %.2000s\nscanner      %.2000s", i, data, chunk, failAt, want, got)
		}
	}
}

func TestXMLScannerMatchesEncodingXML(t *testing.T) {
	for _, seed := range xmlScanSeeds {
		for _, chunk := range []int{0, 1, 7, 4096} {
			checkScanner(t, []byte(seed), chunk, 0)
		}
		for _, failAt := range []int{1, len(seed) / 3, len(seed) - 1, len(seed)} {
			if failAt > 0 {
				checkScanner(t, []byte(seed), 5, failAt)
			}
		}
	}
}

// TestXMLScannerOfficeFiles compares the two on every XML member of the
// office test files.
func TestXMLScannerOfficeFiles(t *testing.T) {
	members := officeXML(t)
	if len(members) == 0 {
		t.Fatal("no XML members found in testdata/office")
	}
	for name, data := range members {
		t.Run(name, func(t *testing.T) {
			checkScanner(t, data, 0, 0)
			checkScanner(t, data, 3, 0)
		})
	}
}

func officeXML(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("testdata", "office", "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			continue
		}
		for _, m := range zr.File {
			if !strings.HasSuffix(m.Name, ".xml") && !strings.HasSuffix(m.Name, ".rels") {
				continue
			}
			rc, err := m.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(f)+"/"+m.Name] = b
		}
	}
	return out
}

// TestXMLScannerLongTokens: a token far larger than the buffer, read a
// byte at a time, takes linear time (the buffer doubles, it is not
// rescanned for each read).
func TestXMLScannerLongTokens(t *testing.T) {
	for _, doc := range []string{
		"<a>" + strings.Repeat("x", 8<<20) + "</a>",
		`<a b="` + strings.Repeat("x", 8<<20) + `"/>`,
		"<a><!--" + strings.Repeat("-x", 4<<20) + "--></a>",
	} {
		start := time.Now()
		s := newXMLScanner(&pacedReader{data: []byte(doc), chunk: 1}, false)
		n := 0
		for {
			err := s.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n < 2 {
			t.Fatalf("%d tokens", n)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("%d MiB token took %v", len(doc)>>20, d)
		}
	}
}

// FuzzXMLScanner is the differential fuzz target: on any input, read in
// any pieces and cut by a read error anywhere, the scanner gives the
// tokens, walks and errors that encoding/xml gives.
func FuzzXMLScanner(f *testing.F) {
	for _, s := range xmlScanSeeds {
		if len(s) < 4096 {
			f.Add([]byte(s), uint8(0), uint16(0))
			f.Add([]byte(s), uint8(3), uint16(len(s)/2))
		}
	}
	for name, data := range officeXML(f) {
		if strings.HasSuffix(name, "document.xml") || strings.HasSuffix(name, "content.xml") || strings.HasSuffix(name, "sharedStrings.xml") {
			f.Add(data, uint8(0), uint16(0))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, failAt uint16) {
		checkScanner(t, data, int(chunk), int(failAt))
	})
}

func BenchmarkXMLWalk(b *testing.B) {
	var doc bytes.Buffer
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:document xmlns:w="x"><w:body>`)
	for doc.Len() < 4<<20 {
		doc.WriteString(`<w:p w:rsidR="00A1B2C3"><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:lang w:val="th-TH"/></w:rPr><w:t xml:space="preserve">the boat left Songkhla at night ผู้เสียหาย ถูกบังคับ ทำงาน บนเรือ Nguyễn Văn &amp; crew </w:t></w:r></w:p>`)
	}
	doc.WriteString(`</w:body></w:document>`)
	for _, std := range []bool{true, false} {
		b.Run(map[bool]string{true: "encoding-xml", false: "scanner"}[std], func(b *testing.B) {
			b.SetBytes(int64(doc.Len()))
			for i := 0; i < b.N; i++ {
				w := &xmlWalker{spec: docxSpec, limit: textChunkSize, std: std}
				w.onFull = func(w *xmlWalker) error { w.take(); return nil }
				if err := w.walk(bytes.NewReader(doc.Bytes())); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
