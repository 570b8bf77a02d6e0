package casefile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bundleParty is a test workspace with its card set.
func bundleParty(t testing.TB, unit, country string) *Workspace {
	t.Helper()
	w, _ := newTestWorkspace(t)
	if err := w.SetCardDetails(unit, country, "Focal point of "+unit); err != nil {
		t.Fatal(err)
	}
	return w
}

// meet makes b a contact of a and returns it.
func meet(t testing.TB, a, b *Workspace) Contact {
	t.Helper()
	text, err := b.CardText()
	if err != nil {
		t.Fatal(err)
	}
	card, err := ParseContactCard(text)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := a.AddContact(card)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

type sampleCase struct {
	c                       *Case
	victim, suspect, asset  string
	request, note           string
	files                   map[string]string // name: content
	leakyText, leakyNoteTxt string
}

// bundleSampleCase makes a case with a protected victim, a suspect, three
// evidence files, an asset, a request and a note.
func bundleSampleCase(t testing.TB, w *Workspace, ref string) *sampleCase {
	t.Helper()
	ctx := context.Background()
	info := sampleInfo()
	info.Ref = ref
	c := mustCreateCase(t, w, info)
	s := &sampleCase{c: c}
	var err error
	s.victim, err = c.AddPerson(ctx, Person{Roles: []Role{RoleVictim}, FullName: "Nguyễn Thị Hoa", Aliases: []string{"Hoa Saigon"},
		Birth: MustDate("2001-04-05"), Contact: "+84 90 000 0000", Notes: "lives in the shelter",
		Documents:  []Document{{Type: "passport", Number: "C1234567", Country: "VN"}},
		Protection: &Protection{Pseudonym: "V-1", Measures: []string{"identity-withheld"}}})
	if err != nil {
		t.Fatal(err)
	}
	s.suspect, err = c.AddPerson(ctx, Person{Roles: []Role{RoleSuspect}, FullName: "Somchai Example"})
	if err != nil {
		t.Fatal(err)
	}
	s.asset, err = c.AddAsset(ctx, Asset{Type: "vehicle", Description: "Pickup truck (fictional)", OwnerID: s.suspect, Status: AssetIdentified})
	if err != nil {
		t.Fatal(err)
	}
	s.request, err = c.AddRequest(ctx, Request{Kind: "mla-outgoing", Country: "VN", Subject: "Bank records (fictional)", Status: "drafting"})
	if err != nil {
		t.Fatal(err)
	}
	s.note, err = c.AddNote(ctx, "", "Interview planned for next week.")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s.files = map[string]string{
		"ledger.txt":    "Payments ledger (fictional): 40,000 THB to the broker.",
		"chat.txt":      "Meet at the pier at 22:00 with the new workers.",
		"statement.txt": "Witness statement (fictional): the boat left at night.",
	}
	var paths []string
	for n, body := range s.files {
		p := filepath.Join(dir, n)
		os.WriteFile(p, []byte(body), 0o600)
		paths = append(paths, p)
	}
	res, err := c.Import(ctx, paths, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Status != ImportImported {
			t.Fatalf("import: %+v", r)
		}
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	return s
}

func exportTo(t testing.TB, c *Case, opts ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := c.Export(context.Background(), &buf, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBundleRoundTrip(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	meet(t, b, a)
	s := bundleSampleCase(t, a, "TIP-A-1")
	data := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}, Purpose: "MLA reply", AnswersRequest: "VN-MLA-7", NoRedisclosure: true})

	insp, err := b.InspectBundle(ctx, bytes.NewReader(data), nil)
	if err != nil || !insp.Verified || !insp.SenderKnown || !insp.ForThisWorkspace || insp.Manifest.Purpose != "MLA reply" {
		t.Fatalf("inspect: %v %+v", err, insp)
	}
	res, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ref != "TIP-A-1" || res.Evidence != 3 || res.Update != nil {
		t.Fatalf("result: %+v", res)
	}
	b = reopen(t, b)
	got, err := b.OpenCase(ctx, res.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := got.Info(ctx)
	if info.Title != sampleInfo().Title || info.ID != res.CaseID {
		t.Fatalf("info: %+v", info)
	}
	// The case keeps where it came from; the sender's own case has no origin.
	if o, err := got.Origin(ctx); err != nil || o == nil || o.SenderUnit != "Unit A (fictional)" || o.SenderRef != "TIP-A-1" ||
		o.BundleID != insp.Manifest.BundleID || o.Purpose != "MLA reply" || !o.NoRedisclosure || o.Imported.IsZero() {
		t.Fatalf("origin: %v %+v", err, o)
	}
	if o, err := s.c.Origin(ctx); err != nil || o != nil {
		t.Fatalf("the sender's case has an origin: %v %+v", err, o)
	}
	// People: the victim as pseudonym only, even on reveal.
	v, err := got.RevealPerson(ctx, s.victim, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if v.FullName != "V-1" || len(v.Aliases) != 0 || len(v.Documents) != 0 || !v.Birth.IsZero() || v.Contact != "" || v.Notes != "" {
		t.Fatalf("protected identity travelled: %+v", v)
	}
	if p, _ := got.Person(ctx, s.suspect); p.FullName != "Somchai Example" {
		t.Fatalf("suspect: %+v", p)
	}
	// Evidence: same SHA-256, originals readable and verified.
	srcItems, _ := s.c.EvidenceList(ctx)
	items, _ := got.EvidenceList(ctx)
	if len(items) != len(srcItems) {
		t.Fatalf("%d items, want %d", len(items), len(srcItems))
	}
	want := map[string]string{}
	for _, it := range srcItems {
		want[it.ID] = it.Attachments[0].SHA256
	}
	for _, it := range items {
		if want[it.ID] != it.Attachments[0].SHA256 {
			t.Fatalf("item %s hash differs", it.Exhibit)
		}
		body, err := got.ReadOriginal(ctx, it.ID, it.Attachments[0].ID, 1<<20)
		if err != nil || string(body) != s.files[it.Attachments[0].Name] {
			t.Fatalf("original of %s: %v %q", it.Exhibit, err, body)
		}
		cust, _ := got.Custody(ctx, it.ID)
		last := cust[len(cust)-1]
		if len(cust) < 2 || last.Event != "received" || !strings.Contains(last.Note, "Unit A (fictional)") || last.HashCheck != "match" {
			t.Fatalf("custody: %+v", cust)
		}
	}
	if rep, err := got.VerifyEvidence(ctx, "", nil); err != nil || !rep.OK {
		t.Fatalf("verify: %v %+v", err, rep)
	}
	if as, _ := got.Assets(ctx); len(as) != 1 || as[0].Description != "Pickup truck (fictional)" {
		t.Fatalf("assets: %+v", as)
	}
	if rs, _ := got.Requests(ctx); len(rs) != 1 || rs[0].Subject != "Bank records (fictional)" {
		t.Fatalf("requests: %+v", rs)
	}
	entries, rep, _ := got.Audit(ctx)
	imported := false
	for _, e := range entries {
		imported = imported || e.Action == "bundle.import"
	}
	if !rep.OK || !imported {
		t.Fatalf("audit: %+v", rep)
	}
	// The sender's case records the export.
	ae, _, _ := s.c.Audit(ctx)
	if ae[len(ae)-1].Action != "bundle.export" {
		t.Fatalf("sender audit: %+v", ae[len(ae)-1])
	}
	// The same bundle again is refused; a new bundle of the same case
	// updates the case received (bundle_update_test.go has the details).
	if _, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{}); !errors.Is(err, ErrBundleRefused) {
		t.Fatalf("second import: %v", err)
	}
	if _, err := s.c.AddNote(ctx, "", "A second note."); err != nil {
		t.Fatal(err)
	}
	got.AddNote(ctx, "", "Local note in B.")
	got.Save()
	data2 := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}})
	res2, err := b.ImportBundle(ctx, bytes.NewReader(data2), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Update == nil || res2.Update.CaseID != res.CaseID || res2.CaseID != res.CaseID || res2.Update.LocalChanges == 0 {
		t.Fatalf("update: %+v", res2.Update)
	}
	found := false
	for _, ch := range res2.Update.Changes {
		if ch.Kind == "note" && len(ch.Added) == 1 {
			found = true
		}
	}
	if !found {
		t.Fatalf("update changes: %+v", res2.Update.Changes)
	}
	// The local note is still there, beside the sender's two.
	if ns, _ := got.Notes(ctx, "*"); len(ns) != 3 {
		t.Fatalf("notes after the update: %+v", ns)
	}
}

