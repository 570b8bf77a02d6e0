package app

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// fieldForm is a two-column form whose rows each have an error line under
// the field: checks made while typing and casefile's ValidationErrors on
// saving show beside the field they are about, and in a banner on top.
type fieldForm struct {
	box    *fyne.Container // the grids, one per section
	grid   *fyne.Container // the grid rows go to
	banner *widget.Label
	errs   map[string]*widget.Label // by casefile field name
	live   map[string]string        // errors found while typing, by field
}

func newFieldForm() *fieldForm {
	f := &fieldForm{
		grid:   container.New(layout.NewFormLayout()),
		banner: errorLabel(),
		errs:   map[string]*widget.Label{},
		live:   map[string]string{},
	}
	f.box = container.NewVBox(f.grid)
	return f
}

// row adds a labelled field; keys are the casefile field names whose
// errors show under it.
func (f *fieldForm) row(label string, obj fyne.CanvasObject, keys ...string) {
	e := errorLabel()
	for _, k := range keys {
		f.errs[k] = e
	}
	f.grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	f.grid.Add(container.NewVBox(obj, e))
}

// section starts a titled group of rows, which the caller may hide.
func (f *fieldForm) section(title string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.HighImportance
	f.grid = container.New(layout.NewFormLayout())
	sec := container.NewVBox(widget.NewSeparator(), l, f.grid)
	f.box.Add(sec)
	return sec
}

// check records the result of a check made while typing: the message
// shows under the field, or goes when msg is "".
func (f *fieldForm) check(key, msg string) {
	if msg == "" {
		delete(f.live, key)
	} else {
		f.live[key] = msg
	}
	if l, ok := f.errs[key]; ok {
		if msg == "" {
			setError(l, nil)
		} else {
			setError(l, errors.New(msg))
		}
	}
}

// liveError returns one of the errors found while typing, as a
// ValidationError, or nil.
func (f *fieldForm) liveError() error {
	for k, m := range f.live {
		return &casefile.ValidationError{Field: k, Msg: m}
	}
	return nil
}

// show puts an error from saving beside its field and in the banner; nil
// clears the banner.
func (f *fieldForm) show(err error) {
	if err == nil {
		setError(f.banner, nil)
		return
	}
	var ve *casefile.ValidationError
	if errors.As(err, &ve) {
		if l, ok := f.errs[ve.Field]; ok {
			setError(l, errors.New(ve.Msg))
		}
		setError(f.banner, errors.New("not saved: "+userMessage(err)))
		return
	}
	setError(f.banner, errors.New("not saved: "+userMessage(err)))
}

// notSet is the choice of an optional Select that leaves the value empty.
const notSet = "—"

// optionalSelect is a Select whose first choice leaves the value empty.
func optionalSelect(opts []string, changed func()) *widget.Select {
	s := widget.NewSelect(append([]string{notSet}, opts...), func(string) {
		if changed != nil {
			changed()
		}
	})
	s.PlaceHolder = notSet
	return s
}

// selected returns a Select's choice, "" for none or notSet.
func selected(s *widget.Select) string {
	if s.Selected == notSet {
		return ""
	}
	return s.Selected
}

// setSelected chooses v without calling OnChanged ("" chooses nothing).
func setSelected(s *widget.Select, v string) {
	s.Selected = v
	s.Refresh()
}

// countrySelect is a Select of every country, "Thailand (TH)".
func countrySelect(optional bool, changed func()) *widget.Select {
	opts, _ := countryOptions()
	var s *widget.Select
	if optional {
		s = optionalSelect(opts, changed)
	} else {
		s = widget.NewSelect(opts, func(string) {
			if changed != nil {
				changed()
			}
		})
		s.PlaceHolder = "Choose a country"
	}
	return s
}

// countryCode returns the code of the country chosen in s, or "".
func countryCode(s *widget.Select) string {
	_, codes := countryOptions()
	return codes[s.Selected]
}

// setCountry chooses the country with code ("" chooses nothing).
func setCountry(s *widget.Select, code string) {
	if code == "" {
		setSelected(s, "")
		return
	}
	setSelected(s, countryOption(code))
}

