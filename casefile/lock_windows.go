//go:build windows

package casefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/windows"
)

// lockFile holds the lock file open without sharing: Windows refuses a
// second open while this process lives and frees it when the process dies.
type lockFile struct{ f *os.File }

func acquireLock(dir string) (*lockFile, error) {
	path := filepath.Join(dir, "lock")
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE, windows.FILE_SHARE_READ, nil, windows.OPEN_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, windows.ERROR_SHARING_VIOLATION) {
			pid := 0
			if b, rerr := os.ReadFile(path); rerr == nil {
				pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			}
			return nil, &InUseError{PID: pid}
		}
		return nil, fmt.Errorf("cannot lock the workspace: %w", err)
	}
	f := os.NewFile(uintptr(h), path)
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &lockFile{f}, nil
}

func (l *lockFile) release() {
	if l == nil || l.f == nil {
		return
	}
	name := l.f.Name()
	l.f.Close()
	os.Remove(name)
	l.f = nil
}
