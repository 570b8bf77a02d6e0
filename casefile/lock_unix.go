//go:build !windows

package casefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockFile is an advisory lock (flock) on the workspace's lock file, which
// also names the holder's pid. The kernel drops the lock when the holder
// dies, so a stale file from a crashed process is simply taken over.
type lockFile struct{ f *os.File }

func acquireLock(dir string) (*lockFile, error) {
	path := filepath.Join(dir, "lock")
	for attempt := 0; ; attempt++ {
		l, retry, err := tryLock(path)
		if !retry || attempt == 5 {
			return l, err
		}
	}
}

// tryLock locks path. It asks for a retry when the file it locked was
// removed by the previous holder in the meantime (the lock would then guard
// nothing).
func tryLock(path string) (l *lockFile, retry bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("cannot open the workspace lock file: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		pid := 0
		if b, rerr := os.ReadFile(path); rerr == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, false, &InUseError{PID: pid}
		}
		return nil, false, fmt.Errorf("cannot lock the workspace: %w", err)
	}
	var held, named unix.Stat_t
	if unix.Fstat(int(f.Fd()), &held) != nil || unix.Stat(path, &named) != nil ||
		held.Dev != named.Dev || held.Ino != named.Ino {
		f.Close()
		return nil, true, fmt.Errorf("the workspace lock file keeps changing: another CaseVault is starting or stopping; try again")
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &lockFile{f}, false, nil
}

func (l *lockFile) release() {
	if l == nil || l.f == nil {
		return
	}
	// Remove before unlocking, so that no other process can take the lock on
	// a file we are about to delete.
	os.Remove(l.f.Name())
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
	l.f = nil
}
