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

// assetsTab is the Assets tab: the assets to trace, freeze, seize and
// confiscate, the history of the one selected, and the totals per status
// and currency.
type assetsTab struct {
	cv      *caseView
	data    *caseData
	table   *sortTable
	edit    *widget.Button
	event   *widget.Button
	history *fyne.Container
	histHdr *widget.Label
	totals  *fyne.Container
	content fyne.CanvasObject
}

var assetColumns = []column{
	{"Type", 120}, {"Description", 0}, {"Identifier", 170}, {"Owner", 200}, {"Value", 170}, {"Status", 110},
}

func newAssetsTab(cv *caseView) *assetsTab {
	u := cv.mv.u
	t := &assetsTab{cv: cv, data: &caseData{}}
	t.table = newSortTable(assetColumns, t.cell, func(r int) string { return t.data.assets[r].ID })
	t.table.key = func(r, col int) string {
		a := t.data.assets[r]
		switch col {
		case 4:
			return fmt.Sprintf("%s %020d", a.Value.Currency, a.Value.Minor)
		case 5:
			return fmt.Sprintf("%02d", indexOf(casefile.AssetStatuses, a.Status))
		}
		return strings.ToLower(t.cell(r, col))
	}
	t.table.setEmpty("No assets yet. Record bank accounts, property, vehicles, cash and crypto wallets with “Add asset…”, " +
		"then follow each one from identified to frozen, seized and confiscated with “Record event…”.")
	t.table.onSelect = func(int) { t.showSelected() }

	rows := func() []casefile.Asset { return t.data.assets }
	var add *widget.Button
	add, t.edit = registerButtons(u, t.table, "Add asset…", rows, func(a *casefile.Asset) { showAssetForm(cv, a) })
	t.event = rowButton(u, t.table, "Record event…", theme.HistoryIcon(), rows, func(a casefile.Asset) { showAssetEventForm(cv, a) })
	bar := container.NewHBox(add, t.edit, t.event, layout.NewSpacer())

	t.histHdr = widget.NewLabelWithStyle("History", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.history = container.NewVBox()
	t.totals = container.NewVBox()
	hist := container.NewBorder(t.histHdr, nil, nil, nil, container.NewVScroll(t.history))
	tot := container.NewBorder(widget.NewLabelWithStyle("Totals by status and currency", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(t.totals))
	bottom := container.NewHSplit(hist, tot)
	bottom.Offset = 0.55
	split := container.NewVSplit(t.table.content, bottom)
	split.Offset = 0.48
	t.content = container.NewBorder(bar, nil, nil, nil, split)
	t.showSelected()
	return t
}

func indexOf[T comparable](vs []T, v T) int {
	for i, x := range vs {
		if x == v {
			return i
		}
	}
	return len(vs)
}

func (t *assetsTab) cell(r, col int) string {
	a := &t.data.assets[r]
	switch col {
	case 0:
		return valueName(a.Type)
	case 1:
		return a.Description
	case 2:
		return a.Identifier
	case 3:
		return a.OwnerName
	case 4:
		return moneyText(a.Value)
	default:
		return valueName(a.Status)
	}
}

func (t *assetsTab) show(d *caseData) {
	t.data = d
	t.table.setRows(len(d.assets))
	t.showSelected()
	t.showTotals()
}

// showSelected shows the history of the selected asset.
func (t *assetsTab) showSelected() {
	t.history.RemoveAll()
	r := t.table.selectedRow()
	if r < 0 {
		t.edit.Disable()
		t.event.Disable()
		t.histHdr.SetText("History")
		l := widget.NewLabel("Select an asset to see its history: each freezing, seizure and confiscation with its order and authority.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		t.history.Add(l)
		return
	}
	t.edit.Enable()
	t.event.Enable()
	a := t.data.assets[r]
	t.histHdr.SetText("History of " + a.Description)
	for i := len(a.History) - 1; i >= 0; i-- {
		e := a.History[i]
		line := e.Date.String() + "   " + valueName(e.Status)
		var parts []string
		if e.OrderRef != "" {
			parts = append(parts, "order "+e.OrderRef)
		}
		if e.Authority != "" {
			parts = append(parts, e.Authority)
		}
		if len(parts) > 0 {
			line += " — " + strings.Join(parts, ", ")
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		t.history.Add(l)
		if e.Note != "" {
			n := widget.NewLabel("      " + e.Note)
			n.Wrapping = fyne.TextWrapWord
			n.Importance = widget.LowImportance
			t.history.Add(n)
		}
	}
}

// showTotals fills the totals panel from casefile's exact sums.
func (t *assetsTab) showTotals() {
	t.totals.RemoveAll()
	if len(t.data.totals) == 0 {
		l := widget.NewLabel("No values yet: give assets an estimated value and currency to see totals here.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		t.totals.Add(l)
		return
	}
	last := casefile.AssetStatus("")
	for _, tot := range t.data.totals {
		status := ""
		if tot.Status != last {
			status, last = valueName(tot.Status), tot.Status
		}
		n := "1 asset"
		if tot.Count != 1 {
			n = fmt.Sprintf("%d assets", tot.Count)
		}
		st := widget.NewLabelWithStyle(status, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		amount := widget.NewLabelWithStyle(totalText(tot), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
		count := widget.NewLabel(n)
		count.Importance = widget.LowImportance
		t.totals.Add(container.New(columnsLayout{150, 230, 0}, st, amount, count))
	}
	note := widget.NewLabel("Sums are exact and kept apart per currency; nothing is converted.")
	note.Importance = widget.LowImportance
	note.Wrapping = fyne.TextWrapWord
	t.totals.Add(note)
}

// totalText is a total as shown: "1,250,000.00 THB".
func totalText(t casefile.Total) string { return groupDigits(t.Amount) + " " + t.Currency }

// ownerOptions lists the case's people for an owner Select, by display
// name (the pseudonym of a protected person) with their roles.
func ownerOptions(d *caseData) (opts []string, ids map[string]string) {
	ids = map[string]string{}
	for _, p := range d.people {
		o := p.DisplayName() + " (" + joinNames(p.Roles) + ")"
		for n := 2; ids[o] != ""; n++ {
			o = fmt.Sprintf("%s (%s) #%d", p.DisplayName(), joinNames(p.Roles), n)
		}
		opts = append(opts, o)
		ids[o] = p.ID
	}
	return opts, ids
}

// showAssetForm adds an asset (a nil) or edits a's description fields.
func showAssetForm(cv *caseView, a *casefile.Asset) {
	u := cv.mv.u
	f := newFieldForm()
	var value *moneyField
	validate := func() { u.idle.poke(); checkMoney(f, "value", value) }
	typ := widget.NewSelect(valueNameList(casefile.AssetTypes), func(string) { validate() })
	typ.PlaceHolder = "Choose the type"
	desc := widget.NewEntry()
	desc.SetPlaceHolder("e.g. Savings account at a fictional bank")
	ident := widget.NewEntry()
	ident.SetPlaceHolder("Account number, plate, address or wallet")
	opts, ids := ownerOptions(&cv.data)
	owner := optionalSelect(opts, validate)
	loc := widget.NewEntry()
	loc.SetPlaceHolder("Where it is (bank branch, town, storage)")
	juris := countrySelect(true, validate)
	value = newMoneyField(validate)
	notes := widget.NewMultiLineEntry()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetMinRowsVisible(3)
	var first *widget.Select

	f.row("Type", narrow(typ), "type")
	f.row("Description", desc, "description")
	f.row("Identifier", ident, "identifier")
	f.row("Owner", owner, "owner")
	f.row("Location", loc, "location")
	f.row("Jurisdiction", juris, "jurisdiction")
	f.row("Estimated value", value.content, "value", "currency")
	if a == nil {
		first = widget.NewSelect(valueNameList(casefile.AssetStatuses[:3]), nil)
		first.SetSelected(valueName(casefile.AssetIdentified))
		f.row("Status when recorded", narrow(first), "status")
	}
	f.row("Notes", notes, "notes")

	title, save := "Add asset", "Add asset"
	if a != nil {
		title, save = "Edit asset", "Save changes"
		setSelected(typ, valueName(a.Type))
		desc.SetText(a.Description)
		ident.SetText(a.Identifier)
		for o, id := range ids {
			if id == a.OwnerID {
				setSelected(owner, o)
			}
		}
		loc.SetText(a.Location)
		setCountry(juris, a.Jurisdiction)
		value.set(a.Value)
		notes.SetText(a.Notes)
	}
	var extra fyne.CanvasObject
	if a != nil {
		l := widget.NewLabel("The status changes with “Record event…”, so that every step keeps its date, order and authority.")
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		extra = l
	}
	formDialog(u, title, save, f, extra, fyne.NewSize(760, 600), func(done func(error)) {
		validate()
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		na := casefile.Asset{}
		if a != nil {
			na = *a
		}
		na.Type = valueFromName(casefile.AssetTypes, typ.Selected)
		if na.Type == "" {
			done(&casefile.ValidationError{Field: "type", Msg: "choose the type of asset"})
			return
		}
		na.Description, na.Identifier, na.Location, na.Notes = desc.Text, ident.Text, loc.Text, notes.Text
		na.OwnerID = ids[selected(owner)]
		na.Jurisdiction = countryCode(juris)
		na.Value, _ = value.get("value")
		if first != nil {
			na.Status = valueFromName(casefile.AssetStatuses, first.Selected)
		}
		cv.change(func(c *casefile.Case) error {
			if a == nil {
				_, err := c.AddAsset(bg, na)
				return err
			}
			return c.UpdateAsset(bg, na)
		}, done)
	})
}

// showAssetEventForm records the next step of an asset's history.
func showAssetEventForm(cv *caseView, a casefile.Asset) {
	u := cv.mv.u
	f := newFieldForm()
	var others []string
	for _, s := range casefile.AssetStatuses {
		if s != a.Status {
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
	order := widget.NewEntry()
	order.SetPlaceHolder("Reference of the court or agency order")
	authority := widget.NewEntry()
	authority.SetPlaceHolder("e.g. Criminal Court, Anti-Money Laundering Office")
	note := widget.NewMultiLineEntry()
	note.Wrapping = fyne.TextWrapWord
	note.SetMinRowsVisible(2)
	f.row("Asset", widget.NewLabel(a.Description+" — now "+strings.ToLower(valueName(a.Status))))
	f.row("New status", narrow(status), "status")
	f.row("Date", container.New(fixedWidth(220), date.content), "date")
	f.row("Order reference", order, "order")
	f.row("Authority", authority, "authority")
	f.row("Note", note, "note")
	formDialog(u, "Record an event", "Record", f, nil, fyne.NewSize(680, 520), func(done func(error)) {
		validate()
		if err := f.liveError(); err != nil {
			done(err)
			return
		}
		st := valueFromName(casefile.AssetStatuses, status.Selected)
		if st == "" {
			done(&casefile.ValidationError{Field: "status", Msg: "choose the new status"})
			return
		}
		d, _ := date.date("date")
		e := casefile.AssetEvent{Status: st, Date: d, OrderRef: order.Text, Authority: authority.Text, Note: note.Text}
		cv.change(func(c *casefile.Case) error { return c.AddAssetEvent(bg, a.ID, e) }, done)
	})
}
