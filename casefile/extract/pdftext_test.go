package extract

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// compareWithPDFium checks the fast reader against PDFium on one file: it
// either declines, or gives every page's characters exactly as PDFium
// does (white space aside). It reports whether the fast reader took it.
func compareWithPDFium(t *testing.T, name string, data []byte) bool {
	t.Helper()
	ctx := context.Background()
	fb := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
	err := pdfFast(ctx, data, Options{}, fb)
	if errors.Is(err, errPDFFallback) {
		t.Logf("%s: declined: %v", name, err)
		return false
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ref, err := PDF{}.pdfium(ctx, bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("%s: PDFium: %v", name, err)
	}
	if fb.res.Metadata["pages"] != ref.Metadata["pages"] {
		t.Errorf("%s: pages %s, PDFium %s", name, fb.res.Metadata["pages"], ref.Metadata["pages"])
	}
	for k, v := range ref.Metadata {
		if fb.res.Metadata[k] != v {
			t.Errorf("%s: metadata %s = %q, PDFium %q", name, k, fb.res.Metadata[k], v)
		}
	}
	pages := func(r *Result) map[int]string {
		m := map[int]string{}
		for _, c := range r.Chunks {
			m[c.Index] = strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, c.Text)
		}
		return m
	}
	got, want := pages(fb.res), pages(ref)
	if len(got) != len(want) {
		t.Errorf("%s: %d pages with text, PDFium %d", name, len(got), len(want))
	}
	for i, w := range want {
		// PDFium sorts the pieces of a line by position where the
		// content stream has them in another order (table cells,
		// headers); the characters must be the same.
		if g := got[i]; g != w && sortedRunes(g) != sortedRunes(w) {
			t.Errorf("%s page %d:\n got %.300q\nwant %.300q", name, i, g, w)
		}
	}
	return true
}

// TestPDFFastMatchesPDFium runs both readers over the sample PDFs, all of
// which the fast reader must take: LibreOffice's in Thai, Khmer, Chinese
// and Vietnamese (whose shaped glyphs carry /ActualText), Ghostscript's
// and tesseract's.
func TestPDFFastMatchesPDFium(t *testing.T) {
	want := map[string]bool{"writer-en.pdf": true, "writer-zh.pdf": true, "ghostscript-latin1.pdf": true, "scan.pdf": true, "ocr-layer.pdf": true,
		"statement.pdf": true, "writer-vi.pdf": true}
	files, _ := filepath.Glob("testdata/pdf/*.pdf")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if took := compareWithPDFium(t, name, data); took != want[name] {
			t.Errorf("%s: fast reader took it: %v, want %v", name, took, want[name])
		}
	}
}

func sortedRunes(s string) string {
	r := []rune(s)
	slices.Sort(r)
	return string(r)
}

// testPDF writes a PDF whose pages have the given content streams, with a
// Helvetica font F1 (WinAnsi, no widths), a composite font F2 (Identity-H
// with a ToUnicode map: Thai, Vietnamese, a character outside the BMP) and
// a form XObject X1 that shows text. edit may change the objects before
// they are written (1-based). compact writes what PDF 1.5 writers
// do: the objects in an object stream and a cross-reference stream with a
// PNG predictor.
func testPDF(pages []string, compact bool, edit ...func(objs []string)) []byte {
	toUni := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"3 beginbfchar <0001> <0E2A> <0002> <0E21> <0003> <D83DDE00> endbfchar\n" +
		"2 beginbfrange <0010> <0012> <0E0A> <0020> <0021> [<0110> <1EC5>] endbfrange\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end\n"
	form := "BT /F1 10 Tf 0 0 Td (Form text inside) Tj ET"
	n := 7 + 2*len(pages)
	objs := make([]string, n+1) // 1-based; streams are written whole
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 8+2*i)
	}
	objs[1] = "<< /Type /Catalog /Pages 2 0 R >>"
	objs[2] = fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /XObject << /X1 6 0 R >> >> >>", len(pages), kids)
	objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	objs[4] = "<< /Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /ToUnicode 5 0 R /DescendantFonts [ 7 0 R ] >>"
	objs[5] = streamObj([]byte(toUni))
	objs[6] = "<< /Type /XObject /Subtype /Form /BBox [0 0 300 50] /Matrix [1 0 0 1 72 100] /Length " + fmt.Sprint(len(form)) + " >>\nstream\n" + form + "\nendstream"
	objs[7] = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 /W [1 [500 520] 16 18 480] >>"
	for i, c := range pages {
		objs[8+2*i] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", 9+2*i)
		objs[9+2*i] = streamObj([]byte(c))
	}
	for _, e := range edit {
		e(objs)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, n+2)
	if !compact {
		for i := 1; i <= n; i++ {
			offs[i] = b.Len()
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i, objs[i])
		}
		writeXrefTable(&b, offs[:n+1], "/Info << /Title <FEFF0057006900740020> /Author (A\\(fict\\)ional \\303) >>")
		return b.Bytes()
	}
	// Objects that are not streams go into object stream n+1.
	var head, body bytes.Buffer
	var packed []int
	for i := 1; i <= n; i++ {
		if strings.Contains(objs[i], "stream\n") {
			offs[i] = b.Len()
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i, objs[i])
			continue
		}
		fmt.Fprintf(&head, "%d %d ", i, body.Len())
		body.WriteString(objs[i] + "\n")
		packed = append(packed, i)
	}
	stm := n + 1
	offs[stm] = b.Len()
	z := zlibBytes(append(head.Bytes(), body.Bytes()...))
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n", stm, len(packed), head.Len(), len(z), z)
	// The cross-reference stream: rows of type (1 byte), field 2 (4
	// bytes), field 3 (2 bytes), PNG "Up" filtered.
	xnum := n + 2
	xoff := b.Len()
	var rows []byte
	prev := make([]byte, 7)
	for _, row := range xrefStreamRows(xnum, xoff, stm, packed, offs) {
		rows = append(rows, 2)
		for k := range row {
			rows = append(rows, row[k]-prev[k])
		}
		prev = row
	}
	z = zlibBytes(rows)
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xnum, xnum+1, len(z), z, xoff)
	return b.Bytes()
}

