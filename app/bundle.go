package app

import (
	"context"
	"errors"
	"fmt"
	"os"
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

// bundleViews are the Contacts view and the bundle wizards, while open.
type bundleViews struct {
	contacts *contactsView
	export   *exportWizard
	imp      *importWizard
}

// --- Export -----------------------------------------------------------

// exportWizard sends the open case, whole or filtered, to partner units
// (or to a one-time passphrase) as a signed, encrypted bundle: what goes,
// to whom and why, the leak check, then where to save it.
type exportWizard struct {
	u    *UI
	cv   *caseView
	c    *casefile.Case
	d    *dialog.CustomDialog
	body *fyne.Container
	errL *widget.Label

	// What goes. The check groups' options are labels; the maps give ids.
	evidence, people, assets, requests *widget.CheckGroup
	ids                                map[*widget.CheckGroup]map[string]string
	everything                         *widget.RadioGroup
	notes, protected                   *widget.Check

	// To whom and why.
	contacts   []casefile.Contact
	mode       *widget.RadioGroup
	recipients *widget.CheckGroup
	pass       *newPassphraseForm
	purpose    *widget.Entry
	answers    *widget.Entry
	noRedisc   *widget.Check

	// The leak check.
	hits     []casefile.LeakHit
	seenHits *widget.Check

	// The export.
	bar    *widget.ProgressBar
	info   *widget.Label
	cancel context.CancelFunc
	mu     sync.Mutex
	done   [2]int64
	result *casefile.ExportResult
	closed bool

	// choosePath asks where to save the bundle (a save dialog; tests
	// replace it).
	choosePath func(suggested string, chosen func(path string))
}

const (
	sendEverything = "Everything in the case"
	sendChosen     = "Only what I choose below"
	toContacts     = "Partner units (from the contacts)"
	toPassphrase   = "A one-time passphrase (given to the partner by another channel)"
)

// exportBundle opens the export wizard for the open case (Case menu).
func (u *UI) exportBundle() {
	mv := u.main
	if mv == nil || mv.cv == nil {
		if mv != nil {
			dialog.ShowInformation("No case open", "Open the case to send first.", u.win)
		}
		return
	}
	if mv.bundles.export != nil {
		return
	}
	mv.bundles.export = newExportWizard(mv.cv)
}

func newExportWizard(cv *caseView) *exportWizard {
	u := cv.mv.u
	wz := &exportWizard{u: u, cv: cv, c: cv.c, ids: map[*widget.CheckGroup]map[string]string{}}
	wz.choosePath = wz.saveDialog
	wz.errL = errorLabel()
	wz.body = container.NewStack(busyScreen("Reading the case…"))
	wz.d = dialog.NewCustomWithoutButtons("Send "+cv.info.Ref+" as a bundle", container.NewBorder(nil, wz.errL, nil, nil, wz.body), u.win)
	wz.d.SetOnClosed(func() {
		wz.closed = true
		if wz.cancel != nil {
			wz.cancel()
		}
		if mv := cv.mv; mv.bundles.export == wz {
			mv.bundles.export = nil
		}
	})
	wz.d.Resize(fyne.NewSize(820, 700))
	wz.d.Show()
	c, ws := wz.c, u.ws
	u.run(func() {
		items, err := c.EvidenceList(bg)
		var data caseData
		if err == nil {
			data, err = readCaseData(c)
		}
		var cs []casefile.Contact
		if err == nil {
			cs, err = ws.Contacts()
		}
		u.do(func() {
			if wz.closed {
				return
			}
			if err != nil {
				wz.body.Objects = []fyne.CanvasObject{widget.NewLabel(userMessage(err))}
				wz.body.Refresh()
				wz.setButtons(wz.closeButton("Close"))
				return
			}
			wz.contacts = cs
			wz.stepWhat(items, data)
		})
	})
	return wz
}

func (wz *exportWizard) setButtons(bs ...fyne.CanvasObject) { wz.d.SetButtons(bs) }

func (wz *exportWizard) closeButton(label string) *widget.Button {
	return widget.NewButtonWithIcon(label, theme.CancelIcon(), func() { wz.d.Hide() })
}

func (wz *exportWizard) show(objs ...fyne.CanvasObject) {
	setError(wz.errL, nil)
	wz.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(objs...))}
	wz.body.Refresh()
}

