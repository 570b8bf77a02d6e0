package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

// The real file and folder dialogs open (tests elsewhere replace them with
// a chosen path). Fyne 2.8.1 panics if a file dialog is resized before it
// is shown: each opener must go through showFileDialog.
func TestFileDialogsOpen(t *testing.T) {
	dir := seededWorkspace(t, nil)
	tu, cv := openSeeded(t, dir)

	overlays := func() int { return len(tu.win.Canvas().Overlays().List()) }
	opens := func(what string, open func()) {
		t.Helper()
		before := overlays()
		open()
		tu.settle()
		if overlays() <= before {
			t.Fatalf("%s: no dialog opened: %q", what, tu.texts())
		}
	}

	tu.shortcut(shortcutImport)
	opens("Add evidence › Add a file…", func() { test.Tap(tu.button("Add a file…")) })
	tu.win.Canvas().Overlays().Top().Hide()
	tu.win.Canvas().Overlays().Remove(tu.win.Canvas().Overlays().Top())
	opens("Add evidence › Add a folder…", func() { test.Tap(tu.button("Add a folder…")) })

	wz := newExportWizard(cv)
	opens("Export bundle › Save the bundle…", func() { wz.saveDialog("case.cvbundle", func(string) {}) })
	opens("Import bundle", func() { tu.importBundle() })
	opens("first run › choose a folder", func() { showFolderDialog(tu.UI, func(string) {}) })
}
