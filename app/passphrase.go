package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"casevault/crypto"
)

// newPassphraseForm asks for a new passphrase twice and rates it as it is
// typed.
type newPassphraseForm struct {
	pass, repeat *widget.Entry
	hint         *widget.Label
	mismatch     *widget.Label
	onChanged    func(valid bool)
}

func newNewPassphraseForm(onChanged func(valid bool)) *newPassphraseForm {
	f := &newPassphraseForm{
		pass:      widget.NewPasswordEntry(),
		repeat:    widget.NewPasswordEntry(),
		hint:      widget.NewLabel(""),
		mismatch:  errorLabel(),
		onChanged: onChanged,
	}
	f.pass.SetPlaceHolder("Choose a passphrase")
	f.repeat.SetPlaceHolder("Type the same passphrase again")
	f.hint.Wrapping = fyne.TextWrapWord
	f.pass.OnChanged = func(string) { f.update() }
	f.repeat.OnChanged = func(string) { f.update() }
	f.update()
	return f
}

// objects returns the labelled fields, for a form layout.
func (f *newPassphraseForm) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{
		widget.NewLabel("Passphrase"), container.NewVBox(f.pass, f.hint),
		widget.NewLabel("Repeat it"), container.NewVBox(f.repeat, f.mismatch),
	}
}

func (f *newPassphraseForm) update() {
	st := crypto.EstimateStrength([]byte(f.pass.Text))
	msg := capitalize(st.Hint) + "."
	switch {
	case f.pass.Text == "":
		msg = fmt.Sprintf("At least %d characters. Longer is stronger: four or five unrelated words work well.", crypto.MinPassphraseLen)
		f.hint.Importance = widget.MediumImportance
	case st.Score <= 1:
		f.hint.Importance = widget.DangerImportance
	case st.Score == 2:
		f.hint.Importance = widget.WarningImportance
	default:
		f.hint.Importance = widget.SuccessImportance
	}
	f.hint.SetText(msg)
	f.hint.Refresh()
	if f.repeat.Text != "" && f.repeat.Text != f.pass.Text {
		f.mismatch.SetText("The two passphrases differ.")
		f.mismatch.Show()
	} else {
		f.mismatch.Hide()
	}
	if f.onChanged != nil {
		f.onChanged(f.valid())
	}
}

// valid reports whether the passphrase is one the workspace accepts
// (crypto.CheckNewPassphrase) and was typed the same twice.
func (f *newPassphraseForm) valid() bool {
	return f.pass.Text == f.repeat.Text && crypto.CheckNewPassphrase([]byte(f.pass.Text)) == nil
}

// take returns the passphrase as bytes (the caller wipes them) and clears
// both fields, so that the text lives as briefly as Fyne allows.
func (f *newPassphraseForm) take() []byte {
	p := []byte(f.pass.Text)
	f.pass.SetText("")
	f.repeat.SetText("")
	return p
}

// takeSecret returns an entry's text as bytes and clears the entry.
func takeSecret(e *widget.Entry) []byte {
	p := []byte(e.Text)
	e.SetText("")
	return p
}

// wipe overwrites a secret.
func wipe(b []byte) { crypto.Wipe(b) }
