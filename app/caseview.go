package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// caseView is the right side of the main window for one open case: its
// header and its tabs. Edits are applied to the case with Case.Update after
// a pause in typing (commitDelay); the case's autosave then writes the file
// (autosaveDelay). The header says where that stands.
type caseView struct {
	mv   *mainView
	c    *casefile.Case
	id   string
	info casefile.CaseInfo // the record as last applied

	form       *overviewForm
	audit      *auditTab
	people     *peopleTab
	protection *protectionTab
	evidence   *evidenceTab
	assets     *assetsTab
	coop       *coopTab
	timeline   *timelineTab
	tabs       *container.AppTabs

	data       caseData // the register the tabs show
	dropReveal func()   // closes a reveal dialog and empties it, while one shows

	heading    *widget.Label
	saveIcon   *widget.Icon
	saveStatus *widget.Label
	content    fyne.CanvasObject

	edited       bool // the form has edits not yet applied
	cancelCommit func() bool
	gen          int // counts edits, to ignore stale commit timers
	closed       bool
}

func newCaseView(mv *mainView, c *casefile.Case, info casefile.CaseInfo) *caseView {
	u := mv.u
	cv := &caseView{mv: mv, c: c, id: c.ID(), info: info}
	cv.form = newOverviewForm(u, cv.onEdit)
	cv.form.set(info)
	cv.audit = newAuditTab()
	cv.people, cv.protection = newPeopleTab(cv), newProtectionTab(cv)
	cv.evidence = newEvidenceTab(cv)
	cv.assets, cv.coop, cv.timeline = newAssetsTab(cv), newCoopTab(cv), newTimelineTab(cv)
	cv.tabs = container.NewAppTabs(
		container.NewTabItem("Overview", cv.form.content),
		container.NewTabItem("People", cv.people.content),
		container.NewTabItem("Protection", cv.protection.content),
		container.NewTabItem("Evidence", cv.evidence.content),
		container.NewTabItem("Assets", cv.assets.content),
		container.NewTabItem("Cooperation", cv.coop.content),
		container.NewTabItem("Timeline", cv.timeline.content),
		container.NewTabItem("Audit", cv.audit.content),
	)
	cv.tabs.OnSelected = func(t *container.TabItem) {
		u.idle.poke()
		switch t.Text {
		case "Audit":
			cv.refreshAudit()
		case "Evidence":
			cv.evidence.reload(nil)
		}
	}

	cv.heading = heading("")
	cv.heading.Truncation = fyne.TextTruncateEllipsis
	cv.heading.Wrapping = fyne.TextWrapOff
	cv.saveIcon = widget.NewIcon(theme.ConfirmIcon())
	cv.saveStatus = widget.NewLabel("")
	saveBtn := widget.NewButtonWithIcon("Save now", theme.DocumentSaveIcon(), u.act(cv.saveNow))
	deleteBtn := widget.NewButtonWithIcon("Delete case…", theme.DeleteIcon(), u.act(mv.deleteCase))
	bar := container.NewHBox(cv.saveIcon, cv.saveStatus, layout.NewSpacer(), saveBtn, deleteBtn)
	cv.updateHeading()
	cv.setStatus(statusSaved, "No unsaved changes")
	cv.content = container.NewBorder(container.NewVBox(cv.heading, bar), nil, nil, nil, cv.tabs)
	cv.reloadData()
	cv.evidence.reload(nil)
	return cv
}

func (cv *caseView) updateHeading() {
	cv.heading.SetText(cv.info.Ref + " — " + cv.info.Title)
}

type saveState int

const (
	statusSaved saveState = iota
	statusPending
	statusFailed
)

func (cv *caseView) setStatus(s saveState, msg string) {
	switch s {
	case statusSaved:
		cv.saveIcon.SetResource(theme.ConfirmIcon())
		cv.saveStatus.Importance = widget.SuccessImportance
	case statusPending:
		cv.saveIcon.SetResource(theme.HistoryIcon())
		cv.saveStatus.Importance = widget.MediumImportance
	case statusFailed:
		cv.saveIcon.SetResource(theme.ErrorIcon())
		cv.saveStatus.Importance = widget.DangerImportance
	}
	cv.saveStatus.SetText(msg)
}

// onEdit runs on every change in the form: it (re)starts the pause after
// which the edits are applied.
func (cv *caseView) onEdit() {
	if cv.closed {
		return
	}
	u := cv.mv.u
	cv.edited = true
	cv.gen++
	gen := cv.gen
	cv.setStatus(statusPending, "Unsaved changes…")
	if cv.cancelCommit != nil {
		cv.cancelCommit()
	}
	cv.cancelCommit = u.clock.AfterFunc(u.commitDelay, func() {
		u.do(func() {
			if !cv.closed && gen == cv.gen {
				cv.commit(nil)
			}
		})
	})
}

