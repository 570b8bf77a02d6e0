package app

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// itemView shows one evidence item: its register fields (editable), its
// files with their SHA-256 and what extraction found, and its chain of
// custody.
type itemView struct {
	t       *evidenceTab
	e       casefile.Evidence
	custody []casefile.CustodyEvent

	heading    *widget.Label
	summary    *widget.Label
	parent     *widget.Button
	showText   *widget.Button
	export     *widget.Button
	form       *evidenceForm
	files      *fyne.Container
	custodyBox *fyne.Container
	tabs       *container.AppTabs
	content    fyne.CanvasObject

	lastCustody *custodyForm // the custody form opened last (tests fill it in)
}

func newItemView(t *evidenceTab, e casefile.Evidence) *itemView {
	u := t.cv.mv.u
	v := &itemView{t: t, e: e}
	back := widget.NewButtonWithIcon("Evidence list", theme.NavigateBackIcon(), u.act(v.back))
	v.heading = heading("")
	v.heading.Wrapping = fyne.TextWrapOff
	v.heading.Truncation = fyne.TextTruncateEllipsis
	v.summary = widget.NewLabel("")
	v.summary.Importance = widget.LowImportance
	v.summary.Truncation = fyne.TextTruncateEllipsis
	v.parent = widget.NewButtonWithIcon("", theme.MoveUpIcon(), u.act(func() {
		if v.e.ParentID != "" && v.confirmLeave() {
			t.open(v.e.ParentID)
		}
	}))
	v.parent.Importance = widget.LowImportance
	v.showText = widget.NewButtonWithIcon("Show text", theme.DocumentIcon(), u.act(func() { t.cv.showEvidenceText(v.e.ID, nil) }))
	custody := widget.NewButtonWithIcon("Record custody event…", theme.HistoryIcon(), u.act(func() { v.lastCustody = showCustodyForm(v) }))
	v.export = widget.NewButtonWithIcon("Export original…", theme.DownloadIcon(), u.act(func() {
		if len(v.e.Attachments) > 0 {
			v.askExport(v.e.Attachments[0])
		}
	}))
	verify := widget.NewButtonWithIcon("Verify this item", theme.ConfirmIcon(), u.act(func() {
		if t.stopJob == nil {
			t.runVerify(v.e.ID, "the originals of exhibit "+v.e.Exhibit, itemSize(&v.e))
		}
	}))
	bar := container.NewHBox(back, v.showText, custody, v.export, verify, layout.NewSpacer())

	v.form = newEvidenceForm(v)
	v.files = container.NewVBox()
	v.custodyBox = container.NewVBox()
	addEvent := widget.NewButtonWithIcon("Record custody event…", theme.HistoryIcon(), u.act(func() { v.lastCustody = showCustodyForm(v) }))
	addEvent.Importance = widget.HighImportance
	custodyHint := widget.NewLabel("Who held the item, when, where and why, from intake on. Events cannot be changed or removed; " +
		"each one can re-hash the files and record whether they still match the register.")
	custodyHint.Wrapping = fyne.TextWrapWord
	custodyHint.Importance = widget.LowImportance
	custodyPage := container.NewBorder(container.NewVBox(container.NewHBox(addEvent), custodyHint), nil, nil, nil, container.NewVScroll(v.custodyBox))

	v.tabs = container.NewAppTabs(
		container.NewTabItem("Details", v.form.content),
		container.NewTabItem("Files and metadata", container.NewVScroll(v.files)),
		container.NewTabItem("Chain of custody", custodyPage),
	)
	v.content = container.NewBorder(container.NewVBox(bar, container.NewBorder(nil, nil, nil, v.parent, v.heading), v.summary), nil, nil, nil, v.tabs)
	v.showItem()
	return v
}

// load reads the item and its chain of custody again.
func (v *itemView) load() {
	t := v.t
	u, c, id := t.cv.mv.u, t.cv.c, v.e.ID
	u.run(func() {
		e, err := c.EvidenceItem(bg, id)
		var events []casefile.CustodyEvent
		if err == nil {
			events, err = c.Custody(bg, id)
		}
		u.do(func() {
			if t.closed || t.item != v {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("exhibit %s cannot be read: %w", v.e.Exhibit, err), u.win)
				return
			}
			v.e, v.custody = e, events
			v.showItem()
		})
	})
}

