package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Verify reads the whole index: every segment file's checksum, every term
// dictionary, every stored document, the key ids and the version stamp. Any
// failure wraps ErrNeedsRebuild. It takes time proportional to the index
// size; run it on demand (`index verify`), not at every start.
func (ix *Index) Verify(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("index read failed: %v", r)
		}
		if err != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: %v", ErrNeedsRebuild, err)
		}
	}()
	// Read what is on disk now, not what earlier searches decrypted.
	decrypted.forget(ix.kr)
	got, err := ix.bl.GetInternal(internalStamp)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, []byte(ix.stamp)) {
		return fmt.Errorf("index version %q, want %q", got, ix.stamp)
	}
	epochs, err := ix.KeyEpochsInUse()
	if err != nil {
		return err
	}
	ix.kr.mu.RLock()
	for _, e := range epochs {
		if _, ok := ix.kr.keys[e]; !ok && !ix.kr.plain {
			ix.kr.mu.RUnlock()
			return fmt.Errorf("index uses key epoch %d, which was not given", e)
		}
	}
	ix.kr.mu.RUnlock()

	adv, err := ix.bl.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	// The segments of this snapshot: files the merger is writing or is
	// about to remove are not part of the index.
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("unexpected index reader %T", r)
	}
	for _, ss := range snap.Segments() {
		if ps, ok := ss.Segment().(segment.PersistedSegment); ok {
			if err := verifySegmentFile(ps.Path()); err != nil {
				return err
			}
		}
	}
	fields, err := r.Fields()
	if err != nil {
		return err
	}
	for _, f := range fields {
		d, err := r.FieldDict(f)
		if err != nil {
			return fmt.Errorf("field dictionary: %w", err)
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return fmt.Errorf("field dictionary: %w", err)
			}
			if e == nil {
				break
			}
		}
		d.Close()
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	var n uint64
	for {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		iid, err := all.Next()
		if err != nil {
			return err
		}
		if iid == nil {
			break
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return fmt.Errorf("document id: %w", err)
		}
		doc, err := r.Document(id)
		if err != nil {
			return fmt.Errorf("document %q: %w", id, err)
		}
		if doc == nil {
			return fmt.Errorf("document %q is missing", id)
		}
		n++
	}
	count, err := r.DocCount()
	if err != nil {
		return err
	}
	if count != n {
		return fmt.Errorf("index counts %d documents but holds %d", count, n)
	}
	return nil
}

// verifySegmentFile checks a zap segment's CRC-32 (over everything but the
// CRC itself, which ends the file). The chunks are authenticated by the
// AEAD when read; the CRC also covers the offsets between them.
func verifySegmentFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	if len(b) < 4 {
		return fmt.Errorf("segment %s is truncated", name)
	}
	want := binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(b[:len(b)-4]) != want {
		return fmt.Errorf("segment %s fails its checksum", name)
	}
	return nil
}

// openBleveRaw opens an index folder with whatever hooks are set, for tests.
func openBleveRaw(dir string) (bleveCloser, error) {
	b, err := bleve.Open(dir)
	if err != nil {
		return nil, err
	}
	return b, nil
}

type bleveCloser interface{ Close() error }
