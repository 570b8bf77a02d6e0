package crypto

import "runtime"

// Wipe overwrites b with zeros. It is best effort: Go may have copied the
// bytes elsewhere (a grown slice, a string conversion), and nothing can reach
// those copies. Hold secrets in []byte, as briefly as possible.
func Wipe(b []byte) {
	clear(b)
	runtime.KeepAlive(b)
}
