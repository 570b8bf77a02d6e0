package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// timelineTab is the Timeline tab: the case's deadlines and events
// (hearings, custody limits, protection reviews, request deadlines, tasks)
// and the notes on the case.
type timelineTab struct {
	cv      *caseView
	data    *caseData
	table   *sortTable
	edit    *widget.Button
	done    *widget.Button
	hint    *widget.Label
	notes   *notesPanel
	content fyne.CanvasObject
}

var timelineColumns = []column{
	{"Due", 110}, {"Kind", 160}, {"Title", 0}, {"Concerns", 190}, {"State", 150},
}

func newTimelineTab(cv *caseView) *timelineTab {
	u := cv.mv.u
	t := &timelineTab{cv: cv, data: &caseData{}}
	t.table = newSortTable(timelineColumns, t.cell, func(r int) string { return t.data.deadlines[r].ID })
	t.table.key = func(r, col int) string {
		d := t.data.deadlines[r]
		if col == 4 {
			return fmt.Sprintf("%v %s", d.Done, d.Due)
		}
		return strings.ToLower(t.cell(r, col))
	}
	t.table.danger = func(r, col int) bool {
		return (col == 0 || col == 4) && t.data.deadlines[r].Overdue(casefile.Today())
	}
	t.table.icon = func(r, col int) fyne.Resource {
		if col == 2 && t.data.deadlines[r].Derived {
			return theme.MailForwardIcon()
		}
		return nil
	}
	t.table.setEmpty("No deadlines yet. Add hearings, limitation dates and tasks with “Add deadline…”. " +
		"Protection reviews, request deadlines and custody time limits appear here by themselves.")
	t.table.onSelect = func(int) { t.updateButtons() }

	var add *widget.Button
	add, t.edit = registerButtons(u, t.table, "Add deadline…", func() []casefile.Deadline { return t.data.deadlines },
		func(d *casefile.Deadline) { showDeadlineForm(cv, d) })
	t.done = widget.NewButtonWithIcon("Mark done", theme.ConfirmIcon(), u.act(t.toggleDone))
	t.hint = widget.NewLabel("")
	t.hint.Importance = widget.LowImportance
	t.hint.Wrapping = fyne.TextWrapWord
	legend := widget.NewLabel("Rows with a link mark come from another record and change there. Overdue dates are red.")
	legend.Importance = widget.LowImportance
	legend.Wrapping = fyne.TextWrapWord
	bar := container.NewHBox(add, t.edit, t.done, layout.NewSpacer())
	deadlines := container.NewBorder(container.NewVBox(bar, legend), t.hint, nil, nil, t.table.content)

	t.notes = newNotesPanel(cv, "", "Notes on the case")
	split := container.NewVSplit(deadlines, t.notes.content)
	split.Offset = 0.62
	t.content = split
	t.updateButtons()
	return t
}

func (t *timelineTab) cell(r, col int) string {
	d := &t.data.deadlines[r]
	switch col {
	case 0:
		return d.Due.String()
	case 1:
		return valueName(d.Kind)
	case 2:
		return deadlineTitle(*d)
	case 3:
		if strings.HasPrefix(d.ID, "custody:") || strings.HasPrefix(d.ID, "protection:") {
			return "" // the title names the person already
		}
		if strings.HasPrefix(d.ID, "request:") {
			return ""
		}
		return t.data.targetName(d.TargetID)
	default:
		return deadlineState(*d, casefile.Today())
	}
}

// deadlineTitle is a deadline's title, with the request kind that
// casefile writes into a derived request deadline as the user reads it.
func deadlineTitle(d casefile.Deadline) string {
	if d.Derived && d.Kind == "request-deadline" {
		for _, k := range casefile.RequestKinds {
			if rest, ok := strings.CutPrefix(d.Title, "Request deadline: "+string(k)+","); ok {
				return "Request deadline: " + valueName(k) + "," + rest
			}
		}
	}
	return d.Title
}

// deadlineState says where a deadline stands: done, overdue, or how soon.
func deadlineState(d casefile.Deadline, today casefile.Date) string {
	days := int(d.Due.Time().Sub(today.Time()).Hours() / 24)
	switch {
	case d.Done:
		return "Done"
	case days < -1:
		return fmt.Sprintf("Overdue by %d days", -days)
	case days == -1:
		return "Overdue by 1 day"
	case days == 0:
		return "Due today"
	case days == 1:
		return "Tomorrow"
	default:
		return fmt.Sprintf("In %d days", days)
	}
}

