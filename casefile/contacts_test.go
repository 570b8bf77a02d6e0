package casefile

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestContacts(t *testing.T) {
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	text, err := b.CardText()
	if err != nil {
		t.Fatal(err)
	}
	card, err := ParseContactCard(text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(card.Text(), text) || len(card.Fingerprint()) != 29 {
		t.Fatalf("card does not round-trip:\n%s\n%s", text, card.Text())
	}
	// Strict parsing: every change is refused or changes the fingerprint.
	bad := map[string]string{
		"no header":            strings.Replace(string(text), cardHeader, "Contact card", 1),
		"unknown field":        string(text) + "email: x@example.org\n",
		"duplicate field":      string(text) + "unit: Other\n",
		"altered unit":         strings.Replace(string(text), "Unit B", "Unit X", 1),
		"bad country":          strings.Replace(string(text), "country: VN", "country: XX", 1),
		"bad recipient":        strings.Replace(string(text), "age-recipient: age1", "age-recipient: age2", 1),
		"rsa key":              strings.Replace(string(text), "ssh-ed25519", "ssh-rsa", 1),
		"control character":    strings.Replace(string(text), "Unit B", "Unit\x07B", 1),
		"not a field":          string(text) + "just words\n",
		"too big":              string(text) + "# " + strings.Repeat("x", maxCardSize),
		"mistyped fingerprint": strings.Replace(string(text), card.Fingerprint()[:4], "ZZZZ", 1),
	}
	for name, in := range bad {
		if _, err := ParseContactCard([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// CRLF and comments are fine.
	if _, err := ParseContactCard([]byte("# from e-mail\r\n" + strings.ReplaceAll(string(text), "\n", "\r\n"))); err != nil {
		t.Fatal(err)
	}
	ct, err := a.AddContact(card)
	if err != nil || ct.Verified || ct.Fingerprint != card.Fingerprint() {
		t.Fatalf("add: %v %+v", err, ct)
	}
	own, _ := a.Card()
	if _, err := a.AddContact(own); err == nil {
		t.Fatal("own card added as a contact")
	}
	if _, err := a.VerifyContact(ct.Fingerprint[:9]); err != nil {
		t.Fatal(err)
	}
	a = reopen(t, a)
	cs, err := a.Contacts()
	if err != nil || len(cs) != 1 || !cs[0].Verified || cs[0].VerifiedAt == nil {
		t.Fatalf("after reopen: %v %+v", err, cs)
	}
	if got, err := a.FindContact("unit b (FICTIONAL)"); err != nil || got.Fingerprint != ct.Fingerprint {
		t.Fatalf("find by unit: %v", err)
	}
	if _, err := a.FindContact("nobody"); err == nil {
		t.Fatal("found nobody")
	}
	// The catalog with contacts still opens cases as before.
	mustCreateCase(t, a, sampleInfo())
	if _, err := a.RemoveContact(ct.Fingerprint); err != nil {
		t.Fatal(err)
	}
	a = reopen(t, a)
	if cs, _ := a.Contacts(); len(cs) != 0 {
		t.Fatalf("removed contact is back: %+v", cs)
	}
	if cases, _ := a.Cases(); len(cases) != 1 {
		t.Fatal("cases lost")
	}
	_ = context.Background()
}

func FuzzParseContactCard(f *testing.F) {
	f.Add([]byte(cardHeader + "\nunit: U\ncountry: TH\nage-recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq\nsigning-key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb8T7nKzL3bLqGDb3VbL9s6P1l0cBbmy8H3bHq1zQ0n\n"))
	f.Add([]byte("# x\n" + cardHeader + "\n\nunit: a:b\nfingerprint: 0000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseContactCard(data)
		if err != nil {
			return
		}
		// A card that parses prints back to a card that parses the same.
		c2, err := ParseContactCard(c.Text())
		if err != nil || c2 != c {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, c, c2)
		}
	})
}
