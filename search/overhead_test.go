//go:build linux

package search

import (
	"context"
	"fmt"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"golang.org/x/sys/unix"
)

// BenchmarkQueryAB runs BenchmarkQuery's queries on ours and on bleve
// (same mapping, no encryption) alternately, query by query, so that both
// see the same machine load, and reports each peer's median and 95th
// percentile latency and their ratio (ours/bleve). It also reports how
// many segments each index has: a query's cost grows with it. The process
// CPU time of all of a peer's queries (cpu-ratio, ours/bleve) is steadier
// than wall time on a shared machine; it counts the collector's work too.
// (The process CPU clock may advance in ticks: only the sum is meaningful.)
//
//	go test -run '^$' -bench QueryAB -benchtime 400x ./search
func BenchmarkQueryAB(b *testing.B) {
	docs, _ := corpusOnce()
	n := fmt.Sprintf("n=%dk", len(docs)/1000)
	for _, kind := range []string{"word", "phrase", "fuzzy", "filtered"} {
		b.Run(n+"/"+kind, func(b *testing.B) {
			ours := builtIndex(b, "ours").(*Index)
			plain := builtIndex(b, "bleve").(*Index)
			qs := benchQueries[kind].ours
			// CPU profiles tell the peers and kinds apart by label:
			// go tool pprof -tagfocus peer=ours,kind=phrase ...
			labels := [2]pprof.LabelSet{pprof.Labels("peer", "ours", "kind", kind), pprof.Labels("peer", "bleve", "kind", kind)}
			var lat, cpu [2][]time.Duration
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				peers := []*Index{ours, plain}
				for k := range 2 {
					// Which peer goes first alternates, for every query.
					j := k ^ (i/len(qs))&1
					var err error
					c0 := processCPU()
					t0 := time.Now()
					pprof.Do(context.Background(), labels[j], func(ctx context.Context) {
						_, err = peers[j].Search(ctx, q, SearchOptions{Limit: 20})
					})
					lat[j] = append(lat[j], time.Since(t0))
					cpu[j] = append(cpu[j], processCPU()-c0)
					if err != nil {
						b.Fatal(err)
					}
				}
				i++
			}
			var p50, p95, cpuSum [2]float64
			for j := range lat {
				slices.Sort(lat[j])
				for _, c := range cpu[j] {
					cpuSum[j] += c.Seconds()
				}
				p50[j] = float64(lat[j][len(lat[j])/2].Microseconds()) / 1000
				p95[j] = float64(lat[j][len(lat[j])*95/100].Microseconds()) / 1000
			}
			b.ReportMetric(p50[0], "ours-p50-ms")
			b.ReportMetric(p50[1], "bleve-p50-ms")
			b.ReportMetric(p50[0]/p50[1], "p50-ratio")
			b.ReportMetric(p95[0]/p95[1], "p95-ratio")
			b.ReportMetric(cpuSum[0]/cpuSum[1], "cpu-ratio")
			b.ReportMetric(float64(segmentCount(b, ours)), "ours-segs")
			b.ReportMetric(float64(segmentCount(b, plain)), "bleve-segs")
		})
	}
}

// processCPU is the CPU time the process has used, to the nanosecond.
func processCPU() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

func segmentCount(tb testing.TB, ix *Index) int {
	adv, err := ix.bl.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	return len(r.(*scorch.IndexSnapshot).Segments())
}
