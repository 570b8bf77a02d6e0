package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// peopleTab is the People tab: everyone in the case, protected people by
// their pseudonym with a shield.
type peopleTab struct {
	cv      *caseView
	data    *caseData
	table   *sortTable
	edit    *widget.Button
	reveal  *widget.Button
	content fyne.CanvasObject

	lastForm *personForm // the form opened last (tests fill it in)
}

var peopleColumns = []column{
	{"Name", 250}, {"Roles", 260}, {"Nationality", 190}, {"Child", 70}, {"Custody", 0},
}

func newPeopleTab(cv *caseView) *peopleTab {
	u := cv.mv.u
	t := &peopleTab{cv: cv, data: &caseData{}}
	t.table = newSortTable(peopleColumns, t.cell, func(r int) string { return t.data.people[r].ID })
	t.table.icon = func(r, col int) fyne.Resource {
		if col == 0 && t.data.people[r].Protection != nil {
			return shieldIcon
		}
		return nil
	}
	t.table.setEmpty("No people yet. Add the victims, witnesses, suspects, companies and officials of the case with “Add person…”.")
	t.table.onSelect = func(int) { t.updateButtons() }

	add := widget.NewButtonWithIcon("Add person…", theme.ContentAddIcon(), u.act(func() { t.lastForm = showPersonForm(cv, nil) }))
	add.Importance = widget.HighImportance
	t.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), u.act(t.editSelected))
	t.reveal = widget.NewButtonWithIcon("Reveal identity…", theme.VisibilityIcon(), u.act(func() {
		if r := t.table.selectedRow(); r >= 0 {
			showRevealDialog(cv, t.data.people[r])
		}
	}))
	hint := widget.NewLabel("A shield marks a protected person, shown by pseudonym; the identity shows only on “Reveal identity…”, which asks for the passphrase.")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	bar := container.NewHBox(add, t.edit, t.reveal, layout.NewSpacer())
	t.content = container.NewBorder(container.NewVBox(bar, hint), nil, nil, nil, t.table.content)
	t.updateButtons()
	return t
}

func (t *peopleTab) cell(r, col int) string {
	p := &t.data.people[r]
	switch col {
	case 0:
		return p.DisplayName()
	case 1:
		return joinNames(p.Roles)
	case 2:
		return countryLabel(p.Nationality)
	case 3:
		if p.Child {
			return "Child"
		}
		return ""
	default:
		s := valueName(p.CustodyStatus)
		if p.CustodyStatus == "in-custody" && !p.CustodyLimit.IsZero() {
			s += " until " + p.CustodyLimit.String()
		}
		return s
	}
}

func (t *peopleTab) show(d *caseData) {
	t.data = d
	t.table.setRows(len(d.people))
	t.updateButtons()
}

func (t *peopleTab) updateButtons() {
	r := t.table.selectedRow()
	if r < 0 {
		t.edit.Disable()
		t.reveal.Disable()
		return
	}
	t.edit.Enable()
	if t.data.people[r].Masked {
		t.reveal.Enable()
	} else {
		t.reveal.Disable()
	}
}

func (t *peopleTab) editSelected() {
	if r := t.table.selectedRow(); r >= 0 {
		p := t.data.people[r]
		t.lastForm = showPersonForm(t.cv, &p)
	}
}

// joinLines lists names one to a line, for a dialog.
func joinLines(ss []string) string { return strings.Join(ss, "\n") }
