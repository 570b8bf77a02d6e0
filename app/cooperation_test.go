package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

func TestRequestDeadlineShowsInDueView(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		c.AddPerson(context.Background(), casefile.Person{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "Suspect Example"})
	})
	tu, cv := openSeeded(t, dir)

	// Nothing due yet: the Due view says what to do.
	tu.shortcut(shortcutDue)
	tu.settle()
	if tu.main.due == nil || !tu.screenHas("Nothing is overdue or due in the next 14 days") {
		t.Fatalf("Ctrl+D, empty: %q", tu.texts())
	}
	tu.tapSettle("Close")
	if tu.main.due != nil || tu.main.cv != cv {
		t.Fatal("Close does not go back to the case")
	}

	tu.tab(cv, "Cooperation")
	test.Tap(tu.button("Add request…"))
	tu.selectWith(valueName(casefile.RequestKind("mla-outgoing"))).SetSelected(valueName(casefile.RequestKind("mla-outgoing")))
	tu.selectWith("Malaysia (MY)").SetSelected("Malaysia (MY)")
	test.Type(tu.entryWith("Counterpart authority", 0), "Attorney General's Chambers (fictional)")
	test.Type(tu.entryWith("Our reference", 0), "MLA-OUT-7")
	test.Type(tu.entryWith("What is asked", 0), "Bank records")
	deadline := tu.entryWith("YYYY-MM-DD", 0)
	test.Type(deadline, "2026-02-30")
	if !tu.screenHas("YYYY-MM-DD") {
		t.Fatal("no live error for a malformed deadline")
	}
	due := casefile.Today().AddDays(5)
	deadline.SetText(due.String())
	tu.checksWith("Suspect Example (Suspect)").SetSelected([]string{"Suspect Example (Suspect)"})
	tu.tapSettle("Add request")
	tu.noDialog()
	got := rows(cv.coop.table)
	want := "MLA request (outgoing) | Malaysia (MY) | Attorney General's Chambers (fictional) | MLA-OUT-7 | Drafting | " + due.String()
	if len(got) != 1 || got[0] != want {
		t.Fatalf("requests table:\n%q\nwant\n%q", got, want)
	}
	cv.coop.table.selectID(cv.data.requests[0].ID)
	if !tu.screenHas("Suspect Example") || !tu.screenHas("Bank records") {
		t.Fatalf("details of the request: %q", tu.texts())
	}

	// Status moves; an invalid one is refused with casefile's reason.
	test.Tap(tu.button("Record event…"))
	tu.selectWith("Executed").SetSelected("Executed")
	tu.tapSettle("Record")
	if !tu.screenHas("cannot go from drafting to executed") {
		t.Fatalf("no transition error: %q", tu.texts())
	}
	tu.selectWith("Sent").SetSelected("Sent")
	tu.tapSettle("Record")
	tu.noDialog()
	if got := rows(cv.coop.table); !strings.Contains(got[0], "| Sent |") {
		t.Fatalf("after sending: %q", got)
	}

	// The deadline reaches the Due view once the case is saved (autosave).
	tu.waitFor("the autosave", func() bool { return strings.HasPrefix(cv.saveStatus.Text, "Saved at") })
	tu.shortcut(shortcutDue)
	tu.settle()
	dv := tu.main.due
	got = rows(dv.table)
	if len(got) != 1 || !strings.HasPrefix(got[0], due.String()+" | In 5 days | TIP-2026-001 | Request deadline | Request deadline: MLA request (outgoing), Malaysia (MLA-OUT-7)") {
		t.Fatalf("due view: %q", got)
	}
	dv.within.SetSelected("7 days")
	tu.settle()
	if len(dv.items) != 1 {
		t.Fatal("7 days drops the deadline 5 days away")
	}

	// Selecting the row opens the case.
	dv.table.list.Select(0)
	tu.settle()
	if tu.main.due != nil || tu.main.cv == nil || tu.main.cv.id != cv.id {
		t.Fatal("selecting a due row does not open its case")
	}
	tu.tab(cv, "Timeline")
	if tl := rows(cv.timeline.table); len(tl) != 1 || !strings.Contains(tl[0], "Request deadline") {
		t.Fatalf("timeline: %q", tl)
	}
}