// commit applies the form's edits with Case.Update; then, if they were
// applied, it calls next (if not nil).
func (cv *caseView) commit(next func()) {
	if cv.cancelCommit != nil {
		cv.cancelCommit()
		cv.cancelCommit = nil
	}
	if !cv.edited {
		if next != nil {
			next()
		}
		return
	}
	info, err := cv.form.read(cv.info)
	if err != nil {
		cv.form.showError(err)
		cv.setStatus(statusFailed, "Not saved: "+userMessage(err))
		return
	}
	cv.edited = false
	cv.setStatus(statusPending, "Saving…")
	u, c, gen := cv.mv.u, cv.c, cv.gen
	u.run(func() {
		err := c.Update(bg, info)
		dirty := c.Dirty()
		var stored casefile.CaseInfo
		if err == nil {
			stored, err = c.Info(bg)
		}
		u.do(func() {
			if cv.closed {
				return
			}
			cv.applied(stored, err, dirty, gen == cv.gen)
			if err == nil && next != nil {
				next()
			}
		})
	})
}

// applied shows the result of an Update. current says no edit came since.
func (cv *caseView) applied(stored casefile.CaseInfo, err error, dirty, current bool) {
	if err != nil {
		cv.edited = true
		cv.form.showError(err)
		cv.setStatus(statusFailed, "Not saved: "+userMessage(err))
		return
	}
	cv.info = stored
	cv.updateHeading()
	if !current {
		return
	}
	cv.form.showError(nil)
	// casefile fills a closed case's date with today.
	if cv.form.closed.entry.Text == "" && !stored.Closed.IsZero() {
		cv.form.loading = true
		cv.form.closed.set(stored.Closed)
		cv.form.loading = false
	}
	if dirty {
		cv.setStatus(statusPending, "Saving…")
	} else {
		cv.setStatus(statusSaved, "No unsaved changes")
	}
}

// autosaved shows the result of an automatic save.
func (cv *caseView) autosaved(err error) {
	if cv.closed {
		return
	}
	if err != nil {
		cv.setStatus(statusFailed, "Not saved: "+userMessage(err))
		return
	}
	if !cv.edited {
		cv.setStatus(statusSaved, "Saved at "+time.Now().Format("15:04:05"))
	}
	if cv.tabs.Selected() != nil && cv.tabs.Selected().Text == "Audit" {
		cv.refreshAudit()
	}
}

// saveNow applies the edits and saves the case file at once.
func (cv *caseView) saveNow() {
	cv.commit(func() {
		u, c := cv.mv.u, cv.c
		cv.setStatus(statusPending, "Saving…")
		u.run(func() {
			err := c.Save()
			u.do(func() {
				cv.autosaved(err)
				if err == nil && !cv.mv.detached {
					cv.mv.index.caseChanged(cv.id)
					cv.mv.reloadCases("")
				}
			})
		})
	})
}

func (cv *caseView) refreshAudit() {
	u, c := cv.mv.u, cv.c
	u.run(func() {
		entries, rep, err := c.Audit(bg)
		u.do(func() {
			if !cv.closed {
				cv.audit.show(entries, rep, err)
			}
		})
	})
}

// detach ends the view: timers stop, the widgets are emptied, and the
// returned function applies the edits not yet applied (it runs in a job,
// before the case is closed).
func (cv *caseView) detach() func() error {
	cv.closed = true
	if cv.cancelCommit != nil {
		cv.cancelCommit()
	}
	flush := func() error { return nil }
	if cv.edited {
		info, err := cv.form.read(cv.info)
		c, ref := cv.c, cv.info.Ref
		if err != nil {
			flush = func() error { return fmt.Errorf("the last edits of case %s were discarded: %w", ref, err) }
		} else {
			flush = func() error {
				if err := c.Update(bg, info); err != nil {
					return fmt.Errorf("the last edits of case %s were discarded: %w", info.Ref, err)
				}
				return nil
			}
		}
	}
	if cv.dropReveal != nil {
		cv.dropReveal()
	}
	cv.evidence.detach()
	cv.clearData()
	cv.form.set(casefile.CaseInfo{})
	cv.audit.show(nil, casefile.ChainReport{}, nil)
	cv.heading.SetText("")
	return flush
}
