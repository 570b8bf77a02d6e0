package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

// assertLockedAndClear checks that the workspace is locked and that no text
// of the case is left anywhere in the window.
func assertLockedAndClear(t *testing.T, tu *testUI, secrets ...string) {
	t.Helper()
	tu.settle()
	if tu.main != nil || tu.unlock == nil {
		t.Fatal("the unlock screen is not showing")
	}
	if !tu.ws.Locked() {
		t.Fatal("the workspace keys are still loaded")
	}
	if tu.win.MainMenu() != nil {
		t.Error("the menu stays while locked")
	}
	for _, s := range secrets {
		if tu.screenHas(s) {
			t.Errorf("%q is still on screen after locking", s)
		}
	}
	if tu.unlock.pass.Disabled() {
		t.Error("the passphrase entry stays disabled after locking")
	}
}

func TestLockShortcutSavesAndClears(t *testing.T) {
	tu, dir := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	cv := tu.openFirst()
	// An edit still inside the typing pause: locking must apply and save it.
	test.Type(cv.form.summary, "Secret summary text")
	tu.shortcut(shortcutLock)
	assertLockedAndClear(t, tu, "Harbour Light", "Secret summary text", "TIP-2026-001")

	// Unlock again: the case list comes back, and the edit was kept.
	tu.unlockWith(testPass)
	if tu.main == nil || len(tu.main.list.all) != 1 {
		t.Fatal("not unlocked again")
	}
	cv = tu.openFirst()
	if cv.form.summary.Text != "Secret summary text" {
		t.Fatalf("summary after lock and unlock: %q", cv.form.summary.Text)
	}
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	if len(list) != 1 {
		t.Fatal("case lost")
	}
}

func TestLockFromMenuAndButton(t *testing.T) {
	tu, _ := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	tu.openFirst()
	var lockItem *fyne.MenuItem
	for _, m := range tu.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == "Lock" {
				lockItem = it
			}
		}
	}
	if lockItem == nil {
		t.Fatal("no Lock menu item")
	}
	if sc, ok := lockItem.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyL {
		t.Errorf("Lock menu item shortcut: %#v", lockItem.Shortcut)
	}
	lockItem.Action()
	assertLockedAndClear(t, tu, "Harbour Light")

	tu.unlockWith(testPass)
	test.Tap(tu.button("Lock"))
	assertLockedAndClear(t, tu, "Harbour Light")
}

func TestAutoLockAfterIdle(t *testing.T) {
	dir := newWorkspace(t, sampleCase("TIP-2026-001", "Harbour Light"))
	tu := newTestUI(t, dir)
	tu.app.Preferences().SetInt(prefIdleMinutes, 2)
	tu.unlockWith(testPass)
	tu.openFirst()

	tu.advance(90 * time.Second)
	if tu.main == nil {
		t.Fatal("locked before the idle time")
	}
	// Typing counts as activity…
	test.Type(tu.main.list.query, "harb")
	tu.advance(90 * time.Second)
	if tu.main == nil {
		t.Fatal("locked 90 s after typing, with a 2-minute idle time")
	}
	// …and so does moving the mouse over the window.
	tu.idle.layer.MouseMoved(&desktop.MouseEvent{})
	if tu.idle.layer.Visible() {
		t.Error("the activity layer stays in the way after noticing the mouse")
	}
	tu.advance(90 * time.Second)
	if tu.main == nil {
		t.Fatal("locked 90 s after moving the mouse")
	}
	if !tu.idle.layer.Visible() {
		t.Error("the activity layer did not come back")
	}
	tu.advance(31 * time.Second)
	assertLockedAndClear(t, tu, "Harbour Light")

	// No timer is left to lock again while the unlock screen shows.
	tu.unlockWith(testPass)
	tu.advance(119 * time.Second)
	if tu.main == nil {
		t.Fatal("the idle time did not restart after unlocking")
	}
	tu.advance(2 * time.Second)
	assertLockedAndClear(t, tu)
}

func TestSettingsIdleTimePersists(t *testing.T) {
	tu, _ := unlocked(t)
	if got := tu.idle.timeout(); got != defaultIdleMinutes*time.Minute {
		t.Fatalf("default idle time = %v", got)
	}
	test.Tap(tu.button("Settings"))
	if !tu.screenHas("Lock after") {
		t.Fatalf("settings not shown: %q", tu.texts())
	}
	tu.setIdleMinutes(1)
	if got := tu.app.Preferences().Int(prefIdleMinutes); got != 1 {
		t.Fatalf("stored idle minutes = %d", got)
	}
	if !strings.Contains(tu.main.status.Text, "1 minute without input") {
		t.Errorf("status bar: %q", tu.main.status.Text)
	}
	tu.advance(61 * time.Second)
	assertLockedAndClear(t, tu)
}

func TestQuitSavesAndReleasesWorkspace(t *testing.T) {
	tu, dir := unlocked(t, sampleCase("TIP-2026-001", "Harbour Light"))
	cv := tu.openFirst()
	typeAtEnd(cv.form.title, " II")
	tu.quit() // what closing the window does
	tu.settle()
	if tu.ws != nil {
		t.Fatal("the workspace stays open after quitting")
	}
	w := reopen(t, dir, testPass) // the lock file is released
	list, _ := w.Cases()
	if list[0].Title != "Harbour Light II" {
		t.Fatalf("the last edit was lost on quit: %q", list[0].Title)
	}
}

// TestReadingTextIsActivity: scrolling the text of an exhibit, or moving
// the mouse over it, keeps the workspace unlocked.
func TestReadingTextIsActivity(t *testing.T) {
	src := t.TempDir()
	note := writeFile(t, src, "note.txt", []byte(strings.Repeat("The broker kept the passports (fictional).\n", 2000)))
	dir := seededWorkspace(t, func(c *casefile.Case) { importInto(t, c, note) })
	tu, cv := openSeeded(t, dir)
	tu.app.Preferences().SetInt(prefIdleMinutes, 2)
	tu.idle.restart()
	tu.openItem(cv, "1")
	tu.tapSettle("Show text")
	tv := cv.evidence.lastText
	for range 3 {
		tu.advance(90 * time.Second)
		tv.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -40)})
	}
	if tu.main == nil {
		t.Fatal("locked while the text was being scrolled")
	}
	tu.advance(60 * time.Second)
	tv.activity.MouseMoved(&desktop.MouseEvent{})
	tu.advance(90 * time.Second)
	if tu.main == nil {
		t.Fatal("locked 90 s after the mouse moved over the text")
	}
	tu.advance(31 * time.Second)
	if tu.main != nil {
		t.Fatal("not locked two minutes after the last activity")
	}
}
