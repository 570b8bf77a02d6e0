package app

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

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
