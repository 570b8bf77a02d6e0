package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestPDF(t *testing.T) {
	res := mustExtract(t, "pdf/statement.pdf")
	if res.Format != "pdf" || res.Metadata["pages"] != "1" {
		t.Fatalf("format %s metadata %v", res.Format, res.Metadata)
	}
	assertContains(t, res, "นายสมชาย ใจดี ได้รับการเสนองาน", "Chị Nguyễn Thị Lan được hứa hẹn", "王小明说他在工厂工作了六个月",
		"paspor saya diambil", "HEADERMARK", "FOOTERMARK", "សន្យាផ្តល់ការងារ")
	if res.Metadata["author"] != "Investigator Somchai (fictional)" || res.Metadata["title"] != "Witness statement (fictional)" ||
		!strings.HasPrefix(res.Metadata["created"], "20") {
		t.Errorf("metadata %v", res.Metadata)
	}
	if p := chunksOf(res, KindPage, ""); len(p) != 1 || p[0].Index != 1 {
		t.Errorf("pages %+v", p)
	}
	if res.Tool != pdfFastTool || !strings.Contains(res.ToolVersion, "casevault/extract") {
		t.Errorf("tool %q %q", res.Tool, res.ToolVersion)
	}
	// The same file through PDFium names it.
	data, _ := os.ReadFile("testdata/pdf/statement.pdf")
	if res, err := (PDF{}).pdfium(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); err != nil || !strings.Contains(res.ToolVersion, "go-pdfium v") {
		t.Errorf("PDFium: %v, tool version %q", err, res.ToolVersion)
	}
}

func TestPDFBroken(t *testing.T) {
	data, err := os.ReadFile("testdata/pdf/statement.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// Broken cross-reference table: offsets overwritten, startxref wrong.
	broken := bytes.Clone(data)
	if i := bytes.LastIndex(broken, []byte("\nxref")); i > 0 {
		for j := i + 6; j < len(broken) && j < i+400; j++ {
			if broken[j] >= '0' && broken[j] <= '9' {
				broken[j] = '9'
			}
		}
	}
	if i := bytes.LastIndex(broken, []byte("startxref")); i > 0 {
		copy(broken[i+10:], "99999999")
	}
	res, err := extractBytes(t, "broken-xref.pdf", broken, Options{})
	if err != nil && !errors.Is(err, ErrCorrupt) {
		t.Fatalf("want text (PDFium repairs the table) or ErrCorrupt, got %v", err)
	}
	if err == nil {
		assertContains(t, res, "HEADERMARK")
	}
	// No table and no objects at all: a clean ErrCorrupt.
	for _, bad := range [][]byte{[]byte("%PDF-1.7\n1 0 obj <<\n%%EOF"), data[:len(data)/3], []byte("%PDF-")} {
		_, err := extractBytes(t, "bad.pdf", bad, Options{})
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Errorf("%d bytes: want ErrCorrupt, got %v", len(bad), err)
		}
	}
}

func TestPDFScannedReportsNoText(t *testing.T) {
	res := mustExtract(t, "pdf/scan.pdf")
	if len(res.Chunks) != 0 || !strings.Contains(strings.Join(res.Warnings, " "), "no text layer") {
		t.Errorf("chunks %+v warnings %v", res.Chunks, res.Warnings)
	}
}

func TestPDFOCR(t *testing.T) {
	if _, _, err := OCRAvailable(); err != nil {
		t.Skip(err)
	}
	res, err := extractFile(t, "pdf/scan.pdf", Options{OCR: true, OCRLanguages: []string{"eng"}, Limits: Limits{Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	assertContains(t, res, "PASSPORT HELD BY AGENT")
	if !strings.HasPrefix(res.Metadata["ocr_tool"], "tesseract ") {
		t.Errorf("metadata %v", res.Metadata)
	}
}

func TestDOCXNamedPDF(t *testing.T) {
	data, _ := os.ReadFile("testdata/office/statement.docx")
	res, err := extractBytes(t, "invoice.pdf", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "docx" || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "is not pdf") {
		t.Fatalf("format %s warnings %v", res.Format, res.Warnings)
	}
}

func FuzzPDF(f *testing.F) {
	seedDir(f, "pdf")
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		extractBytes(t, "fuzz.pdf", data, Options{Limits: Limits{Timeout: 10 * time.Second}})
	})
}
