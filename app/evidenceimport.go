package app

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// importDialog adds files and folders to the evidence register in three
// stages: the files and how they were obtained, the progress of the
// import (which can be cancelled), and what became of each file.
type importDialog struct {
	t     *evidenceTab
	paths []string
	d     *dialog.CustomDialog
	body  *fyne.Container

	// The options.
	f         *fieldForm
	pathsBox  *fyne.Container
	typ, how  *widget.Select
	authority *widget.Entry
	on        *dateField
	by, place *widget.Entry
	ocr       *ocrChoice
	start     *widget.Button

	// The progress.
	bar     *widget.ProgressBar
	files   *widget.Label
	current *widget.Label
	stop    *widget.Button
	cancel  context.CancelFunc
	mu      sync.Mutex
	latest  casefile.ImportProgress
	moves   int // progress updates shown (tests check the bar moved)

	// The results.
	results []casefile.ImportResult
	summary *widget.Label
	closed  bool
}

// startImport opens the import dialog with paths (more can be added), or
// adds paths to the dialog already open.
func (t *evidenceTab) startImport(paths []string) {
	u := t.cv.mv.u
	if d := t.imp; d != nil {
		if d.cancel != nil || d.results != nil {
			dialog.ShowInformation("An import is under way", "Wait until this import has finished and its results are closed, then add more files.", u.win)
			return
		}
		d.addPaths(paths)
		return
	}
	t.imp = newImportDialog(t, paths)
}

func newImportDialog(t *evidenceTab, paths []string) *importDialog {
	u := t.cv.mv.u
	d := &importDialog{t: t, f: newFieldForm()}
	d.pathsBox = container.NewVBox()
	addFile := widget.NewButtonWithIcon("Add a file…", theme.FileIcon(), u.act(d.chooseFile))
	addFolder := widget.NewButtonWithIcon("Add a folder…", theme.FolderIcon(), u.act(d.chooseFolder))
	clearBtn := widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), u.act(func() { d.paths = nil; d.showPaths() }))
	clearBtn.Importance = widget.LowImportance

	check := func() { u.idle.poke(); checkDate(d.f, "obtained on", d.on, false) }
	d.typ = widget.NewSelect(append([]string{guessType}, evidenceNameList(casefile.EvidenceTypes)...), nil)
	d.typ.Selected = guessType
	d.how = optionalSelect(evidenceNameList(casefile.ObtainedHow), nil)
	d.authority = widget.NewEntry()
	d.authority.SetPlaceHolder("Warrant or order reference, e.g. SW-2026-0142")
	d.on = newDateField(u.win, check)
	d.on.set(casefile.Today())
	d.by = widget.NewEntry()
	d.by.SetPlaceHolder("Officer or unit that obtained it")
	d.place = widget.NewEntry()
	d.place.SetPlaceHolder("Where it is received, for the chain of custody")
	d.ocr = newOCRChoice()
	d.f.row("Type", narrow(d.typ), "type")
	d.f.row("How obtained", narrow(d.how), "obtained how")
	d.f.row("Legal authority", d.authority, "authority")
	d.f.row("Obtained on", container.NewHBox(container.New(fixedWidth(200), d.on.content)), "obtained on")
	d.f.row("Obtained by", d.by, "obtained by")
	d.f.row("Place of intake", d.place, "place")
	d.f.row("Text in images", d.ocr.content, "ocr")

	hint := widget.NewLabel("You can also drag files and folders onto the window. Folders are read with everything inside them. " +
		"Each file becomes an exhibit: stored encrypted, its SHA-256 recorded, its text extracted for search, and an intake entry written to its chain of custody.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	filesHdr := widget.NewLabelWithStyle("Files and folders to import", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	filesHdr.Importance = widget.HighImportance
	options := container.NewVBox(filesHdr, d.pathsBox, container.NewHBox(addFile, addFolder, clearBtn), hint, d.f.box)

	d.body = container.NewStack(container.NewBorder(d.f.banner, nil, nil, nil, container.NewVScroll(options)))
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.close() })
	d.start = widget.NewButtonWithIcon("Import", theme.UploadIcon(), u.act(d.run))
	d.start.Importance = widget.HighImportance
	d.d = dialog.NewCustomWithoutButtons("Add evidence to "+t.cv.info.Ref, d.body, u.win)
	d.d.SetButtons([]fyne.CanvasObject{cancel, d.start})
	d.d.SetOnClosed(func() {
		d.closed = true
		if t.imp == d {
			t.imp = nil
		}
	})
	d.d.Resize(fyne.NewSize(760, 680))
	d.addPaths(paths)
	d.d.Show()

	d.ocr.probe(u, func() bool { return d.closed })
	return d
}

