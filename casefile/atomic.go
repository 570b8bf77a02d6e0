package casefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix marks files that an interrupted save may leave behind. They are
// always age-encrypted, and removed at the next unlock.
const tempPrefix = ".tmp-"

// faultWriter, when set by tests, wraps the writer of every atomic save so
// that a failure part-way can be injected.
var faultWriter func(io.Writer) io.Writer

// writeAtomic replaces dir/name with what fill writes, so that a crash or an
// error at any moment leaves either the old file or the new one, never a mix:
// temp file in the same folder, fsync, close, rename, fsync the folder.
func writeAtomic(dir, name string, fill func(io.Writer) error) error {
	return writeAtomicOpt(dir, name, true, func(w interface{ Write([]byte) (int, error) }) error {
		return fill(w)
	})
}

func writeAtomicOpt(dir, name string, dirSync bool, fill func(interface{ Write([]byte) (int, error) }) error) (err error) {
	f, err := os.CreateTemp(dir, tempPrefix+name+"-*")
	if err != nil {
		return fmt.Errorf("cannot create a file in %s: %w", dir, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	var w io.Writer = f
	if faultWriter != nil {
		w = faultWriter(w)
	}
	if err = fill(w); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("cannot flush %s to disk: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("cannot close %s: %w", name, err)
	}
	if err = replaceFile(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("cannot replace %s: %w", name, err)
	}
	if !dirSync {
		return nil
	}
	return syncDir(dir)
}

// writeFileAtomic is writeAtomic for content already in memory.
func writeFileAtomic(dir, name string, data []byte) error {
	return writeAtomic(dir, name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// removeTempFiles deletes what interrupted saves left in dir.
func removeTempFiles(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// readFileLimited reads a whole file that must not exceed limit bytes.
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errors.New("file is larger than any CaseVault writes")
	}
	return data, nil
}
