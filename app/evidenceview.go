package app

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// itemView shows one evidence item: its register fields (editable), its
// files with their SHA-256 and what extraction found, and its chain of
// custody.
type itemView struct {
	t       *evidenceTab
	e       casefile.Evidence
	custody []casefile.CustodyEvent

	heading    *widget.Label
	summary    *widget.Label
	parent     *widget.Button
	showText   *widget.Button
	export     *widget.Button
	form       *evidenceForm
	files      *fyne.Container
	custodyBox *fyne.Container
	tabs       *container.AppTabs
	content    fyne.CanvasObject

	lastCustody *custodyForm // the custody form opened last (tests fill it in)
	lastOCR     *ocrChoice   // the OCR choice of "Read text again" opened last
}

func newItemView(t *evidenceTab, e casefile.Evidence) *itemView {
	u := t.cv.mv.u
	v := &itemView{t: t, e: e}
	back := widget.NewButtonWithIcon("Evidence list", theme.NavigateBackIcon(), u.act(v.back))
	v.heading = heading("")
	v.heading.Wrapping = fyne.TextWrapOff
	v.heading.Truncation = fyne.TextTruncateEllipsis
	v.summary = widget.NewLabel("")
	v.summary.Importance = widget.LowImportance
	v.summary.Truncation = fyne.TextTruncateEllipsis
	v.parent = widget.NewButtonWithIcon("", theme.MoveUpIcon(), u.act(func() {
		if v.e.ParentID != "" && v.confirmLeave() {
			t.open(v.e.ParentID)
		}
	}))
	v.parent.Importance = widget.LowImportance
	v.showText = widget.NewButtonWithIcon("Show text", theme.DocumentIcon(), u.act(func() { t.cv.showEvidenceText(v.e.ID, nil) }))
	custody := widget.NewButtonWithIcon("Record custody event…", theme.HistoryIcon(), u.act(func() { v.lastCustody = showCustodyForm(v) }))
	v.export = widget.NewButtonWithIcon("Export original…", theme.DownloadIcon(), u.act(func() {
		if len(v.e.Attachments) > 0 {
			v.askExport(v.e.Attachments[0])
		}
	}))
	verify := widget.NewButtonWithIcon("Verify this item", theme.ConfirmIcon(), u.act(func() {
		if t.stopJob == nil {
			t.runVerify(v.e.ID, "the originals of exhibit "+v.e.Exhibit, itemSize(&v.e))
		}
	}))
	again := widget.NewButtonWithIcon("Read text again…", theme.ViewRefreshIcon(), u.act(v.askExtractAgain))
	bar := container.NewHBox(back, v.showText, again, custody, v.export, verify, layout.NewSpacer())

	v.form = newEvidenceForm(v)
	v.files = container.NewVBox()
	v.custodyBox = container.NewVBox()
	addEvent := widget.NewButtonWithIcon("Record custody event…", theme.HistoryIcon(), u.act(func() { v.lastCustody = showCustodyForm(v) }))
	addEvent.Importance = widget.HighImportance
	custodyHint := widget.NewLabel("Who held the item, when, where and why, from intake on. Events cannot be changed or removed; " +
		"each one can re-hash the files and record whether they still match the register.")
	custodyHint.Wrapping = fyne.TextWrapWord
	custodyHint.Importance = widget.LowImportance
	custodyPage := container.NewBorder(container.NewVBox(container.NewHBox(addEvent), custodyHint), nil, nil, nil, container.NewVScroll(v.custodyBox))

	v.tabs = container.NewAppTabs(
		container.NewTabItem("Details", v.form.content),
		container.NewTabItem("Files and metadata", container.NewVScroll(v.files)),
		container.NewTabItem("Chain of custody", custodyPage),
	)
	v.content = container.NewBorder(container.NewVBox(bar, container.NewBorder(nil, nil, nil, v.parent, v.heading), v.summary), nil, nil, nil, v.tabs)
	v.showItem()
	return v
}

