package app

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// Display names of the casefile enumerations. The stored values stay the
// casefile constants; these are only what the user reads.
var (
	statusNames = map[casefile.Status]string{
		casefile.StatusIntake:        "Intake",
		casefile.StatusInvestigation: "Investigation",
		casefile.StatusCharged:       "Charged",
		casefile.StatusTrial:         "Trial",
		casefile.StatusAppeal:        "Appeal",
		casefile.StatusClosed:        "Closed",
	}
	exploitationNames = map[casefile.Exploitation]string{
		casefile.ExploitationSexual: "Sexual exploitation",
		casefile.ExploitationLabour: "Labour exploitation",
		casefile.ExploitationOrgan:  "Organ removal",
		casefile.ExploitationOther:  "Other",
	}
	roleNames = map[casefile.JurisdictionRole]string{
		casefile.RoleOrigin:      "Origin",
		casefile.RoleTransit:     "Transit",
		casefile.RoleDestination: "Destination",
	}
)

// statusName returns a status as the user reads it.
func statusName(s casefile.Status) string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return string(s)
}

// statusOptions returns the statuses' display names in order.
func statusOptions() []string {
	out := make([]string, len(casefile.Statuses))
	for i, s := range casefile.Statuses {
		out[i] = statusName(s)
	}
	return out
}

// statusFromName is the inverse of statusName.
func statusFromName(n string) casefile.Status {
	for s, name := range statusNames {
		if name == n {
			return s
		}
	}
	return casefile.Status(n)
}

// countryOption returns "Thailand (TH)".
func countryOption(code string) string {
	return fmt.Sprintf("%s (%s)", casefile.CountryName(code), code)
}

var countryOptions = sync.OnceValues(func() ([]string, map[string]string) {
	cs := casefile.Countries()
	opts := make([]string, len(cs))
	codes := make(map[string]string, len(cs))
	for i, c := range cs {
		opts[i] = fmt.Sprintf("%s (%s)", c.Name, c.Code)
		codes[opts[i]] = c.Code
	}
	return opts, codes
})

// dateLayout is how dates are typed and shown: the ISO form that casefile
// and its messages use, the same on every machine.
const dateLayout = "2006-01-02"

// dateField is a date typed as YYYY-MM-DD or picked from a calendar.
// (widget.DateEntry formats dates by the system locale and tells nothing of
// text it cannot parse, so a typo would be dropped silently.)
type dateField struct {
	entry   *widget.Entry
	pick    *widget.Button
	content fyne.CanvasObject
	win     fyne.Window
	popup   *widget.PopUp
}

func newDateField(win fyne.Window, onChanged func()) *dateField {
	d := &dateField{entry: widget.NewEntry(), win: win}
	d.entry.SetPlaceHolder("YYYY-MM-DD")
	d.entry.OnChanged = func(string) {
		if onChanged != nil {
			onChanged()
		}
	}
	d.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.showCalendar)
	d.content = container.NewBorder(nil, nil, nil, d.pick, d.entry)
	return d
}

func (d *dateField) showCalendar() {
	start := time.Now()
	if t, err := time.Parse(dateLayout, strings.TrimSpace(d.entry.Text)); err == nil {
		start = t
	}
	cal := widget.NewCalendar(start, func(t time.Time) {
		d.entry.SetText(t.Format(dateLayout))
		if d.popup != nil {
			d.popup.Hide()
		}
	})
	d.popup = widget.NewPopUp(cal, d.win.Canvas())
	d.popup.ShowAtRelativePosition(fyne.NewPos(0, d.content.Size().Height), d.content)
}

// date parses the field; field names the error.
func (d *dateField) date(field string) (casefile.Date, error) {
	dt, err := casefile.ParseDate(strings.TrimSpace(d.entry.Text))
	if err != nil {
		return casefile.Date{}, &casefile.ValidationError{Field: field, Msg: strings.TrimPrefix(err.Error(), "malformed ")}
	}
	return dt, nil
}

