package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"casevault/internal/benchstat"
)

// Inputs from a security review of the Go PDF reader: each used to panic,
// hang, take gigabytes, or be accepted with text other than PDFium's.

// rawPDF writes objects 1..len(objs)-1 (objs[0] is unused; a stream's
// body includes "stream … endstream") with a cross-reference table.
func rawPDF(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i := 1; i < len(objs); i++ {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i, objs[i])
	}
	writeXrefTable(&b, offs, "")
	return b.Bytes()
}

// rawStream is a stream object's body, uncompressed.
func rawStream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// onePage is a document of one page with the given content, font F1 (by
// default Helvetica, WinAnsi) and extra objects numbered from 6.
func onePage(content, font string, extra ...string) []byte {
	if font == "" {
		font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	}
	objs := []string{"", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		streamObj([]byte(content)), font}
	return rawPDF(append(objs, extra...))
}

// stmPDF writes objects 1..n with a cross-reference stream; the objects in
// packed go, as written, into object stream n+1, whose header is hdr (or
// the true one when hdr is empty) and which declares /N n.
func stmPDF(objs []string, packed []int, hdr string, n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	offs := make([]int, len(objs)+2)
	var h, body bytes.Buffer
	for i := 1; i < len(objs); i++ {
		if slices.Contains(packed, i) {
			fmt.Fprintf(&h, "%d %d ", i, body.Len())
			body.WriteString(objs[i] + "\n")
			continue
		}
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i, objs[i])
	}
	if hdr == "" {
		hdr = h.String()
	}
	if n == 0 {
		n = len(packed)
	}
	stm := len(objs)
	offs[stm] = b.Len()
	data := append([]byte(hdr), body.Bytes()...)
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", stm, rawStream(fmt.Sprintf("/Type /ObjStm /N %d /First %d", n, len(hdr)), data))
	xnum := stm + 1
	xoff := b.Len()
	rows := bytes.Join(xrefStreamRows(xnum, xoff, stm, packed, offs), nil)
	fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n", xnum,
		rawStream(fmt.Sprintf("/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R", xnum+1), rows), xoff)
	return b.Bytes()
}