// group makes a check group of labelled ids, all selected.
func (wz *exportWizard) group(labels, ids []string) *widget.CheckGroup {
	g := widget.NewCheckGroup(nil, nil)
	m := map[string]string{}
	for i, l := range labels {
		for m[l] != "" { // two items with one label
			l += " "
		}
		m[l] = ids[i]
		g.Options = append(g.Options, l)
	}
	g.Selected = slices.Clone(g.Options)
	wz.ids[g] = m
	return g
}

// chosen returns the ids selected in g.
func (wz *exportWizard) chosen(g *widget.CheckGroup) []string {
	out := []string{}
	for _, l := range g.Selected {
		out = append(out, wz.ids[g][l])
	}
	return out
}

// stepWhat: what goes.
func (wz *exportWizard) stepWhat(items []casefile.Evidence, data caseData) {
	u := wz.u
	var labels, ids []string
	for _, e := range items {
		labels, ids = append(labels, e.Exhibit+"  "+e.Title), append(ids, e.ID)
	}
	wz.evidence = wz.group(labels, ids)
	labels, ids = nil, nil
	nProtected := 0
	for _, p := range data.people {
		l := p.DisplayName()
		if p.Protection != nil {
			nProtected++
			l = p.Protection.Pseudonym + " (protected)"
		}
		labels, ids = append(labels, l), append(ids, p.ID)
	}
	wz.people = wz.group(labels, ids)
	labels, ids = nil, nil
	for _, a := range data.assets {
		labels, ids = append(labels, valueName(a.Type)+": "+a.Description), append(ids, a.ID)
	}
	wz.assets = wz.group(labels, ids)
	labels, ids = nil, nil
	for _, r := range data.requests {
		labels, ids = append(labels, requestLabel(r)), append(ids, r.ID)
	}
	wz.requests = wz.group(labels, ids)
	wz.notes = widget.NewCheck("Notes", nil)
	wz.notes.SetChecked(true)

	groups := container.NewVBox()
	section := func(title string, g *widget.CheckGroup) {
		if len(g.Options) == 0 {
			return
		}
		groups.Add(boldLabel(fmt.Sprintf("%s (%d)", title, len(g.Options))))
		groups.Add(g)
	}
	section("Evidence items (an item brings those found inside it)", wz.evidence)
	section("People", wz.people)
	section("Assets", wz.assets)
	section("Cooperation requests", wz.requests)
	groups.Add(wz.notes)
	wz.everything = widget.NewRadioGroup([]string{sendEverything, sendChosen}, func(s string) {
		if s == sendEverything {
			groups.Hide()
		} else {
			groups.Show()
		}
	})
	wz.everything.Required = true
	wz.everything.SetSelected(sendEverything)

	protectedWarn := widget.NewLabel("")
	protectedWarn.Wrapping = fyne.TextWrapWord
	wz.protected = widget.NewCheck("Send protected people's real identities (names, aliases, birth dates, documents, contact)", nil)
	setProtectedNote := func() {
		if wz.protected.Checked {
			protectedWarn.Importance = widget.DangerImportance
			protectedWarn.SetText("Real identities of protected people WILL be in the bundle. Only do this when the partner must have them and a protection order allows it; the export is recorded in the audit chain.")
		} else {
			protectedWarn.Importance = widget.LowImportance
			protectedWarn.SetText("Protected people travel as their pseudonym only: their real name, aliases, birth date, contact and documents are withheld.")
		}
		protectedWarn.Refresh()
	}
	wz.protected.OnChanged = func(on bool) {
		setProtectedNote()
		if !on {
			return
		}
		dialog.ShowCustomConfirm("Send real identities?", "Send real identities", "Keep them withheld",
			wrapLabel("The partner unit will learn the real identity of every protected person in the bundle. Are you sure this is needed and allowed?"),
			func(ok bool) {
				if !ok {
					wz.protected.SetChecked(false)
				}
			}, u.win)
	}
	setProtectedNote()
	var protBox fyne.CanvasObject = container.NewVBox(boldLabel("Protected identities"), wz.protected, protectedWarn)
	if nProtected == 0 {
		protBox = container.NewVBox()
	}
	wz.show(boldLabel("What goes"), wz.everything, groups, protBox)
	next := widget.NewButtonWithIcon("Next: recipients", theme.NavigateNextIcon(), u.act(wz.stepTo))
	next.Importance = widget.HighImportance
	wz.setButtons(wz.closeButton("Cancel"), next)
}

