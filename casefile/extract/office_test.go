package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func chunksOf(res *Result, kind Kind, label string) []Chunk {
	var out []Chunk
	for _, c := range res.Chunks {
		if c.Kind == kind && (label == "" || c.Label == label) {
			out = append(out, c)
		}
	}
	return out
}

func TestDOCX(t *testing.T) {
	res := mustExtract(t, "office/statement.docx")
	if res.Format != "docx" {
		t.Fatalf("format %s", res.Format)
	}
	assertContains(t, res, "นายสมชาย ใจดี", "Chị Nguyễn Thị Lan", "សុខ ដារ៉ា", "王小明说他在工厂", "paspor saya diambil",
		"HEADERMARK", "FOOTERMARK", "COMMENTMARK")
	if h := chunksOf(res, KindPart, "header"); len(h) != 1 {
		t.Errorf("headers %+v", h)
	}
	c := chunksOf(res, KindPart, "comment")
	if len(c) != 1 || c[0].Sender != "Reviewer Dara (fictional)" || c[0].Time.IsZero() {
		t.Errorf("comments %+v", c)
	}
	want := map[string]string{"author": "Investigator Somchai (fictional)", "last_modified_by": "Analyst Lan (fictional)",
		"created": "2024-03-01T09:30:00Z", "title": "Witness statement (fictional)"}
	for k, v := range want {
		if res.Metadata[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, res.Metadata[k], v)
		}
	}
}

func TestODT(t *testing.T) {
	res := mustExtract(t, "office/statement.odt")
	if res.Format != "odt" {
		t.Fatalf("format %s", res.Format)
	}
	assertContains(t, res, "นายสมชาย ใจดี", "Chị Nguyễn Thị Lan", "សុខ ដារ៉ា", "王小明说他在工厂", "HEADERMARK", "FOOTERMARK", "COMMENTMARK")
	c := chunksOf(res, KindPart, "comment")
	if len(c) != 1 || c[0].Sender != "Reviewer Dara (fictional)" {
		t.Errorf("comments %+v", c)
	}
	body := chunksOf(res, KindText, "")
	if len(body) == 0 || bytes.Contains([]byte(body[0].Text), []byte("COMMENTMARK")) {
		t.Errorf("the comment must be its own chunk, not in the body: %+v", body)
	}
	if res.Metadata["author"] != "Investigator Somchai (fictional)" || res.Metadata["created"] == "" {
		t.Errorf("metadata %v", res.Metadata)
	}
}

func TestXLSX(t *testing.T) {
	res := mustExtract(t, "office/transactions.xlsx")
	sheets := chunksOf(res, KindSheet, "")
	if len(sheets) != 2 || sheets[0].Label != "ธุรกรรม" || sheets[1].Label != "Transaksi" {
		t.Fatalf("sheets %+v", sheets)
	}
	assertContains(t, res, "บริษัท ตัวอย่าง จำกัด (สมมติ)\t150000", "PT Contoh Fiktif\t2500000", "Công ty Hư Cấu")
	if res.Metadata["author"] == "" {
		t.Errorf("metadata %v", res.Metadata)
	}
}

func TestODS(t *testing.T) {
	res := mustExtract(t, "office/transactions.ods")
	assertContains(t, res, "บริษัท ตัวอย่าง จำกัด (สมมติ)", "PT Contoh Fiktif", "2500000")
	if s := chunksOf(res, KindSheet, "Transaksi"); len(s) != 1 {
		t.Errorf("sheets %+v", res.Chunks)
	}
}

func TestPPTX(t *testing.T) {
	res := mustExtract(t, "office/briefing.pptx")
	slides := chunksOf(res, KindSlide, "")
	if len(slides) != 2 || slides[0].Index != 1 || slides[1].Index != 2 {
		t.Fatalf("slides %+v", slides)
	}
	assertContains(t, res, "SLIDEONE", "ສະບາຍດີ", "Hà Nội", "SLIDETWO 证人名单", "NOTESMARK")
	if slides[1].Script != "Han" {
		t.Errorf("slide 2 script %s", slides[1].Script)
	}
}

func TestODP(t *testing.T) {
	res := mustExtract(t, "office/briefing.odp")
	assertContains(t, res, "SLIDEONE", "ສະບາຍດີ", "SLIDETWO 证人名单", "NOTESMARK")
	if s := chunksOf(res, KindSlide, ""); len(s) < 2 {
		t.Errorf("slides %+v", res.Chunks)
	}
}

