package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

func TestPeopleAddAndEdit(t *testing.T) {
	dir := seededWorkspace(t, nil)
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "People")
	if !tu.screenHas("No people yet") {
		t.Fatalf("no empty state: %q", tu.texts())
	}

	test.Tap(tu.button("Add person…"))
	pf := cv.people.lastForm
	if pf.victim.Visible() || pf.suspect.Visible() {
		t.Fatal("role sections show before a role is checked")
	}
	pf.roles.SetSelected([]string{"Victim", "Witness"})
	if !pf.victim.Visible() || pf.suspect.Visible() {
		t.Fatal("the victim section does not follow the roles")
	}
	test.Type(pf.name, "Sok Dara (fictional)")
	test.Type(pf.aliases, "Dara, ដារា")
	pf.nationality.SetSelected("Cambodia (KH)")
	test.Type(pf.langs, "Khmer")

	// Checks while typing: a malformed date, a date in the future, an
	// amount with too many decimals.
	test.Type(pf.birth.entry, "2009-13-40")
	if msg := errorBeside(t, pf.f, "birth"); !strings.Contains(msg, "YYYY-MM-DD") {
		t.Fatalf("no error beside the malformed date: %q", msg)
	}
	pf.birth.entry.SetText(casefile.Today().AddDays(3).String())
	if msg := errorBeside(t, pf.f, "birth"); !strings.Contains(msg, "in the future") {
		t.Fatalf("no error beside a future birth date: %q", msg)
	}
	pf.birth.entry.SetText("2009-04-02")
	if msg := errorBeside(t, pf.f, "birth"); msg != "" {
		t.Fatalf("error stays after the fix: %q", msg)
	}
	pf.claimed.currency.SetSelected(currencyOption("THB"))
	test.Type(pf.claimed.amount, "1500.505")
	if msg := errorBeside(t, pf.f, "compensation claimed"); !strings.Contains(msg, "more decimals") {
		t.Fatalf("no error beside the amount: %q", msg)
	}
	// Saving with the error refuses and changes nothing.
	tu.tapSettle("Add person")
	if len(cv.data.people) != 0 || !pf.f.banner.Visible() {
		t.Fatalf("saved with an invalid amount: %+v", cv.data.people)
	}
	pf.claimed.amount.SetText("150,000.50")
	pf.services.SetSelected([]string{"Shelter", "Legal aid"})

	// casefile's own check, beside its field: a document without number.
	test.Tap(tu.button("Add document"))
	test.Type(pf.docRows[0].typ, "passport")
	tu.tapSettle("Add person")
	if msg := errorBeside(t, pf.f, "document number"); !strings.Contains(msg, "empty") {
		t.Fatalf("core error not beside the documents: %q (banner %q)", msg, pf.f.banner.Text)
	}
	test.Type(pf.docRows[0].number, "N0000001")
	pf.docRows[0].country.SetSelected("Cambodia (KH)")
	tu.tapSettle("Add person")
	tu.noDialog()

	got := rows(cv.people.table)
	if len(got) != 1 || got[0] != "Sok Dara (fictional) | Victim, Witness | Cambodia (KH) | Child | " {
		t.Fatalf("people table: %q", got)
	}

	// Edit: add the suspect role, a charge and custody.
	cv.people.table.selectID(cv.data.people[0].ID)
	test.Tap(tu.button("Edit…"))
	pf = cv.people.lastForm
	if pf.name.Text != "Sok Dara (fictional)" || pf.claimed.amount.Text != "150000.50" || len(pf.docRows) != 1 {
		t.Fatalf("the form does not show the record: %q %q", pf.name.Text, pf.claimed.amount.Text)
	}
	pf.roles.SetSelected([]string{"Victim", "Suspect"})
	if !pf.suspect.Visible() {
		t.Fatal("the suspect section does not show")
	}
	test.Tap(tu.button("Add charge"))
	test.Type(pf.chargeRows[0].offence, "Document fraud")
	pf.chargeRows[0].related.SetSelected("Migrant smuggling")
	pf.custody.SetSelected("In custody")
	limit := casefile.Today().AddDays(10)
	pf.custodyLimit.entry.SetText(limit.String())
	tu.tapSettle("Save changes")
	tu.noDialog()
	got = rows(cv.people.table)
	if len(got) != 1 || !strings.Contains(got[0], "Victim, Suspect") || !strings.Contains(got[0], "In custody until "+limit.String()) {
		t.Fatalf("after the edit: %q", got)
	}

	// The custody limit is on the Timeline at once, marked as derived.
	tu.tab(cv, "Timeline")
	tl := rows(cv.timeline.table)
	if len(tl) != 1 || !strings.Contains(tl[0], "Custody time limit: Sok Dara") {
		t.Fatalf("timeline: %q", tl)
	}

	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	c, err := w.OpenCase(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	people, _ := c.People(context.Background())
	p := people[0]
	if p.FullName != "Sok Dara (fictional)" || !slices.Equal(p.Aliases, []string{"Dara", "ដារា"}) || p.Nationality != "KH" ||
		p.Birth.String() != "2009-04-02" || p.CompClaimed.String() != "150000.50 THB" ||
		!slices.Equal(p.Services, []string{"shelter", "legal-aid"}) || len(p.Documents) != 1 || p.Documents[0].Number != "N0000001" ||
		len(p.Charges) != 1 || p.Charges[0].Related != "migrant-smuggling" || p.CustodyStatus != "in-custody" {
		t.Fatalf("stored person: %+v", p)
	}
}

func TestPeopleTableSorts(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		for _, p := range []casefile.Person{
			{Roles: []casefile.Role{casefile.RoleWitness}, FullName: "Bravo", Nationality: "TH"},
			{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "alpha", Nationality: "MY"},
			{Roles: []casefile.Role{casefile.RoleVictim}, FullName: "Charlie", Nationality: "KH"},
		} {
			if _, err := c.AddPerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "People")
	tbl := cv.people.table
	names := func() []string {
		var out []string
		for i := range tbl.order {
			out = append(out, tbl.shown(i, 0))
		}
		return out
	}
	if got := names(); !slices.Equal(got, []string{"alpha", "Bravo", "Charlie"}) {
		t.Fatalf("by name: %q", got)
	}
	test.Tap(tbl.headers[0])
	if got := names(); !slices.Equal(got, []string{"Charlie", "Bravo", "alpha"}) {
		t.Fatalf("by name, descending: %q", got)
	}
	test.Tap(tbl.headers[2])
	if got := names(); !slices.Equal(got, []string{"Charlie", "alpha", "Bravo"}) {
		t.Fatalf("by nationality: %q", got)
	}
}
