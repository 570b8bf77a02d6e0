//go:build !linux

package casefile

import (
	"errors"
	"os"
)

// createBlobFile returns a named temp file in dir to write a blob into
// (anon is always false: anonymous files are Linux's O_TMPFILE).
func createBlobFile(dir string) (f *os.File, anon bool, err error) {
	f, err = os.CreateTemp(dir, tempPrefix+"blob-*")
	return f, false, err
}

func linkBlobFile(*os.File, string) (bool, error) {
	return false, errors.New("anonymous files are not supported here")
}

// fileAhead would open anonymous files ahead; there are none here.
type fileAhead struct{}

func startFileAhead(string) *fileAhead { return nil }

func (a *fileAhead) take() *os.File { return nil }

func (a *fileAhead) close() {}

func setTmpfileUsable(string, bool) {}
