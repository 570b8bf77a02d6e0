package app

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// Sort orders of the case list.
const (
	sortRef     = "Sort by reference"
	sortTitle   = "Sort by title"
	sortStatus  = "Sort by status"
	sortChanged = "Sort by last change"
	allStatuses = "All statuses"
)

// filterCases returns the cases that match every word of query (in the
// reference, title, lead prosecutor or tags, ignoring case), have the
// status (unless status is empty) and, if fastOnly, are fast-tracked.
func filterCases(all []casefile.CaseSummary, query string, status casefile.Status, fastOnly bool) []casefile.CaseSummary {
	words := strings.Fields(strings.ToLower(query))
	out := []casefile.CaseSummary{}
	for _, c := range all {
		if status != "" && c.Status != status || fastOnly && !c.FastTrack {
			continue
		}
		hay := strings.ToLower(c.Ref + "\x00" + c.Title + "\x00" + c.LeadProsecutor + "\x00" + strings.Join(c.Tags, "\x00"))
		ok := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out
}

// sortCases sorts cases in place by one of the sort orders; ties fall back
// to the reference.
func sortCases(cs []casefile.CaseSummary, by string) {
	rank := func(s casefile.Status) int { return slices.Index(casefile.Statuses, s) }
	slices.SortStableFunc(cs, func(a, b casefile.CaseSummary) int {
		var d int
		switch by {
		case sortTitle:
			d = strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		case sortStatus:
			d = rank(a.Status) - rank(b.Status)
		case sortChanged:
			d = b.Updated.Compare(a.Updated) // newest first
		}
		if d == 0 {
			d = strings.Compare(a.Ref, b.Ref)
		}
		return d
	})
}

// caseList is the left side of the main window: filters and the cases.
type caseList struct {
	all, shown []casefile.CaseSummary
	selected   string // id of the selected case

	query    *widget.Entry
	status   *widget.Select
	sortBy   *widget.Select
	fastOnly *widget.Check
	list     *widget.List
	count    *widget.Label
	empty    *fyne.Container
	emptyMsg *widget.Label
	clear    *widget.Button
	content  fyne.CanvasObject

	onSelect func(id string)
	loading  bool
}

func newCaseList(u *UI, onSelect func(id string), newCase func()) *caseList {
	l := &caseList{onSelect: onSelect}
	l.query = widget.NewEntry()
	l.query.SetPlaceHolder("Filter: reference, title, prosecutor, tag")
	l.query.OnChanged = func(string) { l.apply() }
	u.watchEntry(l.query)
	l.status = widget.NewSelect(append([]string{allStatuses}, statusOptions()...), nil)
	l.status.SetSelected(allStatuses)
	l.status.OnChanged = func(string) { l.apply() }
	l.sortBy = widget.NewSelect([]string{sortRef, sortTitle, sortStatus, sortChanged}, nil)
	l.sortBy.SetSelected(sortRef)
	l.sortBy.OnChanged = func(string) { l.apply() }
	l.fastOnly = widget.NewCheck("Fast-track only", func(bool) { l.apply() })
	l.count = widget.NewLabel("")
	l.count.Importance = widget.LowImportance

	l.list = widget.NewList(
		func() int { return len(l.shown) },
		newCaseRow,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(l.shown) {
				updateCaseRow(o, l.shown[id])
			}
		})
	l.list.OnSelected = func(id widget.ListItemID) {
		if l.loading || id >= len(l.shown) {
			return
		}
		u.idle.poke()
		l.selected = l.shown[id].ID
		l.onSelect(l.selected)
	}

	l.emptyMsg = widget.NewLabel("")
	l.emptyMsg.Wrapping = fyne.TextWrapWord
	l.emptyMsg.Alignment = fyne.TextAlignCenter
	l.clear = widget.NewButton("Clear the filter", func() {
		l.query.SetText("")
		l.status.SetSelected(allStatuses)
		l.fastOnly.SetChecked(false)
	})
	create := widget.NewButtonWithIcon("New case", theme.ContentAddIcon(), newCase)
	l.empty = container.NewVBox(l.emptyMsg, container.NewCenter(container.NewHBox(l.clear, create)))
	l.empty.Hide()

	filters := container.NewVBox(
		l.query,
		container.NewGridWithColumns(2, l.status, l.sortBy),
		container.NewHBox(l.fastOnly, layout.NewSpacer(), l.count),
	)
	l.content = container.NewBorder(filters, nil, nil, nil,
		container.NewStack(l.list, container.NewPadded(l.empty)))
	return l
}