func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// stepTo: recipients, purpose, the do-not-re-disclose mark.
func (wz *exportWizard) stepTo() {
	u := wz.u
	var labels []string
	for _, ct := range wz.contacts {
		l := contactName(ct) + "  ·  " + ct.Fingerprint
		if !ct.Verified {
			l += "  ·  ⚠ NOT VERIFIED"
		}
		labels = append(labels, l)
	}
	if wz.recipients == nil {
		wz.recipients = widget.NewCheckGroup(labels, nil)
		wz.pass = newNewPassphraseForm(nil)
		wz.purpose = widget.NewEntry()
		wz.purpose.SetPlaceHolder("Purpose, e.g. Evidence for the joint investigation team")
		wz.answers = widget.NewEntry()
		wz.answers.SetPlaceHolder("Their request this answers, e.g. their MLA reference (optional)")
		wz.noRedisc = widget.NewCheck("Do not re-disclose without our consent", nil)
		wz.noRedisc.SetChecked(true)
	}
	unverified := wrapLabel("A contact marked NOT VERIFIED has not had its fingerprint checked with the unit by phone: the bundle may go to someone else. Verify it first in Workspace › Contacts.")
	unverified.Importance = widget.WarningImportance
	if !slices.ContainsFunc(wz.contacts, func(c casefile.Contact) bool { return !c.Verified }) {
		unverified.Hide()
	}
	noContacts := wrapLabel("There are no contacts yet: add partner units' cards in Workspace › Contacts, or use a one-time passphrase.")
	noContacts.Importance = widget.LowImportance
	if len(wz.contacts) > 0 {
		noContacts.Hide()
	}
	toBox := container.NewVBox(wz.recipients, noContacts, unverified)
	passBox := container.NewVBox(widget.NewForm(
		widget.NewFormItem("Passphrase", container.NewVBox(wz.pass.pass, wz.pass.hint)),
		widget.NewFormItem("Repeat it", container.NewVBox(wz.pass.repeat, wz.pass.mismatch))))
	if wz.mode == nil {
		wz.mode = widget.NewRadioGroup([]string{toContacts, toPassphrase}, nil)
		wz.mode.Required = true
		wz.mode.Selected = toContacts
	}
	wz.mode.OnChanged = func(s string) {
		toBox.Hidden, passBox.Hidden = s != toContacts, s == toContacts
		toBox.Refresh()
		passBox.Refresh()
	}
	wz.mode.OnChanged(wz.mode.Selected)
	form := widget.NewForm(widget.NewFormItem("Purpose", wz.purpose), widget.NewFormItem("Answers", wz.answers))
	wz.show(boldLabel("To whom"), wz.mode, toBox, passBox, widget.NewSeparator(), boldLabel("Why"), form, wz.noRedisc)
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), u.act(func() { wz.stepWhatAgain() }))
	next := widget.NewButtonWithIcon("Next: leak check", theme.NavigateNextIcon(), u.act(wz.runLeakCheck))
	next.Importance = widget.HighImportance
	wz.setButtons(wz.closeButton("Cancel"), back, next)
}

// whatBox is the first step's content, kept for Back.
func (wz *exportWizard) stepWhatAgain() {
	u := wz.u
	groups := container.NewVBox()
	for _, g := range []*widget.CheckGroup{wz.evidence, wz.people, wz.assets, wz.requests} {
		if len(g.Options) > 0 {
			groups.Add(g)
		}
	}
	groups.Add(wz.notes)
	groups.Hidden = wz.everything.Selected == sendEverything
	wz.everything.OnChanged = func(s string) { groups.Hidden = s == sendEverything; groups.Refresh() }
	wz.show(boldLabel("What goes"), wz.everything, groups, wz.protected)
	next := widget.NewButtonWithIcon("Next: recipients", theme.NavigateNextIcon(), u.act(wz.stepTo))
	next.Importance = widget.HighImportance
	wz.setButtons(wz.closeButton("Cancel"), next)
}

