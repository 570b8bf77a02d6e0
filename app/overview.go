package app

import (
	"fmt"

	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// overviewForm is the Overview tab: every field of the case's record, to
// read and edit.
type overviewForm struct {
	ref, title, lead, summary, tags *widget.Entry
	status                          *widget.Select
	exploit                         *widget.CheckGroup
	fast                            *widget.Check
	juris                           *jurisdictionEditor
	opened, closed                  *dateField

	banner  *widget.Label
	origin  *fyne.Container          // where a received case came from; empty otherwise
	errs    map[string]*widget.Label // by field key (see fieldKey)
	content fyne.CanvasObject

	loading  bool
	onChange func()
}

func newOverviewForm(u *UI, onChange func()) *overviewForm {
	f := &overviewForm{errs: map[string]*widget.Label{}, onChange: onChange}
	changed := func() {
		if !f.loading && f.onChange != nil {
			u.idle.poke()
			f.onChange()
		}
	}
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { changed() }
		return e
	}
	f.ref = entry("e.g. TIP-2026-014")
	f.title = entry("A short name for the case")
	f.lead = entry("Name of the prosecutor in charge")
	f.tags = entry("Comma-separated, e.g. fishing, online recruitment")
	f.summary = widget.NewMultiLineEntry()
	f.summary.Wrapping = fyne.TextWrapWord
	f.summary.SetMinRowsVisible(8)
	f.summary.SetPlaceHolder("What the case is about: facts, route, victims (no protected names), next steps")
	f.summary.OnChanged = func(string) { changed() }
	f.status = widget.NewSelect(statusOptions(), func(string) { changed() })
	ex := make([]string, len(casefile.Exploitations))
	for i, e := range casefile.Exploitations {
		ex[i] = exploitationNames[e]
	}
	f.exploit = widget.NewCheckGroup(ex, func([]string) { changed() })
	f.exploit.Horizontal = true
	f.fast = widget.NewCheck("Fast-track: a serious or aggravated case", func(bool) { changed() })
	f.juris = newJurisdictionEditor(changed)
	f.opened = newDateField(u.win, changed)
	f.closed = newDateField(u.win, changed)

	f.banner = errorLabel()
	grid := container.New(layout.NewFormLayout())
	row := func(label, key string, obj fyne.CanvasObject) {
		e := errorLabel()
		f.errs[key] = e
		grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(container.NewVBox(obj, e))
	}
	row("Reference", "ref", f.ref)
	row("Title", "title", f.title)
	row("Status", "status", container.NewHBox(f.status))
	row("Exploitation", "exploitation", f.exploit)
	row("Priority", "fast_track", f.fast)
	row("Countries", "jurisdiction", f.juris.content)
	row("Lead prosecutor", "lead prosecutor", f.lead)
	row("Opened", "opened", container.New(fixedWidth(220), f.opened.content))
	closedHint := widget.NewLabel("Set when the status is Closed (today if left empty).")
	closedHint.Importance = widget.LowImportance
	row("Closed", "closed", container.NewVBox(container.New(fixedWidth(220), f.closed.content), closedHint))
	row("Summary", "summary", f.summary)
	row("Tags", "tags", f.tags)
	f.origin = container.NewVBox()
	f.content = container.NewVScroll(container.NewPadded(container.NewVBox(f.banner, f.origin, grid)))
	return f
}

