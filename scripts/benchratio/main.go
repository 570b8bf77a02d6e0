// Command benchratio reads `go test -bench` output on stdin and prints, for
// every benchmark group with an "ours" variant, the median time of ours and
// of each peer measured in the same run, and their ratio. Medians, because
// the machines are shared and noisy.
//
// Benchmarks are named .../GROUP/ours and .../GROUP/PEER, e.g.
// BenchmarkCaseSave/size=10MB/ours and BenchmarkCaseSave/size=10MB/age.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(.*)$`)
var metric = regexp.MustCompile(`([\d.]+) (\S+)`)

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

func human(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2fs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2fms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1fµs", ns/1e3)
	}
	return fmt.Sprintf("%.0fns", ns)
}

func main() {
	times := map[string][]float64{}
	extra := map[string]map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		ns, _ := strconv.ParseFloat(m[2], 64)
		if _, ok := times[name]; !ok {
			order = append(order, name)
		}
		times[name] = append(times[name], ns)
		for _, mm := range metric.FindAllStringSubmatch(m[3], -1) {
			if mm[2] == "MB/s" || mm[2] == "B/op" || mm[2] == "allocs/op" {
				continue
			}
			v, _ := strconv.ParseFloat(mm[1], 64)
			if extra[name] == nil {
				extra[name] = map[string][]float64{}
			}
			extra[name][mm[2]] = append(extra[name][mm[2]], v)
		}
	}
	fmt.Println("\nMedians and ratios (ours / peer, same run; lower is better for ours):")
	for _, name := range order {
		i := strings.LastIndex(name, "/")
		if i < 0 || name[i+1:] != "ours" {
			continue
		}
		group := name[:i]
		ours := median(times[name])
		fmt.Printf("  %-40s ours %10s", strings.TrimPrefix(group, "Benchmark"), human(ours))
		for _, peer := range order {
			if j := strings.LastIndex(peer, "/"); j >= 0 && peer[:j] == group && peer != name {
				p := median(times[peer])
				fmt.Printf("   %s %10s  ratio %.2fx", peer[j+1:], human(p), ours/p)
			}
		}
		keys := make([]string, 0, len(extra[name]))
		for k := range extra[name] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := median(extra[name][k])
			fmt.Printf("   %s %.2f", k, v)
			// A metric the peers report too is compared as well.
			for _, peer := range order {
				if j := strings.LastIndex(peer, "/"); j >= 0 && peer[:j] == group && peer != name {
					if pv := extra[peer][k]; len(pv) > 0 && median(pv) > 0 {
						fmt.Printf(" (%s %.2f, %.2fx)", peer[j+1:], median(pv), v/median(pv))
					}
				}
			}
		}
		fmt.Printf("   (n=%d)\n", len(times[name]))
	}
}
