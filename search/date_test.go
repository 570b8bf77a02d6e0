package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestDateRange checks from: and to: against every day of three years,
// around the month and year edges where dateRange switches from day terms
// to month and year terms.
func TestDateRange(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var docs []Document
	var dates []time.Time
	for d := start; d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		at := d.Add(23*time.Hour + 59*time.Minute) // late in the day: still that day
		if d.Day()%2 == 0 {
			at = d
		}
		dates = append(dates, at)
		docs = append(docs, Document{ID: at.Format(dayLayout), CaseID: "A", Kind: KindNote, ItemID: "n", Date: at, Text: "dated"})
	}
	mustPut(t, ix, docs...)
	for _, tc := range []struct{ from, to string }{
		{"2024", ""}, {"", "2023"}, {"2024-02-29", "2024-02-29"}, {"2024-02-28", "2024-03-01"},
		{"2023-12-31", "2024-01-01"}, {"2023-12-15", "2025-01-10"}, {"2023-11", "2025-02"},
		{"2023-03-05", "2023-03"}, {"2024-01-01", "2024-12-31"}, {"2024-01", "2024-01-31"},
		{"2024-06-30", ""}, {"", "2024-06-01"}, {"2025-12-31", ""}, {"2022", "2022"}, {"2024", "9999"}, {"0001", "2023-02"},
	} {
		q := "dated"
		var lo, hi time.Time
		if tc.from != "" {
			q += " from:" + tc.from
			lo, _ = parseDate(tc.from, false)
		}
		if tc.to != "" {
			q += " to:" + tc.to
			hi, _ = parseDate(tc.to, true)
		}
		var want []string
		for _, at := range dates {
			if (lo.IsZero() || !at.Before(lo)) && (hi.IsZero() || !at.After(hi)) {
				want = append(want, at.Format(dayLayout))
			}
		}
		r, err := ix.Search(context.Background(), q, SearchOptions{Limit: 2000})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %d hits, want %d (%s)", q, len(got), len(want), diff(got, want))
		}
	}
}

func diff(got, want []string) string {
	var extra, missing []string
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	return fmt.Sprintf("extra %v, missing %v", extra, missing)
}
