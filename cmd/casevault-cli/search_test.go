package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type searchOut struct {
	Total int `json:"total"`
	Hits  []struct {
		CaseID  string `json:"case_id"`
		ItemID  string `json:"item_id"`
		Kind    string `json:"kind"`
		Snippet string `json:"snippet"`
	} `json:"hits"`
}

func searchJSON(t *testing.T, dir string, args ...string) searchOut {
	t.Helper()
	var out searchOut
	if err := json.Unmarshal([]byte(mustCLI(t, dir, append([]string{"search"}, append(args, "--json")...)...)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSearchCLI(t *testing.T) {
	dir, _ := initWorkspace(t)
	c1 := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "S-1", "--title", "Harbour case"))
	c2 := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "S-2", "--title", "Plantation case"))
	p := strings.TrimSpace(mustCLI(t, dir, "party", "add", c1, "--role", "witness", "--name", "MkSecretName55", "--alias", "MkAlias56",
		"--document", "passport:MkPass57", "--protected", "--pseudonym", "W-9"))
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "chat.txt"), []byte("Call the broker on +66 81 234 5678 before the boat leaves. ผู้เสียหายถูกบังคับให้ทำงานบนเรือ"), 0o600)
	mustCLI(t, dir, "evidence", "add", c1, src)
	mustCLI(t, dir, "note", "add", c2, "Payments went to IBAN GB82 WEST 1234 5698 7654 32 (fictional)")

	// A word typed alone finds Thai running text; an identifier in another spelling.
	if out := searchJSON(t, dir, "บังคับ"); out.Total != 1 || out.Hits[0].CaseID != c1 || out.Hits[0].Kind != "evidence" || out.Hits[0].ItemID == "" {
		t.Fatalf("thai: %+v", out)
	}
	if out := searchJSON(t, dir, "0812345678"); out.Total != 1 || !strings.Contains(out.Hits[0].Snippet, "«") {
		t.Fatalf("phone: %+v", out)
	}
	if out := searchJSON(t, dir, "GB82WEST12345698765432"); out.Total != 1 || out.Hits[0].CaseID != c2 {
		t.Fatalf("iban: %+v", out)
	}
	// Protected identities are not in the index; the pseudonym is.
	for _, q := range []string{"MkSecretName55", "MkAlias56", "MkPass57"} {
		if out := searchJSON(t, dir, q); out.Total != 0 {
			t.Fatalf("%s found: %+v", q, out)
		}
	}
	if out := searchJSON(t, dir, `"W-9"`); out.Total == 0 || out.Hits[0].ItemID != p {
		t.Fatalf("pseudonym: %+v", out)
	}
	if out := searchJSON(t, dir, "case", "--case", "S-2"); out.Total == 0 {
		t.Fatal("--case finds nothing")
	} else {
		for _, h := range out.Hits {
			if h.CaseID != c2 {
				t.Fatalf("--case S-2 returned %s", h.CaseID)
			}
		}
	}
	// A damaged index is detected and rebuilt from the case files: nothing lost.
	segs, _ := filepath.Glob(filepath.Join(dir, "index", "store", "*.zap"))
	for _, s := range segs {
		data, _ := os.ReadFile(s)
		data[len(data)/2] ^= 0xff
		os.WriteFile(s, data, 0o600)
	}
	if r := cli(t, dir, nil, "index", "verify"); r.code == 0 && len(segs) > 0 {
		t.Fatalf("a damaged index verifies: %+v", r)
	}
	mustCLI(t, dir, "index", "rebuild")
	mustCLI(t, dir, "index", "verify")
	if out := searchJSON(t, dir, "broker"); out.Total != 1 {
		t.Fatalf("after rebuild: %+v", out)
	}
	// A deleted case leaves the index.
	mustCLI(t, dir, "case", "delete", c2, "--yes")
	if out := searchJSON(t, dir, "GB82WEST12345698765432"); out.Total != 0 {
		t.Fatalf("deleted case still found: %+v", out)
	}
	if r := cli(t, dir, nil, "search", `"unclosed`); r.code != 2 {
		t.Fatalf("bad query: %+v", r)
	}
}
