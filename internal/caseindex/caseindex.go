// Package caseindex wires the case files to the full-text index: it maps
// casefile's IndexDoc onto search.Document, opens the workspace's index
// with the key derived from the workspace identity (rebuilding it from
// the case files when it is missing or damaged), and re-indexes a case
// after it changes. casefile and search know nothing of each other; the
// CLI and the GUI use this package.
package caseindex

import (
	"context"
	"errors"
	"fmt"
	"os"

	"casevault/casefile"
	"casevault/crypto"
	"casevault/search"
)

// keyEpoch is the epoch of the index key derived from the workspace
// identity. Rotating the workspace identity would start a new epoch.
const keyEpoch = 1

func key(w *casefile.Workspace) (search.Key, error) {
	secret, err := w.IndexKey()
	if err != nil {
		return search.Key{}, err
	}
	return search.Key{Epoch: keyEpoch, Secret: secret}, nil
}

// Open opens the workspace's index; when it is missing, damaged or from
// an older version, it is rebuilt from the case files (progress, if not
// nil, gets the number of documents indexed so far).
func Open(ctx context.Context, w *casefile.Workspace, progress func(done int)) (*search.Index, bool, error) {
	k, err := key(w)
	if err != nil {
		return nil, false, err
	}
	if _, err := os.Stat(w.IndexDir()); err != nil {
		// No index yet (a new workspace, or one from before search): build
		// it from the case files.
		ix, err := search.Rebuild(ctx, w.IndexDir(), Source(w), progress, k)
		if err != nil {
			crypto.Wipe(k.Secret)
			return nil, false, fmt.Errorf("cannot build the search index: %w", err)
		}
		return ix, true, nil
	}
	ix, err := search.Open(w.IndexDir(), k)
	if err == nil {
		return ix, false, nil
	}
	if !errors.Is(err, search.ErrNeedsRebuild) {
		crypto.Wipe(k.Secret)
		return nil, false, fmt.Errorf("cannot open the search index: %w", err)
	}
	ix, err = search.Rebuild(ctx, w.IndexDir(), Source(w), progress, k)
	if err != nil {
		crypto.Wipe(k.Secret)
		return nil, false, fmt.Errorf("cannot rebuild the search index: %w", err)
	}
	return ix, true, nil
}

// Rebuild recreates the index from every case file.
func Rebuild(ctx context.Context, w *casefile.Workspace, progress func(done int)) (*search.Index, error) {
	k, err := key(w)
	if err != nil {
		return nil, err
	}
	ix, err := search.Rebuild(ctx, w.IndexDir(), Source(w), progress, k)
	if err != nil {
		crypto.Wipe(k.Secret)
		return nil, fmt.Errorf("cannot rebuild the search index: %w", err)
	}
	return ix, nil
}

// Source yields the documents of every case of the workspace. Cases not
// open before are closed again after.
func Source(w *casefile.Workspace) search.Source {
	return func(ctx context.Context, yield func(search.Document) error) error {
		cases, err := w.Cases()
		if err != nil {
			return err
		}
		for _, s := range cases {
			if err := caseDocs(ctx, w, s.ID, yield); err != nil {
				return fmt.Errorf("case %s: %w", s.Ref, err)
			}
		}
		return nil
	}
}

func caseDocs(ctx context.Context, w *casefile.Workspace, id string, yield func(search.Document) error) error {
	wasOpen := w.CaseIsOpen(id)
	c, err := w.OpenCase(ctx, id)
	if err != nil {
		return err
	}
	err = c.IndexDocuments(ctx, func(d casefile.IndexDoc) error { return yield(Document(d)) })
	if !wasOpen {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// Document maps a case file's IndexDoc onto the index's Document.
func Document(d casefile.IndexDoc) search.Document {
	return search.Document{CaseID: d.CaseID, Kind: search.Kind(d.Kind), ItemID: d.ItemID, Chunk: d.Chunk, Date: d.Date,
		Lang: d.Lang, Title: d.Title, Text: d.Text, Fields: d.Fields}
}

// ReindexCase replaces a case's documents in the index with its current
// content.
func ReindexCase(ctx context.Context, ix *search.Index, c *casefile.Case) error {
	if err := ix.DeleteCase(ctx, c.ID()); err != nil {
		return err
	}
	var batch []search.Document
	err := c.IndexDocuments(ctx, func(d casefile.IndexDoc) error {
		batch = append(batch, Document(d))
		if len(batch) >= 1000 {
			err := ix.Put(batch...)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(batch) > 0 {
		return ix.Put(batch...)
	}
	return nil
}