func TestOverdueRequestIsRed(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		c.AddRequest(ctx, casefile.Request{Kind: "extradition", Country: "LA", Deadline: casefile.Today().AddDays(-3)})
		c.AddRequest(ctx, casefile.Request{Kind: "jit", Country: "VN", Deadline: casefile.Today().AddDays(30)})
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Cooperation")
	tbl := cv.coop.table
	for i, r := range tbl.order {
		q := cv.data.requests[r]
		overdue := q.Country == "LA"
		if tbl.danger(r, colDeadline) != overdue || strings.Contains(tbl.shown(i, colDeadline), "overdue") != overdue {
			t.Errorf("request to %s: red %v, text %q", q.Country, tbl.danger(r, colDeadline), tbl.shown(i, colDeadline))
		}
	}
	tu.shortcut(shortcutDue)
	tu.settle()
	if got := rows(tu.main.due.table); len(got) != 1 || !strings.Contains(got[0], "Overdue by 3 days") {
		t.Fatalf("due view: %q", got)
	}
	if !tu.screenHas("1 overdue") {
		t.Fatalf("no overdue summary: %q", tu.texts())
	}
}

func TestTimelineDeadlinesAndNotes(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		c.AddPerson(context.Background(), casefile.Person{Roles: []casefile.Role{casefile.RoleVictim}, FullName: "X",
			Protection: &casefile.Protection{Pseudonym: "V-9", Review: casefile.Today().AddDays(20)}})
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Timeline")
	if got := rows(cv.timeline.table); len(got) != 1 || !strings.Contains(got[0], "Protection review: V-9") {
		t.Fatalf("derived review: %q", got)
	}
	cv.timeline.table.selectID(cv.data.deadlines[0].ID)
	if !cv.timeline.done.Disabled() || !strings.Contains(cv.timeline.hint.Text, "Protection tab") {
		t.Fatalf("a derived deadline can be changed here: %q", cv.timeline.hint.Text)
	}

	test.Tap(tu.button("Add deadline…"))
	test.Type(tu.entryWith("e.g. Preliminary hearing", 0), "Preliminary hearing")
	tu.selectWith("V-9 (Victim)").SetSelected("V-9 (Victim)")
	tu.tapSettle("Add deadline")
	if !tu.screenHas("a deadline needs a date") {
		t.Fatalf("no error for a missing date: %q", tu.texts())
	}
	hearing := casefile.Today().AddDays(2)
	tu.entryWith("YYYY-MM-DD", 0).SetText(hearing.String())
	tu.tapSettle("Add deadline")
	tu.noDialog()
	got := rows(cv.timeline.table)
	if len(got) != 2 || got[0] != hearing.String()+" | Hearing | Preliminary hearing | V-9 | In 2 days" {
		t.Fatalf("timeline: %q", got)
	}
	id := ""
	for _, d := range cv.data.deadlines {
		if !d.Derived {
			id = d.ID
		}
	}
	cv.timeline.table.selectID(id)
	tu.tapSettle("Mark done")
	if got := rows(cv.timeline.table); !strings.Contains(strings.Join(got, "\n"), "Preliminary hearing | V-9 | Done") {
		t.Fatalf("after marking done: %q", got)
	}
	if cv.timeline.done.Text != "Mark not done" {
		t.Errorf("button reads %q", cv.timeline.done.Text)
	}

	// Notes on the case.
	tu.tapSettle("Add note…")
	tu.tapSettle("Add note")
	if !tu.screenHas("Note: is empty") {
		t.Fatalf("no error for an empty note: %q", tu.texts())
	}
	test.Type(entriesIn(tu, tu.dialog())[0], "Called the focal point in Vientiane.")
	tu.tapSettle("Add note")
	tu.noDialog()
	if !tu.screenHas("Called the focal point in Vientiane.") {
		t.Fatalf("note not shown: %q", tu.texts())
	}
	var edit fyneButton
	walk(cv.timeline.notes.box, func(o fyneObject) {
		if b, ok := o.(fyneButton); ok {
			edit = b
		}
	})
	test.Tap(edit)
	e := entriesIn(tu, tu.dialog())[0]
	e.SetText("Called the focal point in Vientiane; letter follows.")
	tu.tapSettle("Save changes")
	tu.noDialog()
	if !tu.screenHas("letter follows") || len(cv.data.notes) != 1 {
		t.Fatalf("edited note: %q", tu.texts())
	}
}
