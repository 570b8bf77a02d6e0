package search

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// genFile, in the index folder, holds the number of batches written. The
// index holds the same number inside (encrypted). bleve falls back to an
// older snapshot when the newest does not load; the index's number is then
// lower than the file's, and Open reports the index stale instead of
// silently serving old results. (A crash after a batch but before the file
// is written leaves the index ahead, which is fine.)
const genFile = "casevault-generation"

func writeGen(dir string, gen uint64) error {
	tmp := filepath.Join(dir, ".tmp-"+genFile)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(strconv.FormatUint(gen, 10) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, genFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("failed to record index generation: %w", err)
	}
	return nil
}

func (ix *Index) checkGen() error {
	b, err := os.ReadFile(filepath.Join(ix.dir, genFile))
	if err != nil {
		return fmt.Errorf("index generation file: %w", err)
	}
	want, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return fmt.Errorf("malformed index generation file")
	}
	v, err := ix.bl.GetInternal(internalGen)
	if err != nil {
		return err
	}
	var got uint64
	if len(v) == 8 {
		got = binary.BigEndian.Uint64(v)
	} else if len(v) != 0 {
		return fmt.Errorf("malformed index generation")
	}
	if got < want {
		return fmt.Errorf("index is at generation %d but %d were written: a newer snapshot was lost", got, want)
	}
	ix.gen = got
	return nil
}
