package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
	"casevault/search"
)

// partyWorkspace creates a workspace with its card set, left open for
// the test to seed; close it before a UI opens it.
func partyWorkspace(t *testing.T, unit, country string) (string, *casefile.Workspace) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	w, _, err := casefile.Create(dir, []byte(testPass), casefile.CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	if unit != "" {
		if err := w.SetCardDetails(unit, country, "Focal point of "+unit); err != nil {
			t.Fatal(err)
		}
	}
	return dir, w
}

// introduce adds b's card to a's contacts.
func introduce(t *testing.T, a, b *casefile.Workspace, verified bool) casefile.Contact {
	t.Helper()
	text, err := b.CardText()
	if err != nil {
		t.Fatal(err)
	}
	card, err := casefile.ParseContactCard(text)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := a.AddContact(card)
	if err != nil {
		t.Fatal(err)
	}
	if verified {
		if ct, err = a.VerifyContact(ct.Fingerprint); err != nil {
			t.Fatal(err)
		}
	}
	return ct
}

// bundleCase adds a case with a protected victim, a suspect, an evidence
// file and a note (holding note, if set).
func bundleCase(t *testing.T, w *casefile.Workspace, note string) {
	t.Helper()
	ctx := context.Background()
	c, err := w.CreateCase(ctx, sampleCase("TIP-2026-001", "Harbour Light"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleVictim}, FullName: "Nguyễn Thị Hoa",
		Protection: &casefile.Protection{Pseudonym: "V-1", Measures: []string{"identity-withheld"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddPerson(ctx, casefile.Person{Roles: []casefile.Role{casefile.RoleSuspect}, FullName: "Somchai Example"}); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "ledger.txt")
	os.WriteFile(src, []byte("Payments ledger (fictional): 40,000 THB to the broker."), 0o600)
	if _, err := c.Import(ctx, []string{src}, casefile.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if note != "" {
		if _, err := c.AddNote(ctx, "", note); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func closeWS(t *testing.T, w *casefile.Workspace) {
	t.Helper()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestContactsExchangeCards(t *testing.T) {
	dirA, a := partyWorkspace(t, "", "")
	closeWS(t, a)
	_, b := partyWorkspace(t, "Unit B", "VN")
	defer b.Close()

	tu := newTestUI(t, dirA)
	tu.unlockWith(testPass)
	tu.showContacts()
	tu.settle()
	v := tu.main.bundles.contacts
	if v == nil || !tu.screenHas("No partner yet") {
		t.Fatalf("the Contacts view does not show: %q", tu.texts())
	}
	// A card without unit and country cannot be copied.
	tu.tapSettle("Copy card")
	if !tu.screenHas("no unit name or country yet") {
		t.Fatalf("copying a card without details: %q", tu.texts())
	}
	v.unit.SetText("Unit A")
	v.country.SetSelected(countryOption("TH"))
	v.focal.SetText("Prosecutor A")
	tu.tapSettle("Save details")
	card, err := tu.ws.Card()
	if err != nil || card.Unit != "Unit A" || card.Country != "TH" || card.FocalPoint != "Prosecutor A" {
		t.Fatalf("card after Save details: %+v, %v", card, err)
	}
	if v.fingerprint.Text != groupFingerprint(card.Fingerprint()) || !strings.Contains(v.fingerprint.Text, "  ") {
		t.Fatalf("fingerprint shown %q, want %q in groups", v.fingerprint.Text, card.Fingerprint())
	}
	// Copy card: B adds it.
	tu.tapSettle("Copy card")
	pasted, err := casefile.ParseContactCard([]byte(tu.app.Clipboard().Content()))
	if err != nil {
		t.Fatalf("the copied card does not parse: %v", err)
	}
	ctA, err := b.AddContact(pasted)
	if err != nil || ctA.Unit != "Unit A" || ctA.Fingerprint != card.Fingerprint() {
		t.Fatalf("B adds A's card: %+v, %v", ctA, err)
	}
	var saved []byte
	v.saveCardTo = func(data []byte) { saved = data }
	tu.tapSettle("Save card…")
	if string(saved) != tu.app.Clipboard().Content() {
		t.Fatal("Save card… does not write the card")
	}

	// A adds B's card, pasted.
	textB, _ := b.CardText()
	tu.tapSettle("Add contact…")
	test.Type(tu.entryWith("Paste the partner's card", 0), "not a card")
	tu.tapSettle("Add contact")
	if !tu.screenHas("Paste the partner's card") && !tu.screenHas("not a card") {
		t.Fatalf("a bad card closed the dialog: %q", tu.texts())
	}
	tu.entryWith("Paste the partner's card", 0).SetText(string(textB))
	tu.tapSettle("Add contact")
	cardB, _ := b.Card()
	if !tu.screenHas(groupFingerprint(cardB.Fingerprint())) || !tu.screenHas("Contact added") {
		t.Fatalf("no fingerprint after adding: %q", tu.texts())
	}
	tu.tapSettle("OK")
	if !tu.screenHas("Unit B (VN)") || !tu.screenHas("Not verified") {
		t.Fatalf("contacts list: %q", tu.texts())
	}
	tu.tapSettle("Mark verified…")
	tu.tapSettle("It matches: mark verified")
	cs, _ := tu.ws.Contacts()
	if len(cs) != 1 || !cs[0].Verified || !tu.screenHas("✔ Verified") {
		t.Fatalf("after Mark verified: %+v; %q", cs, tu.texts())
	}
	tu.tapSettle("Remove…")
	tu.tapSettle("Yes")
	if cs, _ := tu.ws.Contacts(); len(cs) != 0 || !tu.screenHas("No partner yet") {
		t.Fatalf("after Remove: %+v", cs)
	}
}

// exportWith runs the export wizard of the open case to the first
// contact, and returns the bundle's path.
func exportWith(t *testing.T, tu *testUI, leaks func(wz *exportWizard)) string {
	t.Helper()
	tu.main.cv.mv.u.exportBundle()
	tu.settle()
	wz := tu.main.bundles.export
	if wz == nil || !tu.screenHas("What goes") {
		t.Fatalf("no export wizard: %q", tu.texts())
	}
	if !wz.protected.Visible() || wz.protected.Checked || !tu.screenHas("travel as their pseudonym only") {
		t.Fatal("protected identities are not withheld by default")
	}
	tu.tapSettle("Next: recipients")
	if len(wz.recipients.Options) == 0 {
		t.Fatalf("no recipients offered: %q", tu.texts())
	}
	tu.tapSettle("Next: leak check")
	if !tu.screenHas("Choose at least one partner unit") {
		t.Fatalf("no error without recipients: %q", tu.texts())
	}
	wz.recipients.SetSelected(wz.recipients.Options[:1])
	wz.purpose.SetText("Evidence for the JIT")
	wz.answers.SetText("VN-MLA-7")
	tu.tapSettle("Next: leak check")
	if !tu.screenHas("Leak check") {
		t.Fatalf("no leak check step: %q", tu.texts())
	}
	if leaks != nil {
		leaks(wz)
	}
	out := filepath.Join(t.TempDir(), "out")
	os.Mkdir(out, 0o700)
	var path string
	wz.choosePath = func(name string, chosen func(string)) {
		path = filepath.Join(out, name)
		chosen(path)
	}
	tu.tapSettle("Save the bundle…")
	if !tu.screenHas("Bundle ready") || wz.result == nil {
		t.Fatalf("export did not finish: %q", tu.texts())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if m := wz.result.Manifest; m.Purpose != "Evidence for the JIT" || m.AnswersRequest != "VN-MLA-7" || !m.NoRedisclosure || m.ProtectedIncluded {
		t.Fatalf("manifest: %+v", m)
	}
	tu.tapSettle("Close")
	return path
}

func TestBundleExportImportWizard(t *testing.T) {
	dirA, a := partyWorkspace(t, "Unit A", "TH")
	dirB, b := partyWorkspace(t, "Unit B", "VN")
	introduce(t, a, b, true)
	introduce(t, b, a, true)
	bundleCase(t, a, "Interview planned for next week.")
	closeWS(t, a)
	closeWS(t, b)

	tuA := newTestUI(t, dirA)
	tuA.unlockWith(testPass)
	tuA.openFirst()
	tuA.settle()
	path := exportWith(t, tuA, func(wz *exportWizard) {
		if !tuA.screenHas("No protected person's real name") {
			t.Fatalf("leak check of a clean case: %q", tuA.texts())
		}
	})
	if err := tuA.Close(); err != nil {
		t.Fatal(err)
	}

	tuB := newTestUI(t, dirB)
	tuB.unlockWith(testPass)
	tuB.waitFor("the index", func() bool { return tuB.main.index.state == indexReady || tuB.main.index.state == indexFailed })
	if tuB.main.index.state != indexReady {
		t.Fatalf("the index did not open: %v", tuB.main.index.err)
	}
	tuB.importBundleFile(path)
	tuB.settle()
	cardA := reopenCard(t, dirA)
	for _, want := range []string{"Unit A (Thailand)", groupFingerprint(cardA.Fingerprint()), "A verified contact", "every file matches the signed list of contents", "Evidence for the JIT", "VN-MLA-7", "TIP-2026-001 — Harbour Light", "not be disclosed"} {
		if !tuB.screenHas(want) {
			t.Fatalf("the review does not show %q: %q", want, tuB.texts())
		}
	}
	tuB.tapSettle("Import")
	iw := tuB.main.bundles.imp
	if iw != nil {
		t.Fatalf("the import dialog stays: %q", tuB.texts())
	}
	if !tuB.screenHas("Bundle imported") || !tuB.screenHas("1 evidence item") {
		t.Fatalf("no confirmation: %q", tuB.texts())
	}
	tuB.tapSettle("OK")
	cv := tuB.main.cv
	if cv == nil || cv.info.Ref != "TIP-2026-001" {
		t.Fatalf("the new case is not open: %q", tuB.texts())
	}
	tuB.tab(cv, "Overview")
	for _, want := range []string{"Received from Unit A (Thailand) in bundle", "Their case: TIP-2026-001", "Purpose: Evidence for the JIT", "not be disclosed to anyone else"} {
		if !tuB.screenHas(want) {
			t.Fatalf("the Overview does not say where the case came from (%q): %q", want, tuB.texts())
		}
	}
	people := cv.data.people
	if len(people) != 2 || !slices.ContainsFunc(people, func(p casefile.Person) bool { return p.Protection != nil && p.FullName == "V-1" }) {
		t.Fatalf("people received: %+v", people)
	}
	// The received case is in the search index.
	found := func(q string) bool {
		r, err := tuB.main.index.search(context.Background(), q, search.SearchOptions{})
		return err == nil && r.Total > 0
	}
	tuB.advance(reindexDelay)
	tuB.waitFor("the received case in the index", func() bool { return found("interview") })

	// A later bundle of the same case updates the case on screen, which
	// is indexed again.
	wa, err := casefile.Open(dirA)
	if err != nil {
		t.Fatal(err)
	}
	if err := wa.Unlock([]byte(testPass)); err != nil {
		t.Fatal(err)
	}
	cases, _ := wa.Cases()
	ca, err := wa.OpenCase(context.Background(), cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.AddNote(context.Background(), "", "The lighthouse keeper saw the transfer."); err != nil {
		t.Fatal(err)
	}
	infoA, _ := ca.Info(context.Background())
	infoA.Title = "Harbour Light (as A now calls it)"
	if err := ca.Update(context.Background(), infoA); err != nil {
		t.Fatal(err)
	}
	cts, _ := wa.Contacts()
	path2 := filepath.Join(t.TempDir(), "update.cvb")
	f, err := os.Create(path2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Export(context.Background(), f, casefile.ExportOptions{Recipients: cts}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	closeWS(t, wa)
	// B is editing the case's summary when the update comes: the edit is
	// applied first and kept, and the form then shows the merged record.
	cvB := tuB.main.cv
	tuB.tab(cvB, "Overview")
	test.Type(cvB.form.summary, " Local edit (fictional).")
	if !cvB.edited {
		t.Fatal("typing made no edit")
	}
	tuB.importBundleFile(path2)
	tuB.settle()
	tuB.tapSettle("Import")
	if !tuB.screenHas("Case updated") || !tuB.screenHas("note: 1 added") {
		t.Fatalf("no update report: %q", tuB.texts())
	}
	tuB.tapSettle("OK")
	tuB.waitFor("the case reloaded", func() bool { return tuB.main.cv != nil && len(tuB.main.cv.data.notes) >= 2 })
	cvB = tuB.main.cv
	stored, err := cvB.c.Info(context.Background())
	if err != nil || !strings.Contains(stored.Summary, "Local edit (fictional).") {
		t.Fatalf("the edit made before the update was lost: %v %q", err, stored.Summary)
	}
	tuB.waitFor("the form to show the merged record", func() bool {
		return !cvB.edited && cvB.form.title.Text == stored.Title && cvB.info.Title == stored.Title
	})
	tuB.advance(reindexDelay)
	tuB.waitFor("the update in the index", func() bool { return found("lighthouse") })
}

// reopenCard reads the card of the (closed) workspace in dir.
func reopenCard(t *testing.T, dir string) casefile.ContactCard {
	t.Helper()
	w, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Unlock([]byte(testPass)); err != nil {
		t.Fatal(err)
	}
	c, err := w.Card()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBundleLeakCheckStep(t *testing.T) {
	dirA, a := partyWorkspace(t, "Unit A", "TH")
	_, b := partyWorkspace(t, "Unit B", "VN")
	introduce(t, a, b, false)
	closeWS(t, b)
	bundleCase(t, a, "Call NGUYEN thi hoa again about the broker.")
	closeWS(t, a)

	tu := newTestUI(t, dirA)
	tu.unlockWith(testPass)
	tu.openFirst()
	tu.settle()
	exportWith(t, tu, func(wz *exportWizard) {
		if !tu.screenHas("NOT VERIFIED") && !slices.ContainsFunc(wz.recipients.Options, func(s string) bool { return strings.Contains(s, "NOT VERIFIED") }) {
			t.Fatal("an unverified recipient is not flagged")
		}
		if len(wz.hits) == 0 || !tu.screenHas("V-1's real name") || !tu.screenHas("in note") {
			t.Fatalf("the leak check does not list the note: %q", tu.texts())
		}
		for _, s := range tu.texts() {
			if strings.Contains(strings.ToLower(s), "nguy") {
				t.Fatalf("the hit list shows the identity: %q", s)
			}
		}
		if !tu.button("Save the bundle…").Disabled() {
			t.Fatal("the export can go on before the hits were confirmed")
		}
		// Leaving the notes out clears the hits.
		tu.tapSettle("Leave these items out")
		if len(wz.hits) != 0 || wz.notes.Checked || !tu.screenHas("No protected person's real name") {
			t.Fatalf("after leaving the items out: %+v; %q", wz.hits, tu.texts())
		}
		// Put the notes back: the hits must be confirmed.
		wz.notes.SetChecked(true)
		tu.tapSettle("Back")
		tu.tapSettle("Next: leak check")
		if len(wz.hits) == 0 {
			t.Fatal("no hits with the notes back")
		}
		wz.seenHits.SetChecked(true)
		if tu.button("Save the bundle…").Disabled() {
			t.Fatal("confirming the hits does not let the export go on")
		}
	})
}

func TestBundleUnknownSignerNeedsTrust(t *testing.T) {
	_, a := partyWorkspace(t, "Unit A", "TH")
	dirB, b := partyWorkspace(t, "Unit B", "VN")
	toB := introduce(t, a, b, true)
	closeWS(t, b)
	bundleCase(t, a, "")
	cases, _ := a.Cases()
	c, err := a.OpenCase(context.Background(), cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "case.cvb")
	f, _ := os.Create(path)
	if _, err := c.Export(context.Background(), f, casefile.ExportOptions{Recipients: []casefile.Contact{toB}, Purpose: "JIT"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cardA, _ := a.Card()
	closeWS(t, a)

	tu := newTestUI(t, dirB)
	tu.unlockWith(testPass)
	tu.importBundleFile(path)
	tu.settle()
	if !tu.screenHas("UNKNOWN SENDER") || !tu.screenHas(groupFingerprint(cardA.Fingerprint())) {
		t.Fatalf("an unknown signer is not shown with its fingerprint: %q", tu.texts())
	}
	btn := tu.button("Trust and import")
	if !btn.Disabled() {
		t.Fatal("an unknown signer can be imported without trusting it")
	}
	tu.main.bundles.imp.trust.SetChecked(true)
	if btn.Disabled() {
		t.Fatal("trusting does not enable the import")
	}
	tu.tapSettle("Trust and import")
	if !tu.screenHas("Bundle imported") {
		t.Fatalf("not imported: %q", tu.texts())
	}
	tu.tapSettle("OK")
	if cv := tu.main.cv; cv == nil || cv.info.Ref != "TIP-2026-001" {
		t.Fatal("the new case is not open")
	}
}
