//go:build !linux

package crypto

// HardenProcess disables core dumps where the platform allows it. On this
// platform there is no portable way; the OS's own settings apply.
func HardenProcess() error { return nil }
