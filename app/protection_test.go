package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

const secretName = "Nareth Vong (fictional)"

func TestProtectAndReveal(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		_, err := c.AddPerson(context.Background(), casefile.Person{
			Roles: []casefile.Role{casefile.RoleWitness}, FullName: secretName, Aliases: []string{"Reth"},
			Documents: []casefile.Document{{Type: "passport", Number: "K7777777", Country: "KH"}},
			Languages: []string{"Khmer"},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Protection")
	if !tu.screenHas("Nobody in this case is protected") {
		t.Fatalf("no empty state: %q", tu.texts())
	}

	test.Tap(tu.button("Protect a person…"))
	who := tu.selectWith(secretName + " (Witness)")
	who.SetSelected(secretName + " (Witness)")
	pseudo := entriesIn(tu, tu.dialog())[0]
	if pseudo.Text != "W-1" {
		t.Fatalf("suggested pseudonym %q", pseudo.Text)
	}
	tu.checksWith("Identity withheld").SetSelected([]string{"Identity withheld", "Closed hearing"})
	tu.selectWith("High").SetSelected("High")
	review := tu.entryWith("YYYY-MM-DD", 1)
	review.SetText("2020-01-01") // before the start (today)
	if !tu.screenHas("review comes before the protection starts") {
		t.Fatalf("no live check of the review date: %q", tu.texts())
	}
	review.SetText(casefile.Today().AddDays(60).String())
	tu.tapSettle("Protect")
	tu.noDialog()

	if got := rows(cv.protection.table); len(got) != 1 || !strings.HasPrefix(got[0], "W-1 | Identity withheld, Closed hearing | High |") {
		t.Fatalf("protection table: %q", got)
	}
	tu.tab(cv, "People")
	if got := rows(cv.people.table); len(got) != 1 || !strings.HasPrefix(got[0], "W-1 | Witness") {
		t.Fatalf("people table: %q", got)
	}
	if cv.people.table.icon(0, 0) != shieldIcon {
		t.Error("no shield beside the protected person")
	}
	if tu.screenHas(secretName) {
		t.Fatal("the real name shows after protecting")
	}

	// Editing a masked person: identity fields are hidden and read-only;
	// other fields change and the identity is kept.
	cv.people.table.selectID(cv.data.people[0].ID)
	test.Tap(tu.button("Edit…"))
	pf := cv.people.lastForm
	if pf.name.Text != hiddenText || !pf.name.Disabled() || pf.aliases.Text != hiddenText || !tu.screenHas(hiddenText) {
		t.Fatalf("identity fields of a masked person: %q %v", pf.name.Text, pf.name.Disabled())
	}
	pf.langs.SetText("Khmer, Thai")
	tu.tapSettle("Save changes")
	tu.noDialog()

	tu.tab(cv, "Protection")
	cv.protection.table.selectID(cv.data.people[0].ID)

	// Reveal: a wrong passphrase shows nothing.
	test.Tap(tu.button("Reveal identity…"))
	pass := entriesIn(tu, tu.dialog())[0]
	test.Type(pass, "not the passphrase")
	tu.tapSettle("Reveal")
	if !tu.screenHas("Wrong passphrase") || tu.screenHas(secretName) {
		t.Fatalf("after a wrong passphrase: %q", tu.texts())
	}
	if pass.Text != "" {
		t.Error("the passphrase stays in the entry")
	}
	test.Type(pass, testPass)
	tu.tapSettle("Reveal")
	if !tu.screenHas(secretName) || !tu.screenHas("K7777777") || !tu.screenHas("Reth") {
		t.Fatalf("the identity is not shown after the right passphrase: %q", tu.texts())
	}
	tu.tapSettle("Close and hide")
	tu.noDialog()
	for _, s := range []string{secretName, "K7777777", "Reth"} {
		if tu.screenHas(s) {
			t.Fatalf("%q stays on screen after the reveal closed", s)
		}
	}

	// The protection form edits the record by pseudonym.
	test.Tap(tu.button("Edit protection…"))
	if e := entriesIn(tu, tu.dialog())[0]; e.Text != "W-1" || tu.screenHas(secretName) {
		t.Fatalf("protection form: %q", tu.texts())
	}
	tu.tapSettle("Cancel")
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	c, err := w.OpenCase(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	entries, rep, _ := c.Audit(context.Background())
	reveals := 0
	for _, e := range entries {
		if e.Action == "person.reveal" {
			reveals++
		}
	}
	if !rep.OK || reveals != 1 {
		t.Fatalf("audit: ok=%v, %d reveals (want 1: the wrong passphrase reveals nothing)", rep.OK, reveals)
	}
	people, _ := c.People(context.Background())
	rp, err := c.RevealPerson(context.Background(), people[0].ID, []byte(testPass))
	if err != nil {
		t.Fatal(err)
	}
	if rp.FullName != secretName || !slices.Equal(rp.Languages, []string{"Khmer", "Thai"}) || len(rp.Documents) != 1 ||
		rp.Protection == nil || rp.Protection.RiskLevel != "high" {
		t.Fatalf("the edit of the masked person lost the identity: %+v", rp)
	}
}

func TestProtectRefusesDuplicatePseudonym(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleVictim}, FullName: "A", Protection: &casefile.Protection{Pseudonym: "V-1"}})
		c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleWitness}, FullName: "B"})
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Protection")
	test.Tap(tu.button("Protect a person…"))
	tu.selectWith("B (Witness)").SetSelected("B (Witness)")
	pseudo := entriesIn(tu, tu.dialog())[0]
	pseudo.SetText("V-1")
	if !tu.screenHas(`"V-1" is already used`) {
		t.Fatalf("no live check of the pseudonym: %q", tu.texts())
	}
	tu.tapSettle("Protect")
	if len(cv.protection.protected) != 1 {
		t.Fatal("a duplicate pseudonym was saved")
	}
	pseudo.SetText("W-2")
	tu.tapSettle("Protect")
	tu.noDialog()
	if len(cv.protection.protected) != 2 {
		t.Fatalf("protected: %d", len(cv.protection.protected))
	}
}
