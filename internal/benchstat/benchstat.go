// Package benchstat measures the process for benchmarks, and for tests that
// bound a cost on a shared, loaded machine: CPU time and the memory figures
// of /proc/self/status, and the bytes written of /proc/self/io.
package benchstat

import (
	"os"
	"strconv"
	"strings"
)

// StatusKB returns a field of /proc/self/status in KiB (VmHWM, RssAnon,
// …), or -1 where there is no such file or field.
func StatusKB(field string) int64 {
	return procField("/proc/self/status", field)
}

// IOBytes returns a field of /proc/self/io in bytes (write_bytes: what the
// process sent, or made dirty for, the storage layer; wchar: what it passed
// to write calls), or -1 where there is no such file or field.
func IOBytes(field string) int64 {
	return procField("/proc/self/io", field)
}

func procField(path, field string) int64 {
	data, err := os.ReadFile(path)
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