// derivedSource says where a derived deadline is changed.
func derivedSource(d casefile.Deadline) string {
	switch {
	case strings.HasPrefix(d.ID, "protection:"):
		return "This date is the review date of a protection record: change it on the Protection tab (“Edit protection…”)."
	case strings.HasPrefix(d.ID, "request:"):
		return "This date is the deadline of a cooperation request: change it on the Cooperation tab; it goes once the request is executed, refused or withdrawn."
	case strings.HasPrefix(d.ID, "custody:"):
		return "This date is the custody time limit of a suspect or defendant: change it on the People tab (Edit…, Custody time limit)."
	}
	return "This date comes from another record: change it there."
}

func (t *timelineTab) show(d *caseData) {
	t.data = d
	t.table.setRows(len(d.deadlines))
	t.updateButtons()
	t.notes.show(d.notes)
}

func (t *timelineTab) updateButtons() {
	r := t.table.selectedRow()
	t.hint.SetText("")
	if r < 0 {
		t.edit.Disable()
		t.done.Disable()
		return
	}
	d := t.data.deadlines[r]
	if d.Derived {
		t.edit.Disable()
		t.done.Disable()
		t.hint.SetText(derivedSource(d))
		return
	}
	t.edit.Enable()
	t.done.Enable()
	if d.Done {
		t.done.SetText("Mark not done")
	} else {
		t.done.SetText("Mark done")
	}
}

func (t *timelineTab) toggleDone() {
	r := t.table.selectedRow()
	if r < 0 || t.data.deadlines[r].Derived {
		return
	}
	d := t.data.deadlines[r]
	d.Done = !d.Done
	t.cv.change(func(c *casefile.Case) error { return c.UpdateDeadline(bg, d) }, func(err error) {
		if err != nil {
			t.hint.SetText(userMessage(err))
		}
	})
}

// targetOptions lists what a deadline can concern: people (by display
// name), assets and requests.
func targetOptions(d *caseData) (opts []string, ids map[string]string) {
	opts, ids = ownerOptions(d)
	for _, a := range d.assets {
		o := "Asset: " + a.Description
		if ids[o] == "" {
			opts, ids[o] = append(opts, o), a.ID
		}
	}
	for _, r := range d.requests {
		o := "Request: " + requestLabel(r)
		if ids[o] == "" {
			opts, ids[o] = append(opts, o), r.ID
		}
	}
	return opts, ids
}

// showDeadlineForm adds a deadline (d nil) or edits d.
func showDeadlineForm(cv *caseView, d *casefile.Deadline) {
	u := cv.mv.u
	f := newFieldForm()
	kinds := casefile.DeadlineKinds
	kind := widget.NewSelect(valueNameList(kinds), nil)
	kind.SetSelected(valueName(casefile.DeadlineKind("hearing")))
	title := widget.NewEntry()
	title.SetPlaceHolder("e.g. Preliminary hearing, Criminal Court room 3")
	var due *dateField
	due = newDateField(u.win, func() { u.idle.poke(); checkDate(f, "due", due, true) })
	opts, ids := targetOptions(&cv.data)
	target := optionalSelect(opts, nil)
	notes := widget.NewMultiLineEntry()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetMinRowsVisible(2)
	f.row("Kind", narrow(kind), "kind")
	f.row("Title", title, "title")
	f.row("Due", container.New(fixedWidth(220), due.content), "due")
	f.row("Concerns", target, "target")
	f.row("Notes", notes, "notes")
	heading, save := "Add deadline", "Add deadline"
	if d != nil {
		heading, save = "Edit deadline", "Save changes"
		setSelected(kind, valueName(d.Kind))
		title.SetText(d.Title)
		due.set(d.Due)
		for o, id := range ids {
			if id == d.TargetID {
				setSelected(target, o)
			}
		}
		notes.SetText(d.Notes)
	}
	formDialog(u, heading, save, f, nil, fyne.NewSize(680, 480), func(done func(error)) {
		checkDate(f, "due", due, true)
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		nd := casefile.Deadline{}
		if d != nil {
			nd = *d
		}
		nd.Kind = valueFromName(kinds, kind.Selected)
		nd.Title, nd.Notes = title.Text, notes.Text
		nd.Due, _ = due.date("due")
		nd.TargetID = ids[selected(target)]
		cv.change(func(c *casefile.Case) error {
			if d == nil {
				_, err := c.AddDeadline(bg, nd)
				return err
			}
			return c.UpdateDeadline(bg, nd)
		}, done)
	})
}
