package app

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// contactsView is the Contacts dialog: this workspace's card (the details
// partners see, the fingerprint to read to them over the phone) and the
// partner units' cards, each with its fingerprint and whether it was
// verified.
type contactsView struct {
	u    *UI
	d    *dialog.CustomDialog
	card casefile.ContactCard

	unit, focal *widget.Entry
	country     *widget.Select
	fingerprint *widget.Label
	cardErr     *widget.Label
	list        *fyne.Container
	contacts    []casefile.Contact
	closed      bool

	// saveCardTo, if set (tests), replaces the save dialog.
	saveCardTo func(data []byte)
}

// showContacts opens the Contacts view (Workspace menu).
func (u *UI) showContacts() {
	if u.main == nil || u.ws == nil {
		return
	}
	u.main.bundles.contacts = newContactsView(u)
}

func newContactsView(u *UI) *contactsView {
	v := &contactsView{u: u}
	v.unit = widget.NewEntry()
	v.unit.SetPlaceHolder("Unit name, e.g. Anti-Trafficking Prosecution Unit")
	v.country = countrySelect(false, nil)
	v.focal = widget.NewEntry()
	v.focal.SetPlaceHolder("Focal point: name, e-mail or phone partners may use")
	v.fingerprint = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.fingerprint.SizeName = theme.SizeNameHeadingText
	v.cardErr = errorLabel()
	saveDetails := widget.NewButtonWithIcon("Save details", theme.DocumentSaveIcon(), u.act(v.saveDetails))
	copyCard := widget.NewButtonWithIcon("Copy card", theme.ContentCopyIcon(), u.act(v.copyCard))
	saveCard := widget.NewButtonWithIcon("Save card…", theme.DocumentSaveIcon(), u.act(v.saveCard))
	fpNote := widget.NewLabel("Read this fingerprint to a partner over the phone (or in person): it is how they check that a card or a bundle really comes from this workspace.")
	fpNote.Wrapping = fyne.TextWrapWord
	fpNote.Importance = widget.LowImportance
	form := widget.NewForm(
		widget.NewFormItem("Unit", v.unit),
		widget.NewFormItem("Country", v.country),
		widget.NewFormItem("Focal point", v.focal),
	)
	mine := container.NewVBox(
		boldLabel("This workspace's card"),
		form,
		container.NewHBox(saveDetails, copyCard, saveCard),
		v.cardErr,
		widget.NewLabel("Fingerprint"),
		v.fingerprint,
		fpNote,
	)
	v.list = container.NewVBox()
	add := widget.NewButtonWithIcon("Add contact…", theme.ContentAddIcon(), u.act(v.addContact))
	add.Importance = widget.HighImportance
	theirs := container.NewVBox(widget.NewSeparator(), container.NewHBox(boldLabel("Partner units"), add), v.list)
	closeBtn := widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), func() { v.d.Hide() })
	v.d = dialog.NewCustomWithoutButtons("Contacts", container.NewVScroll(container.NewVBox(mine, theirs)), u.win)
	v.d.SetButtons([]fyne.CanvasObject{closeBtn})
	v.d.SetOnClosed(func() {
		v.closed = true
		if u.main != nil && u.main.bundles.contacts == v {
			u.main.bundles.contacts = nil
		}
	})
	v.d.Resize(fyne.NewSize(820, 680))
	v.d.Show()
	v.reload()
	return v
}

func boldLabel(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// groupFingerprint spaces a fingerprint's groups for reading aloud.
func groupFingerprint(fp string) string {
	return strings.ReplaceAll(fp, "-", "  ")
}

// reload reads the card and the contacts again.
func (v *contactsView) reload() {
	u, ws := v.u, v.u.ws
	u.run(func() {
		card, err := ws.Card()
		var cs []casefile.Contact
		if err == nil {
			cs, err = ws.Contacts()
		}
		u.do(func() {
			if v.closed {
				return
			}
			if err != nil {
				setError(v.cardErr, err)
				return
			}
			v.card, v.contacts = card, cs
			v.unit.SetText(card.Unit)
			setCountry(v.country, card.Country)
			v.focal.SetText(card.FocalPoint)
			v.fingerprint.SetText(groupFingerprint(card.Fingerprint()))
			v.showList()
		})
	})
}

func (v *contactsView) showList() {
	u := v.u
	v.list.RemoveAll()
	if len(v.contacts) == 0 {
		l := widget.NewLabel("No partner yet: add a partner unit's card (they print it with “Copy card” or “Save card…” in their CaseVault).")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		v.list.Add(l)
	}
	for _, ct := range v.contacts {
		ct := ct
		name := boldLabel(contactName(ct))
		focal := widget.NewLabel("Focal point: " + ct.FocalPoint)
		if ct.FocalPoint == "" {
			focal.Hide() // no blank line where there is nothing to say
		}
		fp := widget.NewLabelWithStyle(groupFingerprint(ct.Fingerprint), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		mark := widget.NewLabel("✔ Verified")
		mark.Importance = widget.SuccessImportance
		var buttons []fyne.CanvasObject
		if !ct.Verified {
			mark.SetText("Not verified")
			mark.Importance = widget.WarningImportance
			buttons = append(buttons, widget.NewButtonWithIcon("Mark verified…", theme.ConfirmIcon(), u.act(func() { v.verify(ct) })))
		}
		buttons = append(buttons, widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), u.act(func() { v.remove(ct) })))
		v.list.Add(container.NewVBox(
			container.NewBorder(nil, nil, nil, mark, name),
			focal, fp, container.NewHBox(buttons...), widget.NewSeparator()))
	}
	v.list.Refresh()
}

func contactName(ct casefile.Contact) string {
	return fmt.Sprintf("%s (%s)", ct.Unit, ct.Country)
}

