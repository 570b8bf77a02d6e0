package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// Marker strings of a protected person's identity: none may appear
// anywhere on screen without a reveal.
var leakMarkers = []string{"MKNAME4711", "MKALIAS4711", "MKDOC4711", "MKCONTACT4711", "MKNOTES4711", "1987-06-05"}

// everyText returns every string the window and its overlays hold in a
// widget: labels, entries (text and placeholder), rich and canvas texts,
// buttons, checks, the choices of selects and check groups, and the
// rows of every sortTable, shown or scrolled away.
func everyText(tu *testUI, tables ...*sortTable) []string {
	var out []string
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.Label:
				out = append(out, w.Text)
			case *widget.Entry:
				out = append(out, w.Text, w.PlaceHolder)
			case *canvas.Text:
				out = append(out, w.Text)
			case *widget.RichText:
				out = append(out, w.String())
			case *widget.Button:
				out = append(out, w.Text)
			case *widget.Check:
				out = append(out, w.Text)
			case *widget.Select:
				out = append(out, w.Selected)
				out = append(out, w.Options...)
			case *widget.CheckGroup:
				out = append(out, w.Options...)
			case *widget.Hyperlink:
				out = append(out, w.Text)
			}
		})
	}
	for _, t := range tables {
		out = append(out, rows(t)...)
	}
	return out
}

func assertNoMarker(t *testing.T, where string, texts []string) {
	t.Helper()
	all := strings.Join(texts, "\n")
	for _, m := range leakMarkers {
		if strings.Contains(all, m) {
			t.Fatalf("%s shows the protected marker %q", where, m)
		}
	}
}

