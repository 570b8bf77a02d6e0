//go:build !unix

package casefile

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