const guessType = "Guess from each file"

// addPaths adds files and folders to the list, each once.
func (d *importDialog) addPaths(paths []string) {
	for _, p := range paths {
		if !slices.Contains(d.paths, p) {
			d.paths = append(d.paths, p)
		}
	}
	d.showPaths()
}

func (d *importDialog) showPaths() {
	d.pathsBox.RemoveAll()
	if len(d.paths) == 0 {
		l := widget.NewLabel("None yet: use “Add a file…” or “Add a folder…”, or drag them onto the window.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		d.pathsBox.Add(l)
		d.start.Disable()
		return
	}
	const most = 8
	for i, p := range d.paths {
		if i == most {
			d.pathsBox.Add(widget.NewLabel(fmt.Sprintf("… and %d more", len(d.paths)-most)))
			break
		}
		l := widget.NewLabel(p)
		l.Truncation = fyne.TextTruncateEllipsis
		d.pathsBox.Add(l)
	}
	d.start.SetText("Import " + plural(len(d.paths), "file or folder", "files and folders"))
	d.start.Enable()
}

func (d *importDialog) chooseFile() {
	u := d.t.cv.mv.u
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if r == nil {
			return
		}
		r.Close()
		if r.URI().Scheme() != "file" {
			dialog.ShowError(fmt.Errorf("%s is not a local file", r.URI()), u.win)
			return
		}
		d.addPaths([]string{r.URI().Path()})
	}, u.win)
	showFileDialog(fd)
}

func (d *importDialog) chooseFolder() {
	showFolderDialog(d.t.cv.mv.u, func(dir string) { d.addPaths([]string{dir}) })
}

// options reads the form.
func (d *importDialog) options() (casefile.ImportOptions, error) {
	on, err := d.on.date("obtained on")
	if err != nil {
		return casefile.ImportOptions{}, err
	}
	if on.Time().After(casefile.Today().Time()) {
		return casefile.ImportOptions{}, &casefile.ValidationError{Field: "obtained on", Msg: on.String() + " is in the future"}
	}
	o := casefile.ImportOptions{
		Type:        evidenceValue(casefile.EvidenceTypes, d.typ.Selected),
		ObtainedHow: evidenceValue(casefile.ObtainedHow, selected(d.how)),
		Authority:   strings.TrimSpace(d.authority.Text),
		ObtainedOn:  on,
		ObtainedBy:  strings.TrimSpace(d.by.Text),
		Place:       strings.TrimSpace(d.place.Text),
	}
	d.ocr.apply(&o.Extract)
	return o, nil
}

// run starts the import on the background worker and shows its progress.
func (d *importDialog) run() {
	t := d.t
	u, c := t.cv.mv.u, t.cv.c
	opts, err := d.options()
	if err != nil {
		d.f.show(err)
		return
	}
	if len(d.paths) == 0 {
		return
	}
	d.f.show(nil)
	ctx, cancel := context.WithCancel(bg)
	d.cancel = cancel
	d.showProgress()
	p := newPump(u, d.updateProgress)
	hook := t.importHook
	opts.Progress = func(pr casefile.ImportProgress) {
		d.mu.Lock()
		d.latest = pr
		d.mu.Unlock()
		p.kick()
		if hook != nil {
			hook(pr)
		}
	}
	paths := slices.Clone(d.paths)
	u.run(func() {
		res, err := c.Import(ctx, paths, opts)
		cancelled := ctx.Err() != nil
		u.do(func() {
			cancel()
			d.cancel = nil
			if t.closed {
				return
			}
			d.finished(res, err, cancelled)
		})
	})
}

