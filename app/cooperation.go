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

// coopTab is the Cooperation tab: requests to and from other countries
// (mutual legal assistance, extradition, joint teams, INTERPOL), their
// status and deadlines.
type coopTab struct {
	cv      *caseView
	data    *caseData
	table   *sortTable
	edit    *widget.Button
	event   *widget.Button
	detail  *fyne.Container
	content fyne.CanvasObject
}

var coopColumns = []column{
	{"Kind", 180}, {"Country", 150}, {"Authority", 0}, {"Our ref. / their ref.", 190}, {"Status", 140}, {"Deadline", 165},
}

// Columns that sort or colour differently.
const (
	colStatus   = 4
	colDeadline = 5
)

func newCoopTab(cv *caseView) *coopTab {
	u := cv.mv.u
	t := &coopTab{cv: cv, data: &caseData{}}
	t.table = newSortTable(coopColumns, t.cell, func(r int) string { return t.data.requests[r].ID })
	t.table.key = func(r, col int) string {
		q := t.data.requests[r]
		switch col {
		case colStatus:
			return fmt.Sprintf("%02d", indexOf(casefile.RequestStatuses, q.Status))
		case colDeadline:
			if q.Deadline.IsZero() {
				return "9999" // no deadline sorts last
			}
		}
		return strings.ToLower(t.cell(r, col))
	}
	t.table.danger = func(r, col int) bool { return col == colDeadline && requestOverdue(t.data.requests[r]) }
	t.table.setEmpty("No cooperation requests yet. Record each mutual legal assistance request, extradition, joint investigation team " +
		"or INTERPOL notice with “Add request…”; its deadline then shows on the Timeline and in the Due view.")
	t.table.onSelect = func(int) { t.showSelected() }

	rows := func() []casefile.Request { return t.data.requests }
	var add *widget.Button
	add, t.edit = registerButtons(u, t.table, "Add request…", rows, func(q *casefile.Request) { showRequestForm(cv, q) })
	t.event = rowButton(u, t.table, "Record event…", theme.HistoryIcon(), rows, func(q casefile.Request) { showRequestEventForm(cv, q) })
	bar := container.NewHBox(add, t.edit, t.event, layout.NewSpacer())
	t.detail = container.NewVBox()
	split := container.NewVSplit(t.table.content, container.NewVScroll(t.detail))
	split.Offset = 0.55
	t.content = container.NewBorder(bar, nil, nil, nil, split)
	t.showSelected()
	return t
}

// requestOverdue reports whether an open request passed its deadline.
func requestOverdue(q casefile.Request) bool {
	return requestOpen(q.Status) && !q.Deadline.IsZero() && q.Deadline.Before(casefile.Today())
}

func (t *coopTab) cell(r, col int) string {
	q := &t.data.requests[r]
	switch col {
	case 0:
		return valueName(q.Kind)
	case 1:
		return countryLabel(q.Country)
	case 2:
		return q.Authority
	case 3:
		switch {
		case q.OurRef == "":
			return "— / " + q.TheirRef
		case q.TheirRef == "":
			return q.OurRef
		}
		return q.OurRef + " / " + q.TheirRef
	case colStatus:
		return valueName(q.Status)
	default:
		if requestOverdue(*q) {
			return q.Deadline.String() + " (overdue)"
		}
		return q.Deadline.String()
	}
}

func (t *coopTab) show(d *caseData) {
	t.data = d
	t.table.setRows(len(d.requests))
	t.showSelected()
}