// load reads the item and its chain of custody again.
func (v *itemView) load() {
	t := v.t
	u, c, id := t.cv.mv.u, t.cv.c, v.e.ID
	u.run(func() {
		e, err := c.EvidenceItem(bg, id)
		var events []casefile.CustodyEvent
		if err == nil {
			events, err = c.Custody(bg, id)
		}
		u.do(func() {
			if t.closed || t.item != v {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("exhibit %s cannot be read: %w", v.e.Exhibit, err), u.win)
				return
			}
			v.e, v.custody = e, events
			v.showItem()
		})
	})
}

func (v *itemView) showItem() {
	e := &v.e
	v.heading.SetText("Exhibit " + e.Exhibit + " — " + e.Title)
	v.summary.SetText(itemSummary(e, len(v.custody)))
	if e.ParentID != "" {
		v.parent.SetText("Inside exhibit " + parentExhibit(e.Exhibit))
		v.parent.Show()
	} else {
		v.parent.Hide()
	}
	if textStatus(e) == evidenceName(casefile.TextExtracted) {
		v.showText.Enable()
	} else {
		v.showText.Disable()
	}
	if len(e.Attachments) > 0 {
		v.export.Enable()
	} else {
		v.export.Disable()
	}
	if !v.form.dirty {
		v.form.set(*e)
	}
	v.showFiles()
	v.showCustody()
}

// itemSummary is the line under an item's heading: what it is, how big,
// whether it has text, where it came from and where it stands.
func itemSummary(e *casefile.Evidence, events int) string {
	parts := []string{evidenceName(e.Type), sizeText(itemSize(e)), strings.ToLower(textStatus(e))}
	switch {
	case !e.ObtainedOn.IsZero() && e.ObtainedBy != "":
		parts = append(parts, "obtained "+e.ObtainedOn.String()+" by "+e.ObtainedBy)
	case !e.ObtainedOn.IsZero():
		parts = append(parts, "obtained "+e.ObtainedOn.String())
	case e.ObtainedBy != "":
		parts = append(parts, "obtained by "+e.ObtainedBy)
	}
	if events > 0 {
		parts = append(parts, plural(events, "custody event", "custody events"))
	}
	d := strings.ToLower(evidenceName(e.Disclosure))
	if e.Disclosure == "disclosed" && !e.DisclosureDate.IsZero() {
		d += " on " + e.DisclosureDate.String()
	}
	return strings.Join(append(parts, d), " · ")
}

func (v *itemView) back() {
	if v.confirmLeave() {
		v.t.back()
	}
}

// confirmLeave reports whether the view may be left now; with unsaved
// edits it asks first (and leaves when the user agrees).
func (v *itemView) confirmLeave() bool {
	if !v.form.dirty {
		return true
	}
	u := v.t.cv.mv.u
	dialog.ShowConfirm("Discard the changes?", "The changes to exhibit "+v.e.Exhibit+" are not saved. Leave without saving them?", func(ok bool) {
		if ok {
			v.form.dirty = false
			v.t.back()
		}
	}, u.win)
	return false
}

func (v *itemView) refreshPeople() { v.form.setPeople(v.t.people, v.form.peopleIDs()) }