func toUnicodeFont(cmap string) (font, stream string) {
	return "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
		streamObj([]byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" + cmap + "endcmap end end\n"))
}

func TestPDFFastReviewDeclines(t *testing.T) {
	page := []string{"", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		streamObj([]byte("BT /F1 9 Tf (x) Tj ET")), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}
	cases := map[string]func() []byte{
		"object stream offset overflow": func() []byte {
			return stmPDF(page, []int{5}, "5 9223372036854775807 ", 0)
		},
		"object stream declaring 15M objects": func() []byte {
			return stmPDF(page, []int{5}, "", 15<<20)
		},
		"bfrange over all codes, 20000 times": func() []byte {
			f, s := toUnicodeFont(strings.Repeat("1 beginbfrange <0000> <7FFF> <0041> endbfrange\n", 20000))
			return onePage("BT /F1 9 Tf (A) Tj ET", f, s)
		},
		"bfrange destination of 4096 units": func() []byte {
			f, s := toUnicodeFont("1 beginbfrange <0000> <FFFF> <" + strings.Repeat("0041", 4096) + "> endbfrange\n")
			return onePage("BT /F1 9 Tf (A) Tj ET", f, s)
		},
		"bfchar destination of 32768 units": func() []byte {
			f, s := toUnicodeFont("1 beginbfchar <41> <" + strings.Repeat("0041", 32768) + "> endbfchar\n")
			return onePage("BT /F1 9 Tf ("+strings.Repeat("A", 1<<20)+") Tj ET", f, s)
		},
		"a page tree that doubles 40 times": func() []byte {
			objs := slices.Clone(page)
			objs[2] = "<< /Type /Pages /Kids [3 0 R << /Kids 6 0 R >>] /Count 1 >>"
			for k := 6; k < 46; k++ {
				objs = append(objs, fmt.Sprintf("[<< /Kids %d 0 R >> << /Kids %d 0 R >>]", k+1, k+1))
			}
			return rawPDF(append(objs, "[]"))
		},
		"contents of 20000 parts": func() []byte {
			objs := slices.Clone(page)
			objs[3] = "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents [" + strings.Repeat("4 0 R ", 20000) + "] >>"
			objs[4] = rawStream("", bytes.Repeat([]byte("n "), 50000))
			return rawPDF(objs)
		},
		"a 1 MB form drawn a million times": func() []byte {
			objs := slices.Clone(page)
			objs[3] = "<< /Type /Page /Parent 2 0 R /Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>"
			objs[4] = streamObj(bytes.Repeat([]byte("/X Do "), 1<<20))
			return rawPDF(append(objs, rawStream("/Subtype /Form", append([]byte("%"), bytes.Repeat([]byte("x"), 1<<20)...))))
		},
		"/W ranges over 5 billion codes": func() []byte {
			return onePage("BT /F1 9 Tf <0001> Tj ET", "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 6 0 R /DescendantFonts [7 0 R] >>",
				streamObj([]byte("1 beginbfchar <0001> <0041> endbfchar\n")), "<< /Type /Font /Subtype /CIDFontType2 /W ["+strings.Repeat("0 65535 1 ", 80000)+"] >>")
		},
		"2000 pages sharing 8 MB of content": func() []byte {
			objs := slices.Clone(page)
			kids := ""
			for k := range 2000 {
				kids += fmt.Sprintf("%d 0 R ", 6+k)
				objs = append(objs, objs[3])
			}
			objs[2] = "<< /Type /Pages /Kids [" + kids + "] /Count 2000 >>"
			objs[4] = rawStream("", bytes.Repeat([]byte("n\n"), 4<<20))
			return rawPDF(objs)
		},
		"a page with kids": func() []byte {
			objs := slices.Clone(page)
			objs[3] = "<< /Type /Page /Parent 2 0 R /Kids [6 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
			return rawPDF(append(objs, "<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"))
		},
		"/Prev that is not an integer": func() []byte {
			return bytes.Replace(onePage("BT /F1 9 Tf (x) Tj ET", ""), []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Prev 9.0"), 1)
		},
		"contents missing": func() []byte {
			objs := slices.Clone(page)
			objs[3] = strings.Replace(objs[3], "/Contents 4 0 R", "/Contents 40 0 R", 1)
			return rawPDF(objs)
		},
		"ToUnicode mapping to nothing": func() []byte {
			f, s := toUnicodeFont("2 beginbfchar <41> <> <42> <0000> endbfchar\n")
			return onePage("BT /F1 9 Tf (Secret ABC) Tj ET", f, s)
		},
		"Symbol with WinAnsi": func() []byte {
			return onePage("BT /F1 9 Tf (abc) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Symbol /Encoding /WinAnsiEncoding >>")
		},
		"inline image with a filter": func() []byte {
			return onePage("BI /W 1 /H 1 /CS /G /BPC 8 /F /AHx ID ff> EI BT /F1 9 Tf (x) Tj ET", "")
		},
		"bfrange overflowing its last unit": func() []byte {
			f, s := toUnicodeFont("1 beginbfrange <41> <42> <FFFF> endbfrange\n")
			return onePage("BT /F1 9 Tf (AB) Tj ET", f, s)
		},
	}
	// Bounds are on the process's CPU time, not wall time: on a shared,
	// loaded machine a decline of well under a second of CPU can take
	// several seconds of wall time.
	for name, build := range cases {
		data := build()
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		cpu0 := benchstat.CPUTime()
		b := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
		err := pdfRead(context.Background(), data, Options{}, b) // no recover: a panic fails the test
		took := benchstat.CPUTime() - cpu0
		runtime.ReadMemStats(&m1)
		if !errors.Is(err, errPDFFallback) {
			t.Errorf("%s: want a decline, got %v", name, err)
		}
		if took > 3*time.Second {
			t.Errorf("%s: took %v of CPU", name, took)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 300<<20 {
			t.Errorf("%s: allocated %d MiB", name, alloc>>20)
		}
		t.Logf("%s: %v (%v)", name, err, took.Round(time.Millisecond))
	}
}

// TestPDFFastReviewMatches: inputs the reader may take, but then with
// PDFium's text.
func TestPDFFastReviewMatches(t *testing.T) {
	page := []string{"", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		streamObj([]byte("BT /F1 9 Tf (ABC) Tj ET"))}
	cases := map[string][]byte{
		// Object 5 twice in the header: the cross-reference index picks.
		"object stream naming an object twice": stmPDF(append(slices.Clone(page),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /X /Y /Z] >> >>"), []int{5, 6}, "", 0),
		"MacRoman currency sign": onePage("BT /F1 9 Tf (price \\333 5) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /MacRomanEncoding >>"),
		// A bad object is read (and fails) once however often it is used.
		"a bad object referred to 200000 times": onePage("BT /F1 9 Tf (x) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 0 /Widths 6 0 R >>",
			"["+strings.Repeat("7 0 R ", 200000)+"]", "[ ("+strings.Repeat("s", 4<<20)+") }"),
		// The image's size says where its data ends, not an "EI" inside it.
		"inline image data holding EI": onePage("BT /F1 9 Tf (Visible) Tj ET BI /W 1 /H 1 /CS /G /BPC 8 ID \xffEI\nBT /F1 9 Tf (Secret exhibit text) Tj ET\n% EI \n", ""),
		// Marked content's /ActualText replaces its glyphs, once however
		// many strings it holds; glyphs without a mapping need none there.
		"ActualText":                      onePage("BT /F1 9 Tf (Before ) Tj /Span << /ActualText (Replacement) >> BDC (Original) Tj ( twice) Tj EMC ( after) Tj ET", ""),
		"ActualText over unmapped glyphs": onePage("BT /F1 9 Tf (Thai ) Tj /Span << /ActualText <FEFF0E33> >> BDC <8190> Tj EMC ET", ""),
		"ActualText in a properties resource": rawPDF([]string{"", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /Properties << /P0 6 0 R >> >> /Contents 4 0 R >>",
			streamObj([]byte("BT /F1 9 Tf /Span /P0 BDC (x) Tj EMC ET")), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
			"<< /ActualText (From the resource) >>"}),
		"inline image followed by text": onePage("BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xffEI EI\nBT /F1 9 Tf (After the image) Tj ET", ""),
	}
	// The header must name object 5 twice for the first case.
	cases["object stream naming an object twice"] = bytes.Replace(cases["object stream naming an object twice"], []byte("5 0 6 "), []byte("5 0 5 "), 1)
	for name, data := range cases {
		cpu0 := benchstat.CPUTime()
		compareWithPDFium(t, name, data)
		if took := benchstat.CPUTime() - cpu0; took > 10*time.Second {
			t.Errorf("%s: took %v of CPU", name, took)
		}
	}
}

// TestPDFFastReviewQuick: a font written in the resources (not an object
// of its own), with a large ToUnicode map, selected a million times, is
// loaded once.
func TestPDFFastReviewQuick(t *testing.T) {
	cmap := "1 beginbfrange <0000> <7FFF> <0041> endbfrange\n"
	data := rawPDF([]string{"", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >> >> >> /Contents 4 0 R >>",
		streamObj([]byte("BT " + strings.Repeat("/F1 12 Tf ", 1<<20) + "(A) Tj ET")),
		streamObj([]byte("begincmap " + cmap + "endcmap"))})
	cpu0 := benchstat.CPUTime()
	b := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
	err := pdfRead(context.Background(), data, Options{}, b)
	if took := benchstat.CPUTime() - cpu0; took > 5*time.Second {
		t.Errorf("took %v of CPU", took)
	}
	if err != nil || b.res.Text() != "\u0082" { // A is 0x41, mapped to 0x41 + 0x41
		t.Errorf("%v %q", err, b.res.Text())
	}
}