// showSelected shows the selected request's details and history.
func (t *coopTab) showSelected() {
	t.detail.RemoveAll()
	r := t.table.selectedRow()
	if r < 0 {
		t.edit.Disable()
		t.event.Disable()
		l := widget.NewLabel("Select a request to see its subject, the people and assets it concerns, and its history.")
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		t.detail.Add(l)
		return
	}
	t.edit.Enable()
	t.event.Enable()
	q := t.data.requests[r]
	grid := container.New(layout.NewFormLayout())
	add := func(k, v string) {
		if v == "" {
			return
		}
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		grid.Add(widget.NewLabelWithStyle(k, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(l)
	}
	add("Request", requestLabel(q))
	add("Subject", q.Subject)
	add("Focal point", q.FocalPoint)
	add("Legal basis", q.LegalBasis)
	var links []string
	for _, l := range q.Links {
		links = append(links, t.data.targetName(l.ID))
	}
	add("Concerns", strings.Join(links, "; "))
	add("Notes", q.Notes)
	var hist []string
	for i := len(q.History) - 1; i >= 0; i-- {
		e := q.History[i]
		s := e.Date.String() + "   " + valueName(e.Status)
		if e.Note != "" {
			s += " — " + e.Note
		}
		hist = append(hist, s)
	}
	add("History", strings.Join(hist, "\n"))
	t.detail.Add(grid)
}

// showRequestForm adds a request (q nil) or edits q (not its status).
func showRequestForm(cv *caseView, q *casefile.Request) {
	u := cv.mv.u
	f := newFieldForm()
	var deadline *dateField
	validate := func() { u.idle.poke(); checkDate(f, "deadline", deadline, true) }
	kind := widget.NewSelect(valueNameList(casefile.RequestKinds), func(string) { validate() })
	kind.PlaceHolder = "Choose the kind"
	country := countrySelect(false, validate)
	entry := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		return e
	}
	authority := entry("Counterpart authority, e.g. Office of the Attorney General")
	focal := entry("Name and contact of the focal point")
	basis := entry("Treaty or arrangement, e.g. ASEAN MLAT 2004")
	ourRef, theirRef := entry("Our reference"), entry("Their reference")
	subject := entry("What is asked, e.g. bank records of two accounts")
	deadline = newDateField(u.win, validate)
	notes := widget.NewMultiLineEntry()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetMinRowsVisible(3)

	d := &cv.data
	personOpts, personIDs := ownerOptions(d)
	assetIDs := map[string]string{}
	var assetOpts []string
	for _, a := range d.assets {
		o := valueName(a.Type) + ": " + a.Description
		for n := 2; assetIDs[o] != ""; n++ {
			o = fmt.Sprintf("%s: %s #%d", valueName(a.Type), a.Description, n)
		}
		assetOpts = append(assetOpts, o)
		assetIDs[o] = a.ID
	}
	people := widget.NewCheckGroup(personOpts, nil)
	assets := widget.NewCheckGroup(assetOpts, nil)

	f.row("Kind", narrow(kind), "kind")
	f.row("Country", country, "country")
	f.row("Authority", authority, "authority")
	f.row("Focal point", focal, "focal point")
	f.row("Legal basis", basis, "legal basis")
	f.row("References", container.NewGridWithColumns(2, ourRef, theirRef), "our reference", "their reference")
	f.row("Subject", subject, "subject")
	f.row("Deadline", container.New(fixedWidth(220), deadline.content), "deadline")
	if len(personOpts) > 0 {
		f.row("People concerned", people, "link")
	}
	if len(assetOpts) > 0 {
		f.row("Assets concerned", assets, "link")
	}
	f.row("Notes", notes, "notes")

	title, save := "Add request", "Add request"
	if q != nil {
		title, save = "Edit request", "Save changes"
		setSelected(kind, valueName(q.Kind))
		setCountry(country, q.Country)
		authority.SetText(q.Authority)
		focal.SetText(q.FocalPoint)
		basis.SetText(q.LegalBasis)
		ourRef.SetText(q.OurRef)
		theirRef.SetText(q.TheirRef)
		subject.SetText(q.Subject)
		deadline.set(q.Deadline)
		notes.SetText(q.Notes)
		var ps, as []string
		for _, l := range q.Links {
			for o, id := range personIDs {
				if id == l.ID {
					ps = append(ps, o)
				}
			}
			for o, id := range assetIDs {
				if id == l.ID {
					as = append(as, o)
				}
			}
		}
		people.SetSelected(ps)
		assets.SetSelected(as)
	}
	formDialog(u, title, save, f, nil, fyne.NewSize(780, 640), func(done func(error)) {
		validate()
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		nq := casefile.Request{}
		if q != nil {
			nq = *q
		}
		nq.Kind = valueFromName(casefile.RequestKinds, kind.Selected)
		if nq.Kind == "" {
			done(&casefile.ValidationError{Field: "kind", Msg: "choose the kind of request"})
			return
		}
		nq.Country = countryCode(country)
		nq.Authority, nq.FocalPoint, nq.LegalBasis = authority.Text, focal.Text, basis.Text
		nq.OurRef, nq.TheirRef, nq.Subject, nq.Notes = ourRef.Text, theirRef.Text, subject.Text, notes.Text
		nq.Deadline, _ = deadline.date("deadline")
		nq.Links = []casefile.Link{}
		for _, o := range personOpts {
			if slices.Contains(people.Selected, o) {
				nq.Links = append(nq.Links, casefile.Link{Kind: "person", ID: personIDs[o]})
			}
		}
		for _, o := range assetOpts {
			if slices.Contains(assets.Selected, o) {
				nq.Links = append(nq.Links, casefile.Link{Kind: "asset", ID: assetIDs[o]})
			}
		}
		cv.change(func(c *casefile.Case) error {
			if q == nil {
				_, err := c.AddRequest(bg, nq)
				return err
			}
			return c.UpdateRequest(bg, nq)
		}, done)
	})
}

// showRequestEventForm records a request's next status.
func showRequestEventForm(cv *caseView, q casefile.Request) {
	u := cv.mv.u
	f := newFieldForm()
	var others []string
	for _, s := range casefile.RequestStatuses {
		if s != q.Status || s == "partially-executed" {
			others = append(others, valueName(s))
		}
	}
	status := widget.NewSelect(others, nil)
	status.PlaceHolder = "Choose the new status"
	var date *dateField
	validate := func() { u.idle.poke(); checkDate(f, "date", date, false) }
	status.OnChanged = func(string) { validate() }
	date = newDateField(u.win, validate)
	date.set(casefile.Today())
	note := widget.NewMultiLineEntry()
	note.Wrapping = fyne.TextWrapWord
	note.SetMinRowsVisible(2)
	note.SetPlaceHolder("e.g. acknowledged by letter of 12 March; partial records received")
	f.row("Request", widget.NewLabel(requestLabel(q)+" — now "+strings.ToLower(valueName(q.Status))))
	f.row("New status", narrow(status), "status")
	f.row("Date", container.New(fixedWidth(220), date.content), "date")
	f.row("Note", note, "note")
	formDialog(u, "Record an event", "Record", f, nil, fyne.NewSize(680, 440), func(done func(error)) {
		validate()
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		st := valueFromName(casefile.RequestStatuses, status.Selected)
		if st == "" {
			done(&casefile.ValidationError{Field: "status", Msg: "choose the new status"})
			return
		}
		d, _ := date.date("date")
		e := casefile.RequestEvent{Status: st, Date: d, Note: note.Text}
		cv.change(func(c *casefile.Case) error { return c.AddRequestEvent(bg, q.ID, e) }, done)
	})
}
