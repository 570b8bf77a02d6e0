package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
	"casevault/casefile/extract"
)

// ocrChoice is the "read text in images" choice of the import dialog and
// of "Read text again": OCR on or off, and its languages. It stays
// disabled, saying why, where tesseract is not installed.
type ocrChoice struct {
	on      bool // checked as soon as OCR is found
	check   *widget.Check
	langs   *widget.Entry
	note    *widget.Label
	content fyne.CanvasObject
}

func newOCRChoice() *ocrChoice {
	o := &ocrChoice{
		check: widget.NewCheck("Read text in photos and scans (OCR)", nil),
		langs: widget.NewEntry(),
		note:  widget.NewLabel("Checking for OCR…"),
	}
	o.check.Disable()
	o.langs.SetPlaceHolder("Languages, e.g. tha, eng (empty: chosen from the file)")
	o.langs.Disable()
	o.note.Importance = widget.LowImportance
	o.note.Wrapping = fyne.TextWrapWord
	o.content = container.NewVBox(o.check, o.langs, o.note)
	return o
}

// probe looks for tesseract in the background and shows what it found,
// unless gone says the dialog has closed meanwhile.
func (o *ocrChoice) probe(u *UI, gone func() bool) {
	go func() {
		version, langs, err := extract.OCRAvailable()
		u.do(func() {
			if !gone() {
				o.show(version, langs, err)
			}
		})
	}()
}

func (o *ocrChoice) show(version string, langs []string, err error) {
	if err != nil {
		o.note.SetText("OCR not available: tesseract is not installed on this computer. Pictures and scans are stored, hashed and listed as having no text.")
		return
	}
	o.check.Enable()
	o.langs.Enable()
	if o.on {
		o.check.SetChecked(true)
	}
	o.note.SetText(version + "; languages installed: " + strings.Join(langs, ", "))
}

// apply sets the OCR options chosen.
func (o *ocrChoice) apply(x *extract.Options) {
	if !o.check.Checked {
		return
	}
	x.OCR = true
	for _, l := range splitList(strings.ReplaceAll(o.langs.Text, "+", ",")) {
		x.OCRLanguages = append(x.OCRLanguages, strings.ToLower(l))
	}
}

// askExtractAgain offers to read the item's text again from its originals,
// with OCR and its languages (a scan imported without OCR, or read in the
// wrong language).
func (v *itemView) askExtractAgain() {
	t := v.t
	u := t.cv.mv.u
	if t.stopJob != nil {
		return
	}
	closed := false
	ocr := newOCRChoice()
	ocr.on = textStatus(&v.e) != evidenceName(casefile.TextExtracted) // a scan, most likely
	v.lastOCR = ocr
	intro := widget.NewLabel(fmt.Sprintf("Exhibit %s's originals are checked against their SHA-256, then their text is read again for search "+
		"and for “Show text”. The chain of custody records it as an examination. Text read before is kept if nothing better is found.", v.e.Exhibit))
	intro.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	start := widget.NewButtonWithIcon("Read the text", theme.ViewRefreshIcon(), u.act(func() {
		var opts extract.Options
		ocr.apply(&opts)
		d.Hide()
		v.runExtractAgain(opts)
	}))
	start.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons("Read the text of exhibit "+v.e.Exhibit+" again", container.NewVBox(intro, ocr.content), u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, start})
	d.SetOnClosed(func() { closed = true })
	d.Resize(fyne.NewSize(620, 320))
	d.Show()
	ocr.probe(u, func() bool { return closed })
}

// runExtractAgain reads the text again in a job, with a dialog that can
// cancel it (OCR of a long scan takes minutes).
func (v *itemView) runExtractAgain(opts extract.Options) {
	t := v.t
	u, c, id, exhibit := t.cv.mv.u, t.cv.c, v.e.ID, v.e.Exhibit
	bar := widget.NewProgressBarInfinite()
	msg := "Checking the originals, then reading their text…"
	if opts.OCR {
		msg = "Checking the originals, then reading their text with OCR (a few seconds a page)…"
	}
	var e casefile.Evidence
	var err error
	t.runJob("Reading the text of exhibit "+exhibit, msg, bar, func(ctx context.Context) {
		e, err = c.ExtractAgain(ctx, id, opts)
	}, func(cancelled bool) {
		switch {
		case err != nil && cancelled:
			dialog.ShowInformation("Cancelled", "Reading the text was cancelled; nothing was changed.", u.win)
		case err != nil:
			dialog.ShowError(fmt.Errorf("the text of exhibit %s was not read again: %w", exhibit, err), u.win)
		default:
			showExtractResult(u, e)
		}
		if t.item != nil {
			t.item.load()
		}
	})
}

// showExtractResult says, per file, what the new reading gave.
func showExtractResult(u *UI, e casefile.Evidence) {
	box := container.NewVBox()
	for _, a := range e.Attachments {
		line := fmt.Sprintf("%s: %s", a.Name, evidenceName(a.TextStatus))
		if a.Detail != "" {
			line += " — " + a.Detail
		}
		line += "\nRead by " + a.Tool
		if ocr := a.Metadata["ocr_tool"]; ocr != "" {
			line += "\nOCR by " + ocr
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		if a.TextStatus == casefile.TextExtracted {
			l.Importance = widget.SuccessImportance
		}
		box.Add(l)
	}
	d := dialog.NewCustom("Exhibit "+e.Exhibit+": text read again", "Close", box, u.win)
	d.Resize(fyne.NewSize(620, 240))
	d.Show()
}