// options reads the wizard's choices. The passphrase is not taken here.
func (wz *exportWizard) options() (casefile.ExportOptions, error) {
	o := casefile.ExportOptions{
		IncludeProtected: wz.protected.Checked,
		Purpose:          strings.TrimSpace(wz.purpose.Text),
		AnswersRequest:   strings.TrimSpace(wz.answers.Text),
		NoRedisclosure:   wz.noRedisc.Checked,
	}
	if wz.everything.Selected == sendChosen {
		o.Evidence, o.People = wz.chosen(wz.evidence), wz.chosen(wz.people)
		o.Assets, o.Requests = wz.chosen(wz.assets), wz.chosen(wz.requests)
		o.NoNotes = !wz.notes.Checked
	}
	if wz.mode.Selected == toPassphrase {
		if !wz.pass.valid() {
			return o, errors.New("type a one-time passphrase that is strong enough, the same twice")
		}
		return o, nil
	}
	for i, l := range wz.recipients.Options {
		if slices.Contains(wz.recipients.Selected, l) {
			o.Recipients = append(o.Recipients, wz.contacts[i])
		}
	}
	if len(o.Recipients) == 0 {
		return o, errors.New("choose at least one partner unit, or a one-time passphrase")
	}
	return o, nil
}

// runLeakCheck searches what would go for protected identities.
func (wz *exportWizard) runLeakCheck() {
	u := wz.u
	opts, err := wz.options()
	if err != nil {
		setError(wz.errL, err)
		return
	}
	wz.show(busyScreen("Searching everything that would go for protected people's names, aliases and document numbers…"))
	wz.setButtons(wz.closeButton("Cancel"))
	c := wz.c
	u.run(func() {
		hits, err := c.LeakCheck(bg, opts)
		u.do(func() {
			if wz.closed {
				return
			}
			if err != nil {
				wz.stepTo()
				setError(wz.errL, err)
				return
			}
			wz.hits = hits
			wz.stepLeaks()
		})
	})
}

// stepLeaks shows the leak check's hits: each must be seen and accepted,
// or its items left out.
func (wz *exportWizard) stepLeaks() {
	u := wz.u
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), u.act(wz.stepTo))
	next := widget.NewButtonWithIcon("Save the bundle…", theme.DocumentSaveIcon(), u.act(wz.save))
	next.Importance = widget.HighImportance
	if len(wz.hits) == 0 {
		ok := wrapLabel("No protected person's real name, alias or document number was found in what goes (evidence text, notes, descriptions, file names, metadata).")
		ok.Importance = widget.SuccessImportance
		wz.show(boldLabel("Leak check"), ok)
		wz.setButtons(wz.closeButton("Cancel"), back, next)
		return
	}
	intro := wrapLabel(fmt.Sprintf("The leak check found %s of protected people's identities in what would go. Each place below names the person by pseudonym only. Read them, then leave those items out, or confirm that they may go.",
		plural(len(wz.hits), "trace", "traces")))
	intro.Importance = widget.DangerImportance
	list := container.NewVBox()
	for _, h := range wz.hits {
		what := boldLabel(h.Pseudonym + "'s " + h.Term)
		where := wrapLabel("in " + h.Where)
		list.Add(container.NewVBox(what, where))
	}
	wz.seenHits = widget.NewCheck(fmt.Sprintf("I have read these %d places and they may go", len(wz.hits)), func(on bool) {
		if on {
			next.Enable()
		} else {
			next.Disable()
		}
	})
	next.Disable()
	exclude := widget.NewButtonWithIcon("Leave these items out", theme.ContentRemoveIcon(), u.act(wz.excludeHits))
	wz.show(boldLabel("Leak check"), intro, list, widget.NewSeparator(), container.NewHBox(exclude), wz.seenHits)
	wz.setButtons(wz.closeButton("Cancel"), back, next)
}

