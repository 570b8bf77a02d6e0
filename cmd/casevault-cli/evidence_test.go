package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"casevault/casefile"
)

func TestEvidenceCLI(t *testing.T) {
	dir, _ := initWorkspace(t)
	cs := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "EV-1", "--title", "Evidence"))
	src := t.TempDir()
	files := map[string]string{
		"statement.txt":    "Statement (fictional): Nguyễn Văn A was recruited in Kampot. ผู้เสียหาย",
		"chat/export.html": "<html><body><p>Meet at the pier at 22:00</p></body></html>",
		"empty.dat":        "",
	}
	for name, body := range files {
		p := filepath.Join(src, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, []byte(body), 0o600)
	}
	r := cli(t, dir, nil, "evidence", "add", cs, src, filepath.Join(src, "statement.txt"), filepath.Join(src, "missing.txt"))
	if r.code != 1 || strings.Count(r.stdout, "\n") != 5 || !strings.Contains(r.stdout, "duplicate") || !strings.Contains(r.stdout, "failed") {
		t.Fatalf("evidence add: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var items []casefile.Evidence
	if err := json.Unmarshal([]byte(mustCLI(t, dir, "evidence", "list", cs, "--json")), &items); err != nil || len(items) != 3 {
		t.Fatalf("list: %v %d", err, len(items))
	}
	for _, it := range items {
		if it.ID == "" || it.Exhibit == "" || it.Type == "" || len(it.Attachments) != 1 || len(it.Attachments[0].SHA256) != 64 {
			t.Fatalf("item: %+v", it)
		}
	}
	var stmt casefile.Evidence
	for _, it := range items {
		if it.Title == "statement.txt" {
			stmt = it
		}
	}
	if out := mustCLI(t, dir, "evidence", "text", cs, stmt.Exhibit); !strings.Contains(out, "Nguyễn Văn A") {
		t.Fatalf("text: %q", out)
	}
	// Read again: the text is the same, and the chain of custody says it was examined.
	if out := mustCLI(t, dir, "evidence", "extract", cs, stmt.Exhibit); !strings.HasPrefix(out, "text") || !strings.Contains(out, "statement.txt") {
		t.Fatalf("extract: %q", out)
	}
	if out := mustCLI(t, dir, "evidence", "text", cs, stmt.Exhibit); !strings.Contains(out, "Nguyễn Văn A") {
		t.Fatalf("text after extract: %q", out)
	}
	if r := cli(t, dir, nil, "evidence", "extract", cs); r.code != 2 {
		t.Fatalf("extract without an item: exit %d", r.code)
	}
	var shown struct {
		casefile.Evidence
		Custody []casefile.CustodyEvent `json:"custody"`
	}
	json.Unmarshal([]byte(mustCLI(t, dir, "evidence", "show", cs, stmt.ID, "--json")), &shown)
	if len(shown.Custody) != 2 || shown.Custody[0].Event != "received" || shown.Custody[1].Event != "examined" {
		t.Fatalf("show: %+v", shown)
	}
	out := filepath.Join(t.TempDir(), "copy.txt")
	mustCLI(t, dir, "evidence", "export", cs, stmt.ID, "--out", out)
	data, _ := os.ReadFile(out)
	sum := sha256.Sum256(data)
	if string(data) != files["statement.txt"] || hex.EncodeToString(sum[:]) != stmt.Attachments[0].SHA256 {
		t.Fatal("exported copy differs")
	}
	mustCLI(t, dir, "evidence", "verify", cs)
	// Damage one blob: verify exits 1 and names the exhibit.
	blobs, _ := filepath.Glob(filepath.Join(dir, "cases", "*", "blobs", "*.age"))
	os.Remove(blobs[0])
	if r := cli(t, dir, nil, "evidence", "verify", cs); r.code != 1 || !strings.Contains(r.stdout, "PROBLEM") {
		t.Fatalf("verify after damage: %+v", r)
	}
}
