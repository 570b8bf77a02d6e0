// Package benchstat measures the process for benchmarks, and for tests that
// bound a cost on a shared, loaded machine: CPU time and the memory figures
// of /proc/self/status.
package benchstat

import (
	"os"
	"strconv"
	"strings"
)

// StatusKB returns a field of /proc/self/status in KiB (VmHWM, RssAnon,
// …), or -1 where there is no such file or field.
func StatusKB(field string) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field+":") {
			if f := strings.Fields(line); len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return -1
}
