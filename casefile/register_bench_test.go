package casefile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// A workspace of 1,000 cases with 20 people, 10 assets and 5 requests
// each (issue 3's figure), built once per benchmark process.
var regBench struct {
	w   *Workspace
	ids []string
}

func registerBenchSetup(b *testing.B) {
	if regBench.w != nil {
		return
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "casevault-regbench")
	if err != nil {
		b.Fatal(err)
	}
	benchTempDirs = append(benchTempDirs, dir) // removed by TestMain
	w, _, err := Create(filepath.Join(dir, "ws"), testPass, CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		info := sampleInfo()
		info.Ref = fmt.Sprintf("BENCH-%04d", i)
		c, err := w.CreateCase(ctx, info)
		if err != nil {
			b.Fatal(err)
		}
		var people []string
		for j := 0; j < 20; j++ {
			p := Person{Roles: []Role{RoleWitness}, FullName: fmt.Sprintf("Person %d-%d", i, j), Nationality: "TH"}
			if j%7 == 0 {
				p.Protection = &Protection{Pseudonym: fmt.Sprintf("W-%d", j), Review: Today().AddDays(j)}
			}
			id, err := c.AddPerson(ctx, p)
			if err != nil {
				b.Fatal(err)
			}
			people = append(people, id)
		}
		for j := 0; j < 10; j++ {
			cur := []string{"THB", "USD", "MYR"}[j%3]
			if _, err := c.AddAsset(ctx, Asset{Type: "cash", Description: "lot", OwnerID: people[j], Value: Money{Minor: int64(1000 * (j + 1)), Currency: cur}}); err != nil {
				b.Fatal(err)
			}
		}
		for j := 0; j < 5; j++ {
			if _, err := c.AddRequest(ctx, Request{Kind: "mla-outgoing", Country: "KH", Deadline: Today().AddDays(j*10 - 5), Links: []Link{{"person", people[j]}}}); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			b.Fatal(err)
		}
		regBench.ids = append(regBench.ids, c.ID())
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	regBench.w = w
}

// BenchmarkRegisterOpenCase opens a case and reads what its tabs show.
func BenchmarkRegisterOpenCase(b *testing.B) {
	registerBenchSetup(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := regBench.w.OpenCase(ctx, regBench.ids[i%len(regBench.ids)])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Info(ctx); err != nil {
			b.Fatal(err)
		}
		people, _ := c.People(ctx)
		assets, _ := c.Assets(ctx)
		requests, _ := c.Requests(ctx)
		deadlines, _ := c.Deadlines(ctx)
		totals, _ := c.AssetTotals(ctx)
		if len(people) != 20 || len(assets) != 10 || len(requests) != 5 || len(deadlines) == 0 || len(totals) == 0 {
			b.Fatalf("tab data: %d %d %d %d %d", len(people), len(assets), len(requests), len(deadlines), len(totals))
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
}

// BenchmarkWorkspaceDue is the workspace-wide due list over 1,000 cases.
func BenchmarkWorkspaceDue(b *testing.B) {
	registerBenchSetup(b)
	for i := 0; i < b.N; i++ {
		due, err := regBench.w.Due(Today().AddDays(30))
		if err != nil || len(due) < 1000 {
			b.Fatalf("%d due, %v", len(due), err)
		}
	}
}

// BenchmarkWorkspaceAssetTotals sums the assets of 1,000 cases.
func BenchmarkWorkspaceAssetTotals(b *testing.B) {
	registerBenchSetup(b)
	for i := 0; i < b.N; i++ {
		totals, err := regBench.w.AssetTotals()
		if err != nil || len(totals) != 3 {
			b.Fatalf("%v %v", totals, err)
		}
	}
}
