package app

import (
	"errors"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// idleChoice returns the Settings label of an idle time.
func idleChoice(m int) string {
	if m == 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}

// setIdleMinutes stores the idle time (a plain number, the only thing
// CaseVault keeps in Fyne's preferences) and applies it.
func (u *UI) setIdleMinutes(m int) {
	u.app.Preferences().SetInt(prefIdleMinutes, m)
	u.idle.restart()
	if u.main != nil {
		u.main.updateStatusBar()
	}
}

// showSettings shows the settings dialog: idle lock and passphrase.
func (u *UI) showSettings() {
	if u.main == nil {
		return
	}
	cur := int(u.idle.timeout().Minutes())
	opts := make([]string, len(idleMinutesChoices))
	for i, m := range idleMinutesChoices {
		opts[i] = idleChoice(m)
	}
	idle := widget.NewSelect(opts, func(s string) {
		for _, m := range idleMinutesChoices {
			if idleChoice(m) == s {
				u.setIdleMinutes(m)
			}
		}
	})
	idle.SetSelected(idleChoice(cur))
	idleHelp := widget.NewLabel("Without keyboard or mouse input for this long, CaseVault saves, locks and clears the window.")
	idleHelp.Wrapping = fyne.TextWrapWord
	idleHelp.Importance = widget.LowImportance
	folder := widget.NewLabel(u.main.ws.Dir())
	folder.Wrapping = fyne.TextWrapBreak
	folder.Selectable = true
	change := widget.NewButtonWithIcon("Change the passphrase…", lockIcon, u.act(u.showChangePassphrase))

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Lock after"), container.NewVBox(container.NewHBox(idle), idleHelp),
		widget.NewLabel("Workspace folder"), folder,
		widget.NewLabel("Passphrase"), container.NewHBox(change),
	)
	d := dialog.NewCustom("Settings", "Close", form, u.win)
	d.Resize(fyne.NewSize(600, 0))
	d.Show()
}

// showChangePassphrase asks for the current passphrase and a new one.
func (u *UI) showChangePassphrase() {
	if u.main == nil {
		return
	}
	ws := u.main.ws
	old := widget.NewPasswordEntry()
	old.SetPlaceHolder("The passphrase you use now")
	errLabel := errorLabel()
	busy := newBusyIndicator()
	var ok *widget.Button
	np := newNewPassphraseForm(func(valid bool) {
		if ok == nil {
			return
		}
		if valid {
			ok.Enable()
		} else {
			ok.Disable()
		}
	})
	u.watchEntry(old)
	u.watchEntry(np.pass)
	u.watchEntry(np.repeat)
	form := container.New(layout.NewFormLayout(),
		append([]fyne.CanvasObject{widget.NewLabel("Current passphrase"), old}, np.objects()...)...)
	note := widget.NewLabel("The recovery code stays the same. The cases are not re-encrypted: only the key file changes.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	var d *dialog.CustomDialog
	ok = widget.NewButtonWithIcon("Change the passphrase", theme.ConfirmIcon(), func() {
		if old.Text == "" {
			setError(errLabel, errors.New("type the current passphrase"))
			return
		}
		oldPass, newPass := takeSecret(old), np.take()
		ok.Disable()
		setError(errLabel, nil)
		busy.start("Changing the passphrase…")
		u.run(func() {
			err := ws.ChangePassphrase(oldPass, newPass)
			wipe(oldPass)
			wipe(newPass)
			u.do(func() {
				busy.stop()
				if errors.Is(err, casefile.ErrWrongPassphrase) {
					err = errors.New("the current passphrase is wrong: nothing was changed")
				}
				if err != nil {
					setError(errLabel, err)
					return
				}
				d.Hide()
				dialog.ShowInformation("Passphrase changed", "From now on, unlock the workspace with the new passphrase.", u.win)
			})
		})
	})
	ok.Importance = widget.HighImportance
	ok.Disable()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Change the passphrase", container.NewVBox(form, note, errLabel, busy), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
	u.win.Canvas().Focus(old)
}

// showQuitError says why the workspace could not be closed and asks whether
// to quit anyway.
func showQuitError(u *UI, err error) {
	dialog.ShowConfirm("Could not save",
		fmt.Sprintf("%s\n\nQuit anyway and lose the unsaved changes?", userMessage(err)),
		func(quit bool) {
			if quit {
				u.app.Quit()
				return
			}
			u.showUnlock(nil)
		}, u.win)
}