// excludeHits leaves out the items where the hits are (evidence, people,
// assets, requests; notes all together), then checks again.
func (wz *exportWizard) excludeHits() {
	if wz.everything.Selected == sendEverything {
		wz.everything.SetSelected(sendChosen)
	}
	left := 0
	for _, h := range wz.hits {
		found := false
		for _, g := range []*widget.CheckGroup{wz.evidence, wz.people, wz.assets, wz.requests} {
			for l, id := range wz.ids[g] {
				if id != "" && id == h.ItemID {
					g.Selected = slices.DeleteFunc(g.Selected, func(s string) bool { return s == l })
					found = true
				}
			}
		}
		if !found && strings.HasPrefix(h.Where, "note") {
			wz.notes.SetChecked(false)
			found = true
		}
		if !found {
			left++
		}
	}
	wz.runLeakCheck()
	if left > 0 {
		dialog.ShowInformation("Some places stay", fmt.Sprintf("%s cannot be left out here (the case record itself, say): edit it, or confirm that it may go.", plural(left, "place", "places")), wz.u.win)
	}
}

func (wz *exportWizard) saveDialog(suggested string, chosen func(string)) {
	u := wz.u
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if w == nil {
			return
		}
		w.Close()
		if w.URI().Scheme() != "file" {
			dialog.ShowError(fmt.Errorf("%s is not a local file", w.URI()), u.win)
			return
		}
		chosen(w.URI().Path())
	}, u.win)
	fd.SetFileName(suggested)
	showFileDialog(fd)
}