// writeXrefTable writes the cross-reference table of objects 1..len(offs)-1
// (at offs) and the trailer, with extra entries besides /Size and /Root.
func writeXrefTable(b *bytes.Buffer, offs []int, extra string) {
	x := b.Len()
	fmt.Fprintf(b, "xref\n0 %d\n0000000000 65535 f \n", len(offs))
	for _, o := range offs[1:] {
		fmt.Fprintf(b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(offs), extra, x)
}

// xrefStreamRows are the rows, /W [1 4 2], of a cross-reference stream
// for objects 0..xnum: the packed ones in object stream stm, the stream
// itself at xoff, the others at offs.
func xrefStreamRows(xnum, xoff, stm int, packed, offs []int) [][]byte {
	var rows [][]byte
	for i := 0; i <= xnum; i++ {
		row := make([]byte, 7)
		switch {
		case i == 0:
			row = []byte{0, 0, 0, 0, 0, 0xff, 0xff}
		case i == xnum:
			row[0] = 1
			binary.BigEndian.PutUint32(row[1:], uint32(xoff))
		case slices.Contains(packed, i):
			row[0] = 2
			binary.BigEndian.PutUint32(row[1:], uint32(stm))
			binary.BigEndian.PutUint16(row[5:], uint16(slices.Index(packed, i)))
		default:
			row[0] = 1
			binary.BigEndian.PutUint32(row[1:], uint32(offs[i]))
		}
		rows = append(rows, row)
	}
	return rows
}

func streamObj(data []byte) string {
	z := zlibBytes(data)
	return fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(z), z)
}

