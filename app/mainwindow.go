package app

import (
	"fmt"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// mainView is the unlocked window: the case list on the left, the open
// case on the right.
type mainView struct {
	u        *UI
	ws       *casefile.Workspace
	list     *caseList
	pane     *fyne.Container // holds the open case, or a message
	cv       *caseView       // the case shown, or nil
	due      *dueView        // the Due view, while it shows in place of the case
	bundles  bundleViews     // the Contacts view and bundle wizards, while open
	index    *indexer        // the search index
	search   *searchView     // the Search view, once opened (kept with its results)
	shown    func(*caseView) // runs once the next case shows (a search hit's item)
	status   *widget.Label
	content  fyne.CanvasObject
	detached bool

	latest atomic.Int64 // the newest open request; older ones are skipped

	// wOpen is the case the worker holds open. Only jobs (u.run) touch it,
	// one at a time.
	wOpen *casefile.Case
}

// showMain shows the main view of the unlocked workspace.
func (u *UI) showMain() {
	u.unlock = nil
	mv := &mainView{u: u, ws: u.ws}
	u.main = mv
	mv.index = openIndex(u, mv.ws)
	mv.list = newCaseList(u, mv.openCase, mv.newCase)

	newBtn := widget.NewButtonWithIcon("New case", theme.ContentAddIcon(), u.act(mv.newCase))
	newBtn.Importance = widget.HighImportance
	dueBtn := widget.NewButtonWithIcon("Due and overdue", theme.CalendarIcon(), u.act(mv.showDue))
	searchBtn := widget.NewButtonWithIcon("Search all cases", theme.SearchIcon(), u.act(mv.showSearch))
	settingsBtn := widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), u.act(u.showSettings))
	lockBtn := widget.NewButtonWithIcon("Lock", lockIcon, u.act(u.lock))
	toolbar := container.NewHBox(newBtn, dueBtn, searchBtn, layout.NewSpacer(), settingsBtn, lockBtn)

	mv.pane = container.NewStack()
	mv.showNoCase()
	split := container.NewHSplit(mv.list.content, mv.pane)
	split.Offset = 0.3
	mv.status = widget.NewLabel("")
	mv.status.Importance = widget.LowImportance
	mv.status.Truncation = fyne.TextTruncateEllipsis
	mv.updateStatusBar()
	mv.content = container.NewBorder(
		container.NewVBox(container.NewPadded(toolbar), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), mv.status), nil, nil, split)

	u.win.SetMainMenu(u.mainMenu())
	u.setContent(container.NewStack(mv.content, u.idle.layer))
	u.idle.start()
	mv.reloadCases("")
}

func (mv *mainView) updateStatusBar() {
	m := int(mv.u.idle.timeout().Minutes())
	unit := "minutes"
	if m == 1 {
		unit = "minute"
	}
	what := "Workspace"
	if mv.u.isDemo() {
		what = "DEMO workspace, fictional data only"
	}
	mv.status.SetText(fmt.Sprintf("%s: %s   ·   Locks itself after %d %s without input (Ctrl+L locks now)", what, mv.ws.Dir(), m, unit))
}

// detach ends the view (for a lock or quit): it stops its timers, clears
// its widgets and returns the work that applies edits not yet applied,
// to run before the workspace locks.
func (mv *mainView) detach() (flush func() error) {
	mv.detached = true
	mv.due = nil
	flushCase := func() error { return nil }
	if mv.cv != nil {
		flushCase = mv.cv.detach()
		mv.cv = nil
	}
	if mv.search != nil {
		mv.search.clear()
	}
	closeIndex := mv.index.detach()
	mv.list.set(nil)
	mv.pane.RemoveAll()
	return func() error {
		err := flushCase()
		closeIndex(mv.wOpen)
		return err
	}
}

// showNoCase shows the right side's empty state.
func (mv *mainView) showNoCase() {
	mv.due = nil
	msg := widget.NewLabel("Select a case in the list on the left to open it, or create a new case.")
	msg.Wrapping = fyne.TextWrapWord
	msg.Alignment = fyne.TextAlignCenter
	create := widget.NewButtonWithIcon("New case", theme.ContentAddIcon(), mv.u.act(mv.newCase))
	mv.setPane(centered(420, heading("No case open"), msg, container.NewCenter(create)))
}

func (mv *mainView) setPane(o fyne.CanvasObject) {
	mv.pane.Objects = []fyne.CanvasObject{o}
	mv.pane.Refresh()
}

