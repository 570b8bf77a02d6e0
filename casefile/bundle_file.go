package casefile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ExportFile writes a bundle (see Export) to path: into a temp file beside
// it, fsynced, then renamed into place, so that a half-written or failed
// export never has the final name and leaves nothing behind. Unless
// replace is set, a file that appeared at path meanwhile is not replaced.
func (c *Case) ExportFile(ctx context.Context, path string, replace bool, opts ExportOptions) (res *ExportResult, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPrefix+base+"-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write the bundle: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if res, err = c.Export(ctx, f, opts); err != nil {
		return nil, err
	}
	if err = f.Sync(); err != nil {
		return nil, err
	}
	if err = f.Close(); err != nil {
		return nil, err
	}
	if !replace {
		if _, serr := os.Lstat(path); serr == nil {
			err = errors.New(path + " appeared while the bundle was written: nothing was replaced")
			return nil, err
		}
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return nil, err
	}
	return res, nil
}
