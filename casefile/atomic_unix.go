//go:build !windows

package casefile

import "os"

func replaceFile(from, to string) error { return os.Rename(from, to) }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// syncFiles makes files in dir durable, then dir itself.
func syncFiles(dir string, files []string) error {
	if err := syncFS(dir); err == nil {
		return nil
	}
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
	return syncDir(dir)
}
