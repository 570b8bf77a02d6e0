package main

import (
	"encoding/json"
	"strings"
	"testing"

	"casevault/casefile"
)

// TestProtectedIdentityNeverLeaksCLI runs every command that shows people
// or anything linked to them, in text and JSON, and finds no protected
// identity in any output but the reveal's.
func TestProtectedIdentityNeverLeaksCLI(t *testing.T) {
	dir, _ := initWorkspace(t)
	cs := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "LEAK-1", "--title", "Leak test"))
	markers := []string{"MkName71", "ม็คชื่อ", "MkAlias72", "MkDoc73", "MkContact74", "2011-03-04"}
	p := strings.TrimSpace(mustCLI(t, dir, "party", "add", cs, "--role", "victim", "--role", "witness", "--name", "MkName71 ม็คชื่อ",
		"--alias", "MkAlias72", "--birth", "2011-03-04", "--sex", "female", "--nationality", "KH", "--document", "passport:MkDoc73:KH",
		"--contact", "MkContact74", "--protected", "--pseudonym", "W-7", "--measure", "identity-withheld", "--review", casefile.Today().AddDays(5).String()))
	s := strings.TrimSpace(mustCLI(t, dir, "party", "add", cs, "--role", "suspect", "--name", "Open Suspect", "--custody", "in-custody",
		"--custody-limit", casefile.Today().AddDays(2).String(), "--charge", "Trafficking in persons|Act 2008 s.6|organised-crime"))
	a := strings.TrimSpace(mustCLI(t, dir, "asset", "add", cs, "--type", "bank-account", "--description", "Savings account", "--identifier", "TH12 3456",
		"--owner", p, "--value", "1000.25", "--currency", "THB"))
	mustCLI(t, dir, "asset", "event", cs, a, "--status", "frozen", "--order", "FRZ-1")
	r := strings.TrimSpace(mustCLI(t, dir, "request", "add", cs, "--kind", "mla-outgoing", "--country", "KH", "--deadline", casefile.Today().AddDays(9).String(),
		"--link", "person:"+p, "--link", "asset:"+a))
	mustCLI(t, dir, "request", "event", cs, r, "--status", "sent")
	mustCLI(t, dir, "deadline", "add", cs, "--kind", "hearing", "--title", "Preliminary hearing", "--due", casefile.Today().AddDays(4).String(), "--target", s)
	mustCLI(t, dir, "note", "add", cs, "--on", p, "Interview", "by", "video", "link")
	mustCLI(t, dir, "party", "edit", cs, p, "--language", "km", "--interpreter")

	var all strings.Builder
	for _, args := range [][]string{
		{"party", "list", cs}, {"party", "list", cs, "--json"}, {"party", "show", cs, p}, {"party", "show", cs, p, "--json"},
		{"asset", "list", cs}, {"asset", "list", cs, "--json"}, {"asset", "show", cs, a}, {"asset", "show", cs, a, "--json"},
		{"asset", "totals", cs, "--json"}, {"asset", "totals"},
		{"request", "list", cs}, {"request", "list", cs, "--json"}, {"request", "show", cs, r, "--json"},
		{"deadline", "list", "--due", "30d"}, {"deadline", "list", "--due", "30d", "--json"}, {"deadline", "list", cs, "--json"},
		{"note", "list", cs, "--all", "--json"}, {"audit", cs}, {"audit", cs, "--json"}, {"case", "show", cs, "--json"}, {"case", "list", "--json"}, {"verify", "--json"},
	} {
		res := cli(t, dir, nil, args...)
		if res.code != 0 {
			t.Fatalf("%v: %s", args, res.stderr)
		}
		all.WriteString(res.stdout + res.stderr)
	}
	for _, m := range markers {
		if strings.Contains(all.String(), m) {
			t.Errorf("%q appears without a reveal", m)
		}
	}
	if !strings.Contains(all.String(), "W-7") || !strings.Contains(all.String(), "Protection review: W-7") {
		t.Fatal("the pseudonym is not shown")
	}
	// Editing the identity of a masked record is refused, not ignored.
	if res := cli(t, dir, nil, "party", "edit", cs, p, "--name", "Changed"); res.code != 1 {
		t.Fatalf("editing a protected name: %+v", res)
	}
	// The reveal shows everything and is audited.
	var real casefile.Person
	if err := json.Unmarshal([]byte(mustCLI(t, dir, "party", "reveal", cs, p, "--json")), &real); err != nil {
		t.Fatal(err)
	}
	if real.FullName != "MkName71 ม็คชื่อ" || real.Documents[0].Number != "MkDoc73" || real.Languages[0] != "km" {
		t.Fatalf("reveal: %+v", real)
	}
	if out := mustCLI(t, dir, "audit", cs); !strings.Contains(out, "person.reveal") {
		t.Fatal("reveal not in the audit chain")
	}
	if res := cli(t, dir, nil, "party", "reveal", cs, p); strings.Count(res.stdout, "MkName71") != 1 {
		t.Fatal("text reveal does not show the name")
	}
}

func TestRegisterRefusalsCLI(t *testing.T) {
	dir, _ := initWorkspace(t)
	cs := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "REF-1", "--title", "Refusals"))
	other := strings.TrimSpace(mustCLI(t, dir, "case", "new", "--ref", "REF-2", "--title", "Other"))
	op := strings.TrimSpace(mustCLI(t, dir, "party", "add", other, "--role", "witness", "--name", "Other Witness"))
	mustCLI(t, dir, "party", "add", cs, "--role", "witness", "--name", "A", "--protected", "--pseudonym", "W-1")
	a := strings.TrimSpace(mustCLI(t, dir, "asset", "add", cs, "--type", "cash", "--description", "Cash", "--value", "10", "--currency", "USD"))
	before := mustCLI(t, dir, "audit", cs)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"party", "add", cs, "--role", "victim", "--name", "B", "--nationality", "QQ"}, "unknown country code"},
		{[]string{"party", "add", cs, "--role", "victim", "--name", "B", "--birth", casefile.Today().AddDays(3).String()}, "future"},
		{[]string{"party", "add", cs, "--role", "witness", "--name", "B", "--protected", "--pseudonym", "W-1"}, "already used"},
		{[]string{"party", "add", cs, "--role", "chief", "--name", "B"}, "unknown role"},
		{[]string{"asset", "add", cs, "--type", "cash", "--description", "x", "--value", "-5", "--currency", "USD"}, "negative"},
		{[]string{"asset", "add", cs, "--type", "cash", "--description", "x", "--value", "5.5.5", "--currency", "USD"}, "not an amount"},
		{[]string{"asset", "add", cs, "--type", "cash", "--description", "x", "--value", "5", "--currency", "XYZ"}, "unknown currency"},
		{[]string{"asset", "add", cs, "--type", "cash", "--description", "x", "--owner", op}, "not a person of this case"},
		{[]string{"asset", "event", cs, a, "--status", "realised"}, "cannot go from identified to realised"},
		{[]string{"request", "add", cs, "--kind", "jit", "--country", "TH", "--link", "person:" + op}, "not in this case"},
		{[]string{"request", "add", cs, "--kind", "jit", "--country", "ZZ"}, "unknown country code"},
	} {
		res := cli(t, dir, nil, c.args...)
		if res.code != 1 || !strings.Contains(res.stderr, c.msg) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and one line with %q", c.args[:2], res.code, res.stderr, c.msg)
		}
	}
	if after := mustCLI(t, dir, "audit", cs); after != before {
		t.Fatal("refused inputs changed the case")
	}
}
