package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

// unlocked returns a test UI on a workspace holding cases, unlocked.
func unlocked(t *testing.T, cases ...casefile.CaseInfo) (*testUI, string) {
	t.Helper()
	dir := newWorkspace(t, cases...)
	tu := newTestUI(t, dir)
	tu.unlockWith(testPass)
	if tu.main == nil {
		t.Fatalf("not unlocked: %q", tu.texts())
	}
	return tu, dir
}

// openFirst selects the first case of the list and waits until it shows.
func (tu *testUI) openFirst() *caseView {
	tu.t.Helper()
	tu.main.list.list.Select(0)
	tu.settle()
	if tu.main.cv == nil {
		tu.t.Fatalf("the case did not open: %q", tu.texts())
	}
	return tu.main.cv
}

func TestNewCaseDialog(t *testing.T) {
	tu, dir := unlocked(t)
	tu.shortcut(shortcutNewCase)
	if !tu.screenHas("The other fields") {
		t.Fatalf("Ctrl+N did not open the New case dialog: %q", tu.texts())
	}
	create := tu.button("Create case")

	// A missing title is refused, and the dialog stays with the reason.
	dlgEntries := entriesIn(tu, tu.win.Canvas().Overlays().Top())
	ref, title := dlgEntries[0], dlgEntries[1]
	test.Type(ref, "TIP-2026-014")
	test.Tap(create)
	tu.settle()
	if tu.main.cv != nil || !tu.screenHas("Title: is empty") {
		t.Fatalf("an untitled case was created: %q", tu.texts())
	}
	if tu.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the dialog closed on a validation error")
	}

	test.Type(title, "Operation Night Harbour")
	test.Tap(create)
	tu.settle()
	if tu.win.Canvas().Overlays().Top() != nil {
		t.Fatal("the dialog stays open after creating")
	}
	cv := tu.main.cv
	if cv == nil || cv.info.Ref != "TIP-2026-014" || cv.form.title.Text != "Operation Night Harbour" {
		t.Fatalf("the new case is not shown: %+v", cv)
	}
	if len(tu.main.list.shown) != 1 || tu.main.list.selected != cv.id {
		t.Fatalf("the list does not hold and select the new case: %+v", tu.main.list.shown)
	}

	// A second case with the same reference is refused by the core.
	tu.shortcut(shortcutNewCase)
	dlgEntries = entriesIn(tu, tu.win.Canvas().Overlays().Top())
	test.Type(dlgEntries[0], "TIP-2026-014")
	test.Type(dlgEntries[1], "Duplicate")
	test.Tap(tu.button("Create case"))
	tu.settle()
	if !tu.screenHas("already used by another case") {
		t.Fatalf("duplicate reference accepted: %q", tu.texts())
	}

	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	if len(list) != 1 || list[0].Title != "Operation Night Harbour" || list[0].Status != casefile.StatusIntake {
		t.Fatalf("stored cases: %+v", list)
	}
}

