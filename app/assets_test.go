package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// totalsText returns the totals panel's text, one "Status amount (n)" per
// line.
func totalsText(a *assetsTab) string {
	var out []string
	for _, tot := range a.data.totals {
		out = append(out, valueName(tot.Status)+" "+totalText(tot))
	}
	var shown []string
	walk(a.totals, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text != "" {
			shown = append(shown, l.Text)
		}
	})
	return strings.Join(out, "; ") + "\n" + strings.Join(shown, " ")
}

func TestAssetThroughItsStates(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		c.AddPerson(context.Background(), casefile.Person{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "Owner Example"})
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Assets")
	if !tu.screenHas("No assets yet") || !tu.screenHas("No values yet") {
		t.Fatalf("no empty states: %q", tu.texts())
	}

	test.Tap(tu.button("Add asset…"))
	tu.selectWith("Bank account").SetSelected("Bank account")
	test.Type(tu.entryWith("e.g. Savings account", 0), "Savings account, fictional bank")
	test.Type(tu.entryWith("Account number", 0), "000-1111-22")
	tu.selectWith("Owner Example (Suspect)").SetSelected("Owner Example (Suspect)")
	tu.selectWith("Thailand (TH)").SetSelected("Thailand (TH)")
	tu.selectWith(currencyOption("THB")).SetSelected(currencyOption("THB"))
	amount := tu.entryWith("e.g. 1,250,000.00", 0)
	test.Type(amount, "-5")
	if !tu.screenHas("is negative") {
		t.Fatalf("no live error for a negative amount: %q", tu.texts())
	}
	amount.SetText("12,5x")
	if !tu.screenHas("is not an amount") {
		t.Fatalf("no live error for a malformed amount: %q", tu.texts())
	}
	amount.SetText("1,250,000.00")
	if tu.screenHas("is not an amount") {
		t.Fatal("the error stays after the fix")
	}
	tu.tapSettle("Add asset")
	tu.noDialog()
	got := rows(cv.assets.table)
	if len(got) != 1 || got[0] != "Bank account | Savings account, fictional bank | 000-1111-22 | Owner Example | 1,250,000.00 THB | Identified" {
		t.Fatalf("assets table: %q", got)
	}

	// A second asset in another currency is totalled apart.
	test.Tap(tu.button("Add asset…"))
	tu.selectWith("Cash").SetSelected("Cash")
	test.Type(tu.entryWith("e.g. Savings account", 0), "Cash found at the house")
	tu.selectWith(currencyOption("USD")).SetSelected(currencyOption("USD"))
	test.Type(tu.entryWith("e.g. 1,250,000.00", 0), "12500")
	tu.selectWith("Seized").SetSelected("Seized")
	tu.tapSettle("Add asset")
	tu.noDialog()

	id := ""
	for _, a := range cv.data.assets {
		if a.Type == "bank-account" {
			id = a.ID
		}
	}
	step := func(status, order string) {
		t.Helper()
		cv.assets.table.selectID(id)
		test.Tap(tu.button("Record event…"))
		tu.selectWith(status).SetSelected(status)
		test.Type(tu.entryWith("Reference of the court", 0), order)
		test.Type(tu.entryWith("e.g. Criminal Court", 0), "Criminal Court (fictional)")
		tu.tapSettle("Record")
		tu.noDialog()
	}
	step("Frozen", "FRZ-1")
	if s := totalsText(cv.assets); !strings.Contains(s, "Frozen 1,250,000.00 THB") || !strings.Contains(s, "Seized 12,500.00 USD") ||
		!strings.Contains(s, "1,250,000.00 THB 1 asset") {
		t.Fatalf("totals after freezing: %s", s)
	}
	step("Seized", "SZ-2")
	if s := totalsText(cv.assets); strings.Contains(s, "Frozen") || !strings.Contains(s, "Seized 1,250,000.00 THB") {
		t.Fatalf("totals after seizing: %s", s)
	}
	step("Confiscated", "CF-3")
	if s := totalsText(cv.assets); s[:strings.Index(s, "\n")] != "Seized 12,500.00 USD; Confiscated 1,250,000.00 THB" {
		t.Fatalf("totals after confiscating: %s", s)
	}
	if got := rows(cv.assets.table); !strings.Contains(strings.Join(got, "\n"), "1,250,000.00 THB | Confiscated") {
		t.Fatalf("table after confiscating: %q", got)
	}
	if !tu.screenHas("order CF-3, Criminal Court (fictional)") || !tu.screenHas("order FRZ-1") {
		t.Fatalf("history not shown: %q", tu.texts())
	}

	// An invalid move: casefile's message, beside the status, nothing changed.
	cv.assets.table.selectID(id)
	test.Tap(tu.button("Record event…"))
	tu.selectWith("Frozen").SetSelected("Frozen")
	tu.tapSettle("Record")
	if !tu.screenHas("cannot go from confiscated to frozen") {
		t.Fatalf("no transition error: %q", tu.texts())
	}
	tu.tapSettle("Cancel")
	if got := rows(cv.assets.table); !strings.Contains(strings.Join(got, "\n"), "Confiscated") {
		t.Fatalf("the refused move changed the asset: %q", got)
	}

	// Edit keeps the status and history.
	cv.assets.table.selectID(id)
	test.Tap(tu.button("Edit…"))
	d := tu.entryWith("e.g. Savings account", 0)
	d.SetText("Savings account (closed), fictional bank")
	tu.tapSettle("Save changes")
	tu.noDialog()
	if got := rows(cv.assets.table); !strings.Contains(strings.Join(got, "\n"), "Savings account (closed), fictional bank | 000-1111-22 | Owner Example | 1,250,000.00 THB | Confiscated") {
		t.Fatalf("after edit: %q", got)
	}
}