func (v *itemView) showItem() {
	e := &v.e
	v.heading.SetText("Exhibit " + e.Exhibit + " — " + e.Title)
	v.summary.SetText(itemSummary(e, len(v.custody)))
	if e.ParentID != "" {
		v.parent.SetText("Inside exhibit " + parentExhibit(e.Exhibit))
		v.parent.Show()
	} else {
		v.parent.Hide()
	}
	if textStatus(e) == evidenceName(casefile.TextExtracted) {
		v.showText.Enable()
	} else {
		v.showText.Disable()
	}
	if len(e.Attachments) > 0 {
		v.export.Enable()
	} else {
		v.export.Disable()
	}
	if !v.form.dirty {
		v.form.set(*e)
	}
	v.showFiles()
	v.showCustody()
}

// itemSummary is the line under an item's heading: what it is, how big,
// whether it has text, where it came from and where it stands.
func itemSummary(e *casefile.Evidence, events int) string {
	parts := []string{evidenceName(e.Type), sizeText(itemSize(e)), strings.ToLower(textStatus(e))}
	switch {
	case !e.ObtainedOn.IsZero() && e.ObtainedBy != "":
		parts = append(parts, "obtained "+e.ObtainedOn.String()+" by "+e.ObtainedBy)
	case !e.ObtainedOn.IsZero():
		parts = append(parts, "obtained "+e.ObtainedOn.String())
	case e.ObtainedBy != "":
		parts = append(parts, "obtained by "+e.ObtainedBy)
	}
	if events > 0 {
		parts = append(parts, plural(events, "custody event", "custody events"))
	}
	d := strings.ToLower(evidenceName(e.Disclosure))
	if e.Disclosure == "disclosed" && !e.DisclosureDate.IsZero() {
		d += " on " + e.DisclosureDate.String()
	}
	return strings.Join(append(parts, d), " · ")
}

func (v *itemView) back() {
	if v.confirmLeave() {
		v.t.back()
	}
}

// confirmLeave reports whether the view may be left now; with unsaved
// edits it asks first (and leaves when the user agrees).
func (v *itemView) confirmLeave() bool {
	if !v.form.dirty {
		return true
	}
	u := v.t.cv.mv.u
	dialog.ShowConfirm("Discard the changes?", "The changes to exhibit "+v.e.Exhibit+" are not saved. Leave without saving them?", func(ok bool) {
		if ok {
			v.form.dirty = false
			v.t.back()
		}
	}, u.win)
	return false
}

func (v *itemView) refreshPeople() { v.form.setPeople(v.t.people, v.form.peopleIDs()) }

// showFiles lists the item's files with everything recorded about them.
func (v *itemView) showFiles() {
	u := v.t.cv.mv.u
	v.files.RemoveAll()
	if len(v.e.Attachments) == 0 {
		l := widget.NewLabel("This item has no file: it describes a physical object or an event.")
		l.Wrapping = fyne.TextWrapWord
		v.files.Add(l)
		return
	}
	for _, a := range v.e.Attachments {
		name := widget.NewLabelWithStyle(a.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Importance = widget.HighImportance
		name.Wrapping = fyne.TextWrapWord
		g := container.New(layout.NewFormLayout())
		row := func(label string, obj fyne.CanvasObject) {
			g.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			g.Add(obj)
		}
		text := func(s string) *widget.Label {
			l := widget.NewLabel(s)
			l.Wrapping = fyne.TextWrapWord
			l.Selectable = true
			return l
		}
		size := sizeText(a.Size)
		if a.Size >= 1000 {
			size += " (" + groupDigits(fmt.Sprint(a.Size)) + " bytes)"
		}
		row("Size", text(size))
		row("Media type", text(orDash(a.MediaType)))
		sum := widget.NewLabelWithStyle(a.SHA256, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		sum.Selectable = true
		sum.Truncation = fyne.TextTruncateEllipsis
		hash := a.SHA256
		copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), u.act(func() { u.app.Clipboard().SetContent(hash) }))
		copyBtn.Importance = widget.LowImportance
		row("SHA-256", container.NewBorder(nil, nil, nil, copyBtn, sum))
		status := evidenceName(a.TextStatus)
		if a.Detail != "" {
			status += ": " + a.Detail
		}
		st := text(status)
		if a.TextStatus != casefile.TextExtracted {
			st.Importance = widget.WarningImportance
		}
		row("Text", st)
		if a.Format != "" {
			row("Read as", text(a.Format))
		}
		row("Extracted by", text(orDash(a.Tool)))
		card := container.NewVBox(widget.NewSeparator(), name, g)
		if strings.HasPrefix(a.MediaType, "image/") {
			note := widget.NewLabel("Picture preview is not available yet: CaseVault shows pictures only from memory, never from a decrypted file, " +
				"and reading an original into memory is still to come. The picture's metadata is below; “Export original…” writes a decrypted copy (recorded in the chain of custody).")
			note.Wrapping = fyne.TextWrapWord
			note.Importance = widget.LowImportance
			card.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.MediaPhotoIcon()), nil, note))
		}
		if len(a.Metadata) > 0 {
			mg := container.New(layout.NewFormLayout())
			keys := make([]string, 0, len(a.Metadata))
			for k := range a.Metadata {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				mg.Add(widget.NewLabelWithStyle(metadataLabel(k), fyne.TextAlignTrailing, fyne.TextStyle{}))
				mg.Add(text(a.Metadata[k]))
			}
			mh := widget.NewLabelWithStyle("Metadata found in the file", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			card.Add(mh)
			card.Add(mg)
		}
		att := a
		exp := widget.NewButtonWithIcon("Export original…", theme.DownloadIcon(), u.act(func() { v.askExport(att) }))
		card.Add(container.NewHBox(exp))
		v.files.Add(card)
	}
}