func (d *importDialog) showProgress() {
	u := d.t.cv.mv.u
	d.bar = widget.NewProgressBar()
	d.files = widget.NewLabel("Looking for the files…")
	d.current = widget.NewLabel("")
	d.current.Truncation = fyne.TextTruncateEllipsis
	note := widget.NewLabel("Each file is encrypted as it is read; nothing of it is written to disk unencrypted. " +
		"Cancelling keeps the files already imported and nothing of the file being read.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle("Importing "+plural(len(d.paths), "file or folder", "files and folders")+"…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.body.Objects = []fyne.CanvasObject{container.NewVBox(title, d.bar, d.files, d.current, note)}
	d.body.Refresh()
	d.stop = widget.NewButtonWithIcon("Cancel import", theme.CancelIcon(), u.act(func() {
		if d.cancel != nil {
			d.cancel()
			d.stop.Disable()
			d.stop.SetText("Cancelling…")
		}
	}))
	d.d.SetButtons([]fyne.CanvasObject{d.stop})
}

// updateProgress shows the latest progress report.
func (d *importDialog) updateProgress() {
	if d.closed || d.results != nil {
		return
	}
	d.mu.Lock()
	pr := d.latest
	d.mu.Unlock()
	// BytesDone also counts the extracted text being stored: it can pass
	// Bytes before the end.
	done := min(pr.BytesDone, pr.Bytes)
	v := 0.0
	switch {
	case pr.Bytes > 0:
		v = float64(done) / float64(pr.Bytes)
	case pr.Files > 0:
		v = float64(pr.FilesDone) / float64(pr.Files)
	}
	if v != d.bar.Value {
		d.moves++
	}
	d.bar.SetValue(min(v, 1))
	d.files.SetText(fmt.Sprintf("%d of %s done · %s of %s read", pr.FilesDone, plural(pr.Files, "file", "files"), sizeText(done), sizeText(pr.Bytes)))
	if pr.Current != "" {
		d.current.SetText("Reading " + filepath.Base(pr.Current) + "  (in " + filepath.Dir(pr.Current) + ")")
	} else {
		d.current.SetText("")
	}
}

// finished shows what became of each file.
func (d *importDialog) finished(res []casefile.ImportResult, err error, cancelled bool) {
	t := d.t
	u := t.cv.mv.u
	if d.closed {
		t.reload(nil)
		return
	}
	if res == nil {
		res = []casefile.ImportResult{}
	}
	d.results = res
	n := map[string]int{}
	for _, r := range res {
		n[r.Status]++
	}
	var parts []string
	for _, s := range []struct{ status, one, many string }{
		{casefile.ImportImported, "imported", "imported"},
		{casefile.ImportNoText, "imported without text", "imported without text"},
		{casefile.ImportDuplicate, "duplicate", "duplicates"},
		{casefile.ImportFailed, "failed", "failed"},
		{casefile.ImportCancelled, "cancelled", "cancelled"},
	} {
		if n[s.status] > 0 {
			parts = append(parts, plural(n[s.status], s.one, s.many))
		}
	}
	msg := "Import finished: " + strings.Join(parts, ", ") + "."
	if cancelled {
		msg = "Import cancelled: " + strings.Join(parts, ", ") + ". Files imported before the cancel are kept; nothing of the file being read was kept."
	}
	if len(res) == 0 {
		msg = "No files were found to import."
	}
	if err != nil {
		msg = "The import stopped: " + userMessage(err)
	}
	d.summary = widget.NewLabel(msg)
	d.summary.Wrapping = fyne.TextWrapWord
	if n[casefile.ImportFailed] > 0 || err != nil {
		d.summary.Importance = widget.DangerImportance
	}
	list := container.NewVBox()
	const most = 500
	for i, r := range res {
		if i == most {
			more := widget.NewLabel(fmt.Sprintf("… and %d more: save the list to see every file.", len(res)-most))
			list.Add(more)
			break
		}
		list.Add(resultRow(r))
	}
	note := widget.NewLabel("The list holds file paths and results only, not evidence. “Save list…” writes it unencrypted where you choose.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	d.body.Objects = []fyne.CanvasObject{container.NewBorder(d.summary, note, nil, nil, container.NewVScroll(list))}
	d.body.Refresh()
	save := widget.NewButtonWithIcon("Save list…", theme.DocumentSaveIcon(), u.act(d.saveList))
	closeBtn := widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), func() { d.close() })
	closeBtn.Importance = widget.HighImportance
	d.d.SetButtons([]fyne.CanvasObject{save, closeBtn})
	if n[casefile.ImportImported]+n[casefile.ImportNoText] > 0 {
		t.cv.setStatus(statusPending, "Saving…")
	}
	t.reload(nil)
}

