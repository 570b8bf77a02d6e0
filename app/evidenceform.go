package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// evidenceForm edits an item's register fields.
type evidenceForm struct {
	v         *itemView
	f         *fieldForm
	exhibit   *widget.Entry
	title     *widget.Entry
	desc      *widget.Entry
	typ       *widget.Select
	how       *widget.Select
	authority *widget.Entry
	on        *dateField
	by        *widget.Entry
	people    *checkGrid
	peopleBox *fyne.Container
	peopleIDs func() []string
	tags      *widget.Entry
	disclose  *widget.Select
	discDate  *dateField
	withheld  *widget.Entry
	admiss    *widget.Entry
	discRow   []fyne.CanvasObject
	save      *widget.Button
	state     *widget.Label
	content   fyne.CanvasObject

	ids     map[string]string // people check label → person id
	changed func()
	dirty   bool
	loading bool
}

func newEvidenceForm(v *itemView) *evidenceForm {
	u := v.t.cv.mv.u
	ef := &evidenceForm{v: v, f: newFieldForm()}
	ef.changed = func() {
		if ef.loading {
			return
		}
		u.idle.poke()
		ef.dirty = true
		ef.state.SetText("Unsaved changes")
		ef.check()
	}
	changed := ef.changed
	entry := func(ph string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(ph)
		e.OnChanged = func(string) { changed() }
		return e
	}
	multi := func(ph string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.SetPlaceHolder(ph)
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.OnChanged = func(string) { changed() }
		return e
	}
	ef.exhibit = entry("e.g. 12")
	ef.title = entry("What the item is")
	ef.desc = multi("What it shows, where it was found")
	ef.typ = widget.NewSelect(evidenceNameList(casefile.EvidenceTypes), func(string) { changed() })
	ef.how = optionalSelect(evidenceNameList(casefile.ObtainedHow), changed)
	ef.authority = entry("Warrant or order reference")
	ef.on = newDateField(u.win, changed)
	ef.by = entry("Officer or unit")
	ef.peopleBox = container.NewStack()
	ef.peopleIDs = func() []string { return nil }
	ef.tags = entry("Comma-separated, e.g. recruitment, payments")
	ef.disclose = widget.NewSelect(evidenceNameList(casefile.DisclosureStates), func(string) { changed(); ef.showDisclosure() })
	ef.discDate = newDateField(u.win, changed)
	ef.withheld = multi("Why it is withheld from disclosure (required)")
	ef.admiss = multi("Objections expected, rulings, conditions")

	f := ef.f
	f.row("Exhibit number", container.NewHBox(container.New(fixedWidth(160), ef.exhibit)), "exhibit")
	f.row("Title", ef.title, "title")
	f.row("Description", ef.desc, "description")
	f.row("Type", narrow(ef.typ), "type")
	f.row("How obtained", narrow(ef.how), "obtained how")
	f.row("Legal authority", ef.authority, "authority")
	f.row("Obtained on", container.NewHBox(container.New(fixedWidth(200), ef.on.content)), "obtained on")
	f.row("Obtained by", ef.by, "obtained by")
	f.row("People", ef.peopleBox, "people")
	f.row("Tags", ef.tags, "tag")
	f.section("Disclosure and admissibility")
	f.row("Disclosure", narrow(ef.disclose), "disclosure")
	n := len(f.grid.Objects)
	f.row("Disclosed on", container.NewHBox(container.New(fixedWidth(200), ef.discDate.content)), "disclosure date")
	f.row("Reason withheld", ef.withheld, "withheld reason")
	ef.discRow = f.grid.Objects[n:]
	f.row("Admissibility notes", ef.admiss, "admissibility")

	ef.save = widget.NewButtonWithIcon("Save changes", theme.DocumentSaveIcon(), u.act(ef.submit))
	ef.save.Importance = widget.HighImportance
	ef.state = widget.NewLabel("")
	ef.state.Importance = widget.LowImportance
	bottom := container.NewHBox(ef.save, ef.state)
	ef.content = container.NewBorder(f.banner, bottom, nil, nil, container.NewVScroll(f.box))
	return ef
}

// set shows e in the form.
func (ef *evidenceForm) set(e casefile.Evidence) {
	ef.loading = true
	defer func() { ef.loading = false }()
	ef.exhibit.SetText(e.Exhibit)
	ef.title.SetText(e.Title)
	ef.desc.SetText(e.Description)
	setSelected(ef.typ, evidenceName(e.Type))
	if e.ObtainedHow == "" {
		setSelected(ef.how, "")
	} else {
		setSelected(ef.how, evidenceName(e.ObtainedHow))
	}
	ef.authority.SetText(e.AuthorityRef)
	ef.on.set(e.ObtainedOn)
	ef.by.SetText(e.ObtainedBy)
	ef.setPeople(ef.v.t.people, e.People)
	ef.tags.SetText(strings.Join(e.Tags, ", "))
	setSelected(ef.disclose, evidenceName(e.Disclosure))
	ef.discDate.set(e.DisclosureDate)
	ef.withheld.SetText(e.WithheldReason)
	ef.admiss.SetText(e.Admissibility)
	ef.showDisclosure()
	ef.dirty = false
	for k := range ef.f.live {
		ef.f.check(k, "")
	}
	ef.f.show(nil)
}

