package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
)

// The keyboard shortcuts (Ctrl on Linux and Windows, Cmd on macOS).
var (
	shortcutNewCase = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSave    = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutLock    = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFind    = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFilter  = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutDue     = &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutImport  = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
)

// mainMenu is the menu of the unlocked window. Its items carry the
// shortcuts, which the desktop driver triggers even while an entry has the
// focus.
func (u *UI) mainMenu() *fyne.MainMenu {
	item := func(label string, icon fyne.Resource, sc fyne.Shortcut, action func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, u.act(action))
		it.Icon = icon
		it.Shortcut = sc
		return it
	}
	quit := fyne.NewMenuItem("Quit", u.quit)
	quit.IsQuit = true
	workspace := fyne.NewMenu("Workspace",
		item("New case…", theme.ContentAddIcon(), shortcutNewCase, u.newCase),
		item("Save now", theme.DocumentSaveIcon(), shortcutSave, u.saveNow),
		item("Search all cases", theme.SearchIcon(), shortcutFind, u.showSearch),
		item("Filter the case list", theme.ListIcon(), shortcutFilter, u.focusFilter),
		item("Due and overdue", theme.CalendarIcon(), shortcutDue, u.showDue),
		fyne.NewMenuItemSeparator(),
		item("Settings…", theme.SettingsIcon(), nil, u.showSettings),
		item("Contacts…", theme.AccountIcon(), nil, u.showContacts),
		item("Import bundle…", theme.DownloadIcon(), nil, u.importBundle),
		fyne.NewMenuItemSeparator(),
		item("Lock", lockIcon, shortcutLock, u.lock),
		quit,
	)
	caseMenu := fyne.NewMenu("Case",
		item("Add evidence…", theme.ContentAddIcon(), shortcutImport, u.importEvidence),
		item("Export bundle…", theme.UploadIcon(), nil, u.exportBundle),
		item("Delete case…", theme.DeleteIcon(), nil, func() {
			if u.main != nil {
				u.main.deleteCase()
			}
		}),
	)
	return fyne.NewMainMenu(workspace, caseMenu)
}

// installShortcuts adds the shortcuts to the canvas too, for when no menu
// handles them (the test driver, a focused widget that passes them on).
// Each does nothing while the workspace is locked.
func (u *UI) installShortcuts() {
	c := u.win.Canvas()
	for sc, action := range map[*desktop.CustomShortcut]func(){
		shortcutNewCase: u.newCase,
		shortcutSave:    u.saveNow,
		shortcutLock:    u.lock,
		shortcutFind:    u.showSearch,
		shortcutFilter:  u.focusFilter,
		shortcutDue:     u.showDue,
		shortcutImport:  u.importEvidence,
	} {
		c.AddShortcut(sc, func(fyne.Shortcut) { u.act(action)() })
	}
}

func (u *UI) newCase() {
	if u.main != nil {
		u.main.newCase()
	}
}

func (u *UI) saveNow() {
	if u.main != nil && u.main.cv != nil {
		u.main.cv.saveNow()
	}
}

func (u *UI) showDue() {
	if u.main != nil {
		u.main.showDue()
	}
}

func (u *UI) showSearch() {
	if u.main != nil {
		u.main.showSearch()
	}
}

func (u *UI) focusFilter() {
	if u.main != nil {
		u.win.Canvas().Focus(u.main.list.query)
	}
}