// currencies offered in lists: those of the region, then USD and EUR.
// Each is checked with casefile.ValidCurrency when the list is made.
var currencyNames = []struct{ code, name string }{
	{"THB", "Thai baht"}, {"KHR", "Cambodian riel"}, {"LAK", "Lao kip"}, {"MMK", "Myanmar kyat"},
	{"VND", "Vietnamese dong"}, {"MYR", "Malaysian ringgit"}, {"SGD", "Singapore dollar"},
	{"IDR", "Indonesian rupiah"}, {"PHP", "Philippine peso"}, {"BND", "Brunei dollar"},
	{"CNY", "Chinese yuan"}, {"HKD", "Hong Kong dollar"}, {"TWD", "New Taiwan dollar"},
	{"JPY", "Japanese yen"}, {"KRW", "South Korean won"}, {"INR", "Indian rupee"},
	{"BDT", "Bangladeshi taka"}, {"AUD", "Australian dollar"},
	{"USD", "US dollar"}, {"EUR", "Euro"},
}

func currencyOptions() []string {
	out := []string{}
	for _, c := range currencyNames {
		if casefile.ValidCurrency(c.code) {
			out = append(out, c.code+" — "+c.name)
		}
	}
	return out
}

// currencyOf returns the code of a currency option ("THB — Thai baht").
func currencyOf(opt string) string {
	code, _, _ := strings.Cut(opt, " ")
	return code
}

// currencyOption returns the option of a code, or the code itself for a
// currency not in the list (a record made with the command-line tool).
func currencyOption(code string) string {
	for _, o := range currencyOptions() {
		if currencyOf(o) == code {
			return o
		}
	}
	return code
}

// moneyField is an amount and its currency, checked with ParseMoney as
// the user types.
type moneyField struct {
	amount   *widget.Entry
	currency *widget.Select
	content  fyne.CanvasObject
}

func newMoneyField(changed func()) *moneyField {
	m := &moneyField{amount: widget.NewEntry()}
	m.amount.SetPlaceHolder("e.g. 1,250,000.00")
	m.amount.OnChanged = func(string) { changed() }
	m.currency = widget.NewSelect(currencyOptions(), func(string) { changed() })
	m.currency.PlaceHolder = "Currency"
	m.content = container.NewBorder(nil, nil, nil, container.New(fixedWidth(230), m.currency), m.amount)
	return m
}

// get returns the amount; both parts empty is no amount. The error is a
// ValidationError for field.
func (m *moneyField) get(field string) (casefile.Money, error) {
	a, cur := strings.TrimSpace(m.amount.Text), currencyOf(m.currency.Selected)
	switch {
	case a == "" && cur == "":
		return casefile.Money{}, nil
	case cur == "":
		return casefile.Money{}, &casefile.ValidationError{Field: field, Msg: "choose the currency"}
	case a == "":
		return casefile.Money{}, &casefile.ValidationError{Field: field, Msg: "type the amount, or clear the currency"}
	}
	v, err := casefile.ParseMoney(a, cur)
	if err != nil {
		var ve *casefile.ValidationError
		if errors.As(err, &ve) {
			return v, &casefile.ValidationError{Field: field, Msg: ve.Msg}
		}
		return v, err
	}
	return v, nil
}

func (m *moneyField) set(v casefile.Money) {
	if v.IsZero() {
		m.amount.SetText("")
		setSelected(m.currency, "")
		return
	}
	m.amount.SetText(v.Amount())
	setSelected(m.currency, currencyOption(v.Currency))
}

// checkMoney checks a money field for the form while typing.
func checkMoney(f *fieldForm, key string, m *moneyField) {
	_, err := m.get(key)
	f.check(key, validationMsg(err))
}

// checkDate checks a date field for the form while typing; future says
// whether a date after today is refused.
func checkDate(f *fieldForm, key string, d *dateField, future bool) {
	dt, err := d.date(key)
	msg := validationMsg(err)
	if msg == "" && !future && dt.Time().After(casefile.Today().Time()) {
		msg = dt.String() + " is in the future"
	}
	f.check(key, msg)
}

// validationMsg returns a ValidationError's message, any other error's
// text, or "" for nil.
func validationMsg(err error) string {
	if err == nil {
		return ""
	}
	var ve *casefile.ValidationError
	if errors.As(err, &ve) {
		return ve.Msg
	}
	return err.Error()
}

