package casefile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casevault/casefile/extract"
)

// TestExtractAgain: a scan imported with OCR off is read again with OCR;
// the custody log and the audit chain say so; an altered original is not
// read at all.
func TestExtractAgain(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	scan, err := os.ReadFile("extract/testdata/pdf/scan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string][]byte{"scan.pdf": scan, "note.txt": []byte("the broker kept the passports (fictional)")})
	results, err := c.Import(ctx, []string{dir}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range results {
		ids[filepath.Base(r.Path)] = r.ItemID
	}
	before, _ := c.EvidenceItem(ctx, ids["scan.pdf"])
	if before.Attachments[0].TextStatus != TextNone || !strings.Contains(before.Attachments[0].Detail, "OCR is off") {
		t.Fatalf("scan imported as %+v", before.Attachments[0])
	}

	if _, _, err := extract.OCRAvailable(); err == nil {
		e, err := c.ExtractAgain(ctx, ids["scan.pdf"], extract.Options{OCR: true, OCRLanguages: []string{"eng"}})
		if err != nil {
			t.Fatal(err)
		}
		a := e.Attachments[0]
		if a.TextStatus != TextExtracted || !strings.Contains(a.Tool, "PDFium") || a.SHA256 != before.Attachments[0].SHA256 {
			t.Fatalf("after OCR: %+v", a)
		}
		chunks, err := c.EvidenceText(ctx, e.ID)
		if err != nil || len(chunks) == 0 || !strings.Contains(chunks[0].Text, "PASSPORT HELD BY AGENT") {
			t.Fatalf("text %+v %v", chunks, err)
		}
		log, _ := c.Custody(ctx, e.ID)
		last := log[len(log)-1]
		if len(log) != 2 || last.Event != "examined" || last.HashCheck != "match" || !strings.Contains(last.Note, "OCR on (eng)") ||
			!strings.Contains(last.Note, "OCR by tesseract") {
			t.Fatalf("custody %+v", log)
		}
	} else {
		t.Log("OCR not available here: only the refusals are tested")
	}

	// Reading again without OCR keeps text that a file had.
	note, err := c.ExtractAgain(ctx, ids["note.txt"], extract.Options{})
	if err != nil || note.Attachments[0].TextStatus != TextExtracted {
		t.Fatalf("note: %+v %v", note, err)
	}
	entries, _, err := c.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := entries[len(entries)-1]; got.Action != "evidence.extract" || got.Target != ids["note.txt"] {
		t.Fatalf("last audit entry %+v", got)
	}

	// An altered original is refused, and nothing changes.
	path := filepath.Join(c.dir(), blobsDir, note.Attachments[0].blob+blobSuffix)
	data, _ := os.ReadFile(path)
	data[len(data)-5] ^= 1
	os.WriteFile(path, data, 0o600)
	log0, _ := c.Custody(ctx, ids["note.txt"])
	if _, err := c.ExtractAgain(ctx, ids["note.txt"], extract.Options{}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("altered original: %v", err)
	}
	if log1, _ := c.Custody(ctx, ids["note.txt"]); len(log1) != len(log0) {
		t.Fatalf("custody changed after a refusal: %+v", log1)
	}
	if _, err := c.ExtractAgain(ctx, "no-such-item", extract.Options{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown item: %v", err)
	}
}
