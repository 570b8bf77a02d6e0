package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// newCase asks for a new case's first fields and creates it.
func (mv *mainView) newCase() {
	if mv.detached {
		return
	}
	if mv.cv != nil {
		mv.cv.commit(nil)
	}
	showNewCaseDialog(mv.u, mv.createCase)
}

// createCase creates a case from info and shows it; done gets the error,
// or nil once the case exists.
func (mv *mainView) createCase(info casefile.CaseInfo, done func(error)) {
	u, ws := mv.u, mv.ws
	u.run(func() {
		c, err := ws.CreateCase(bg, info)
		var stored casefile.CaseInfo
		if err == nil {
			c.SetAutosave(u.autosaveDelay, mv.autosaved(c))
			stored, err = c.Info(bg)
		}
		u.do(func() {
			done(err)
			if err != nil || mv.detached {
				return
			}
			flush := func() error { return nil }
			if mv.cv != nil {
				flush = mv.cv.detach()
				mv.cv = nil
			}
			mv.latest.Add(1) // an open request still queued is now stale
			mv.showCase(c, stored)
			mv.reloadCases(c.ID())
			mv.index.caseChanged(c.ID())
			u.run(func() {
				err := flush()
				if cerr := mv.closeWorkerCase(c.ID()); cerr != nil {
					err = cerr
				}
				mv.wOpen = c
				if err != nil {
					u.do(func() { dialog.ShowError(err, u.win) })
				}
			})
		})
	})
}

// showNewCaseDialog asks for the fields a case starts with. create is
// called with them; the dialog stays open, showing the error, until create
// reports success through done.
func showNewCaseDialog(u *UI, create func(info casefile.CaseInfo, done func(error))) {
	ref := widget.NewEntry()
	ref.SetPlaceHolder("e.g. TIP-2026-014")
	title := widget.NewEntry()
	title.SetPlaceHolder("A short name for the case")
	status := widget.NewSelect(statusOptions(), nil)
	status.SetSelected(statusName(casefile.StatusIntake))
	fast := widget.NewCheck("Fast-track: a serious or aggravated case", nil)
	lead := widget.NewEntry()
	lead.SetPlaceHolder("Name of the prosecutor in charge")
	opened := newDateField(u.win, nil)
	opened.set(casefile.Today())
	errLabel := errorLabel()
	busy := newBusyIndicator()
	for _, e := range []*widget.Entry{ref, title, lead} {
		u.watchEntry(e)
	}

	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Reference"), ref,
		widget.NewLabel("Title"), title,
		widget.NewLabel("Status"), container.NewHBox(status),
		widget.NewLabel("Priority"), fast,
		widget.NewLabel("Lead prosecutor"), lead,
		widget.NewLabel("Opened"), container.New(fixedWidth(220), opened.content),
	)
	note := widget.NewLabel("The other fields (forms of exploitation, countries, summary, tags) are on the case's Overview tab.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	content := container.NewVBox(form, note, errLabel, busy)

	var d *dialog.CustomDialog
	var createBtn *widget.Button
	submit := func() {
		u.idle.poke()
		openedDate, err := opened.date("opened")
		if err != nil {
			setError(errLabel, err)
			return
		}
		info := casefile.CaseInfo{
			Ref: ref.Text, Title: title.Text, Status: statusFromName(status.Selected),
			FastTrack: fast.Checked, LeadProsecutor: lead.Text, Opened: openedDate,
		}
		setError(errLabel, nil)
		createBtn.Disable()
		busy.start("Creating the case…")
		create(info, func(err error) {
			busy.stop()
			createBtn.Enable()
			if err != nil {
				setError(errLabel, err)
				return
			}
			d.Hide()
		})
	}
	createBtn = widget.NewButtonWithIcon("Create case", theme.ConfirmIcon(), submit)
	createBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	ref.OnSubmitted = func(string) { submit() }
	title.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomWithoutButtons("New case", content, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, createBtn})
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
	u.win.Canvas().Focus(ref)
}

// showDeleteDialog asks the user to type the case's reference before
// confirmed is called.
func showDeleteDialog(u *UI, info casefile.CaseInfo, confirmed func()) {
	warn := widget.NewLabel(fmt.Sprintf("Delete case %s — %s?\n\n"+
		"The case file and its key are destroyed: this workspace can never open the case again. "+
		"Only a backup made before now still holds it. This cannot be undone.", info.Ref, info.Title))
	warn.Wrapping = fyne.TextWrapWord
	typed := widget.NewEntry()
	typed.SetPlaceHolder(info.Ref)
	var d *dialog.CustomDialog
	del := widget.NewButtonWithIcon("Delete for ever", theme.DeleteIcon(), func() {
		if strings.TrimSpace(typed.Text) != info.Ref {
			return
		}
		d.Hide()
		confirmed()
	})
	del.Importance = widget.DangerImportance
	del.Disable()
	typed.OnChanged = func(s string) {
		u.idle.poke()
		if strings.TrimSpace(s) == info.Ref {
			del.Enable()
		} else {
			del.Disable()
		}
	}
	cancel := widget.NewButtonWithIcon("Keep the case", theme.CancelIcon(), func() { d.Hide() })
	content := container.NewVBox(warn,
		widget.NewLabelWithStyle("To confirm, type the case's reference: "+info.Ref, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		typed)
	d = dialog.NewCustomWithoutButtons("Delete case", content, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, del})
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	u.win.Canvas().Focus(typed)
}