func (d *dateField) set(dt casefile.Date) { d.entry.SetText(dt.String()) }

// jurisdictionEditor edits a short list of countries, each with its role on
// the route.
type jurisdictionEditor struct {
	rows      []*jurisdictionRow
	box       *fyne.Container
	empty     *widget.Label
	content   fyne.CanvasObject
	onChanged func()
}

type jurisdictionRow struct {
	country, role *widget.Select
	obj           fyne.CanvasObject
}

func newJurisdictionEditor(onChanged func()) *jurisdictionEditor {
	j := &jurisdictionEditor{box: container.NewVBox(), onChanged: onChanged}
	j.empty = widget.NewLabel("No countries yet: add the countries of origin, transit and destination.")
	j.empty.Wrapping = fyne.TextWrapWord
	add := widget.NewButtonWithIcon("Add country", theme.ContentAddIcon(), func() {
		j.addRow(casefile.Jurisdiction{})
		j.changed()
	})
	add.Importance = widget.LowImportance
	j.content = container.NewVBox(j.empty, j.box, container.NewHBox(add))
	return j
}

func (j *jurisdictionEditor) changed() {
	if len(j.rows) == 0 {
		j.empty.Show()
	} else {
		j.empty.Hide()
	}
	if j.onChanged != nil {
		j.onChanged()
	}
}

func (j *jurisdictionEditor) addRow(jd casefile.Jurisdiction) {
	opts, _ := countryOptions()
	r := &jurisdictionRow{}
	r.country = widget.NewSelect(opts, func(string) { j.changed() })
	r.country.PlaceHolder = "Choose a country"
	roles := make([]string, len(casefile.JurisdictionRoles))
	for i, role := range casefile.JurisdictionRoles {
		roles[i] = roleNames[role]
	}
	r.role = widget.NewSelect(roles, func(string) { j.changed() })
	r.role.PlaceHolder = "Role"
	if jd.Country != "" {
		r.country.Selected = countryOption(jd.Country)
	}
	if jd.Role != "" {
		r.role.Selected = roleNames[jd.Role]
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i, o := range j.rows {
			if o == r {
				j.rows = append(j.rows[:i], j.rows[i+1:]...)
				break
			}
		}
		j.box.Remove(r.obj)
		j.changed()
	})
	remove.Importance = widget.LowImportance
	roleBox := container.New(fixedWidth(150), r.role)
	r.obj = container.NewBorder(nil, nil, nil, container.NewHBox(roleBox, remove), r.country)
	j.rows = append(j.rows, r)
	j.box.Add(r.obj)
}

func (j *jurisdictionEditor) set(js []casefile.Jurisdiction) {
	j.rows = nil
	j.box.RemoveAll()
	for _, jd := range js {
		j.addRow(jd)
	}
	if len(j.rows) == 0 {
		j.empty.Show()
	} else {
		j.empty.Hide()
	}
}

// get returns the rows; a row with only one of its two choices made is an
// error, a row with neither is skipped.
func (j *jurisdictionEditor) get() ([]casefile.Jurisdiction, error) {
	_, codes := countryOptions()
	out := []casefile.Jurisdiction{}
	for i, r := range j.rows {
		c, role := r.country.Selected, r.role.Selected
		switch {
		case c == "" && role == "":
			continue
		case c == "":
			return nil, &casefile.ValidationError{Field: "jurisdiction", Msg: fmt.Sprintf("row %d has a role but no country: choose one, or remove the row", i+1)}
		case role == "":
			return nil, &casefile.ValidationError{Field: "jurisdiction", Msg: fmt.Sprintf("choose the role of %s: origin, transit or destination", c)}
		}
		jd := casefile.Jurisdiction{Country: codes[c]}
		for jr, n := range roleNames {
			if n == role {
				jd.Role = jr
			}
		}
		out = append(out, jd)
	}
	return out, nil
}

// splitTags reads a comma-separated list.
func splitTags(s string) []string {
	out := []string{}
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