// set replaces the cases and keeps the selection (by id) when it is still
// shown.
func (l *caseList) set(all []casefile.CaseSummary) {
	l.all = all
	l.apply()
}

// selectID selects the case with id, without calling onSelect.
func (l *caseList) selectID(id string) {
	l.selected = id
	l.syncSelection()
}

func (l *caseList) apply() {
	status := casefile.Status("")
	if s := l.status.Selected; s != "" && s != allStatuses {
		status = statusFromName(s)
	}
	l.shown = filterCases(l.all, l.query.Text, status, l.fastOnly.Checked)
	sortCases(l.shown, l.sortBy.Selected)
	l.count.SetText(fmt.Sprintf("%d of %d", len(l.shown), len(l.all)))
	switch {
	case len(l.all) == 0:
		l.emptyMsg.SetText("No cases yet.\nCreate the first one with New case (Ctrl+N).")
		l.clear.Hide()
		l.empty.Show()
	case len(l.shown) == 0:
		l.emptyMsg.SetText("No case matches the filter.")
		l.clear.Show()
		l.empty.Show()
	default:
		l.empty.Hide()
	}
	l.list.Refresh()
	l.syncSelection()
}

func (l *caseList) syncSelection() {
	l.loading = true
	defer func() { l.loading = false }()
	for i, c := range l.shown {
		if c.ID == l.selected {
			l.list.Select(i)
			return
		}
	}
	l.list.UnselectAll()
}

// newCaseRow makes the template of one row: reference, fast-track marker
// and status on the first line, title on the second, prosecutor on the
// third.
func newCaseRow() fyne.CanvasObject {
	ref := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	fast := widget.NewLabel("Fast-track")
	fast.Importance = widget.DangerImportance
	fastIcon := widget.NewIcon(theme.MediaFastForwardIcon())
	status := widget.NewLabel("")
	status.Importance = widget.LowImportance
	title := widget.NewLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	lead := widget.NewLabel("")
	lead.Truncation = fyne.TextTruncateEllipsis
	lead.Importance = widget.LowImportance
	lead.SizeName = theme.SizeNameCaptionText
	top := container.NewHBox(ref, layout.NewSpacer(), fastIcon, fast, status)
	// Labels carry their own padding: pull the lines together.
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), top, title, lead)
}

func updateCaseRow(o fyne.CanvasObject, c casefile.CaseSummary) {
	box := o.(*fyne.Container)
	top := box.Objects[0].(*fyne.Container)
	top.Objects[0].(*widget.Label).SetText(c.Ref)
	fastIcon, fast := top.Objects[2], top.Objects[3]
	if c.FastTrack {
		fastIcon.Show()
		fast.Show()
	} else {
		fastIcon.Hide()
		fast.Hide()
	}
	top.Objects[4].(*widget.Label).SetText(statusName(c.Status))
	box.Objects[1].(*widget.Label).SetText(c.Title)
	lead := c.LeadProsecutor
	if lead == "" {
		lead = "No lead prosecutor yet"
	}
	if !c.Updated.IsZero() {
		lead += " · changed " + c.Updated.Local().Format("2006-01-02")
	}
	box.Objects[2].(*widget.Label).SetText(lead)
}
