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
	rep, err := w.Verify(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
}
