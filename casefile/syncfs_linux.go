package casefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS flushes the whole file system holding dir (syncfs(2)): one call
// instead of an fsync per file when an import wrote many.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