func (v *contactsView) saveDetails() {
	u, ws := v.u, v.u.ws
	unit, country, focal := strings.TrimSpace(v.unit.Text), countryCode(v.country), strings.TrimSpace(v.focal.Text)
	u.run(func() {
		err := ws.SetCardDetails(unit, country, focal)
		u.do(func() {
			if v.closed {
				return
			}
			setError(v.cardErr, err)
			if err == nil {
				v.reload()
			}
		})
	})
}

// cardText returns the card's text, or shows why not.
func (v *contactsView) cardText(then func(text []byte)) {
	u, ws := v.u, v.u.ws
	u.run(func() {
		text, err := ws.CardText()
		if err == nil && (v.card.Unit == "" || v.card.Country == "") {
			err = fmt.Errorf("set this workspace's unit name and country first (and “Save details”): partners see them")
		}
		u.do(func() {
			if v.closed {
				return
			}
			setError(v.cardErr, err)
			if err == nil {
				then(text)
			}
		})
	})
}

func (v *contactsView) copyCard() {
	v.cardText(func(text []byte) {
		v.u.app.Clipboard().SetContent(string(text))
		v.cardErr.Importance = widget.SuccessImportance
		v.cardErr.SetText("Card copied: paste it into a message to the partner. It holds public keys only.")
		v.cardErr.Show()
		v.cardErr.Importance = widget.DangerImportance
	})
}

func (v *contactsView) saveCard() {
	u := v.u
	v.cardText(func(text []byte) {
		if v.saveCardTo != nil {
			v.saveCardTo(text)
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
			_, err = w.Write(text)
			err = firstErr(err, w.Close())
			if err != nil {
				dialog.ShowError(fmt.Errorf("cannot save the card: %w", err), u.win)
			}
		}, u.win)
		fd.SetFileName(cardFileName(v.card))
		showFileDialog(fd)
	})
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func cardFileName(c casefile.ContactCard) string {
	name := strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' || r == '\\' || r == ':' {
			return '-'
		}
		return r
	}, strings.ToLower(c.Unit))
	if name == "" {
		name = "casevault"
	}
	return name + ".card"
}

// addContact asks for a partner's card, pasted or from a file.
func (v *contactsView) addContact() {
	u := v.u
	text := widget.NewMultiLineEntry()
	text.SetPlaceHolder("Paste the partner's card here")
	text.SetMinRowsVisible(9)
	errL := errorLabel()
	fromFile := widget.NewButtonWithIcon("From a file…", theme.FileIcon(), u.act(func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				setError(errL, err)
				return
			}
			if r == nil {
				return
			}
			defer r.Close()
			b, err := io.ReadAll(io.LimitReader(r, 64<<10))
			if err != nil {
				setError(errL, err)
				return
			}
			text.SetText(string(b))
		}, u.win)
		showFileDialog(fd)
	}))
	note := widget.NewLabel("After adding it, call the partner and compare the fingerprint shown with theirs, then “Mark verified”.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	var d *dialog.CustomDialog
	add := widget.NewButtonWithIcon("Add contact", theme.ContentAddIcon(), nil)
	add.Importance = widget.HighImportance
	add.OnTapped = u.act(func() {
		card, err := casefile.ParseContactCard([]byte(text.Text))
		if err != nil {
			setError(errL, err)
			return
		}
		ws := u.ws
		add.Disable()
		u.run(func() {
			ct, err := ws.AddContact(card)
			u.do(func() {
				add.Enable()
				if err != nil {
					setError(errL, err)
					return
				}
				d.Hide()
				v.reload()
				dialog.ShowInformation("Contact added", contactName(ct)+"\n\nFingerprint:\n"+groupFingerprint(ct.Fingerprint)+
					"\n\nCompare it with the partner over the phone before relying on it, then “Mark verified”.", u.win)
			})
		})
	})
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Add a partner's card", container.NewVBox(text, fromFile, errL, note), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, add})
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// verify marks a contact verified once the user confirms the fingerprint
// matched what the partner read out.
func (v *contactsView) verify(ct casefile.Contact) {
	u := v.u
	msg := widget.NewLabel("Call " + contactName(ct) + " on a number you know is theirs (not one from the card or its message) and ask them to read their fingerprint. It must be exactly:")
	msg.Wrapping = fyne.TextWrapWord
	fp := widget.NewLabelWithStyle(groupFingerprint(ct.Fingerprint), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	fp.SizeName = theme.SizeNameHeadingText
	d := dialog.NewCustomConfirm("Verify "+ct.Unit, "It matches: mark verified", "Cancel", container.NewVBox(msg, fp), func(ok bool) {
		if !ok {
			return
		}
		ws := u.ws
		u.run(func() {
			_, err := ws.VerifyContact(ct.Fingerprint)
			u.do(func() {
				if err != nil {
					dialog.ShowError(err, u.win)
				}
				if !v.closed {
					v.reload()
				}
			})
		})
	}, u.win)
	d.Resize(fyne.NewSize(560, 300))
	d.Show()
}

func (v *contactsView) remove(ct casefile.Contact) {
	u := v.u
	dialog.ShowConfirm("Remove "+ct.Unit+"?", "Remove "+contactName(ct)+" from the contacts? Bundles can no longer be sent to it, and bundles it signs are refused until its card is added again.", func(ok bool) {
		if !ok {
			return
		}
		ws := u.ws
		u.run(func() {
			_, err := ws.RemoveContact(ct.Fingerprint)
			u.do(func() {
				if err != nil {
					dialog.ShowError(err, u.win)
				}
				if !v.closed {
					v.reload()
				}
			})
		})
	}, u.win)
}
