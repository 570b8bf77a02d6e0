package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// notesPanel lists the notes on one target (the case itself for "") with
// their author and time, to add and edit.
type notesPanel struct {
	cv      *caseView
	target  string
	box     *fyne.Container
	content fyne.CanvasObject
}

func newNotesPanel(cv *caseView, target, title string) *notesPanel {
	u := cv.mv.u
	n := &notesPanel{cv: cv, target: target, box: container.NewVBox()}
	add := widget.NewButtonWithIcon("Add note…", theme.ContentAddIcon(), u.act(func() { n.edit(nil) }))
	head := container.NewHBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), layout.NewSpacer(), add)
	n.content = container.NewBorder(head, nil, nil, nil, container.NewVScroll(n.box))
	n.show(nil)
	return n
}

func (n *notesPanel) show(notes []casefile.Note) {
	n.box.RemoveAll()
	if len(notes) == 0 {
		l := widget.NewLabel("No notes yet. Notes are for what fits no field: a call with a focal point, a lead to follow. Never write a protected person's real name here.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		n.box.Add(l)
		return
	}
	for i := len(notes) - 1; i >= 0; i-- {
		note := notes[i]
		meta := note.Author + " · " + note.Created.Local().Format("2006-01-02 15:04")
		if !note.Updated.Equal(note.Created) {
			meta += " (edited " + note.Updated.Local().Format("2006-01-02 15:04") + ")"
		}
		m := widget.NewLabel(meta)
		m.Importance = widget.LowImportance
		m.Truncation = fyne.TextTruncateEllipsis
		text := widget.NewLabel(note.Text)
		text.Wrapping = fyne.TextWrapWord
		edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), n.cv.mv.u.act(func() { n.edit(&note) }))
		edit.Importance = widget.LowImportance
		n.box.Add(container.NewBorder(nil, nil, nil, edit, m))
		n.box.Add(text)
		n.box.Add(widget.NewSeparator())
	}
}

// edit opens a note to add (nil) or change.
func (n *notesPanel) edit(note *casefile.Note) {
	u, cv, target := n.cv.mv.u, n.cv, n.target
	f := newFieldForm()
	text := widget.NewMultiLineEntry()
	text.Wrapping = fyne.TextWrapWord
	text.SetMinRowsVisible(8)
	u.watchEntry(text)
	f.row("Note", text, "note")
	title, save := "Add a note", "Add note"
	if note != nil {
		title, save = "Edit note", "Save changes"
		text.SetText(note.Text)
	}
	formDialog(u, title, save, f, nil, fyne.NewSize(640, 420), func(done func(error)) {
		s := text.Text
		cv.change(func(c *casefile.Case) error {
			if note == nil {
				_, err := c.AddNote(bg, target, s)
				return err
			}
			return c.UpdateNote(bg, note.ID, s)
		}, done)
	})
	u.win.Canvas().Focus(text)
}
