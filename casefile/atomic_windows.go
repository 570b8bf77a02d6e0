//go:build windows

package casefile

import (
	"os"

	"golang.org/x/sys/windows"
)

// replaceFile uses MoveFileEx with MOVEFILE_WRITE_THROUGH, which returns only
// once the rename is on disk: Windows has no folder fsync.
func replaceFile(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return err
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return err
	}
	return windows.MoveFileEx(f, t, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH)
}

func syncDir(string) error { return nil }

// syncFiles makes files durable (Windows: each file flushed).
func syncFiles(dir string, files []string) error {
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
