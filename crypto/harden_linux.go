//go:build linux

package crypto

import "golang.org/x/sys/unix"

// HardenProcess stops the kernel from writing core dumps of this process
// (RLIMIT_CORE=0) and stops other processes of the same user from attaching
// to it or reading its memory (PR_SET_DUMPABLE=0). Call it first in main.
func HardenProcess() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return err
	}
	return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
}