func TestNoLeakOfProtectedIdentity(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		pid, err := c.AddPerson(ctx, casefile.Person{
			Roles:    []casefile.Role{casefile.RoleWitness, casefile.RoleVictim, casefile.RoleSuspect},
			FullName: "MKNAME4711", Aliases: []string{"MKALIAS4711"}, Birth: casefile.MustDate("1987-06-05"),
			Documents: []casefile.Document{{Type: "passport", Number: "MKDOC4711", Country: "KH"}},
			Contact:   "MKCONTACT4711", Notes: "MKNOTES4711", Nationality: "KH",
			CustodyStatus: "in-custody", CustodyLimit: casefile.Today().AddDays(4),
			Protection: &casefile.Protection{Pseudonym: "W-1", Measures: []string{"identity-withheld"}, RiskLevel: "high",
				Start: casefile.Today().AddDays(-30), Review: casefile.Today().AddDays(6)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "Open Suspect"}); err != nil {
			t.Fatal(err)
		}
		v, _ := casefile.ParseMoney("1000", "THB")
		aid, err := c.AddAsset(ctx, casefile.Asset{Type: "cash", Description: "Cash", OwnerID: pid, Value: v})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddRequest(ctx, casefile.Request{Kind: "mla-outgoing", Country: "TH", Deadline: casefile.Today().AddDays(3),
			Links: []casefile.Link{{Kind: "person", ID: pid}, {Kind: "asset", ID: aid}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddDeadline(ctx, casefile.Deadline{Kind: "hearing", Title: "Hearing of W-1", Due: casefile.Today().AddDays(1), TargetID: pid}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AddNote(ctx, "", "Case note"); err != nil {
			t.Fatal(err)
		}
	})
	tu, cv := openSeeded(t, dir)
	tables := []*sortTable{cv.people.table, cv.protection.table, cv.assets.table, cv.coop.table, cv.timeline.table}

	// Every tab, with each row selected in turn (detail panels, buttons).
	for _, tab := range []string{"Overview", "People", "Protection", "Assets", "Cooperation", "Timeline", "Audit"} {
		tu.tab(cv, tab)
		assertNoMarker(t, tab, everyText(tu, tables...))
		for _, tbl := range tables {
			for i := range tbl.order {
				tbl.list.Select(i)
				tu.settle()
				assertNoMarker(t, tab+" with a row selected", everyText(tu, tables...))
			}
		}
	}

	// Every form that lists or edits people.
	forms := []struct{ tab, open string }{
		{"People", "Add person…"},
		{"Protection", "Protect a person…"},
		{"Assets", "Add asset…"},
		{"Cooperation", "Add request…"},
		{"Timeline", "Add deadline…"},
		{"Timeline", "Add note…"},
	}
	for _, f := range forms {
		tu.tab(cv, f.tab)
		test.Tap(tu.button(f.open))
		assertNoMarker(t, f.open, everyText(tu, tables...))
		tu.tapSettle("Cancel")
	}
	edits := []struct {
		tab   string
		table *sortTable
		open  string
	}{
		{"People", cv.people.table, "Edit…"},
		{"Protection", cv.protection.table, "Edit protection…"},
		{"Assets", cv.assets.table, "Edit…"},
		{"Assets", cv.assets.table, "Record event…"},
		{"Cooperation", cv.coop.table, "Edit…"},
		{"Cooperation", cv.coop.table, "Record event…"},
	}
	for _, e := range edits {
		tu.tab(cv, e.tab)
		for i := range e.table.order {
			e.table.list.Select(i)
			test.Tap(tu.button(e.open))
			assertNoMarker(t, e.tab+" "+e.open, everyText(tu, tables...))
			tu.tapSettle("Cancel")
		}
	}
	// The masked person's form, saved unchanged, keeps hiding.
	tu.tab(cv, "People")
	cv.people.table.selectID(cv.data.people[0].ID)
	test.Tap(tu.button("Edit…"))
	tu.tapSettle("Save changes")
	tu.noDialog()
	assertNoMarker(t, "People after saving the masked form", everyText(tu, tables...))

	// The reveal dialog before the passphrase.
	tu.tab(cv, "Protection")
	cv.protection.table.list.Select(0)
	test.Tap(tu.button("Reveal identity…"))
	assertNoMarker(t, "the reveal dialog", everyText(tu, tables...))
	tu.tapSettle("Cancel")

	// The Due view, over the longest period, and the case list.
	tu.waitFor("the autosave", func() bool { return strings.HasPrefix(cv.saveStatus.Text, "Saved at") || !cv.c.Dirty() })
	tu.shortcut(shortcutDue)
	tu.settle()
	tu.main.due.within.SetSelected("90 days")
	tu.settle()
	if len(tu.main.due.items) < 4 {
		t.Fatalf("due view holds %d items; the test expects the hearing, custody limit, review and request", len(tu.main.due.items))
	}
	assertNoMarker(t, "the Due view", everyText(tu, tu.main.due.table))

	// A reveal does show the markers: the walk would have found them.
	tu.tapSettle("Close")
	tu.tab(cv, "Protection")
	cv.protection.table.list.Select(0)
	test.Tap(tu.button("Reveal identity…"))
	test.Type(entriesIn(tu, tu.dialog())[0], testPass)
	tu.tapSettle("Reveal")
	all := strings.Join(everyText(tu), "\n")
	for _, m := range leakMarkers {
		if !strings.Contains(all, m) {
			t.Errorf("the reveal does not show %q: the walk misses what it should catch", m)
		}
	}
	tu.tapSettle("Close and hide")
	assertNoMarker(t, "the window after the reveal closed", everyText(tu, tables...))

	// Locking while a reveal shows closes and empties it.
	cv.protection.table.list.Select(0)
	test.Tap(tu.button("Reveal identity…"))
	test.Type(entriesIn(tu, tu.dialog())[0], testPass)
	tu.tapSettle("Reveal")
	if !tu.screenHas("MKNAME4711") {
		t.Fatal("the second reveal shows nothing")
	}
	tu.shortcut(shortcutLock)
	tu.settle()
	assertNoMarker(t, "the locked window", everyText(tu))
	tu.unlockWith(testPass)
	assertNoMarker(t, "the window unlocked again", everyText(tu))
}