// formDialog shows a form in a dialog with Cancel and a save button.
// save gets a done function: the dialog closes when it is called with
// nil, and shows the error in the form otherwise.
func formDialog(u *UI, title, saveLabel string, f *fieldForm, extra fyne.CanvasObject, size fyne.Size, save func(done func(error))) *dialog.CustomDialog {
	busy := newBusyIndicator()
	body := container.NewVBox(f.box)
	if extra != nil {
		body.Add(extra)
	}
	var d *dialog.CustomDialog
	var saveBtn *widget.Button
	saveBtn = widget.NewButtonWithIcon(saveLabel, theme.ConfirmIcon(), func() {
		u.idle.poke()
		saveBtn.Disable()
		busy.start("Saving…")
		save(func(err error) {
			busy.stop()
			saveBtn.Enable()
			f.show(err)
			if err == nil {
				d.Hide()
			}
		})
	})
	saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	// The banner and progress stay in view however far the form scrolls.
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(f.banner, busy, nil, nil, container.NewVScroll(body)), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, saveBtn})
	d.Resize(size)
	d.Show()
	return d
}

// rowList is a growing list of rows, each with a remove button, for the
// lists inside a form (documents, charges).
type rowList struct {
	rows    []fyne.CanvasObject
	box     *fyne.Container
	content fyne.CanvasObject
	changed func()
}

func newRowList(addLabel string, add func(), changed func()) *rowList {
	l := &rowList{box: container.NewVBox(), changed: changed}
	btn := widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), add)
	btn.Importance = widget.LowImportance
	l.content = container.NewVBox(l.box, container.NewHBox(btn))
	return l
}

// add appends a row made of obj; remove, if set, runs when the row's
// remove button is tapped.
func (l *rowList) add(obj fyne.CanvasObject, remove func()) {
	var row fyne.CanvasObject
	del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		for i, r := range l.rows {
			if r == row {
				l.rows = append(l.rows[:i], l.rows[i+1:]...)
				break
			}
		}
		l.box.Remove(row)
		if remove != nil {
			remove()
		}
		l.changed()
	})
	del.Importance = widget.LowImportance
	row = container.NewBorder(nil, nil, nil, del, obj)
	l.rows = append(l.rows, row)
	l.box.Add(row)
}

// splitList reads a comma-separated list.
func splitList(s string) []string { return splitTags(s) }

// showHidden makes entries read-only with hiddenText in them (the masked
// identity fields of a protected person).
func showHidden(entries ...*widget.Entry) {
	for _, e := range entries {
		e.SetText(hiddenText)
		e.Disable()
	}
}

// narrow gives a Select in a form a set width, wide enough for its
// longest choice in most languages (an HBox would size it to its
// placeholder and cut the choice short).
func narrow(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(container.New(fixedWidth(300), o))
}

// checkGrid is a group of checks laid out in columns: a horizontal
// widget.CheckGroup gives every choice the width of the longest and
// grows wider than the window with nine roles or seven measures.
type checkGrid struct {
	widget.BaseWidget
	Options   []string
	Selected  []string
	checks    []*widget.Check
	box       *fyne.Container
	onChanged func([]string)
	setting   bool
}

func newCheckGrid(opts []string, cols int, changed func([]string)) *checkGrid {
	g := &checkGrid{Options: opts, onChanged: changed, box: container.NewGridWithColumns(cols)}
	for _, o := range opts {
		c := widget.NewCheck(o, func(bool) { g.changed() })
		g.checks = append(g.checks, c)
		g.box.Add(c)
	}
	g.ExtendBaseWidget(g)
	return g
}

func (g *checkGrid) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(g.box) }

func (g *checkGrid) changed() {
	if g.setting {
		return
	}
	g.Selected = []string{}
	for _, c := range g.checks {
		if c.Checked {
			g.Selected = append(g.Selected, c.Text)
		}
	}
	if g.onChanged != nil {
		g.onChanged(g.Selected)
	}
}

// SetSelected checks the options in sel and unchecks the others.
func (g *checkGrid) SetSelected(sel []string) {
	g.setting = true
	for _, c := range g.checks {
		on := false
		for _, s := range sel {
			on = on || s == c.Text
		}
		c.SetChecked(on)
	}
	g.setting = false
	g.changed()
}

// showFileDialog shows a file or folder dialog at a size where paths can
// be read. The size is set after Show: Fyne 2.8.1's FileDialog.Resize
// reads the dialog's window before Show has made it and panics.
func showFileDialog(fd *dialog.FileDialog) {
	fd.Show()
	fd.Resize(fyne.NewSize(900, 600))
}
