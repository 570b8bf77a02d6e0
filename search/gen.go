package search

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// genFile, in the index folder, holds the number of batches written and a
// MAC of store/root.bolt:
//
//	<generation> <hex HMAC-SHA256>
//
// The generation is also inside the index (encrypted). bleve falls back to
// an older snapshot when the newest does not load; the index's number is
// then lower than the file's, and Open reports the index stale instead of
// silently serving old results.
//
// The MAC exists because bbolt, which holds scorch's root, trusts its page
// pointers: a damaged root.bolt crashes the process (SIGSEGV in the mmap),
// which no recover catches. Open checks the MAC before bleve reads the file.
// It is written after every batch and at Close; bleve's background merger
// also rewrites root.bolt, so after a crash the MAC usually disagrees and
// the index is rebuilt — it is a cache.
const genFile = "casevault-generation"

const rootMACLabel = "casevault/v1/index-root\x00"

func rootMAC(dir string, gen uint64, key []byte) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, "store", "root.bolt"))
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(rootMACLabel))
	m.Write(binary.BigEndian.AppendUint64(nil, gen))
	m.Write(b)
	return m.Sum(nil), nil
}

func (ix *Index) writeGen() error {
	var mac []byte
	if !ix.kr.plain {
		ix.kr.mu.RLock()
		key := ix.kr.keys[ix.kr.current]
		ix.kr.mu.RUnlock()
		var err error
		if mac, err = rootMAC(ix.dir, ix.gen, key); err != nil {
			return fmt.Errorf("failed to record index generation: %w", err)
		}
	}
	return writeFileAtomic(ix.dir, genFile, strconv.FormatUint(ix.gen, 10)+" "+hex.EncodeToString(mac)+"\n")
}

func writeFileAtomic(dir, name, content string) error {
	tmp := filepath.Join(dir, ".tmp-"+name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("failed to record index generation: %w", err)
	}
	return nil
}

// readGen checks the generation file against root.bolt before bleve opens
// the index, and returns the generation it records.
func (ix *Index) readGen() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(ix.dir, genFile))
	if err != nil {
		return 0, fmt.Errorf("index generation file: %w", err)
	}
	genS, macS, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	gen, err := strconv.ParseUint(genS, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("malformed index generation file")
	}
	if ix.kr.plain {
		return gen, nil
	}
	want, err := hex.DecodeString(macS)
	if err != nil {
		return 0, fmt.Errorf("malformed index generation file")
	}
	ix.kr.mu.RLock()
	defer ix.kr.mu.RUnlock()
	for _, key := range ix.kr.keys {
		got, err := rootMAC(ix.dir, gen, key)
		if err != nil {
			return 0, fmt.Errorf("index root: %w", err)
		}
		if hmac.Equal(got, want) {
			return gen, nil
		}
	}
	return 0, fmt.Errorf("index root does not match its MAC (damaged, or not closed cleanly)")
}

func (ix *Index) checkGen(want uint64) error {
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
