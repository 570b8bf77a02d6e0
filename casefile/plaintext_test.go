package casefile

import (
	"bytes"
	"context"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// encodings returns s as UTF-8, UTF-16LE and UTF-16BE bytes.
func encodings(s string) [][]byte {
	u := utf16.Encode([]rune(s))
	le, be := make([]byte, 2*len(u)), make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(le[2*i:], c)
		binary.BigEndian.PutUint16(be[2*i:], c)
	}
	return [][]byte{[]byte(s), le, be}
}

// findMarkers returns "file: marker" for every marker found in the raw
// bytes of any file under the roots.
func findMarkers(t *testing.T, markers []string, roots ...string) []string {
	t.Helper()
	var hits []string
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, m := range markers {
				for _, enc := range encodings(m) {
					if bytes.Contains(b, enc) {
						hits = append(hits, p+": "+m)
					}
				}
			}
			return nil
		})
	}
	return hits
}

func TestNoPlaintextAtRest(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	markers := []string{"MkRefQ7", "MkTitleZ9", "MkLeadX4", "MkSummaryV2", "MkTagW8", "MkEditedY5", "ม็คไทยมาร์คเกอร์", "AGE-SECRET-KEY-1"}
	w, code := newTestWorkspace(t)
	markers = append(markers, code, string(testPass))
	info := sampleInfo()
	info.Ref, info.Title, info.LeadProsecutor = "MkRefQ7", "MkTitleZ9 ม็คไทยมาร์คเกอร์", "MkLeadX4"
	info.Summary, info.Tags = "MkSummaryV2\nline two", []string{"MkTagW8"}
	c := mustCreateCase(t, w, info)
	info, _ = c.Info(ctx)
	info.Summary += " MkEditedY5"
	if err := c.Update(ctx, info); err != nil {
		t.Fatal(err)
	}
	w2 := reopen(t, w)
	c2, err := w2.OpenCase(ctx, c.ID())
	if err != nil {
		t.Fatal(err)
	}
	c2.Info(ctx)
	if _, err := w2.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	w2.Close()
	if hits := findMarkers(t, markers, w.Dir(), tmp); len(hits) > 0 {
		t.Fatalf("plaintext at rest:\n%v", hits)
	}
	// The check itself works: a marker is found where it is.
	os.WriteFile(filepath.Join(tmp, "probe"), encodings("MkTitleZ9")[1], 0o600)
	if hits := findMarkers(t, markers, tmp); len(hits) != 1 {
		t.Fatalf("the marker search is blind: %v", hits)
	}
}