// metadataLabel turns "gps.latitude" into "GPS latitude".
func metadataLabel(k string) string {
	k = strings.ReplaceAll(strings.ReplaceAll(k, ".", " "), "_", " ")
	for _, up := range []string{"gps", "exif"} {
		if strings.HasPrefix(k, up+" ") {
			k = strings.ToUpper(up) + k[len(up):]
		}
	}
	return capitalize(k)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// showCustody lists the chain of custody, oldest first.
func (v *itemView) showCustody() {
	v.custodyBox.RemoveAll()
	if len(v.custody) == 0 {
		l := widget.NewLabel("No custody events recorded.")
		l.Importance = widget.LowImportance
		v.custodyBox.Add(l)
		return
	}
	for _, ev := range v.custody {
		head := widget.NewLabelWithStyle(fmt.Sprintf("%d.  %s — %s", ev.Seq, capitalize(ev.Event), whenText(ev)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapWord
		var lines []string
		lines = append(lines, "By "+ev.Who)
		if ev.Place != "" {
			lines = append(lines, "Place: "+ev.Place)
		}
		if ev.Purpose != "" {
			lines = append(lines, "Purpose: "+ev.Purpose)
		}
		body := widget.NewLabel(strings.Join(lines, "   ·   "))
		body.Wrapping = fyne.TextWrapWord
		check, imp := hashCheckText(ev.HashCheck)
		hc := widget.NewLabel("Hash check: " + check)
		hc.Importance = imp
		box := container.NewVBox(head, body, hc)
		if ev.Note != "" {
			note := widget.NewLabel("Note: " + ev.Note)
			note.Wrapping = fyne.TextWrapWord
			note.Importance = widget.LowImportance
			note.Selectable = true
			box.Add(note)
		}
		v.custodyBox.Add(container.NewVBox(box, widget.NewSeparator()))
	}
}

// whenText shows an event's time in UTC and where it happened.
func whenText(ev casefile.CustodyEvent) string {
	s := ev.At.UTC().Format("2006-01-02 15:04 UTC")
	if lt, err := time.Parse(time.RFC3339, ev.AtLocal); err == nil {
		_, off := lt.Zone()
		if off != 0 {
			s += fmt.Sprintf(" (%s local time, UTC%s)", lt.Format("15:04"), lt.Format("-07:00"))
		}
	}
	return s
}

func hashCheckText(s string) (string, widget.Importance) {
	switch s {
	case "match":
		return "the files were re-hashed and match the register", widget.SuccessImportance
	case "mismatch":
		return "MISMATCH: the files no longer match the register", widget.DangerImportance
	case "computed":
		return "SHA-256 computed at intake", widget.MediumImportance
	}
	return "not checked", widget.LowImportance
}

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

// custodyForm records an event in an item's chain of custody.
type custodyForm struct {
	f       *fieldForm
	event   *widget.Select
	who     *widget.Entry
	place   *widget.Entry
	purpose *widget.Entry
	note    *widget.Entry
	rehash  *widget.Check
}

func showCustodyForm(v *itemView) *custodyForm {
	cv := v.t.cv
	u := cv.mv.u
	cf := &custodyForm{f: newFieldForm()}
	cf.event = widget.NewSelect(valueNameList(casefile.CustodyEvents), func(string) { u.idle.poke() })
	cf.event.PlaceHolder = "Choose the event"
	cf.who = widget.NewEntry()
	cf.who.SetPlaceHolder("Who holds the item now, or did this")
	cf.who.SetText(cv.mv.ws.Actor())
	cf.place = widget.NewEntry()
	cf.place.SetPlaceHolder("Where, e.g. Evidence room 2, Provincial Court")
	cf.purpose = widget.NewEntry()
	cf.purpose.SetPlaceHolder("Why, e.g. forensic examination")
	cf.note = widget.NewMultiLineEntry()
	cf.note.SetPlaceHolder("Seal numbers, condition, receipt reference")
	cf.note.Wrapping = fyne.TextWrapWord
	cf.note.SetMinRowsVisible(3)
	cf.rehash = widget.NewCheck("Re-hash the files now and record whether they match the register", nil)
	cf.rehash.SetChecked(true)
	f := cf.f
	f.row("Event", narrow(cf.event), "event")
	f.row("Who", cf.who, "who")
	f.row("Place", cf.place, "place")
	f.row("Purpose", cf.purpose, "purpose")
	f.row("Note", cf.note, "custody")
	f.row("Hash check", cf.rehash, "hash")
	info := widget.NewLabel("The time is recorded now, in UTC and in this computer's time zone. Events cannot be changed or removed once recorded.")
	info.Wrapping = fyne.TextWrapWord
	info.Importance = widget.LowImportance
	id := v.e.ID
	formDialog(u, "Custody event for exhibit "+v.e.Exhibit, "Record event", f, info, fyne.NewSize(640, 560), func(done func(error)) {
		ev := casefile.CustodyEvent{
			Event: valueFromName(casefile.CustodyEvents, cf.event.Selected), Who: cf.who.Text,
			Place: cf.place.Text, Purpose: cf.purpose.Text, Note: cf.note.Text,
		}
		if ev.Event == "" {
			done(&casefile.ValidationError{Field: "event", Msg: "choose the event"})
			return
		}
		rehash := cf.rehash.Checked
		cv.change(func(c *casefile.Case) error { return c.AddCustodyEvent(bg, id, ev, rehash) }, func(err error) {
			done(err)
			if err == nil && v.t.item == v {
				v.load()
			}
		})
	})
	return cf
}

// askExport warns that an exported original is decrypted, asks where to
// save it, and exports it.
func (v *itemView) askExport(a casefile.Attachment) {
	u := v.t.cv.mv.u
	dialog.ShowConfirm("Export a decrypted copy?",
		"“"+a.Name+"” of exhibit "+v.e.Exhibit+" will be written DECRYPTED where you choose: "+
			"outside CaseVault it is not protected, and anyone with access to that place can read it. "+
			"The copy is checked against its SHA-256 and recorded in the chain of custody and the audit log.\n\nChoose where to save it?",
		func(ok bool) {
			if !ok {
				return
			}
			fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err != nil {
					dialog.ShowError(err, u.win)
					return
				}
				if w == nil {
					return
				}
				w.Close() // ExportOriginal writes the file itself, atomically
				if w.URI().Scheme() != "file" {
					dialog.ShowError(fmt.Errorf("%s is not a local file", w.URI()), u.win)
					return
				}
				v.exportTo(a, w.URI().Path(), true)
			}, u.win)
			fd.SetFileName(a.Name)
			fd.Resize(fyne.NewSize(900, 600))
			fd.Show()
		}, u.win)
}

// exportTo writes the decrypted original of a to path. created says the
// file dialog made an empty file there, to remove if the export fails.
func (v *itemView) exportTo(a casefile.Attachment, path string, created bool) {
	t := v.t
	u, c, id := t.cv.mv.u, t.cv.c, v.e.ID
	exhibit := v.e.Exhibit
	u.run(func() {
		got, err := c.ExportOriginal(bg, id, a.ID, path)
		if err != nil && created {
			if st, serr := os.Stat(path); serr == nil && st.Size() == 0 {
				os.Remove(path)
			}
		}
		u.do(func() {
			if t.closed {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("exhibit %s was not exported: %w", exhibit, err), u.win)
				return
			}
			t.cv.setStatus(statusPending, "Saving…")
			dialog.ShowInformation("Original exported",
				"A decrypted copy of “"+got.Name+"” was written to "+path+". It matches the SHA-256 in the register:\n"+got.SHA256+
					"\n\nThe export is recorded in the chain of custody. Delete the copy when it is no longer needed.", u.win)
			if t.item == v {
				v.load()
			}
		})
	})
}