func (wz *exportWizard) save() {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\: `, r) {
			return '-'
		}
		return r
	}, strings.ToLower(wz.cv.info.Ref)) + ".cvb"
	wz.choosePath(name, wz.export)
}

// export writes the bundle to path, off the UI goroutine, with progress.
func (wz *exportWizard) export(path string) {
	u := wz.u
	opts, err := wz.options()
	if err != nil {
		setError(wz.errL, err)
		return
	}
	var pass []byte
	if wz.mode.Selected == toPassphrase {
		pass = wz.pass.take()
		opts.Passphrase = pass
	}
	ctx, cancel := context.WithCancel(bg)
	wz.cancel = cancel
	wz.bar = widget.NewProgressBar()
	wz.info = widget.NewLabel("Filtering the case and checking every file's SHA-256…")
	wz.show(boldLabel("Writing "+filepath.Base(path)), wz.bar, wz.info)
	stop := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), nil)
	stop.OnTapped = u.act(func() {
		cancel()
		stop.Disable()
		stop.SetText("Cancelling…")
	})
	wz.setButtons(stop)
	p := newPump(u, wz.updateProgress)
	opts.Progress = func(done, total int64) {
		wz.mu.Lock()
		wz.done = [2]int64{done, total}
		wz.mu.Unlock()
		p.kick()
	}
	c := wz.c
	u.run(func() {
		res, err := c.ExportFile(ctx, path, true, opts) // the save dialog asked before replacing
		wipe(pass)
		cancelled := ctx.Err() != nil
		u.do(func() {
			cancel()
			wz.cancel = nil
			if wz.closed {
				return
			}
			wz.finished(path, res, err, cancelled)
		})
	})
}

func (wz *exportWizard) updateProgress() {
	if wz.closed || wz.bar == nil {
		return
	}
	wz.mu.Lock()
	d := wz.done
	wz.mu.Unlock()
	if d[1] > 0 {
		wz.bar.SetValue(float64(d[0]) / float64(d[1]))
	}
	wz.info.SetText(fmt.Sprintf("%s of %s of evidence written", sizeText(d[0]), sizeText(d[1])))
}

func (wz *exportWizard) finished(path string, res *casefile.ExportResult, err error, cancelled bool) {
	u := wz.u
	closeBtn := widget.NewButtonWithIcon("Close", theme.ConfirmIcon(), func() { wz.d.Hide() })
	closeBtn.Importance = widget.HighImportance
	wz.setButtons(closeBtn)
	switch {
	case cancelled:
		wz.show(wrapLabel("Cancelled: no bundle was written."))
		return
	case err != nil:
		l := wrapLabel("The bundle could not be made: " + userMessage(err))
		l.Importance = widget.DangerImportance
		wz.show(l)
		return
	}
	wz.result = res
	to := []string{}
	for _, p := range res.Manifest.Recipients {
		to = append(to, p.Unit+" ("+p.Country+")")
	}
	if res.Manifest.Passphrase {
		to = append(to, "the one-time passphrase")
	}
	msg := fmt.Sprintf("Written to %s\n\n%s, %s and %s (%s), encrypted (%s) to %s, signed by this workspace.\n\nBundle id %s. The export is recorded in the case's audit chain.",
		path, plural(res.Evidence, "evidence item", "evidence items"), plural(res.People, "person", "people"), plural(res.Files, "file", "files"),
		sizeText(res.Bytes), res.Encrypted, strings.Join(to, ", "), res.Manifest.BundleID)
	wz.show(boldLabel("Bundle ready"), wrapLabel(msg))
	wz.cv.refreshAudit()
	_ = u
}

// --- Import -----------------------------------------------------------

// importWizard receives a bundle: it is read and verified first (sender,
// fingerprint, whether the sender is a verified contact, purpose, what it
// holds), an unknown signer must be trusted explicitly, then the case is
// made with progress and opened.
type importWizard struct {
	u    *UI
	path string
	d    *dialog.CustomDialog
	body *fyne.Container
	pass *widget.Entry // for a passphrase bundle
	insp *casefile.BundleInspection

	trust  *widget.Check
	bar    *widget.ProgressBar
	cancel context.CancelFunc
	mu     sync.Mutex
	done   [2]int64
	result *casefile.BundleImportResult
	closed bool
}

// importBundle asks for a bundle file and imports it (Workspace menu).
func (u *UI) importBundle() {
	if u.main == nil {
		return
	}
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
		u.importBundleFile(r.URI().Path())
	}, u.win)
	showFileDialog(fd)
}

// importBundleFile starts the import wizard on the bundle at path.
func (u *UI) importBundleFile(path string) {
	mv := u.main
	if mv == nil || mv.bundles.imp != nil {
		return
	}
	iw := &importWizard{u: u, path: path}
	mv.bundles.imp = iw
	iw.body = container.NewStack()
	iw.pass = widget.NewPasswordEntry()
	iw.pass.SetPlaceHolder("One-time passphrase (only if the sender used one)")
	iw.d = dialog.NewCustomWithoutButtons("Receive a bundle", iw.body, u.win)
	iw.d.SetOnClosed(func() {
		iw.closed = true
		if iw.cancel != nil {
			iw.cancel()
		}
		if mv.bundles.imp == iw {
			mv.bundles.imp = nil
		}
	})
	iw.d.Resize(fyne.NewSize(760, 620))
	iw.d.Show()
	iw.inspect()
}

func (iw *importWizard) show(objs ...fyne.CanvasObject) {
	iw.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(objs...))}
	iw.body.Refresh()
}

func (iw *importWizard) closeButton(label string) *widget.Button {
	return widget.NewButtonWithIcon(label, theme.CancelIcon(), func() { iw.d.Hide() })
}

// inspect reads and verifies the whole bundle without importing it.
func (iw *importWizard) inspect() {
	u := iw.u
	iw.show(busyScreen("Decrypting and verifying " + filepath.Base(iw.path) + "…"))
	iw.d.SetButtons([]fyne.CanvasObject{iw.closeButton("Cancel")})
	pass := []byte(iw.pass.Text)
	ws, path := u.ws, iw.path
	u.run(func() {
		var insp *casefile.BundleInspection
		f, err := os.Open(path)
		if err == nil {
			insp, err = ws.InspectBundle(bg, f, pass)
			f.Close()
		}
		u.do(func() {
			if iw.closed {
				return
			}
			if err != nil {
				iw.refusedStep(err)
				return
			}
			iw.insp = insp
			iw.review()
		})
	})
}

// refusedStep shows why the bundle does not open, with a place for a
// one-time passphrase.
func (iw *importWizard) refusedStep(err error) {
	u := iw.u
	l := wrapLabel(userMessage(err))
	l.Importance = widget.DangerImportance
	hint := wrapLabel("If the sender made it for a one-time passphrase, type it and try again.")
	hint.Importance = widget.LowImportance
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), u.act(iw.inspect))
	iw.show(boldLabel("This bundle cannot be opened"), l, hint, iw.pass)
	iw.d.SetButtons([]fyne.CanvasObject{iw.closeButton("Close"), retry})
}

// review shows who sent the bundle and what it holds.
func (iw *importWizard) review() {
	u := iw.u
	m, insp := iw.insp.Manifest, iw.insp
	fp := widget.NewLabelWithStyle(groupFingerprint(insp.SenderFingerprint), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	fp.SizeName = theme.SizeNameHeadingText
	status := widget.NewLabel("")
	switch {
	case insp.SenderKnown && insp.SenderVerified:
		status.SetText("✔ A verified contact")
		status.Importance = widget.SuccessImportance
	case insp.SenderKnown:
		status.SetText("A contact, but its fingerprint was never verified: compare it with the sender by phone")
		status.Importance = widget.WarningImportance
	default:
		status.SetText("⚠ UNKNOWN SENDER: this signing key is not among the contacts")
		status.Importance = widget.DangerImportance
	}
	status.Wrapping = fyne.TextWrapWord
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	nFiles := len(m.Members) - 1
	form := widget.NewForm(
		widget.NewFormItem("From", wrapLabel(fmt.Sprintf("%s (%s)%s", m.Sender.Unit, casefile.CountryName(m.Sender.Country), focalSuffix(m.Sender.FocalPoint)))),
		widget.NewFormItem("Case", wrapLabel(m.Case.Ref+" — "+m.Case.Title)),
		widget.NewFormItem("Made", widget.NewLabel(m.Created.Local().Format("2006-01-02 15:04"))),
		widget.NewFormItem("Purpose", wrapLabel(orDash(m.Purpose))),
		widget.NewFormItem("Answers", wrapLabel(orDash(m.AnswersRequest))),
		widget.NewFormItem("Holds", widget.NewLabel(fmt.Sprintf("the case database and %s (%s members)", plural(nFiles, "file", "files"), fmt.Sprint(len(m.Members))))),
		widget.NewFormItem("Real identities", widget.NewLabel(yes(m.ProtectedIncluded))),
		widget.NewFormItem("Do not re-disclose", widget.NewLabel(yes(m.NoRedisclosure))),
	)
	integrity := wrapLabel("✔ Signed with this key, and every file matches the signed list of contents (size and SHA-256)")
	integrity.Importance = widget.SuccessImportance
	if !insp.Verified {
		integrity.Hide() // insp.Problem says what is wrong
	}
	objs := []fyne.CanvasObject{boldLabel("Sender's fingerprint"), fp, status, integrity, form}
	importBtn := widget.NewButtonWithIcon("Import", theme.DownloadIcon(), u.act(iw.run))
	importBtn.Importance = widget.HighImportance
	if m.NoRedisclosure {
		l := wrapLabel("The sender asks that this material not be disclosed to anyone else without their consent.")
		l.Importance = widget.WarningImportance
		objs = append(objs, l)
	}
	switch {
	case !insp.ForThisWorkspace:
		l := wrapLabel("This workspace is not among its intended recipients: it cannot be imported here.")
		l.Importance = widget.DangerImportance
		objs = append(objs, l)
		importBtn.Disable()
	case insp.Problem != "":
		l := wrapLabel(insp.Problem)
		l.Importance = widget.DangerImportance
		objs = append(objs, l)
		importBtn.Disable()
	case !insp.SenderKnown:
		warn := wrapLabel("Anyone can make a bundle that claims to come from " + m.Sender.Unit + ". Call the unit on a number you know is theirs and have them read their fingerprint: it must be exactly the one above.")
		warn.Importance = widget.DangerImportance
		iw.trust = widget.NewCheck("I compared this fingerprint with the sender and trust this bundle", func(on bool) {
			if on {
				importBtn.Enable()
			} else {
				importBtn.Disable()
			}
		})
		importBtn.SetText("Trust and import")
		importBtn.Disable()
		objs = append(objs, warn, iw.trust)
	}
	iw.show(objs...)
	iw.d.SetButtons([]fyne.CanvasObject{iw.closeButton("Cancel"), importBtn})
}

func focalSuffix(f string) string {
	if f == "" {
		return ""
	}
	return ", focal point " + f
}

// run imports the bundle off the UI goroutine, with progress.
// run imports the bundle. A later bundle may update the case that is open:
// the Overview's unapplied edits go in first, so that the merge counts them
// as local changes and the form never writes its older values over what
// the update brought.
func (iw *importWizard) run() {
	cv := iw.u.main.cv
	if cv == nil || !cv.edited {
		iw.runImport()
		return
	}
	cv.commit(iw.runImport)
	if cv.edited { // the form's check refused the edits
		dialog.ShowInformation("The open case has edits that cannot be saved",
			"Correct or undo the edits on the open case's Overview (the problem is shown there), then import the bundle again.", iw.u.win)
	}
}

func (iw *importWizard) runImport() {
	u := iw.u
	mv := u.main
	trust := iw.trust != nil && iw.trust.Checked
	pass := takeSecret(iw.pass)
	ctx, cancel := context.WithCancel(bg)
	iw.cancel = cancel
	iw.bar = widget.NewProgressBar()
	info := wrapLabel("Every file is checked against the signed manifest before anything is written to the workspace.")
	info.Importance = widget.LowImportance
	iw.show(boldLabel("Importing "+filepath.Base(iw.path)), iw.bar, info)
	stop := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), nil)
	stop.OnTapped = u.act(func() {
		cancel()
		stop.Disable()
		stop.SetText("Cancelling…")
	})
	iw.d.SetButtons([]fyne.CanvasObject{stop})
	p := newPump(u, func() {
		if iw.closed || iw.result != nil {
			return
		}
		iw.mu.Lock()
		d := iw.done
		iw.mu.Unlock()
		if d[1] > 0 {
			iw.bar.SetValue(float64(d[0]) / float64(d[1]))
		}
	})
	opts := casefile.BundleImportOptions{Passphrase: pass, Trust: trust, Progress: func(done, total int64) {
		iw.mu.Lock()
		iw.done = [2]int64{done, total}
		iw.mu.Unlock()
		p.kick()
	}}
	ws, path := u.ws, iw.path
	u.run(func() {
		var res *casefile.BundleImportResult
		f, err := os.Open(path)
		if err == nil {
			res, err = ws.ImportBundle(ctx, f, opts)
			f.Close()
		}
		wipe(pass)
		cancelled := ctx.Err() != nil
		u.do(func() {
			cancel()
			iw.cancel = nil
			if iw.closed && err != nil {
				return
			}
			if err != nil {
				closeBtn := iw.closeButton("Close")
				msg := "The bundle was not imported: " + userMessage(err)
				if cancelled {
					msg = "Cancelled: nothing was imported."
				}
				l := wrapLabel(msg)
				l.Importance = widget.DangerImportance
				iw.show(l)
				iw.d.SetButtons([]fyne.CanvasObject{closeBtn})
				return
			}
			iw.result = res
			iw.d.Hide()
			if mv.detached {
				return
			}
			// The case is new or changed: into the search index with it.
			mv.index.caseChanged(res.CaseID)
			mv.reloadCases(res.CaseID)
			if cv := mv.cv; cv != nil && cv.id == res.CaseID {
				cv.reloadData() // an update of the case on screen
				cv.reloadInfo()
			}
			mv.openCase(res.CaseID)
			if u := res.Update; u != nil {
				dialog.ShowInformation("Case updated", updateMessage(res), mv.u.win)
				return
			}
			msg := fmt.Sprintf("Case %s was received from %s with %s; its custody trail records the hand-over.", res.Ref, res.Manifest.Sender.Unit, plural(res.Evidence, "evidence item", "evidence items"))
			dialog.ShowInformation("Bundle imported", msg, u.win)
		})
	})
}

// updateMessage says what a later bundle changed in the case it updated.
func updateMessage(res *casefile.BundleImportResult) string {
	u := res.Update
	var b strings.Builder
	fmt.Fprintf(&b, "Case %s was updated from a later bundle of %s; nothing changed here since the last bundle was overwritten (%s).",
		res.Ref, res.Manifest.Sender.Unit, plural(u.LocalChanges, "local change", "local changes"))
	if len(u.Changes) == 0 && u.NewFiles == 0 {
		b.WriteString("\n\nThe bundle brought nothing new.")
		return b.String()
	}
	b.WriteString("\n")
	if u.NewFiles > 0 {
		b.WriteString("\n" + plural(u.NewFiles, "new evidence file", "new evidence files"))
	}
	conflicts := 0
	for _, ch := range u.Changes {
		b.WriteString("\n" + ch.String())
		conflicts += len(ch.Conflicts)
	}
	if conflicts > 0 {
		b.WriteString("\n\nWhere both sides changed a record, both versions are kept, each marked with a note: compare them and remove the one you do not keep.")
	}
	return b.String()
}