// showOrigin says, above the form, where a case received in a bundle came
// from, and the sender's re-disclosure condition, which binds whoever
// works on it here.
func (f *overviewForm) showOrigin(o *casefile.CaseOrigin) {
	f.origin.RemoveAll()
	if o == nil {
		return
	}
	line := fmt.Sprintf("Received from %s (%s) in bundle %s, made %s, imported %s. Their case: %s. Fingerprint %s.",
		o.SenderUnit, casefile.CountryName(o.SenderCountry), o.BundleID,
		o.Created.Local().Format("2006-01-02 15:04"), o.Imported.Local().Format("2006-01-02 15:04"),
		o.SenderRef, o.SenderFingerprint)
	if o.Purpose != "" {
		line += " Purpose: " + o.Purpose + "."
	}
	if o.AnswersRequest != "" {
		line += " Answers: " + o.AnswersRequest + "."
	}
	f.origin.Add(wrapLabel(line))
	if o.NoRedisclosure {
		l := wrapLabel("The sender asked that this material not be disclosed to anyone else without their consent.")
		l.Importance = widget.WarningImportance
		f.origin.Add(l)
	}
	f.origin.Add(widget.NewSeparator())
}

// set shows info without counting it as an edit.
func (f *overviewForm) set(info casefile.CaseInfo) {
	f.loading = true
	defer func() { f.loading = false }()
	f.ref.SetText(info.Ref)
	f.title.SetText(info.Title)
	f.status.SetSelected(statusName(info.Status))
	sel := make([]string, 0, len(info.Exploitation))
	for _, e := range info.Exploitation {
		sel = append(sel, exploitationNames[e])
	}
	f.exploit.SetSelected(sel)
	f.fast.SetChecked(info.FastTrack)
	f.juris.set(info.Jurisdictions)
	f.lead.SetText(info.LeadProsecutor)
	f.opened.set(info.Opened)
	f.closed.set(info.Closed)
	f.summary.SetText(info.Summary)
	f.tags.SetText(strings.Join(info.Tags, ", "))
	f.showError(nil)
}

// read returns the record as edited, on top of base (which gives ID and
// timestamps). A date that does not parse or a half-filled country row is
// a *casefile.ValidationError, like casefile's own.
func (f *overviewForm) read(base casefile.CaseInfo) (casefile.CaseInfo, error) {
	info := base
	info.Ref = f.ref.Text
	info.Title = f.title.Text
	info.Status = statusFromName(f.status.Selected)
	info.Exploitation = []casefile.Exploitation{}
	for _, e := range casefile.Exploitations {
		for _, s := range f.exploit.Selected {
			if s == exploitationNames[e] {
				info.Exploitation = append(info.Exploitation, e)
			}
		}
	}
	info.FastTrack = f.fast.Checked
	info.LeadProsecutor = f.lead.Text
	info.Summary = f.summary.Text
	info.Tags = splitTags(f.tags.Text)
	var err error
	if info.Jurisdictions, err = f.juris.get(); err != nil {
		return info, err
	}
	if info.Opened, err = f.opened.date("opened"); err != nil {
		return info, err
	}
	if info.Closed, err = f.closed.date("closed"); err != nil {
		return info, err
	}
	return info, nil
}

// showError puts err beside the field it names (and in the banner), or
// clears every error when err is nil.
func (f *overviewForm) showError(err error) {
	for _, l := range f.errs {
		setError(l, nil)
	}
	if err == nil {
		setError(f.banner, nil)
		return
	}
	var ve *casefile.ValidationError
	if errors.As(err, &ve) {
		if l, ok := f.errs[fieldKey(ve.Field)]; ok {
			setError(l, errors.New(ve.Msg))
		}
		setError(f.banner, errors.New("not saved: "+userMessage(err)+" The other changes wait until this is fixed"))
		return
	}
	setError(f.banner, errors.New("not saved: "+userMessage(err)))
}

// fieldKey maps a ValidationError's field to the form row that shows it.
func fieldKey(field string) string {
	switch field {
	case "tag":
		return "tags"
	case "jurisdictions":
		return "jurisdiction"
	}
	return field
}

// fieldLabel returns the form's label for a ValidationError's field.
func fieldLabel(field string) string {
	switch fieldKey(field) {
	case "ref":
		return "Reference"
	case "jurisdiction":
		return "Countries"
	case "tags":
		return "Tags"
	}
	return field
}
