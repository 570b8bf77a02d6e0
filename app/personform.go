package app

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// personForm adds or edits a person. For a protected person (whose record
// comes masked) the identity fields read "hidden — protected" and cannot
// be changed; casefile keeps the stored identity when the rest is saved.
type personForm struct {
	f    *fieldForm
	base casefile.Person

	roles                   *checkGrid
	name, aliases, langs    *widget.Entry
	ageMin, ageMax          *widget.Entry
	sex                     *widget.Select
	birth                   *dateField
	nationality             *widget.Select
	interpreter             *widget.Check
	docs                    *rowList
	docRows                 []*docRow
	contact, notes          *widget.Entry
	exploit, services       *checkGrid
	nonPunish, repatriation *widget.Select
	nonPunishNote           *widget.Entry
	claimed, awarded        *moneyField
	charges                 *rowList
	chargeRows              []*chargeRow
	custody                 *widget.Select
	custodyLimit            *dateField
	regNumber, agency, pos  *widget.Entry
	regCountry              *widget.Select

	victim, suspect, legal, official fyne.CanvasObject
}

type docRow struct {
	typ, number *widget.Entry
	country     *widget.Select
}

type chargeRow struct {
	offence, law *widget.Entry
	related      *widget.Select
}

// showPersonForm opens the form for a new person (p nil) or to edit p.
func showPersonForm(cv *caseView, p *casefile.Person) *personForm {
	u := cv.mv.u
	pf := &personForm{f: newFieldForm()}
	if p != nil {
		pf.base = *p
	}
	f := pf.f
	changed := func() { u.idle.poke(); pf.validate() }
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { changed() }
		return e
	}
	multi := func(placeholder string) *widget.Entry {
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { changed() }
		return e
	}

	pf.roles = newCheckGrid(valueNameList(casefile.Roles), 4, func([]string) { pf.showSections(); changed() })
	pf.name = entry("Full name as in the documents, in any script")
	pf.aliases = entry("Other names and nicknames, comma-separated")
	pf.sex = optionalSelect(valueNameList(casefile.Sexes), changed)
	pf.birth = newDateField(u.win, changed)
	pf.ageMin, pf.ageMax = entry("from"), entry("to")
	pf.nationality = countrySelect(true, changed)
	pf.langs = entry("e.g. Khmer, Thai")
	pf.interpreter = widget.NewCheck("Needs an interpreter", func(bool) { changed() })
	pf.docs = newRowList("Add document", func() { pf.addDoc(casefile.Document{}); changed() }, changed)
	pf.contact = multi("Phone, address, shelter contact")
	pf.notes = multi("Anything else about this person")

	if p != nil && p.Protection != nil {
		warn := widget.NewLabel("Protected as " + p.Protection.Pseudonym + ". The identity fields stay hidden here and cannot be changed; " +
			"use “Reveal identity…” to see them. Other fields can be edited. Protection itself is managed on the Protection tab.")
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		f.box.Objects = append([]fyne.CanvasObject{warn}, f.box.Objects...)
	}
	f.row("Roles", pf.roles, "role")
	f.row("Name", pf.name, "name")
	f.row("Aliases", pf.aliases, "alias")
	f.row("Sex", narrow(pf.sex), "sex")
	ages := container.NewHBox(container.New(fixedWidth(80), pf.ageMin), widget.NewLabel("to"), container.New(fixedWidth(80), pf.ageMax),
		widget.NewLabel("years (when the date is not known)"))
	f.row("Date of birth", container.New(fixedWidth(220), pf.birth.content), "birth")
	f.row("Or age range", ages, "age")
	f.row("Nationality", pf.nationality, "nationality")
	f.row("Languages", container.NewVBox(pf.langs, pf.interpreter), "language")
	f.row("Identity documents", pf.docs.content, "document type", "document number", "document country")
	f.row("Contact", pf.contact, "contact")
	f.row("Notes", pf.notes, "notes")

	pf.victim = f.section("Victim")
	exploit := make([]string, len(casefile.Exploitations))
	for i, e := range casefile.Exploitations {
		exploit[i] = exploitationNames[e]
	}
	pf.exploit = newCheckGrid(exploit, 4, func([]string) { changed() })
	pf.services = newCheckGrid(valueNameList(casefile.Services), 5, func([]string) { changed() })
	pf.nonPunish = optionalSelect(valueNameList(casefile.NonPunishmentStates), changed)
	pf.nonPunishNote = entry("Outcome, decision reference")
	pf.repatriation = optionalSelect(valueNameList(casefile.RepatriationStates), changed)
	pf.claimed, pf.awarded = newMoneyField(changed), newMoneyField(changed)
	f.row("Exploitation suffered", pf.exploit, "exploitation")
	f.row("Referred to", pf.services, "service")
	f.row("Non-punishment", container.NewVBox(narrow(pf.nonPunish), pf.nonPunishNote), "non-punishment", "non-punishment outcome")
	f.row("Repatriation", narrow(pf.repatriation), "repatriation")
	f.row("Compensation claimed", pf.claimed.content, "compensation claimed")
	f.row("Compensation awarded", pf.awarded.content, "compensation awarded")

	pf.suspect = f.section("Suspect or defendant")
	pf.charges = newRowList("Add charge", func() { pf.addCharge(casefile.Charge{}); changed() }, changed)
	pf.custody = optionalSelect(valueNameList(casefile.CustodyStatuses), changed)
	pf.custodyLimit = newDateField(u.win, changed)
	f.row("Charges", pf.charges.content, "charge", "charge law", "related offence")
	f.row("Custody", narrow(pf.custody), "custody status")
	f.row("Custody time limit", container.New(fixedWidth(220), pf.custodyLimit.content), "custody limit")

	pf.legal = f.section("Legal person")
	pf.regNumber = entry("Company registration number")
	pf.regCountry = countrySelect(true, changed)
	f.row("Registration number", pf.regNumber, "registration number")
	f.row("Registered in", pf.regCountry, "registration country")

	pf.official = f.section("Public official")
	pf.agency, pf.pos = entry("e.g. Immigration Police"), entry("e.g. Checkpoint commander")
	f.row("Agency", pf.agency, "agency")
	f.row("Position", pf.pos, "position")

	pf.set(pf.base, p != nil)
	title, save := "Add person", "Add person"
	if p != nil {
		title, save = "Edit "+p.DisplayName(), "Save changes"
	}
	formDialog(u, title, save, f, nil, fyne.NewSize(860, 700), func(done func(error)) {
		np, err := pf.read()
		if err != nil {
			done(err)
			return
		}
		cv.change(func(c *casefile.Case) error {
			if p == nil {
				_, err := c.AddPerson(bg, np)
				return err
			}
			return c.UpdatePerson(bg, np)
		}, done)
	})
	return pf
}