// reloadCases reads the case list again; selectID, if set, is selected.
func (mv *mainView) reloadCases(selectID string) {
	u, ws := mv.u, mv.ws
	u.run(func() {
		list, err := ws.Cases()
		u.do(func() {
			if mv.detached {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("cannot list the cases: %w", err), u.win)
				return
			}
			mv.list.set(list)
			if selectID != "" {
				mv.list.selectID(selectID)
			}
		})
	})
}

// openCase shows the case with id, after applying the edits of the case
// shown now (and staying on it if they cannot be applied).
func (mv *mainView) openCase(id string) {
	u := mv.u
	if cv := mv.cv; cv != nil {
		if cv.id == id {
			if len(mv.pane.Objects) == 0 || mv.pane.Objects[0] != cv.content {
				mv.due = nil
				mv.setPane(cv.content)
			}
			if f := mv.shown; f != nil {
				mv.shown = nil
				f(cv)
			}
			return
		}
		if cv.edited {
			mv.list.selectID(cv.id)
			cv.commit(func() {
				mv.list.selectID(id)
				mv.openCase(id)
			})
			return
		}
		cv.detach()
		mv.cv = nil
	}
	mv.setPane(busyScreen("Opening the case…"))
	seq := mv.latest.Add(1)
	ws := mv.ws
	u.run(func() {
		if mv.latest.Load() != seq {
			return // a newer request is queued
		}
		closeErr := mv.closeWorkerCase(id)
		c, err := ws.OpenCase(bg, id)
		var info casefile.CaseInfo
		if err == nil {
			mv.wOpen = c
			c.SetAutosave(u.autosaveDelay, mv.autosaved(c))
			info, err = c.Info(bg)
		}
		u.do(func() {
			if mv.detached {
				return
			}
			if closeErr != nil {
				dialog.ShowError(closeErr, u.win)
			}
			if mv.latest.Load() != seq {
				return
			}
			if err != nil {
				mv.showOpenError(err)
				return
			}
			mv.showCase(c, info)
		})
	})
}

// closeWorkerCase closes the case the worker holds open, unless it is keep.
// It runs in a job.
func (mv *mainView) closeWorkerCase(keep string) error {
	old := mv.wOpen
	if old == nil || old.ID() == keep {
		return nil
	}
	mv.wOpen = nil
	if old.Dirty() {
		// Closing saves it without an autosave report: index it now.
		mv.index.reindex(old.ID())
	}
	if err := old.Close(); err != nil {
		// The case stays open in the workspace, which tries again when it locks.
		return fmt.Errorf("the previous case could not be saved: %w", err)
	}
	return nil
}

// autosaved returns the callback of c's automatic saves.
func (mv *mainView) autosaved(c *casefile.Case) func(error) {
	u := mv.u
	return func(err error) {
		u.do(func() {
			if mv.detached {
				return
			}
			if mv.cv != nil && mv.cv.c == c {
				mv.cv.autosaved(err)
			} else if err != nil {
				dialog.ShowError(err, u.win)
			}
			if err == nil {
				mv.index.caseChanged(c.ID())
				mv.reloadCases("")
				if mv.due != nil {
					mv.due.refresh()
				}
			}
		})
	}
}

func (mv *mainView) showOpenError(err error) {
	msg := widget.NewLabel(userMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	mv.setPane(centered(520, heading("This case cannot be opened"), msg))
}

// showCase shows an open case.
func (mv *mainView) showCase(c *casefile.Case, info casefile.CaseInfo) {
	mv.due = nil
	mv.cv = newCaseView(mv, c, info)
	mv.setPane(mv.cv.content)
	mv.list.selectID(c.ID())
	if f := mv.shown; f != nil {
		mv.shown = nil
		f(mv.cv)
	}
}

// deleteCase asks for the case's reference and deletes it.
func (mv *mainView) deleteCase() {
	cv := mv.cv
	if cv == nil {
		return
	}
	u, ws, id, ref := mv.u, mv.ws, cv.id, cv.info.Ref
	showDeleteDialog(u, cv.info, func() {
		u.run(func() {
			if mv.wOpen != nil && mv.wOpen.ID() == id {
				mv.wOpen = nil
			}
			err := ws.DeleteCase(bg, id)
			if err == nil {
				mv.index.caseDeleted(id)
			}
			u.do(func() {
				if mv.detached {
					return
				}
				if err != nil {
					dialog.ShowError(fmt.Errorf("case %s was not deleted: %w", ref, err), u.win)
					return
				}
				if mv.cv != nil && mv.cv.id == id {
					mv.cv.detach()
					mv.cv = nil
					mv.showNoCase()
				}
				mv.reloadCases("")
			})
		})
	})
}