func TestBundleIncludeProtectedAndSelection(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	s := bundleSampleCase(t, a, "TIP-A-2")
	items, _ := s.c.EvidenceList(ctx)
	data := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}, IncludeProtected: true,
		Evidence: []string{items[0].Exhibit}, Assets: []string{}, NoNotes: true})
	res, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{Trust: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.SenderKnown {
		t.Fatal("sender should be unknown")
	}
	got, _ := b.OpenCase(ctx, res.CaseID)
	v, _ := got.RevealPerson(ctx, s.victim, testPass)
	if v.FullName != "Nguyễn Thị Hoa" || len(v.Documents) != 1 {
		t.Fatalf("chosen identity did not travel: %+v", v)
	}
	if it, _ := got.EvidenceList(ctx); len(it) != 1 || it[0].ID != items[0].ID {
		t.Fatalf("selection: %+v", it)
	}
	if as, _ := got.Assets(ctx); len(as) != 0 {
		t.Fatal("assets went")
	}
	if ns, _ := got.Notes(ctx, "*"); len(ns) != 0 {
		t.Fatal("notes went")
	}
}

func TestBundleMultiRecipient(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	c := bundleParty(t, "Unit C (fictional)", "KH")
	d := bundleParty(t, "Unit D (fictional)", "MY")
	bInA, cInA := meet(t, a, b), meet(t, a, c)
	for _, w := range []*Workspace{b, c, d} {
		meet(t, w, a)
	}
	s := bundleSampleCase(t, a, "TIP-A-3")
	data := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA, cInA}})
	for _, w := range []*Workspace{b, c} {
		if _, err := w.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{}); !errors.Is(err, ErrBundleRefused) || !strings.Contains(err.Error(), "not addressed") {
		t.Fatalf("outsider: %v", err)
	}
	// A card without a post-quantum recipient makes the bundle X25519.
	card, _ := d.Card()
	card.PQRecipient = ""
	dInA, err := a.AddContact(card)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r, err := s.c.Export(ctx, &buf, ExportOptions{Recipients: []Contact{bInA, dInA}})
	if err != nil || r.Encrypted != "X25519" {
		t.Fatalf("mixed: %v %+v", err, r)
	}
	if _, err := d.ImportBundle(ctx, bytes.NewReader(buf.Bytes()), BundleImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestBundlePassphrase(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	meet(t, b, a)
	s := bundleSampleCase(t, a, "TIP-A-4")
	pass := []byte("one-time hand-over passphrase 2026")
	data := exportTo(t, s.c, ExportOptions{Passphrase: pass, PassphraseWorkFactor: 10})
	if _, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{}); !errors.Is(err, ErrBundleRefused) {
		t.Fatalf("without passphrase: %v", err)
	}
	if _, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{Passphrase: []byte("wrong passphrase, long enough")}); !errors.Is(err, ErrBundleRefused) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{Passphrase: pass}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.Export(ctx, &bytes.Buffer{}, ExportOptions{Passphrase: pass, Recipients: []Contact{{}}}); err == nil {
		t.Fatal("passphrase with other recipients accepted")
	}
}

