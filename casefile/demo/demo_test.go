package demo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"casevault/casefile"
)

func TestCreateDemo(t *testing.T) {
	ctx := context.Background()
	w, err := Create(ctx, filepath.Join(t.TempDir(), "demo"), 10)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want, _ := Cases()
	got, err := w.Cases()
	if err != nil || len(got) != len(want) || len(got) < 5 {
		t.Fatalf("%d cases, want %d: %v", len(got), len(want), err)
	}
	statuses := map[casefile.Status]bool{}
	for _, s := range got {
		statuses[s.Status] = true
		c, err := w.OpenCase(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := c.Info(ctx)
		// Clearly fictional: every case says so.
		text := strings.ToLower(info.Title + " " + info.Summary + " " + info.LeadProsecutor)
		if !strings.Contains(text, "fictional") && !strings.Contains(text, "สมมติ") && !strings.Contains(text, "hư cấu") {
			t.Errorf("demo case %s does not say it is fictional", s.Ref)
		}
	}
	if len(statuses) < 4 {
		t.Errorf("demo shows only %d statuses", len(statuses))
	}
	due, _ := w.Due(casefile.Today().AddDays(30))
	totals, _ := w.AssetTotals()
	currencies := map[string]bool{}
	states := map[casefile.AssetStatus]bool{}
	for _, tt := range totals {
		currencies[tt.Currency], states[tt.Status] = true, true
	}
	if len(due) < 5 || len(currencies) < 3 || len(states) < 3 {
		t.Errorf("demo register too thin: %d due, currencies %v, states %v", len(due), currencies, states)
	}
	c, _ := w.OpenCase(ctx, got[0].ID)
	for _, s := range got {
		if s.Ref == "DEMO-2026-001" {
			c, _ = w.OpenCase(ctx, s.ID)
		}
	}
	items, _ := c.EvidenceList(ctx)
	types := map[string]bool{}
	for _, it := range items {
		types[it.Type] = true
	}
	if len(items) < 3 || !types["chat-log"] || !types["photo"] {
		t.Errorf("demo evidence: %d items, types %v", len(items), types)
	}
	people, _ := c.People(ctx)
	requests, _ := c.Requests(ctx)
	countries := map[string]bool{}
	for _, r := range requests {
		countries[r.Country] = true
	}
	protected := 0
	for _, p := range people {
		if p.Protection != nil {
			protected++
		}
	}
	if protected == 0 || len(countries) < 2 {
		t.Errorf("demo case: %d protected people, requests to %v", protected, countries)
	}
	rep, err := w.Verify(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}