func (pf *personForm) addDoc(d casefile.Document) {
	r := &docRow{typ: widget.NewEntry(), number: widget.NewEntry(), country: countrySelect(true, pf.validate)}
	r.typ.SetPlaceHolder("Passport, ID card…")
	r.number.SetPlaceHolder("Number")
	r.typ.SetText(d.Type)
	r.number.SetText(d.Number)
	setCountry(r.country, d.Country)
	r.country.PlaceHolder = "Issued by"
	pf.docRows = append(pf.docRows, r)
	pf.docs.add(container.NewGridWithColumns(3, r.typ, r.number, r.country), func() {
		pf.docRows = slices.DeleteFunc(pf.docRows, func(o *docRow) bool { return o == r })
	})
}

func (pf *personForm) addCharge(ch casefile.Charge) {
	r := &chargeRow{offence: widget.NewEntry(), law: widget.NewEntry(), related: optionalSelect(valueNameList(casefile.RelatedOffences), pf.validate)}
	r.offence.SetPlaceHolder("Offence, e.g. trafficking in persons")
	r.law.SetPlaceHolder("Law and section")
	r.related.PlaceHolder = "Related offence"
	r.offence.SetText(ch.Offence)
	r.law.SetText(ch.Law)
	if ch.Related != "" {
		setSelected(r.related, valueName(ch.Related))
	}
	pf.chargeRows = append(pf.chargeRows, r)
	pf.charges.add(container.NewGridWithColumns(3, r.offence, r.law, r.related), func() {
		pf.chargeRows = slices.DeleteFunc(pf.chargeRows, func(o *chargeRow) bool { return o == r })
	})
}