// zipOf builds a ZIP in memory.
func zipOf(t testing.TB, members map[string][]byte, order ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipBomb(t *testing.T) {
	// 200 MiB of spaces inside <w:t>, about 200 KiB compressed.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>`))
	spaces := bytes.Repeat([]byte("A "), 1<<20)
	for i := 0; i < 100; i++ {
		w.Write(spaces)
	}
	w.Write([]byte(`</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	start := time.Now()
	res, err := extractBytes(t, "bomb.docx", buf.Bytes(), Options{Limits: Limits{MaxDecompressed: 16 << 20}})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("want ErrTooLarge, got %v", err)
	}
	if Reason(err) != "too large" {
		t.Errorf("reason %q", Reason(err))
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	_ = res
}

func TestTruncatedDOCX(t *testing.T) {
	data, err := os.ReadFile("testdata/office/statement.docx")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{len(data) / 2, len(data) - 30, 100} {
		_, err := extractBytes(t, "statement.docx", data[:n], Options{})
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("truncated to %d: want ErrCorrupt, got %v", n, err)
		}
	}
}

func TestWrongExtension(t *testing.T) {
	data, _ := os.ReadFile("testdata/office/statement.docx")
	res, err := extractBytes(t, "invoice.xlsx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "docx" || len(res.Warnings) == 0 {
		t.Fatalf("format %s warnings %v", res.Format, res.Warnings)
	}
	assertContains(t, res, "HEADERMARK")

	// A text file named .docx fails clearly.
	_, err = extractBytes(t, "contract.docx", []byte("just some text, not a zip"), Options{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("want ErrCorrupt, got %v", err)
	}
}

func FuzzOOXML(f *testing.F) {
	seedDir(f, "office")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"a.docx", "a.xlsx", "a.pptx", "a.odt"} {
			extractBytes(t, name, data, Options{Limits: Limits{MaxDecompressed: 8 << 20, Timeout: 5 * time.Second}})
		}
	})
}

// xlsxWithCells builds a minimal workbook whose first sheet has one row of
// numeric cells, each with its style index, and styles.xml with the given
// custom formats and cell styles.
func xlsxWithCells(t *testing.T, date1904 bool, numFmts string, xfs []int, cells [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	pr := ""
	if date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	add("xl/workbook.xml", `<?xml version="1.0"?><workbook `+ns+` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+pr+`<sheets><sheet name="Dates" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	var x strings.Builder
	for _, id := range xfs {
		fmt.Fprintf(&x, `<xf numFmtId="%d" fontId="0" applyNumberFormat="1"/>`, id)
	}
	add("xl/styles.xml", `<?xml version="1.0"?><styleSheet `+ns+`><numFmts>`+numFmts+`</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs>`+x.String()+`</cellXfs></styleSheet>`)
	var row strings.Builder
	for i, c := range cells {
		fmt.Fprintf(&row, `<c r="%c1" s="%s"><v>%s</v></c>`, 'A'+i, c[0], c[1])
	}
	add("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet `+ns+`><sheetData><row r="1">`+row.String()+`</row></sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXDates(t *testing.T) {
	numFmts := `<numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/><numFmt numFmtId="165" formatCode="[$-41E]d\ mmmm\ yyyy"/>` +
		`<numFmt numFmtId="166" formatCode="0.00"/><numFmt numFmtId="167" formatCode="[h]:mm:ss"/><numFmt numFmtId="168" formatCode="#,##0.00\ &quot;฿&quot;"/>` +
		`<numFmt numFmtId="169" formatCode="h:mm:ss.000"/><numFmt numFmtId="170" formatCode="General"/><numFmt numFmtId="171" formatCode="0.00E+00"/>`
	// Cell styles: 0 General, 1 built-in 14 (date), 2 custom date and time,
	// 3 Thai long date, 4 a number format, 5 elapsed hours, 6 baht,
	// 7 built-in 21 (time), 8 seconds with fractions, 9 "General", 10 scientific.
	xfs := []int{0, 14, 164, 165, 166, 167, 168, 21, 169, 170, 171}
	cells := [][2]string{{"0", "45352"}, {"1", "45352"}, {"2", "45352.5854166667"}, {"3", "45352"}, {"4", "45352"}, {"5", "1.5"},
		{"6", "150000"}, {"7", "0.75"}, {"8", "0.500011574"}, {"9", "45352"}, {"10", "45352"}, {"1", "59"}, {"1", "60"}, {"1", "61"}, {"1", "2958466"}, {"99", "45352"}, {"1", "not a number"}}
	res, err := extractBytes(t, "dates.xlsx", xlsxWithCells(t, false, numFmts, xfs, cells), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "45352\t2024-03-01\t2024-03-01 14:03\t2024-03-01\t45352\t1.5\t150000\t18:00:00\t12:00:01\t45352\t45352\t1900-02-28\t60\t1900-03-01\t2958466\t45352\tnot a number"
	if got := res.Text(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// The 1904 date system (Excel for Mac before 2011).
	res, err = extractBytes(t, "dates.xlsx", xlsxWithCells(t, true, "", []int{0, 14}, [][2]string{{"1", "43890"}}), Options{})
	if err != nil || res.Text() != "2024-03-01" {
		t.Errorf("1904: %q, %v", res.Text(), err)
	}
}