func TestEditFieldIsSaved(t *testing.T) {
	tu, dir := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	cv := tu.openFirst()
	if cv.form.title.Text != "Harbour Light" || cv.form.lead.Text != "Prosecutor A. Example" ||
		cv.form.opened.entry.Text != "2026-01-15" || cv.form.tags.Text != "fishing" {
		t.Fatalf("form does not show the case: %q", tu.texts())
	}

	typeAtEnd(cv.form.title, " (amended)")
	cv.form.status.SetSelected("Charged")
	cv.form.fast.SetChecked(true)
	cv.form.exploit.SetSelected([]string{"Labour exploitation"})
	cv.form.tags.SetText("fishing, boats")
	cv.form.summary.SetText("Crew recruited in Kampot.\nการค้ามนุษย์ (fictional).")
	cv.form.juris.addRow(casefile.Jurisdiction{Country: "KH", Role: casefile.RoleOrigin})
	cv.form.juris.addRow(casefile.Jurisdiction{Country: "TH", Role: casefile.RoleDestination})
	cv.onEdit()
	if !strings.Contains(cv.saveStatus.Text, "Unsaved") {
		t.Fatalf("status while editing: %q", cv.saveStatus.Text)
	}
	tu.advance(tu.commitDelay) // the pause after typing: Case.Update
	tu.waitFor("the autosave", func() bool { return strings.HasPrefix(cv.saveStatus.Text, "Saved at") })
	if !strings.Contains(cv.heading.Text, "Harbour Light (amended)") {
		t.Errorf("heading not updated: %q", cv.heading.Text)
	}
	tu.waitFor("the list to show the new title", func() bool {
		return len(tu.main.list.shown) == 1 && tu.main.list.shown[0].Title == "Harbour Light (amended)"
	})

	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	c, err := w.OpenCase(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := c.Info(context.Background())
	if info.Title != "Harbour Light (amended)" || info.Status != casefile.StatusCharged || !info.FastTrack ||
		!slices.Equal(info.Exploitation, []casefile.Exploitation{casefile.ExploitationLabour}) ||
		!slices.Equal(info.Tags, []string{"boats", "fishing"}) ||
		!strings.Contains(info.Summary, "การค้ามนุษย์") ||
		!slices.Equal(info.Jurisdictions, []casefile.Jurisdiction{{Country: "KH", Role: casefile.RoleOrigin}, {Country: "TH", Role: casefile.RoleDestination}}) {
		t.Fatalf("stored record: %+v", info)
	}
	entries, rep, _ := c.Audit(context.Background())
	if !rep.OK || len(entries) != 2 || entries[1].Action != "case.update" {
		t.Fatalf("audit after one edit: %+v %+v", rep, entries)
	}
}

func TestOverviewShowsValidationErrors(t *testing.T) {
	tu, _ := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	cv := tu.openFirst()

	// casefile's own check: a closed date needs the status Closed.
	cv.form.closed.entry.SetText("2026-02-01")
	cv.commit(nil)
	tu.settle()
	if l := cv.form.errs["closed"]; !l.Visible() || !strings.Contains(l.Text, "closed date is set") {
		t.Fatalf("no error beside Closed: %q", l.Text)
	}
	if !cv.form.banner.Visible() || !strings.Contains(cv.saveStatus.Text, "Not saved") {
		t.Fatalf("banner/status: %q / %q", cv.form.banner.Text, cv.saveStatus.Text)
	}

	// The form's own check: a date that does not parse.
	cv.form.closed.entry.SetText("")
	cv.form.opened.entry.SetText("2026-13-45")
	cv.commit(nil)
	if l := cv.form.errs["opened"]; !l.Visible() || !strings.Contains(l.Text, "YYYY-MM-DD") {
		t.Fatalf("no error beside Opened: %q", l.Text)
	}
	if l := cv.form.errs["closed"]; l.Visible() {
		t.Error("the old error stays beside Closed")
	}

	// Fixing it clears the errors and saves.
	cv.form.opened.entry.SetText("2026-01-20")
	cv.commit(nil)
	tu.waitFor("the save", func() bool { return strings.HasPrefix(cv.saveStatus.Text, "Saved at") })
	if cv.form.banner.Visible() || cv.form.errs["opened"].Visible() {
		t.Fatal("errors stay after a good save")
	}

	// Closing the case fills in the closed date (casefile's rule), and the
	// form shows it.
	cv.form.status.SetSelected("Closed")
	cv.commit(nil)
	tu.settle()
	if cv.form.closed.entry.Text != casefile.Today().String() {
		t.Errorf("closed date shown: %q", cv.form.closed.entry.Text)
	}
}

func TestSwitchingCasesAppliesEdits(t *testing.T) {
	tu, dir := unlocked(t, sampleCase("A-1", "First"), sampleCase("B-2", "Second"))
	cv := tu.openFirst()
	typeAtEnd(cv.form.lead, " Jr.")
	tu.main.list.list.Select(1)
	tu.settle()
	if tu.main.cv == nil || tu.main.cv.info.Ref != "B-2" {
		t.Fatalf("the second case did not open: %q", tu.texts())
	}
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	if list[0].LeadProsecutor != "Prosecutor A. Example Jr." {
		t.Fatalf("the edit made before switching was lost: %+v", list[0])
	}
}

func TestDeleteCaseNeedsReference(t *testing.T) {
	tu, dir := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"), sampleCase("TIP-2026-002", "Kept"))
	tu.openFirst()
	test.Tap(tu.button("Delete case…"))
	del := tu.button("Delete for ever")
	typed := entriesIn(tu, tu.win.Canvas().Overlays().Top())[0]
	test.Type(typed, "TIP-2026-00")
	if !del.Disabled() {
		t.Fatal("Delete is enabled before the reference is typed in full")
	}
	test.Type(typed, "1")
	if del.Disabled() {
		t.Fatal("Delete stays disabled with the right reference")
	}
	test.Tap(del)
	tu.settle()
	if tu.main.cv != nil || len(tu.main.list.all) != 1 || tu.main.list.all[0].Ref != "TIP-2026-002" {
		t.Fatalf("after delete: %+v", tu.main.list.all)
	}
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	if list, _ := w.Cases(); len(list) != 1 || list[0].Ref != "TIP-2026-002" {
		t.Fatalf("stored after delete: %+v", list)
	}
}

func TestAuditTabShowsVerifiedChain(t *testing.T) {
	tu, _ := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	cv := tu.openFirst()
	cv.form.title.SetText("Harbour Light II")
	cv.saveNow()
	tu.settle()
	cv.tabs.SelectIndex(len(cv.tabs.Items) - 1) // Audit is the last tab
	tu.settle()
	if len(cv.audit.entries) != 2 {
		t.Fatalf("audit rows: %d", len(cv.audit.entries))
	}
	if !strings.Contains(cv.audit.verdict.Text, "verifies: 2 entries") {
		t.Fatalf("verdict: %q", cv.audit.verdict.Text)
	}
	if got := cv.audit.cell(1, 3); got != "case.update" {
		t.Errorf("row 2 action = %q", got)
	}
	if got := cv.audit.cell(0, 4); got != cv.id {
		t.Errorf("row 1 target = %q, want the case id", got)
	}
}