// set fills the form from p.
func (pf *personForm) set(p casefile.Person, editing bool) {
	names := make([]string, 0, len(p.Roles))
	for _, r := range p.Roles {
		names = append(names, valueName(r))
	}
	pf.roles.SetSelected(names)
	if p.Masked {
		showHidden(pf.name, pf.aliases, pf.birth.entry, pf.contact, pf.notes)
		pf.birth.pick.Disable()
		pf.docs.box.Add(widget.NewLabel(hiddenText))
		hideAddButton(pf.docs)
	} else {
		pf.name.SetText(p.FullName)
		pf.aliases.SetText(strings.Join(p.Aliases, ", "))
		pf.birth.set(p.Birth)
		pf.contact.SetText(p.Contact)
		pf.notes.SetText(p.Notes)
		for _, d := range p.Documents {
			pf.addDoc(d)
		}
	}
	if p.Sex != "" {
		setSelected(pf.sex, valueName(p.Sex))
	}
	if p.AgeMin > 0 {
		pf.ageMin.SetText(strconv.Itoa(p.AgeMin))
	}
	if p.AgeMax > 0 {
		pf.ageMax.SetText(strconv.Itoa(p.AgeMax))
	}
	setCountry(pf.nationality, p.Nationality)
	pf.langs.SetText(strings.Join(p.Languages, ", "))
	pf.interpreter.SetChecked(p.InterpreterNeeded)
	ex := []string{}
	for _, e := range p.Exploitation {
		ex = append(ex, exploitationNames[e])
	}
	pf.exploit.SetSelected(ex)
	pf.services.SetSelected(valueNameList(p.Services))
	if p.NonPunishment != "" {
		setSelected(pf.nonPunish, valueName(p.NonPunishment))
	}
	pf.nonPunishNote.SetText(p.NonPunishmentNote)
	if p.Repatriation != "" {
		setSelected(pf.repatriation, valueName(p.Repatriation))
	}
	pf.claimed.set(p.CompClaimed)
	pf.awarded.set(p.CompAwarded)
	for _, ch := range p.Charges {
		pf.addCharge(ch)
	}
	if p.CustodyStatus != "" {
		setSelected(pf.custody, valueName(p.CustodyStatus))
	}
	pf.custodyLimit.set(p.CustodyLimit)
	pf.regNumber.SetText(p.RegNumber)
	setCountry(pf.regCountry, p.RegCountry)
	pf.agency.SetText(p.Agency)
	pf.pos.SetText(p.Position)
	pf.showSections()
	pf.f.live = map[string]string{}
	for _, l := range pf.f.errs {
		setError(l, nil)
	}
}

// hideAddButton hides a row list's add button (a masked list cannot grow).
func hideAddButton(l *rowList) {
	if c, ok := l.content.(*fyne.Container); ok && len(c.Objects) > 1 {
		c.Objects[1].Hide()
	}
}

// showSections shows the sections of the roles checked.
func (pf *personForm) showSections() {
	has := func(rs ...casefile.Role) bool {
		for _, r := range rs {
			if slices.Contains(pf.roles.Selected, valueName(r)) {
				return true
			}
		}
		return false
	}
	for _, s := range []struct {
		obj fyne.CanvasObject
		on  bool
	}{
		{pf.victim, has(casefile.RoleVictim)},
		{pf.suspect, has(casefile.RoleSuspect, casefile.RoleDefendant)},
		{pf.legal, has(casefile.RoleLegalPerson)},
		{pf.official, has(casefile.RoleOfficial)},
	} {
		if s.on {
			s.obj.Show()
		} else {
			s.obj.Hide()
		}
	}
}