// setPeople offers the case's people as checks, by display name (the
// pseudonym of a protected person), with those in sel checked.
func (ef *evidenceForm) setPeople(people []casefile.Person, sel []string) {
	opts, ids := ownerOptions(&caseData{people: people})
	ef.ids = ids
	if len(opts) == 0 {
		l := widget.NewLabel("No people in this case yet: add them on the People tab, then link them here.")
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		ef.peopleBox.Objects = []fyne.CanvasObject{l}
		ef.people = nil
		ef.peopleIDs = func() []string { return slices.Clone(sel) }
		ef.peopleBox.Refresh()
		return
	}
	was := ef.loading
	ef.loading = true
	ef.people = newCheckGrid(opts, 2, func([]string) { ef.changed() })
	var labels []string
	for label, id := range ids {
		if slices.Contains(sel, id) {
			labels = append(labels, label)
		}
	}
	ef.people.SetSelected(labels)
	ef.loading = was
	g := ef.people
	ef.peopleIDs = func() []string {
		out := []string{}
		for _, o := range g.Options {
			if slices.Contains(g.Selected, o) {
				out = append(out, ids[o])
			}
		}
		return out
	}
	ef.peopleBox.Objects = []fyne.CanvasObject{g}
	ef.peopleBox.Refresh()
}

func (ef *evidenceForm) showDisclosure() {
	d := evidenceValue(casefile.DisclosureStates, ef.disclose.Selected)
	for i, o := range ef.discRow {
		show := (i < 2 && d == "disclosed") || (i >= 2 && d == "withheld")
		if show {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// check runs the checks made while typing.
func (ef *evidenceForm) check() {
	f := ef.f
	req := func(key string, e *widget.Entry) {
		if strings.TrimSpace(e.Text) == "" {
			f.check(key, "is empty")
		} else {
			f.check(key, "")
		}
	}
	req("exhibit", ef.exhibit)
	req("title", ef.title)
	checkDate(f, "obtained on", ef.on, false)
	d := evidenceValue(casefile.DisclosureStates, ef.disclose.Selected)
	switch {
	case d == "disclosed" && strings.TrimSpace(ef.discDate.entry.Text) == "":
		f.check("disclosure date", "give the date it was disclosed")
	case d == "disclosed":
		checkDate(f, "disclosure date", ef.discDate, false)
	default:
		f.check("disclosure date", "")
	}
	if d == "withheld" && strings.TrimSpace(ef.withheld.Text) == "" {
		f.check("withheld reason", "give the reason it is withheld")
	} else {
		f.check("withheld reason", "")
	}
}

// read returns the item as the form has it.
func (ef *evidenceForm) read(e casefile.Evidence) (casefile.Evidence, error) {
	ef.check()
	if err := ef.f.liveError(); err != nil {
		return e, err
	}
	var err error
	e.Exhibit = strings.TrimSpace(ef.exhibit.Text)
	e.Title = strings.TrimSpace(ef.title.Text)
	e.Description = ef.desc.Text
	e.Type = evidenceValue(casefile.EvidenceTypes, ef.typ.Selected)
	e.ObtainedHow = evidenceValue(casefile.ObtainedHow, selected(ef.how))
	e.AuthorityRef = strings.TrimSpace(ef.authority.Text)
	if e.ObtainedOn, err = ef.on.date("obtained on"); err != nil {
		return e, err
	}
	e.ObtainedBy = strings.TrimSpace(ef.by.Text)
	e.People = ef.peopleIDs()
	e.Tags = splitTags(ef.tags.Text)
	e.Disclosure = evidenceValue(casefile.DisclosureStates, ef.disclose.Selected)
	e.DisclosureDate = casefile.Date{}
	e.WithheldReason = ""
	switch e.Disclosure {
	case "disclosed":
		if e.DisclosureDate, err = ef.discDate.date("disclosure date"); err != nil {
			return e, err
		}
	case "withheld":
		e.WithheldReason = ef.withheld.Text
	}
	e.Admissibility = ef.admiss.Text
	return e, nil
}

// submit saves the form with UpdateEvidence.
func (ef *evidenceForm) submit() {
	v := ef.v
	e, err := ef.read(v.e)
	if err != nil {
		ef.f.show(err)
		return
	}
	ef.save.Disable()
	ef.state.SetText("Saving…")
	v.t.cv.change(func(c *casefile.Case) error { return c.UpdateEvidence(bg, e) }, func(err error) {
		ef.save.Enable()
		ef.f.show(err)
		if err != nil {
			ef.state.SetText("Not saved")
			return
		}
		ef.dirty = false
		ef.state.SetText("Saved")
		v.t.reload(nil)
		v.load()
	})
}
