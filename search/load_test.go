package search

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// numberedDocs are n documents with distinct ids, each findable by its own
// word.
func numberedDocs(n int) []Document {
	docs := markerDocs(n)
	for i := range docs {
		docs[i].ItemID = fmt.Sprintf("item%d", i)
		docs[i].Text += fmt.Sprintf(" uniqueword%d", i)
	}
	return docs
}

// Load builds batches on several lanes at once: every document arrives,
// once, whatever order the batches reach the index in.
func TestLoadManyBatches(t *testing.T) {
	defer func(d int) { loadBatchDocs = d }(loadBatchDocs)
	loadBatchDocs = 7
	docs := numberedDocs(200)
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := OpenWith(dir, Options{Bulk: true}, testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	n, err := ix.Load(context.Background(), sliceSource(docs), func(done int) {
		if done <= last {
			t.Errorf("progress went from %d to %d", last, done)
		}
		last = done
	})
	if err != nil || n != len(docs) || last != len(docs) {
		t.Fatalf("Load: %d, %v (progress %d)", n, err, last)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix = openTest(t, dir)
	if c, _ := ix.DocCount(); c != uint64(len(docs)) {
		t.Fatalf("%d documents, want %d", c, len(docs))
	}
	for _, i := range []int{0, 6, 7, 99, 199} {
		if r := search(t, ix, fmt.Sprintf("uniqueword%d", i)); r.Total != 1 {
			t.Errorf("uniqueword%d: %d hits", i, r.Total)
		}
	}
	if err := ix.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A source that fails, or a document that does not validate, stops the
// load with that error.
func TestLoadStopsOnError(t *testing.T) {
	defer func(d int) { loadBatchDocs = d }(loadBatchDocs)
	loadBatchDocs = 5
	boom := errors.New("case file unreadable")
	docs := numberedDocs(60)
	for _, tc := range []struct {
		name string
		src  Source
		want func(error) bool
	}{
		{"source", func(ctx context.Context, yield func(Document) error) error {
			for i, d := range docs {
				if i == 33 {
					return boom
				}
				if err := yield(d); err != nil {
					return err
				}
			}
			return nil
		}, func(err error) bool { return errors.Is(err, boom) }},
		{"document", func(ctx context.Context, yield func(Document) error) error {
			for i, d := range docs {
				if i == 21 {
					d.CaseID = ""
				}
				if err := yield(d); err != nil {
					return err
				}
			}
			return nil
		}, func(err error) bool { return err != nil && !errors.Is(err, boom) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := OpenWith(filepath.Join(t.TempDir(), "index"), Options{Bulk: true}, testKey(1))
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			n, err := ix.Load(context.Background(), tc.src, nil)
			if !tc.want(err) {
				t.Fatalf("Load returned %d, %v", n, err)
			}
			if n >= len(docs) {
				t.Fatalf("Load reports %d documents after an error", n)
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		ix, err := OpenWith(filepath.Join(t.TempDir(), "index"), Options{Bulk: true}, testKey(1))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		ctx, cancel := context.WithCancel(context.Background())
		_, err = ix.Load(ctx, func(ctx context.Context, yield func(Document) error) error {
			for i, d := range docs {
				if i == 12 {
					cancel()
				}
				if err := yield(d); err != nil {
					return err
				}
			}
			return nil
		}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Load returned %v", err)
		}
	})
}