// resultRow shows what became of one file.
func resultRow(r casefile.ImportResult) fyne.CanvasObject {
	word, imp := resultWord(r.Status)
	status := widget.NewLabelWithStyle(word, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = imp
	what := widget.NewLabel(r.Path + "\n" + resultText(r))
	what.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.New(fixedWidth(110), status), nil, what)
}

func resultWord(status string) (string, widget.Importance) {
	switch status {
	case casefile.ImportImported:
		return "Imported", widget.SuccessImportance
	case casefile.ImportNoText:
		return "No text", widget.WarningImportance
	case casefile.ImportDuplicate:
		return "Duplicate", widget.WarningImportance
	case casefile.ImportFailed:
		return "Failed", widget.DangerImportance
	case casefile.ImportCancelled:
		return "Cancelled", widget.LowImportance
	}
	return status, widget.MediumImportance
}

// resultText explains a result in a sentence.
func resultText(r casefile.ImportResult) string {
	switch r.Status {
	case casefile.ImportImported:
		s := "Exhibit " + r.Exhibit
		if r.Linked > 0 {
			s += fmt.Sprintf(", with %s found inside it (exhibits %s.1 and on)", plural(r.Linked, "item", "items"), r.Exhibit)
		}
		return s
	case casefile.ImportNoText:
		return "Exhibit " + r.Exhibit + ", stored and hashed, but no text for search: " + r.Reason
	case casefile.ImportDuplicate:
		return "Duplicate of exhibit " + r.Exhibit + ": the same content is already in this case, so it was not added again"
	}
	return r.Reason
}

// saveList asks where to save the list of results, warning that it is
// not encrypted.
func (d *importDialog) saveList() {
	u := d.t.cv.mv.u
	dialog.ShowConfirm("Save the list of results?",
		"The list holds the path of each file and what became of it (with exhibit numbers and SHA-256), not the evidence itself. "+
			"It is saved NOT ENCRYPTED, where you choose: CaseVault cannot protect it there.\n\n"+
			"A name ending in .csv saves a spreadsheet; any other name saves plain text.",
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
				asCSV := strings.EqualFold(filepath.Ext(w.URI().Path()), ".csv")
				err = writeResults(w, d.results, asCSV)
				err = errors.Join(err, w.Close())
				if err != nil {
					dialog.ShowError(fmt.Errorf("the list was not saved: %w", err), u.win)
					return
				}
				dialog.ShowInformation("List saved", "The list of results was saved to "+w.URI().Path()+".", u.win)
			}, u.win)
			fd.SetFileName("import-results.csv")
			showFileDialog(fd)
		}, u.win)
}

// writeResults writes the list of results as CSV or as text, one file a
// line.
func writeResults(w io.Writer, res []casefile.ImportResult, asCSV bool) error {
	if asCSV {
		cw := csv.NewWriter(w)
		cw.Write([]string{"path", "status", "exhibit", "sha256", "reason"})
		for _, r := range res {
			cw.Write([]string{r.Path, r.Status, r.Exhibit, r.SHA256, r.Reason})
		}
		cw.Flush()
		return cw.Error()
	}
	for _, r := range res {
		word, _ := resultWord(r.Status)
		line := fmt.Sprintf("%-10s %s\n           %s\n", word, r.Path, strings.ReplaceAll(resultText(r), "\n", " "))
		if r.SHA256 != "" {
			line += "           SHA-256 " + r.SHA256 + "\n"
		}
		if _, err := io.WriteString(w, line); err != nil {
			return err
		}
	}
	return nil
}

// close hides the dialog (not while an import runs).
func (d *importDialog) close() {
	if d.cancel != nil {
		return
	}
	d.d.Hide()
}

// abandon cancels a running import and forgets the dialog (the workspace
// locks, or the case closes).
func (d *importDialog) abandon() {
	if d.cancel != nil {
		d.cancel()
	}
	d.closed = true
	d.d.Hide()
}
