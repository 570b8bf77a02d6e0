package search

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// pruneStore keeps only the newest snapshot in root.bolt, rewrites the file
// without its free pages (which still hold data under old keys), and
// removes the segment files no longer referenced. The index must be closed.
func pruneStore(dir string) error {
	store := filepath.Join(dir, "store")
	root := filepath.Join(store, "root.bolt")
	live := map[string]bool{}
	db, err := bolt.Open(root, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		snaps := tx.Bucket([]byte{'s'})
		if snaps == nil {
			return fmt.Errorf("root.bolt has no snapshots")
		}
		var keys [][]byte
		c := snaps.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		if len(keys) == 0 {
			return fmt.Errorf("root.bolt has no snapshots")
		}
		for _, k := range keys[:len(keys)-1] {
			if err := snaps.DeleteBucket(k); err != nil {
				return err
			}
		}
		last := snaps.Bucket(keys[len(keys)-1])
		return last.ForEachBucket(func(k []byte) error {
			if seg := last.Bucket(k); seg != nil {
				if p := seg.Get([]byte{'p'}); p != nil {
					live[filepath.Base(string(p))] = true
				}
			}
			return nil
		})
	})
	if err != nil {
		db.Close()
		return err
	}
	tmp := root + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		db.Close()
		return err
	}
	err = bolt.Compact(dst, db, 1<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	db.Close()
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, root); err != nil {
		return err
	}
	ents, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".zap") && !live[e.Name()] {
			if err := os.Remove(filepath.Join(store, e.Name())); err != nil {
				return err
			}
		}
	}
	syncDir(store)
	return nil
}
