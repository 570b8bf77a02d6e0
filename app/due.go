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

// dueView is the workspace-wide list of what is overdue or due soon, in
// every case: hearings, tasks, custody limits, protection reviews and
// request deadlines. It reads the catalog (no case file is opened), which
// each case updates when it is saved. Selecting a row opens its case.
type dueView struct {
	mv      *mainView
	within  *widget.Select
	table   *sortTable
	items   []casefile.Deadline
	summary *widget.Label
	content fyne.CanvasObject
}

var dueWindows = []struct {
	label string
	days  int
}{{"7 days", 7}, {"14 days", 14}, {"30 days", 30}, {"90 days", 90}}

var dueColumns = []column{
	{"Due", 110}, {"State", 150}, {"Case", 150}, {"Kind", 170}, {"Title", 0},
}

func newDueView(mv *mainView) *dueView {
	u := mv.u
	v := &dueView{mv: mv}
	opts := make([]string, len(dueWindows))
	for i, w := range dueWindows {
		opts[i] = w.label
	}
	v.within = widget.NewSelect(opts, func(string) { u.idle.poke(); v.refresh() })
	v.within.Selected = "14 days"
	v.table = newSortTable(dueColumns, v.cell, func(r int) string { return v.items[r].CaseID + "/" + v.items[r].ID })
	v.table.key = func(r, col int) string {
		d := v.items[r]
		if col == 1 {
			return d.Due.String()
		}
		return strings.ToLower(v.cell(r, col))
	}
	v.table.danger = func(r, col int) bool { return col <= 1 && v.items[r].Overdue(casefile.Today()) }
	v.table.onSelect = func(r int) {
		if r >= 0 {
			u.idle.poke()
			mv.openCase(v.items[r].CaseID)
		}
	}
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	back := widget.NewButtonWithIcon("Close", theme.CancelIcon(), u.act(mv.closeDue))
	title := heading("Due and overdue — all cases")
	bar := container.NewHBox(widget.NewLabel("Overdue, and due within"), v.within, layout.NewSpacer(), back)
	hint := widget.NewLabel("Select a row to open its case. Deadlines come from each case's Timeline tab, protection reviews and " +
		"cooperation requests; a change shows here once its case is saved (a few seconds after the edit).")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(container.NewVBox(title, bar, v.summary), hint, nil, nil, v.table.content)
	return v
}

func (v *dueView) days() int {
	for _, w := range dueWindows {
		if w.label == v.within.Selected {
			return w.days
		}
	}
	return 14
}

func (v *dueView) cell(r, col int) string {
	d := &v.items[r]
	switch col {
	case 0:
		return d.Due.String()
	case 1:
		return deadlineState(*d, casefile.Today())
	case 2:
		return d.CaseRef
	case 3:
		return valueName(d.Kind)
	default:
		return deadlineTitle(*d)
	}
}

// refresh reads the due list again.
func (v *dueView) refresh() {
	u, ws, days := v.mv.u, v.mv.ws, v.days()
	u.run(func() {
		items, err := ws.Due(casefile.Today().AddDays(days))
		u.do(func() {
			if v.mv.due != v {
				return
			}
			v.show(items, days, err)
		})
	})
}

func (v *dueView) show(items []casefile.Deadline, days int, err error) {
	if err != nil {
		v.items = nil
		v.summary.Importance = widget.DangerImportance
		v.summary.SetText(userMessage(fmt.Errorf("cannot read the due list: %w", err)))
		v.table.setRows(0)
		return
	}
	v.items = items
	overdue := 0
	for _, d := range items {
		if d.Overdue(casefile.Today()) {
			overdue++
		}
	}
	v.summary.Importance = widget.MediumImportance
	switch {
	case len(items) == 0:
		v.summary.SetText("")
	case overdue > 0:
		v.summary.Importance = widget.DangerImportance
		v.summary.SetText(fmt.Sprintf("%d overdue, %d due in the next %d days.", overdue, len(items)-overdue, days))
	default:
		v.summary.SetText(fmt.Sprintf("%d due in the next %d days; nothing overdue.", len(items), days))
	}
	v.summary.Refresh()
	v.table.setEmpty(fmt.Sprintf("Nothing is overdue or due in the next %d days in any case. "+
		"Add hearings and tasks on a case's Timeline tab; protection review dates and cooperation request deadlines show here by themselves. "+
		"Choose a longer period above to look further ahead.", days))
	v.table.setRows(len(items))
}

// showDue shows the Due view in place of the open case (which stays open
// behind it).
func (mv *mainView) showDue() {
	if mv.detached {
		return
	}
	if mv.due == nil {
		mv.due = newDueView(mv)
	}
	mv.setPane(mv.due.content)
	mv.due.refresh()
}

// closeDue goes back to the open case, if any.
func (mv *mainView) closeDue() {
	mv.due = nil
	if mv.cv != nil {
		mv.setPane(mv.cv.content)
		return
	}
	mv.showNoCase()
}
