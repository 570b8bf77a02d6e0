package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"casevault/casefile"
)

// TestBundleCLI runs the acceptance forms: contacts card, add (file and
// stdin), list --json, export (refused on a leak, then without the leaky
// item), bundle inspect, import, and the passphrase variant.
func TestBundleCLI(t *testing.T) {
	a, _ := initWorkspace(t)
	b, _ := initWorkspace(t)
	if r := cli(t, a, nil, "contacts", "card"); r.code != 1 || !strings.Contains(r.stderr, "--unit") {
		t.Fatalf("card without a unit: %+v", r)
	}
	cardA := mustCLI(t, a, "contacts", "card", "--unit", "Unit A (fictional)", "--country", "TH", "--focal-point", "Prosecutor A")
	cardB := mustCLI(t, b, "contacts", "card", "--unit", "Unit B (fictional)", "--country", "VN")
	if cardA != mustCLI(t, a, "contacts", "card") {
		t.Fatal("card changes between calls")
	}
	fileB := filepath.Join(t.TempDir(), "b.card")
	os.WriteFile(fileB, []byte(cardB), 0o600)
	out := mustCLI(t, a, "contacts", "add", fileB)
	fp := regexp.MustCompile(`fingerprint ([0-9A-Z-]{29})`).FindStringSubmatch(out)
	if !strings.Contains(out, "Unit B (fictional)") || fp == nil || !strings.Contains(cardB, fp[1]) {
		t.Fatalf("contacts add: %q", out)
	}
	// From standard input.
	cmd := exec.Command(binary, "--workspace", b, "contacts", "add", "-")
	cmd.Env = []string{"CASEVAULT_PASSPHRASE=" + pass}
	cmd.Stdin = strings.NewReader(cardA)
	if o, err := cmd.Output(); err != nil || !strings.Contains(string(o), "Unit A (fictional)") {
		t.Fatalf("contacts add -: %v %s", err, o)
	}
	var list []casefile.Contact
	if err := json.Unmarshal([]byte(mustCLI(t, a, "contacts", "list", "--json")), &list); err != nil || len(list) != 1 || list[0].Fingerprint != fp[1] {
		t.Fatalf("list: %v %+v", err, list)
	}
	mustCLI(t, a, "contacts", "verify", fp[1][:9])
	if !strings.Contains(mustCLI(t, a, "contacts", "show", "Unit B (fictional)"), "verified") {
		t.Fatal("show")
	}

	cs := strings.TrimSpace(mustCLI(t, a, "case", "new", "--ref", "TIP-CLI-1", "--title", "Bundle test (fictional)"))
	mustCLI(t, a, "party", "add", cs, "--role", "victim", "--name", "Trần Văn Bình", "--protected", "--pseudonym", "W-2")
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "clean.txt"), []byte("Ledger (fictional): nothing personal."), 0o600)
	os.WriteFile(filepath.Join(src, "leaky.txt"), []byte("Statement: TRAN VAN BINH was there."), 0o600)
	mustCLI(t, a, "evidence", "add", cs, src)
	var items []casefile.Evidence
	json.Unmarshal([]byte(mustCLI(t, a, "evidence", "list", cs, "--json")), &items)
	var clean string
	for _, it := range items {
		if it.Title == "clean.txt" {
			clean = it.Exhibit
		}
	}
	bundle := filepath.Join(t.TempDir(), "case.cvb")
	r := cli(t, a, nil, "export", cs, "--to", fp[1], "--out", bundle)
	if r.code != 1 || !strings.Contains(r.stderr, "W-2's real name appears in evidence") || strings.Contains(r.stderr, "Bình") || strings.Contains(r.stderr, "BINH") {
		t.Fatalf("export with a leak: %+v", r)
	}
	if _, err := os.Stat(bundle); err == nil {
		t.Fatal("a bundle was written despite the leak")
	}
	out = mustCLI(t, a, "export", cs, "--to", "Unit B (fictional)", "--out", bundle, "--evidence", clean, "--purpose", "MLA reply", "--no-redisclose")
	if !strings.Contains(out, "1 evidence items") {
		t.Fatalf("export: %s", out)
	}
	insp := mustCLI(t, b, "bundle", "inspect", bundle)
	for _, want := range []string{"TIP-CLI-1", "Unit A (fictional)", "a contact, not verified", "for this workspace:   yes", "NOT without", "every member matches"} {
		if !strings.Contains(insp, want) {
			t.Fatalf("inspect lacks %q:\n%s", want, insp)
		}
	}
	r = cli(t, b, nil, "import", bundle)
	id := strings.TrimSpace(r.stdout)
	if r.code != 0 || !regexp.MustCompile(`^[a-z2-7]{20}$`).MatchString(id) {
		t.Fatalf("import: %+v", r)
	}
	if out := mustCLI(t, b, "party", "list", id); !strings.Contains(out, "W-2") || strings.Contains(out, "Bình") {
		t.Fatalf("party list: %s", out)
	}
	if out := mustCLI(t, b, "audit", id); !strings.Contains(out, "bundle.import") {
		t.Fatalf("audit: %s", out)
	}
	show := mustCLI(t, b, "case", "show", id)
	for _, want := range []string{"Received from:", "Unit A (fictional) (TH)", "their case TIP-CLI-1", "Purpose:", "MLA reply", "not without the sender's consent"} {
		if !strings.Contains(show, want) {
			t.Fatalf("case show lacks %q:\n%s", want, show)
		}
	}
	if js := mustCLI(t, b, "case", "show", id, "--json"); !strings.Contains(js, `"origin":`) || !strings.Contains(js, `"sender_unit": "Unit A (fictional)"`) {
		t.Fatalf("case show --json has no origin: %s", js)
	}
	if js := mustCLI(t, a, "case", "show", cs, "--json"); strings.Contains(js, `"origin"`) {
		t.Fatalf("the sender's own case shows an origin: %s", js)
	}
	mustCLI(t, b, "verify")
	// A later bundle of the same case updates it and says what changed.
	mustCLI(t, a, "note", "add", cs, "Second", "interview", "planned.")
	mustCLI(t, b, "note", "add", id, "Local", "note.")
	bundle2 := filepath.Join(t.TempDir(), "case2.cvb")
	mustCLI(t, a, "export", cs, "--to", "Unit B (fictional)", "--out", bundle2, "--evidence", clean)
	r = cli(t, b, nil, "import", bundle2)
	if r.code != 0 || strings.TrimSpace(r.stdout) != id || !strings.Contains(r.stderr, "updated case TIP-CLI-1") ||
		!strings.Contains(r.stderr, "note: 1 added") || !strings.Contains(r.stderr, "none overwritten") {
		t.Fatalf("update: %+v", r)
	}
	if out := mustCLI(t, b, "note", "list", id); !strings.Contains(out, "Local note.") || !strings.Contains(out, "Second interview planned.") {
		t.Fatalf("notes after the update: %s", out)
	}
	// A third workspace cannot open it, and an unknown signer needs --trust.
	c, _ := initWorkspace(t)
	if r := cli(t, c, nil, "import", bundle); r.code != 1 || !strings.Contains(r.stderr, "not addressed") {
		t.Fatalf("outsider: %+v", r)
	}
	// Passphrase bundle, to a workspace that does not know the sender.
	pb := filepath.Join(t.TempDir(), "pass.cvb")
	env := []string{"CASEVAULT_BUNDLE_PASSPHRASE=one-time hand-over passphrase 2026"}
	if r := cli(t, a, env, "export", cs, "--passphrase", "--out", pb, "--evidence", clean); r.code != 0 {
		t.Fatalf("export --passphrase: %+v", r)
	}
	if r := cli(t, c, env, "import", pb, "--passphrase"); r.code != 1 || !strings.Contains(r.stderr, "fingerprint") || !strings.Contains(r.stderr, "--trust") {
		t.Fatalf("unknown signer: %+v", r)
	}
	if r := cli(t, c, env, "import", pb, "--passphrase", "--trust"); r.code != 0 {
		t.Fatalf("import --trust: %+v", r)
	}
}