// validate checks, as the user types, what can be checked without the
// case: dates, the age range and amounts.
func (pf *personForm) validate() {
	f := pf.f
	if !pf.base.Masked {
		checkDate(f, "birth", pf.birth, false)
	}
	_, _, err := pf.ages()
	f.check("age", validationMsg(err))
	checkMoney(f, "compensation claimed", pf.claimed)
	checkMoney(f, "compensation awarded", pf.awarded)
	checkDate(f, "custody limit", pf.custodyLimit, true)
	if strings.TrimSpace(pf.name.Text) != "" {
		f.check("name", "")
	}
	if len(pf.roles.Selected) > 0 {
		f.check("role", "")
	}
}

func (pf *personForm) ages() (lo, hi int, err error) {
	parse := func(e *widget.Entry) (int, error) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 120 {
			return 0, &casefile.ValidationError{Field: "age", Msg: "an age is a whole number of years from 0 to 120"}
		}
		return n, nil
	}
	if lo, err = parse(pf.ageMin); err != nil {
		return
	}
	if hi, err = parse(pf.ageMax); err != nil {
		return
	}
	if hi > 0 && lo > hi {
		err = &casefile.ValidationError{Field: "age", Msg: "the lower age is above the upper one"}
	}
	return
}

// read returns the person as edited; casefile checks the rest.
func (pf *personForm) read() (casefile.Person, error) {
	pf.validate()
	if err := pf.f.liveError(); err != nil {
		return casefile.Person{}, err
	}
	p := pf.base
	p.Roles = valuesFromNames(casefile.Roles, pf.roles.Selected)
	if len(p.Roles) == 0 {
		return p, &casefile.ValidationError{Field: "role", Msg: "check at least one role"}
	}
	if !p.Masked {
		p.FullName = pf.name.Text
		if strings.TrimSpace(p.FullName) == "" {
			return p, &casefile.ValidationError{Field: "name", Msg: "type the name (for a protected witness too: the Protection tab hides it)"}
		}
		p.Aliases = splitList(pf.aliases.Text)
		p.Birth, _ = pf.birth.date("birth")
		p.Contact, p.Notes = pf.contact.Text, pf.notes.Text
		p.Documents = []casefile.Document{}
		for _, r := range pf.docRows {
			if strings.TrimSpace(r.typ.Text+r.number.Text) == "" && countryCode(r.country) == "" {
				continue
			}
			p.Documents = append(p.Documents, casefile.Document{Type: r.typ.Text, Number: r.number.Text, Country: countryCode(r.country)})
		}
	}
	p.Sex = string(valueFromName(casefile.Sexes, selected(pf.sex)))
	p.AgeMin, p.AgeMax, _ = pf.ages()
	p.Nationality = countryCode(pf.nationality)
	p.Languages = splitList(pf.langs.Text)
	p.InterpreterNeeded = pf.interpreter.Checked
	p.Exploitation = []casefile.Exploitation{}
	for _, e := range casefile.Exploitations {
		if slices.Contains(pf.exploit.Selected, exploitationNames[e]) {
			p.Exploitation = append(p.Exploitation, e)
		}
	}
	p.Services = valuesFromNames(casefile.Services, pf.services.Selected)
	p.NonPunishment = valueFromName(casefile.NonPunishmentStates, selected(pf.nonPunish))
	p.NonPunishmentNote = pf.nonPunishNote.Text
	p.Repatriation = valueFromName(casefile.RepatriationStates, selected(pf.repatriation))
	p.CompClaimed, _ = pf.claimed.get("compensation claimed")
	p.CompAwarded, _ = pf.awarded.get("compensation awarded")
	p.Charges = []casefile.Charge{}
	for _, r := range pf.chargeRows {
		rel := valueFromName(casefile.RelatedOffences, selected(r.related))
		if strings.TrimSpace(r.offence.Text+r.law.Text) == "" && rel == "" {
			continue
		}
		p.Charges = append(p.Charges, casefile.Charge{Offence: r.offence.Text, Law: r.law.Text, Related: rel})
	}
	p.CustodyStatus = valueFromName(casefile.CustodyStatuses, selected(pf.custody))
	p.CustodyLimit, _ = pf.custodyLimit.date("custody limit")
	p.RegNumber, p.RegCountry = pf.regNumber.Text, countryCode(pf.regCountry)
	p.Agency, p.Position = pf.agency.Text, pf.pos.Text
	return p, nil
}
