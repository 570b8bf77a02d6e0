//go:build !unix

package benchstat

import "time"

// CPUTime is not measured here.
func CPUTime() time.Duration { return 0 }
