package app

import (
	"errors"
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

// protectionTab is the Protection tab: the protected people of the case,
// by pseudonym, with their measures, and the reveal.
type protectionTab struct {
	cv        *caseView
	data      *caseData
	protected []casefile.Person
	table     *sortTable
	edit, end *widget.Button
	reveal    *widget.Button
	content   fyne.CanvasObject
}

var protectionColumns = []column{
	{"Pseudonym", 130}, {"Measures", 0}, {"Risk", 80}, {"Protection order", 210}, {"Since", 110}, {"Review", 110},
}

func newProtectionTab(cv *caseView) *protectionTab {
	u := cv.mv.u
	t := &protectionTab{cv: cv, data: &caseData{}}
	t.table = newSortTable(protectionColumns, t.cell, func(r int) string { return t.protected[r].ID })
	t.table.icon = func(r, col int) fyne.Resource {
		if col == 0 {
			return shieldIcon
		}
		return nil
	}
	t.table.danger = func(r, col int) bool {
		rv := t.protected[r].Protection.Review
		return col == 5 && !rv.IsZero() && rv.Before(casefile.Today())
	}
	t.table.setEmpty("Nobody in this case is protected. “Protect a person…” gives a victim or witness a pseudonym " +
		"that every list, report and export shows instead of the name.")
	t.table.onSelect = func(int) { t.updateButtons() }

	protect := widget.NewButtonWithIcon("Protect a person…", shieldIcon, u.act(func() { showProtectForm(cv, nil) }))
	protect.Importance = widget.HighImportance
	t.edit = widget.NewButtonWithIcon("Edit protection…", theme.DocumentCreateIcon(), u.act(func() {
		if r := t.table.selectedRow(); r >= 0 {
			p := t.protected[r]
			showProtectForm(cv, &p)
		}
	}))
	t.reveal = widget.NewButtonWithIcon("Reveal identity…", theme.VisibilityIcon(), u.act(func() {
		if r := t.table.selectedRow(); r >= 0 {
			showRevealDialog(cv, t.protected[r])
		}
	}))
	t.end = widget.NewButtonWithIcon("End protection…", theme.CancelIcon(), u.act(func() {
		if r := t.table.selectedRow(); r >= 0 {
			confirmEndProtection(cv, t.protected[r])
		}
	}))
	t.end.Importance = widget.LowImportance
	hint := widget.NewLabel("Revealing an identity asks for the passphrase again and is written to the audit chain. " +
		"Review dates also show on the Timeline tab and in the Due view; an overdue review is red.")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	bar := container.NewHBox(protect, t.edit, t.reveal, layout.NewSpacer(), t.end)
	t.content = container.NewBorder(container.NewVBox(bar, hint), nil, nil, nil, t.table.content)
	t.updateButtons()
	return t
}

func (t *protectionTab) cell(r, col int) string {
	pr := t.protected[r].Protection
	switch col {
	case 0:
		return pr.Pseudonym
	case 1:
		return joinNames(pr.Measures)
	case 2:
		return valueName(pr.RiskLevel)
	case 3:
		return pr.OrderRef
	case 4:
		return pr.Start.String()
	default:
		return pr.Review.String()
	}
}

func (t *protectionTab) show(d *caseData) {
	t.data = d
	t.protected = t.protected[:0]
	for _, p := range d.people {
		if p.Protection != nil {
			t.protected = append(t.protected, p)
		}
	}
	t.table.setRows(len(t.protected))
	t.updateButtons()
}

func (t *protectionTab) updateButtons() {
	for _, b := range []*widget.Button{t.edit, t.reveal, t.end} {
		if t.table.selectedRow() < 0 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// showProtectForm protects a person (p nil: the form asks whom) or edits
// p's protection.
func showProtectForm(cv *caseView, p *casefile.Person) {
	u := cv.mv.u
	f := newFieldForm()
	d := &cv.data
	var who *widget.Select
	candidates := map[string]string{} // option → person id
	var opts []string
	for _, q := range d.people {
		if q.Protection == nil {
			o := q.DisplayName() + " (" + joinNames(q.Roles) + ")"
			opts = append(opts, o)
			candidates[o] = q.ID
		}
	}
	pseudo := widget.NewEntry()
	measures := newCheckGrid(valueNameList(casefile.Measures), 3, nil)
	risk := optionalSelect(valueNameList(casefile.RiskLevels), nil)
	order := widget.NewEntry()
	order.SetPlaceHolder("Reference of the protection order")
	var start, review *dateField
	validate := func() {
		u.idle.poke()
		checkDate(f, "start", start, true)
		checkDate(f, "review date", review, true)
		s, _ := start.date("start")
		rv, _ := review.date("review date")
		if f.live["review date"] == "" && !s.IsZero() && !rv.IsZero() && rv.Before(s) {
			f.check("review date", "the review comes before the protection starts")
		}
		name := strings.TrimSpace(pseudo.Text)
		msg := ""
		for _, q := range d.people {
			if q.Protection != nil && q.Protection.Pseudonym == name && (p == nil || q.ID != p.ID) {
				msg = fmt.Sprintf("%q is already used by another person in this case", name)
			}
		}
		f.check("pseudonym", msg)
	}
	pseudo.OnChanged = func(string) { validate() }
	start, review = newDateField(u.win, validate), newDateField(u.win, validate)

	if p == nil {
		if len(opts) == 0 {
			dialog.ShowInformation("Protect a person", "Everyone in this case is already protected, or nobody has been added yet: add the person on the People tab first.", u.win)
			return
		}
		who = widget.NewSelect(opts, func(string) { validate() })
		who.PlaceHolder = "Choose the victim or witness"
		f.row("Person", who, "person")
		pseudo.SetText(nextPseudonym(d.people))
		start.set(casefile.Today())
	} else {
		pr := p.Protection
		f.row("Person", widget.NewLabel(pr.Pseudonym+" ("+joinNames(p.Roles)+")"))
		pseudo.SetText(pr.Pseudonym)
		measures.SetSelected(valueNameList(pr.Measures))
		if pr.RiskLevel != "" {
			setSelected(risk, valueName(pr.RiskLevel))
		}
		order.SetText(pr.OrderRef)
		start.set(pr.Start)
		review.set(pr.Review)
	}
	f.row("Pseudonym", pseudo, "pseudonym")
	f.row("Measures", measures, "protection measure")
	f.row("Risk level", narrow(risk), "risk level")
	f.row("Protection order", order, "protection order")
	f.row("Protected since", container.New(fixedWidth(220), start.content), "start")
	f.row("Next review", container.New(fixedWidth(220), review.content), "review date")
	note := widget.NewLabel("From now on, lists, reports, exports and the audit chain show the pseudonym instead of the name, aliases, date of birth, documents and contact.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	validate()

	title, save := "Protect a person", "Protect"
	if p != nil {
		title, save = "Protection of "+p.Protection.Pseudonym, "Save changes"
	}
	formDialog(u, title, save, f, note, fyne.NewSize(720, 620), func(done func(error)) {
		validate()
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		id := ""
		if p != nil {
			id = p.ID
		} else if id = candidates[who.Selected]; id == "" {
			done(&casefile.ValidationError{Field: "person", Msg: "choose the person to protect"})
			return
		}
		s, _ := start.date("start")
		rv, _ := review.date("review date")
		pr := &casefile.Protection{
			Pseudonym: pseudo.Text, Measures: valuesFromNames(casefile.Measures, measures.Selected),
			RiskLevel: valueFromName(casefile.RiskLevels, selected(risk)), OrderRef: order.Text, Start: s, Review: rv,
		}
		cv.change(func(c *casefile.Case) error {
			q, err := c.Person(bg, id)
			if err != nil {
				return err
			}
			q.Protection = pr
			return c.UpdatePerson(bg, q)
		}, done)
	})
}

// nextPseudonym suggests "W-n" with n one above the highest in use.
func nextPseudonym(people []casefile.Person) string {
	n := 0
	for _, p := range people {
		if p.Protection == nil {
			continue
		}
		var k int
		if _, err := fmt.Sscanf(p.Protection.Pseudonym, "W-%d", &k); err == nil && k > n {
			n = k
		}
	}
	return fmt.Sprintf("W-%d", n+1)
}

// confirmEndProtection lifts a person's protection after a warning.
func confirmEndProtection(cv *caseView, p casefile.Person) {
	u := cv.mv.u
	msg := fmt.Sprintf("End the protection of %s?\n\nTheir real name, aliases, date of birth, documents and contact "+
		"will show again in every list, report and export of this case.", p.Protection.Pseudonym)
	dialog.ShowConfirm("End protection", msg, func(ok bool) {
		if !ok {
			return
		}
		cv.change(func(c *casefile.Case) error {
			q, err := c.Person(bg, p.ID)
			if err != nil {
				return err
			}
			q.Protection = nil // q is masked: casefile keeps the stored identity
			return c.UpdatePerson(bg, q)
		}, func(err error) {
			if err != nil {
				dialog.ShowError(errors.New(userMessage(err)), u.win)
			}
		})
	}, u.win)
}

// showRevealDialog asks for the passphrase, then shows p's real identity
// until the dialog closes. Nothing of it is kept afterwards: the labels
// are emptied and the record dropped, and locking the workspace does the
// same (caseView.detach).
func showRevealDialog(cv *caseView, p casefile.Person) {
	u := cv.mv.u
	pseudo := p.DisplayName()
	explain := widget.NewLabel(fmt.Sprintf("The identity of %s is protected. Revealing it is recorded in the case's audit chain, "+
		"with your name and the time. Type the workspace passphrase to continue.", pseudo))
	explain.Wrapping = fyne.TextWrapWord
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Workspace passphrase")
	u.watchEntry(pass)
	errLabel := errorLabel()
	busy := newBusyIndicator()
	body := container.NewStack(container.NewVBox(explain, pass, errLabel, busy))

	var d *dialog.CustomDialog
	dialogClosed := false
	var shown []*widget.Label // the identity, while on screen
	drop := func() {
		for _, l := range shown {
			l.SetText("")
		}
		shown = nil
		body.RemoveAll()
	}
	closeBtn := widget.NewButtonWithIcon("Close and hide", theme.VisibilityOffIcon(), func() { d.Hide() })
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	var revealBtn *widget.Button
	submit := func() {
		if pass.Text == "" {
			setError(errLabel, errors.New("type the passphrase first"))
			return
		}
		secret := takeSecret(pass)
		setError(errLabel, nil)
		revealBtn.Disable()
		busy.start("Checking the passphrase…")
		c := cv.c
		u.run(func() {
			rp, err := c.RevealPerson(bg, p.ID, secret)
			wipe(secret)
			u.do(func() {
				busy.stop()
				revealBtn.Enable()
				if cv.closed || dialogClosed {
					return
				}
				if err != nil {
					setError(errLabel, err)
					u.win.Canvas().Focus(pass)
					return
				}
				shown = identityLabels(rp)
				grid := container.New(layout.NewFormLayout())
				for i := 0; i < len(shown); i += 2 {
					grid.Add(shown[i])
					grid.Add(shown[i+1])
				}
				warn := widget.NewLabel("Shown until this dialog closes. The reveal is recorded in the audit chain.")
				warn.Importance = widget.WarningImportance
				warn.Wrapping = fyne.TextWrapWord
				body.Objects = []fyne.CanvasObject{container.NewVBox(warn, grid)}
				body.Refresh()
				d.SetButtons([]fyne.CanvasObject{closeBtn})
			})
		})
	}
	revealBtn = widget.NewButtonWithIcon("Reveal", theme.VisibilityIcon(), submit)
	revealBtn.Importance = widget.WarningImportance
	pass.OnSubmitted = func(string) { submit() }
	d = dialog.NewCustomWithoutButtons("Reveal the identity of "+pseudo, body, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, revealBtn})
	d.SetOnClosed(func() {
		dialogClosed = true
		drop()
		pass.SetText("")
		if cv.dropReveal != nil {
			cv.dropReveal = nil
		}
	})
	cv.dropReveal = func() { drop(); d.Hide() }
	d.Resize(fyne.NewSize(620, 0))
	d.Show()
	u.win.Canvas().Focus(pass)
}

// identityLabels returns label pairs (field, value) of a revealed
// identity.
func identityLabels(p casefile.Person) []*widget.Label {
	docs := make([]string, 0, len(p.Documents))
	for _, d := range p.Documents {
		s := d.Type + " " + d.Number
		if d.Country != "" {
			s += " (" + casefile.CountryName(d.Country) + ")"
		}
		docs = append(docs, s)
	}
	pseudo := ""
	if p.Protection != nil {
		pseudo = p.Protection.Pseudonym
	}
	rows := [][2]string{
		{"Pseudonym", pseudo},
		{"Name", p.FullName},
		{"Aliases", strings.Join(p.Aliases, ", ")},
		{"Date of birth", p.Birth.String()},
		{"Documents", joinLines(docs)},
		{"Contact", p.Contact},
		{"Notes", p.Notes},
	}
	out := []*widget.Label{}
	for _, r := range rows {
		if r[1] == "" {
			r[1] = "—"
		}
		k := widget.NewLabelWithStyle(r[0], fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		v := widget.NewLabel(r[1])
		v.Wrapping = fyne.TextWrapWord
		out = append(out, k, v)
	}
	return out
}