func TestLeakCheck(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	s := bundleSampleCase(t, a, "TIP-A-5")
	if hits, err := s.c.LeakCheck(ctx, ExportOptions{}); err != nil || len(hits) != 0 {
		t.Fatalf("clean case: %v %+v", err, hits)
	}
	dir := t.TempDir()
	// Different case, no accents, extra spaces; a document number; an alias in a file name.
	p1 := filepath.Join(dir, "interview.txt")
	os.WriteFile(p1, []byte("Transcript (fictional): NGUYEN   THI hoa said she was recruited. Passport c1234567."), 0o600)
	p2 := filepath.Join(dir, "photo of hoa saigon.txt")
	os.WriteFile(p2, []byte("nothing here"), 0o600)
	if _, err := s.c.Import(ctx, []string{p1, p2}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	noteID, _ := s.c.AddNote(ctx, s.suspect, "He threatened nguyễn thị hoà's family.")
	hits, err := s.c.LeakCheck(ctx, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, h := range hits {
		if h.Pseudonym != "V-1" {
			t.Fatalf("hit: %+v", h)
		}
		if strings.Contains(h.String(), "Hoa") || strings.Contains(h.String(), "C1234567") {
			t.Fatalf("hit reveals the identity: %s", h)
		}
		where = append(where, h.Term+" @ "+h.Where)
	}
	all := strings.Join(where, "\n")
	for _, want := range []string{"real name @ evidence", "interview.txt\" (extracted text)", "passport number @", "alias @", "photo of hoa saigon.txt", "note " + noteID} {
		if !strings.Contains(all, want) {
			t.Errorf("no hit %q in:\n%s", want, all)
		}
	}
	// Excluding the note and the items clears them.
	items, _ := s.c.EvidenceList(ctx)
	var keep []string
	for _, it := range items {
		if it.Title != "interview.txt" && !strings.Contains(it.Title, "hoa") {
			keep = append(keep, it.ID)
		}
	}
	hits, _ = s.c.LeakCheck(ctx, ExportOptions{Evidence: keep, NoNotes: true})
	if len(hits) != 0 {
		t.Fatalf("after excluding: %+v", hits)
	}
	// A word that merely contains the name is not a hit.
	if containsTerm(foldText("Hoarding"), foldText("Hoa")) || !containsTerm(foldText("ผู้เสียหายชื่อสมศรีอยู่"), foldText("สมศรี")) {
		t.Fatal("word boundaries")
	}
}

// ExportFile writes the bundle under its name only when complete, never
// replaces a file unless told to, and leaves no temp file either way.
func TestBundleExportFile(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	s := bundleSampleCase(t, a, "TIP-F-1")
	dir := t.TempDir()
	path := filepath.Join(dir, "case.cvb")
	opts := ExportOptions{Recipients: []Contact{bInA}}
	if err := os.WriteFile(path, []byte("someone else's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.ExportFile(ctx, path, false, opts); err == nil || !strings.Contains(err.Error(), "nothing was replaced") {
		t.Fatalf("an existing file was replaced: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "someone else's file" {
		t.Fatalf("the existing file changed: %q", got)
	}
	res, err := s.c.ExportFile(ctx, path, true, opts)
	if err != nil || res == nil {
		t.Fatal(err)
	}
	insp, err := b.InspectBundle(ctx, mustOpen(t, path), nil)
	if err != nil || !insp.Verified {
		t.Fatalf("the written bundle: %v %+v", err, insp)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left in the folder: %v", entries)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
