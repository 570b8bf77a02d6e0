package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
	"casevault/casefile/extract"
)

// sample returns the path of a test file of casefile/extract.
func sample(name string) string { return filepath.Join("..", "casefile", "extract", "testdata", name) }

// importInto imports paths into c as the command-line tool would.
func importInto(t *testing.T, c *casefile.Case, paths ...string) []casefile.ImportResult {
	t.Helper()
	res, err := c.Import(context.Background(), paths, casefile.ImportOptions{ObtainedOn: casefile.MustDate("2026-02-03"), ObtainedBy: "Det. Example"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != casefile.ImportImported && r.Status != casefile.ImportNoText {
			t.Fatalf("seed import: %+v", r)
		}
	}
	return res
}

// openItem opens the item with exhibit number ex in the Evidence tab.
func (tu *testUI) openItem(cv *caseView, ex string) *itemView {
	tu.t.Helper()
	tu.tab(cv, "Evidence")
	for _, e := range cv.evidence.items {
		if e.Exhibit == ex {
			cv.evidence.table.selectID(e.ID)
			tu.settle()
			if cv.evidence.item == nil || cv.evidence.item.e.ID != e.ID {
				tu.t.Fatalf("exhibit %s did not open", ex)
			}
			return cv.evidence.item
		}
	}
	tu.t.Fatalf("no exhibit %s in %q", ex, rows(cv.evidence.table))
	return nil
}

// selectTab selects the item view's tab with that title.
func (v *itemView) selectTab(title string) {
	for _, it := range v.tabs.Items {
		if it.Text == title {
			v.tabs.Select(it)
		}
	}
}

func TestEvidenceItemViewTextCustodyExport(t *testing.T) {
	src := t.TempDir()
	note := writeFile(t, src, "note.txt", []byte("Statement of a fictional witness.\nThe broker kept the passports. MARKER-TEXT-1618\n"))
	dir := seededWorkspace(t, func(c *casefile.Case) {
		importInto(t, c, sample("chat/whatsapp-android-en-GB.txt"), note, sample("photo/harbour.jpg"))
	})
	tu, cv := openSeeded(t, dir)

	v := tu.openItem(cv, "2")
	if v.heading.Text != "Exhibit 2 — note.txt" {
		t.Fatalf("heading %q", v.heading.Text)
	}
	a := v.e.Attachments[0]
	v.selectTab("Files and metadata")
	for _, want := range []string{a.SHA256, "text/plain", "Text extracted", "82 B", "casevault/extract text"} {
		if !tu.screenHas(want) {
			t.Errorf("the files tab does not show %q: %q", want, tu.texts())
		}
	}
	v.selectTab("Chain of custody")
	if !tu.screenHas("1.  Received — ") || !tu.screenHas("SHA-256 computed at intake") || !tu.screenHas("By ") {
		t.Errorf("no intake event: %q", tu.texts())
	}

	// The text, then the text with a search word highlighted.
	tu.tapSettle("Show text")
	tv := cv.evidence.lastText
	if tv == nil || !strings.Contains(tv.rich.String(), "MARKER-TEXT-1618") {
		t.Fatalf("the text viewer does not show the text: %v", tv)
	}
	tu.tapSettle("Close")
	cv.showEvidenceText(v.e.ID, []string{"marker-text"})
	tu.settle()
	tv = cv.evidence.lastText
	var hits []string
	for _, s := range tv.rich.Segments {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Style == hitStyle {
			hits = append(hits, ts.Text)
		}
	}
	if !slices.Equal(hits, []string{"MARKER-TEXT"}) || tv.hitsLbl.Text != "1 hit" {
		t.Fatalf("highlighted %q, %q", hits, tv.hitsLbl.Text)
	}
	tu.tapSettle("Close")

	// Edit the register fields: a withheld item needs its reason.
	v.selectTab("Details")
	f := v.form
	f.title.SetText("Witness statement (fictional)")
	f.tags.SetText("passports, broker")
	f.disclose.SetSelected("Withheld")
	if msg := errorBeside(t, f.f, "withheld reason"); !strings.Contains(msg, "reason") {
		t.Fatalf("no error beside the reason: %q", msg)
	}
	tu.tapSettle("Save changes")
	if !f.f.banner.Visible() || f.dirty == false {
		t.Fatal("saved without the reason")
	}
	f.withheld.SetText("Protects an ongoing operation")
	f.exhibit.SetText("2A")
	tu.tapSettle("Save changes")
	if f.f.banner.Visible() || f.state.Text != "Saved" || v.heading.Text != "Exhibit 2A — Witness statement (fictional)" {
		t.Fatalf("not saved: banner %q, state %q, heading %q", f.f.banner.Text, f.state.Text, v.heading.Text)
	}
	// An exhibit number already used is refused by the core.
	f.exhibit.SetText("1")
	tu.tapSettle("Save changes")
	if msg := errorBeside(t, f.f, "exhibit"); !strings.Contains(msg, "already used") {
		t.Fatalf("duplicate exhibit number: %q (banner %q)", msg, f.f.banner.Text)
	}
	f.exhibit.SetText("2A")
	tu.tapSettle("Save changes")

	// A custody event with a re-hash.
	v.selectTab("Chain of custody")
	test.Tap(tu.button("Record custody event…"))
	cf := v.lastCustody
	tu.tapSettle("Record event")
	if msg := errorBeside(t, cf.f, "event"); !strings.Contains(msg, "hoose the event") {
		t.Fatalf("event not required: %q", msg)
	}
	cf.event.SetSelected("Examined")
	cf.who.SetText("Forensic examiner B. (fictional)")
	cf.place.SetText("Forensic lab")
	cf.purpose.SetText("Examination of the text")
	tu.tapSettle("Record event")
	tu.noDialog()
	if !tu.screenHas("2.  Examined — ") || !tu.screenHas("the files were re-hashed and match the register") || !tu.screenHas("Purpose: Examination of the text") {
		t.Fatalf("custody event not shown: %q", tu.texts())
	}

	// Export: the decrypted copy is byte-identical and recorded.
	test.Tap(tu.button("Export original…"))
	if !tu.screenHas("DECRYPTED") {
		t.Fatalf("no warning before the export: %q", tu.texts())
	}
	tu.tapSettle("No")
	dest := filepath.Join(t.TempDir(), "exported.txt")
	v.exportTo(a, dest, false)
	tu.settle()
	got, err := os.ReadFile(dest)
	want, _ := os.ReadFile(note)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("exported copy differs: %v", err)
	}
	if !tu.screenHas("It matches the SHA-256 in the register") {
		t.Fatalf("no confirmation: %q", tu.texts())
	}
	tu.tapSettle("OK")
	if !tu.screenHas("3.  Copied — ") {
		t.Fatalf("the export is not in the chain of custody: %q", tu.texts())
	}

	// The chat log: one heading per message, with its sender.
	tu.tapSettle("Evidence list")
	v = tu.openItem(cv, "1")
	tu.tapSettle("Show text")
	s := cv.evidence.lastText.rich.String()
	if !strings.Contains(s, "Message 2 · 31/12/2023, 21:41 · Somchai (fictional)") || !strings.Contains(s, "Somchai (fictional)") || !strings.Contains(s, "งานที่โรงงาน") {
		t.Fatalf("chat text: %.600s", s)
	}
	tu.tapSettle("Close")

	// The photo: its metadata, and the picture itself on request, from
	// memory, audited.
	tu.tapSettle("Evidence list")
	v = tu.openItem(cv, "3")
	v.selectTab("Files and metadata")
	if !tu.screenHas("Show the picture") || !tu.screenHas("GPS latitude") {
		t.Fatalf("photo view: %q", tu.texts())
	}
	tu.tapSettle("Show the picture")
	tu.waitFor("the picture", func() bool { return tu.screenHas(" pixels") })
	var pic *canvas.Image
	for _, o := range tu.roots() {
		walk(o, func(o fyne.CanvasObject) {
			if im, ok := o.(*canvas.Image); ok && im.Image != nil {
				pic = im
			}
		})
	}
	if pic == nil || pic.Image.Bounds().Dx() == 0 {
		t.Fatalf("no picture shown: %q", tu.texts())
	}
	if entries, _, _ := cv.c.Audit(context.Background()); entries[len(entries)-1].Action != "evidence.view" {
		t.Fatalf("showing the picture was not audited: %+v", entries[len(entries)-1])
	}
	tu.tapSettle("Hide the picture")
	if !tu.screenHas("Show the picture") || tu.screenHas(" pixels") {
		t.Fatalf("the picture stays: %q", tu.texts())
	}

	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	c, err := w.OpenCase(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.EvidenceItem(context.Background(), a.ID) // not an item id
	if err == nil {
		t.Fatalf("attachment id found as an item: %+v", e)
	}
	items, _ := c.EvidenceList(context.Background())
	var stored casefile.Evidence
	for _, it := range items {
		if it.Exhibit == "2A" {
			stored = it
		}
	}
	if stored.Title != "Witness statement (fictional)" || stored.Disclosure != "withheld" || stored.WithheldReason != "Protects an ongoing operation" ||
		!slices.Equal(stored.Tags, []string{"broker", "passports"}) {
		t.Fatalf("stored: %+v", stored)
	}
}

func TestEvidenceVerify(t *testing.T) {
	src := t.TempDir()
	dir := seededWorkspace(t, func(c *casefile.Case) {
		importInto(t, c, writeFile(t, src, "a.txt", []byte("First fictional note.")), writeFile(t, src, "b.txt", []byte("Second fictional note.")))
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Evidence")
	tu.tapSettle("Verify originals")
	if !tu.screenHas("Every original matches the SHA-256 recorded in the register. 2 files (43 B) re-read") {
		t.Fatalf("verify report: %q", tu.texts())
	}
	tu.tapSettle("Close")

	blobs := blobFiles(t, dir)
	if len(blobs) != 4 {
		t.Fatalf("blobs: %q", blobs)
	}
	for _, b := range blobs {
		os.Remove(b)
	}
	tu.tapSettle("Verify originals")
	if !tu.screenHas("problems found") || !tu.screenHas("Exhibit 1, a.txt: MISSING") || !tu.screenHas("Exhibit 2, b.txt: MISSING") {
		t.Fatalf("verify report after deleting the blobs: %q", tu.texts())
	}
	tu.tapSettle("Close")
}

func TestEvidenceFiltersAndLinkedItems(t *testing.T) {
	var ids []string
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		pid, err := c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "Broker K. (fictional)"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range importInto(t, c, sample("email/thai-offer.eml"), sample("chat/whatsapp-android-en-GB.txt"), sample("text/thai-tis620.txt")) {
			ids = append(ids, r.ItemID)
		}
		e, _ := c.EvidenceItem(ctx, ids[1])
		e.People, e.Tags = []string{pid}, []string{"recruitment"}
		if err := c.UpdateEvidence(ctx, e); err != nil {
			t.Fatal(err)
		}
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Evidence")
	et := cv.evidence
	all := rows(et.table)
	var linked []string
	for _, r := range all {
		if strings.Contains(r, "(inside exhibit 1)") {
			linked = append(linked, r)
		}
	}
	if len(linked) < 1 || !strings.HasPrefix(all[1], "1.1 | ") {
		t.Fatalf("no linked items under exhibit 1: %q", all)
	}
	only := func(what string, want ...string) {
		t.Helper()
		var got []string
		for i := range et.table.order {
			got = append(got, et.table.shown(i, 0))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: exhibits %q, want %q", what, got, want)
		}
	}
	et.typeF.SetSelected("Chat log")
	only("type chat log", "2")
	et.typeF.SetSelected(allTypes)
	et.personF.SetSelected("Broker K. (fictional)")
	only("person", "2")
	et.personF.SetSelected(allPeople)
	et.tagF.SetSelected("recruitment")
	only("tag", "2")
	if et.count.Text != "1 of "+plural(len(all), "item", "items") {
		t.Errorf("count %q", et.count.Text)
	}
	et.tagF.SetSelected(allTags)
	et.query.SetText("tis620")
	only("text", "3")
	et.query.SetText("no such thing")
	if !tu.screenHas("No evidence matches the filters") {
		t.Errorf("no empty state for the filters: %q", tu.texts())
	}
	et.query.SetText("")

	// Exhibit numbers sort as numbers; the other way round too.
	test.Tap(et.table.headers[0])
	if got := et.table.shown(0, 0); got != "3" {
		t.Errorf("descending: first %q", got)
	}

	// A linked item names its parent and opens it.
	test.Tap(et.table.headers[0])
	v := tu.openItem(cv, "1.1")
	if !v.parent.Visible() || v.parent.Text != "Inside exhibit 1" {
		t.Fatalf("parent button %q", v.parent.Text)
	}
	test.Tap(v.parent)
	tu.settle()
	if et.item == nil || et.item.e.Exhibit != "1" {
		t.Fatalf("the parent did not open")
	}
}

func TestEvidenceNoLeakOfProtectedIdentity(t *testing.T) {
	src := t.TempDir()
	dir := seededWorkspace(t, func(c *casefile.Case) {
		ctx := context.Background()
		pid, err := c.AddPerson(ctx, casefile.Person{
			Roles: []casefile.Role{casefile.RoleWitness}, FullName: "MKNAME4711", Aliases: []string{"MKALIAS4711"},
			Birth: casefile.MustDate("1987-06-05"), Contact: "MKCONTACT4711", Notes: "MKNOTES4711",
			Documents:  []casefile.Document{{Type: "passport", Number: "MKDOC4711", Country: "KH"}},
			Protection: &casefile.Protection{Pseudonym: "W-1", Measures: []string{"identity-withheld"}, RiskLevel: "high", Start: casefile.Today()},
		})
		if err != nil {
			t.Fatal(err)
		}
		res := importInto(t, c, writeFile(t, src, "statement.txt", []byte("Statement of W-1 (fictional).")))
		e, _ := c.EvidenceItem(ctx, res[0].ItemID)
		e.People = []string{pid}
		if err := c.UpdateEvidence(ctx, e); err != nil {
			t.Fatal(err)
		}
	})
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Evidence")
	et := cv.evidence
	assertNoMarker(t, "the Evidence tab", everyText(tu, et.table))
	if !slices.Contains(et.personF.Options, "W-1") {
		t.Fatalf("the person filter does not offer the pseudonym: %q", et.personF.Options)
	}
	et.personF.SetSelected("W-1")
	if len(et.table.order) != 1 {
		t.Fatalf("filter by pseudonym: %q", rows(et.table))
	}
	v := tu.openItem(cv, "1")
	for _, tab := range []string{"Details", "Files and metadata", "Chain of custody"} {
		v.selectTab(tab)
		assertNoMarker(t, "the item's "+tab, everyText(tu, et.table))
	}
	if v.form.people == nil || !slices.Equal(v.form.people.Selected, []string{"W-1 (Witness)"}) {
		t.Fatalf("people checks: %+v", v.form.people)
	}
	test.Tap(tu.button("Record custody event…"))
	assertNoMarker(t, "the custody form", everyText(tu, et.table))
	tu.tapSettle("Cancel")
	tu.tapSettle("Show text")
	assertNoMarker(t, "the text viewer", everyText(tu, et.table))
	tu.tapSettle("Close")
	// Saving the item keeps the link to the protected person.
	v.selectTab("Details")
	v.form.title.SetText("Statement (fictional)")
	tu.tapSettle("Save changes")
	if v.form.f.banner.Visible() {
		t.Fatalf("not saved: %q", v.form.f.banner.Text)
	}
	if len(v.e.People) != 1 || v.e.People[0] != et.people[0].ID {
		t.Fatalf("the link was lost: %+v", v.e.People)
	}
	assertNoMarker(t, "after saving", everyText(tu, et.table))
}

// TestEvidenceReadTextAgain: a scan imported without OCR is read again
// with OCR from its item view; the chain of custody shows the
// examination.
func TestEvidenceReadTextAgain(t *testing.T) {
	dir := seededWorkspace(t, func(c *casefile.Case) {
		importInto(t, c, sample("pdf/scan.pdf"))
	})
	tu, cv := openSeeded(t, dir)
	v := tu.openItem(cv, "1")
	if v.e.Attachments[0].TextStatus != casefile.TextNone || !tu.button("Show text").Disabled() {
		t.Fatalf("scan imported with text: %+v", v.e.Attachments[0])
	}
	v.selectTab("Files and metadata")
	if !tu.screenHas("no text layer (scanned?); OCR is off") {
		t.Errorf("the files tab does not say why there is no text: %q", tu.texts())
	}
	tu.tapSettle("Read text again…")
	ocr := v.lastOCR
	tu.waitFor("the OCR check", func() bool { return ocr.note.Text != "Checking for OCR…" })
	if _, _, err := extract.OCRAvailable(); err != nil {
		if !ocr.check.Disabled() || !strings.Contains(ocr.note.Text, "OCR not available") {
			t.Fatalf("OCR offered without tesseract: %q", ocr.note.Text)
		}
		t.Skip("tesseract is not installed: the rest needs OCR")
	}
	if !ocr.check.Checked {
		t.Error("OCR is not offered checked for an item without text")
	}
	ocr.langs.SetText("eng")
	tu.tapSettle("Read the text")
	tu.waitFor("the text to be read again", func() bool { return tu.screenHas("text read again") })
	tu.tapSettle("Close")
	tu.waitFor("the item to reload", func() bool { return !tu.button("Show text").Disabled() })
	if a := cv.evidence.item.e.Attachments[0]; a.TextStatus != casefile.TextExtracted || !strings.Contains(a.Tool, "tesseract") && !strings.Contains(a.Tool, "PDFium") {
		t.Fatalf("after reading again: %+v", a)
	}
	tu.tapSettle("Show text")
	if tv := cv.evidence.lastText; tv == nil || !strings.Contains(tv.rich.String(), "PASSPORT HELD BY AGENT") {
		t.Fatalf("the text viewer does not show the OCR text: %v", tv)
	}
	tu.tapSettle("Close")
	cv.evidence.item.selectTab("Chain of custody")
	if !tu.screenHas("2.  Examined — ") || !tu.screenHas("OCR on (eng)") || !tu.screenHas("OCR by tesseract") {
		t.Errorf("no examination in the chain of custody: %q", tu.texts())
	}
}

// TestEvidenceReadTextAgainAlteredOriginal: an original that no longer
// matches its SHA-256 is reported as such, not as a cancellation.
func TestEvidenceReadTextAgainAlteredOriginal(t *testing.T) {
	src := t.TempDir()
	note := writeFile(t, src, "note.txt", []byte("The broker kept the passports (fictional).\n"))
	dir := seededWorkspace(t, func(c *casefile.Case) { importInto(t, c, note) })
	for _, p := range blobFiles(t, dir) { // the original and its text
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)-5] ^= 1
		os.WriteFile(p, data, 0o600)
	}
	tu, cv := openSeeded(t, dir)
	tu.openItem(cv, "1")
	tu.tapSettle("Read text again…")
	tu.tapSettle("Read the text")
	tu.waitFor("the outcome", func() bool { return tu.screenHas("was not read again") || tu.screenHas("cancelled") })
	if !tu.screenHas("damaged or tampered") && !tu.screenHas("altered") {
		t.Errorf("the error does not say the original is damaged: %q", tu.texts())
	}
	if tu.screenHas("cancelled") {
		t.Errorf("a damaged original was reported as a cancellation: %q", tu.texts())
	}
}