// showFiles lists the item's files with everything recorded about them.
func (v *itemView) showFiles() {
	u := v.t.cv.mv.u
	v.files.RemoveAll()
	if len(v.e.Attachments) == 0 {
		l := widget.NewLabel("This item has no file: it describes a physical object or an event.")
		l.Wrapping = fyne.TextWrapWord
		v.files.Add(l)
		return
	}
	for _, a := range v.e.Attachments {
		name := widget.NewLabelWithStyle(a.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Importance = widget.HighImportance
		name.Wrapping = fyne.TextWrapWord
		g := container.New(layout.NewFormLayout())
		row := func(label string, obj fyne.CanvasObject) {
			g.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			g.Add(obj)
		}
		text := func(s string) *widget.Label {
			l := widget.NewLabel(s)
			l.Wrapping = fyne.TextWrapWord
			l.Selectable = true
			return l
		}
		size := sizeText(a.Size)
		if a.Size >= 1000 {
			size += " (" + groupDigits(fmt.Sprint(a.Size)) + " bytes)"
		}
		row("Size", text(size))
		row("Media type", text(orDash(a.MediaType)))
		sum := widget.NewLabelWithStyle(a.SHA256, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		sum.Selectable = true
		sum.Truncation = fyne.TextTruncateEllipsis
		hash := a.SHA256
		copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), u.act(func() { u.app.Clipboard().SetContent(hash) }))
		copyBtn.Importance = widget.LowImportance
		row("SHA-256", container.NewBorder(nil, nil, nil, copyBtn, sum))
		status := evidenceName(a.TextStatus)
		if a.Detail != "" {
			status += ": " + a.Detail
		}
		st := text(status)
		if a.TextStatus != casefile.TextExtracted {
			st.Importance = widget.WarningImportance
		}
		row("Text", st)
		if a.Format != "" {
			row("Read as", text(a.Format))
		}
		row("Extracted by", text(orDash(a.Tool)))
		card := container.NewVBox(widget.NewSeparator(), name, g)
		if strings.HasPrefix(a.MediaType, "image/") {
			card.Add(v.pictureCard(a))
		}
		if len(a.Metadata) > 0 {
			mg := container.New(layout.NewFormLayout())
			keys := make([]string, 0, len(a.Metadata))
			for k := range a.Metadata {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				mg.Add(widget.NewLabelWithStyle(metadataLabel(k), fyne.TextAlignTrailing, fyne.TextStyle{}))
				mg.Add(text(a.Metadata[k]))
			}
			mh := widget.NewLabelWithStyle("Metadata found in the file", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			card.Add(mh)
			card.Add(mg)
		}
		att := a
		exp := widget.NewButtonWithIcon("Export original…", theme.DownloadIcon(), u.act(func() { v.askExport(att) }))
		card.Add(container.NewHBox(exp))
		v.files.Add(card)
	}
}

// metadataLabel turns "gps.latitude" into "GPS latitude".
func metadataLabel(k string) string {
	k = strings.ReplaceAll(strings.ReplaceAll(k, ".", " "), "_", " ")
	for _, up := range []string{"gps", "exif"} {
		if strings.HasPrefix(k, up+" ") {
			k = strings.ToUpper(up) + k[len(up):]
		}
	}
	return capitalize(k)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// askExport warns that an exported original is decrypted, asks where to
// save it, and exports it.
func (v *itemView) askExport(a casefile.Attachment) {
	u := v.t.cv.mv.u
	dialog.ShowConfirm("Export a decrypted copy?",
		"“"+a.Name+"” of exhibit "+v.e.Exhibit+" will be written DECRYPTED where you choose: "+
			"outside CaseVault it is not protected, and anyone with access to that place can read it. "+
			"The copy is checked against its SHA-256 and recorded in the chain of custody and the audit log.\n\nChoose where to save it?",
		func(ok bool) {
			if !ok {
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
				w.Close() // ExportOriginal writes the file itself, atomically
				if w.URI().Scheme() != "file" {
					dialog.ShowError(fmt.Errorf("%s is not a local file", w.URI()), u.win)
					return
				}
				v.exportTo(a, w.URI().Path(), true)
			}, u.win)
			fd.SetFileName(a.Name)
			showFileDialog(fd)
		}, u.win)
}

// exportTo writes the decrypted original of a to path. created says the
// file dialog made an empty file there, to remove if the export fails.
func (v *itemView) exportTo(a casefile.Attachment, path string, created bool) {
	t := v.t
	u, c, id := t.cv.mv.u, t.cv.c, v.e.ID
	exhibit := v.e.Exhibit
	u.run(func() {
		got, err := c.ExportOriginal(bg, id, a.ID, path)
		if err != nil && created {
			if st, serr := os.Stat(path); serr == nil && st.Size() == 0 {
				os.Remove(path)
			}
		}
		u.do(func() {
			if t.closed {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("exhibit %s was not exported: %w", exhibit, err), u.win)
				return
			}
			t.cv.setStatus(statusPending, "Saving…")
			dialog.ShowInformation("Original exported",
				"A decrypted copy of “"+got.Name+"” was written to "+path+". It matches the SHA-256 in the register:\n"+got.SHA256+
					"\n\nThe export is recorded in the chain of custody. Delete the copy when it is no longer needed.", u.win)
			if t.item == v {
				v.load()
			}
		})
	})
}
