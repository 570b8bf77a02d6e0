package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extractFile runs the default registry on a testdata file.
func extractFile(t testing.TB, rel string, opts Options) (*Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return Default().Extract(context.Background(), filepath.Base(rel), bytes.NewReader(data), int64(len(data)), opts)
}

func mustExtract(t testing.TB, rel string) *Result {
	t.Helper()
	res, err := extractFile(t, rel, Options{})
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return res
}

func extractBytes(t testing.TB, name string, data []byte, opts Options) (*Result, error) {
	t.Helper()
	return Default().Extract(context.Background(), name, bytes.NewReader(data), int64(len(data)), opts)
}

func assertContains(t testing.TB, res *Result, wants ...string) {
	t.Helper()
	text := res.Text()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q; got:\n%s", w, cutUTF8(text, 2000))
		}
	}
}

func assertLacks(t testing.TB, res *Result, bad ...string) {
	t.Helper()
	text := res.Text()
	for _, w := range bad {
		if strings.Contains(text, w) {
			t.Errorf("text must not contain %q", w)
		}
	}
}

// seedDir adds every file under testdata/dir to a fuzz corpus.
func seedDir(f *testing.F, dir string) {
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
	}
}