func zlibBytes(data []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

var testPDFPages = []string{
	"BT /F1 12 Tf 72 720 Td (Hello) Tj ( world) Tj 0 -14 Td [(Split)-30(ted)-400(word)] TJ 0 -14 Td (Cafe\\351 \\(paren\\)) Tj ET\n" +
		"q 1 0 0 1 0 -100 cm /X1 Do Q\n" +
		"BI /W 7 /H 1 /CS /G /BPC 8 ID \x00EI\xffEI\x01\nEI\n" +
		"BT /F2 14 Tf 72 500 Td <000100020003> Tj 0 -20 Td [<001000110012> -400 <00200021>] TJ ET",
	"BT /F1 11 Tf 0 1 -1 0 300 100 Tm (Rotated line) Tj T* 150 Tz 2 Tc (scaled) Tj ET\n" +
		"BT /F1 9 Tf 72 60 Td (Column A) Tj 200 0 Td (Column B) Tj 200 0 Td (0812345678) Tj ET",
	"q 0 0 595 842 re W n Q", // no text
}

func TestPDFFastReader(t *testing.T) {
	for _, compact := range []bool{false, true} {
		data := testPDF(testPDFPages, compact)
		if !compareWithPDFium(t, fmt.Sprint("compact=", compact), data) {
			t.Fatalf("compact=%v: declined", compact)
		}
		res, err := extractBytes(t, "test.pdf", data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tool != pdfFastTool || !strings.Contains(res.ToolVersion, "casevault/extract") {
			t.Errorf("tool %q %q", res.Tool, res.ToolVersion)
		}
		assertContains(t, res, "Hello world", "Splitted word", "Cafeé (paren)", "Form text inside", "สม😀", "ชซฌ Đễ",
			"Rotated line", "Column A Column B 0812345678")
		if res.Metadata["pages"] != "3" || len(res.Chunks) != 2 || !strings.Contains(strings.Join(res.Warnings, " "), "1 of 3 pages have no text layer") {
			t.Errorf("metadata %v chunks %d warnings %v", res.Metadata, len(res.Chunks), res.Warnings)
		}
		if !compact && (res.Metadata["title"] != "Wit" || res.Metadata["author"] != "A(fict)ional Ã") {
			t.Errorf("metadata %v", res.Metadata)
		}
	}
}

// TestPDFFastHostile: loops and bombs end in a decline (PDFium then gets
// the file, under its own bounds), never a hang or a crash.
func TestPDFFastHostile(t *testing.T) {
	good := testPDF(testPDFPages, false)
	cases := map[string][]byte{
		// The page tree's kid is the tree itself.
		"page tree loop": bytes.Replace(good, []byte("/Kids [8 0 R"), []byte("/Kids [2 0 R"), 1),
		// A form that draws itself.
		"form loop": testPDF([]string{"/X1 Do"}, false, func(o []string) {
			form := "BT /F1 10 Tf (again) Tj ET /X1 Do"
			o[6] = fmt.Sprintf("<< /Subtype /Form /Resources << /XObject << /X1 6 0 R >> /Font << /F1 3 0 R >> >> /Length %d >>\nstream\n%s\nendstream", len(form), form)
		}),
		// The length of a stream is a reference to itself.
		"length loop": testPDF(testPDFPages, false, func(o []string) {
			o[9] = regexp.MustCompile(`/Length \d+`).ReplaceAllString(o[9], "/Length 9 0 R")
		}),
		"startxref past the end":  bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1),
		"truncated":               good[:len(good)/2],
		"encrypted":               bytes.Replace(good, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt << /Filter /Standard >>"), 1),
		"nested arrays":           testPDF([]string{"BT /F1 9 Tf " + strings.Repeat("[", 10000) + " ET"}, false),
		"unknown font":            testPDF([]string{"BT /F9 9 Tf (x) Tj ET"}, false),
		"inline image without EI": testPDF([]string{"BI /W 1 /H 1 ID \x00\x00"}, false),
	}
	for name, data := range cases {
		b := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
		err := pdfRead(context.Background(), data, Options{}, b)
		if !errors.Is(err, errPDFFallback) {
			t.Errorf("%s: want a decline, got %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	// A stream that inflates past pdfMaxStream.
	d := &pdfDoc{}
	if _, err := d.inflate(zlibBytes(make([]byte, pdfMaxStream+1))); !errors.Is(err, errPDFFallback) {
		t.Errorf("deflate bomb: %v", err)
	}
}

func FuzzPDFFastReader(f *testing.F) {
	seedDir(f, "pdf")
	f.Add(testPDF(testPDFPages, false))
	f.Add(testPDF(testPDFPages, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
		pdfRead(context.Background(), data, Options{}, b) // must not panic
	})
}

// TestPDFFastMemoryBound: a huge array (16 bytes a number in memory) or
// cross-reference stream is declined before it costs memory.
func TestPDFFastMemoryBound(t *testing.T) {
	huge := testPDF([]string{"BT /F1 9 Tf [" + strings.Repeat("(a) -1 ", 1<<18) + "] TJ ET"}, false)
	b := newBuilder("pdf", "application/pdf", pdfFastTool, goVersion(), Options{})
	if err := pdfRead(context.Background(), huge, Options{}, b); !errors.Is(err, errPDFFallback) {
		t.Errorf("huge array: %v", err)
	}
	// A cross-reference stream of 16M entries compresses to a few KB.
	xs := zlibBytes(make([]byte, 7<<24))
	data := fmt.Appendf(nil, "%%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n15\n%%%%EOF\n", 1<<24, len(xs), xs)
	if _, err := openPDF(data); !errors.Is(err, errPDFFallback) {
		t.Errorf("huge xref stream: %v", err)
	}
}
