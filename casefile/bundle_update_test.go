package casefile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updateParties makes A with a sample case, B with A's first bundle of it
// imported, and returns them with B's contact in A and B's copy.
type updateSetup struct {
	a, b  *Workspace
	bInA  Contact
	s     *sampleCase
	local *Case // B's case
	first *BundleImportResult
}

func newUpdateSetup(t *testing.T, ref string) *updateSetup {
	t.Helper()
	ctx := context.Background()
	u := &updateSetup{a: bundleParty(t, "Unit A (fictional)", "TH"), b: bundleParty(t, "Unit B (fictional)", "VN")}
	u.bInA = meet(t, u.a, u.b)
	meet(t, u.b, u.a)
	u.s = bundleSampleCase(t, u.a, ref)
	var err error
	u.first, err = u.b.ImportBundle(ctx, bytes.NewReader(exportTo(t, u.s.c, ExportOptions{Recipients: []Contact{u.bInA}})), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if u.local, err = u.b.OpenCase(ctx, u.first.CaseID); err != nil {
		t.Fatal(err)
	}
	return u
}

// resend exports A's case again and imports it in B.
func (u *updateSetup) resend(t *testing.T) *BundleImportResult {
	t.Helper()
	res, err := u.b.ImportBundle(context.Background(), bytes.NewReader(exportTo(t, u.s.c, ExportOptions{Recipients: []Contact{u.bInA}})), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.CaseID != u.first.CaseID || res.Update == nil || res.Update.CaseID != u.first.CaseID {
		t.Fatalf("not an update of %s: %+v", u.first.CaseID, res)
	}
	return res
}

func changeOf(u *BundleUpdate, kind string) BundleChange {
	for _, ch := range u.Changes {
		if ch.Kind == kind {
			return ch
		}
	}
	return BundleChange{Kind: kind}
}

func TestBundleUpdateNoLocalChanges(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-1")
	c := u.s.c
	// At the sender: a changed asset, a new note, a new evidence file, a
	// custody event on an existing item, a new status.
	as, _ := c.Asset(ctx, u.s.asset)
	as.Description = "Pickup truck, white (fictional)"
	if err := c.UpdateAsset(ctx, as); err != nil {
		t.Fatal(err)
	}
	noteID, _ := c.AddNote(ctx, "", "Second interview done.")
	items, _ := c.EvidenceList(ctx)
	if err := c.AddCustodyEvent(ctx, items[0].ID, CustodyEvent{Event: "examined", Who: "Analyst A", Purpose: "forensic review"}, false); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bank.txt")
	os.WriteFile(p, []byte("Bank statement (fictional): 12,000 THB."), 0o600)
	if _, err := c.Import(ctx, []string{p}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	info, _ := c.Info(ctx)
	info.Status = "charged"
	if err := c.Update(ctx, info); err != nil {
		t.Fatal(err)
	}

	// A new protected person whose pseudonym someone here already has.
	if _, err := u.local.AddPerson(ctx, Person{Roles: []Role{RoleWitness}, FullName: "Local witness (fictional)",
		Protection: &Protection{Pseudonym: "W-9", Measures: []string{"identity-withheld"}}}); err != nil {
		t.Fatal(err)
	}
	w9, err := c.AddPerson(ctx, Person{Roles: []Role{RoleWitness}, FullName: "Sender's witness (fictional)",
		Protection: &Protection{Pseudonym: "W-9", Measures: []string{"identity-withheld"}}})
	if err != nil {
		t.Fatal(err)
	}

	res := u.resend(t)
	up := res.Update
	if p, err := u.local.Person(ctx, w9); err != nil || p.Protection == nil || p.Protection.Pseudonym != "W-9 (sender)" {
		t.Fatalf("pseudonym taken here: %v %+v", err, p)
	}
	if up.LocalChanges == 0 || up.NewFiles != 1 || res.Evidence != 4 {
		t.Fatalf("update: %+v (evidence %d)", up, res.Evidence)
	}
	if ch := changeOf(up, "asset"); len(ch.Updated) != 1 || ch.Updated[0] != u.s.asset || len(ch.Conflicts) != 0 {
		t.Fatalf("asset change: %+v", ch)
	}
	if ch := changeOf(up, "note"); len(ch.Added) != 1 || ch.Added[0] != noteID {
		t.Fatalf("note change: %+v", ch)
	}
	if ch := changeOf(up, "evidence"); len(ch.Added) != 1 || len(ch.Updated) != 0 {
		t.Fatalf("evidence change: %+v", ch)
	}
	if ch := changeOf(up, "case"); len(ch.Updated) != 1 {
		t.Fatalf("case change: %+v", ch)
	}
	l := u.local
	if got, _ := l.Asset(ctx, u.s.asset); got.Description != "Pickup truck, white (fictional)" {
		t.Fatalf("asset not updated: %+v", got)
	}
	if got, _ := l.Info(ctx); got.Status != "charged" || got.Ref != "TIP-U-1" {
		t.Fatalf("case not updated: %+v", got)
	}
	litems, _ := l.EvidenceList(ctx)
	if len(litems) != 4 {
		t.Fatalf("%d items", len(litems))
	}
	for _, it := range litems {
		cust, _ := l.Custody(ctx, it.ID)
		last := cust[len(cust)-1]
		switch {
		case it.Title == "bank.txt":
			// A new item: the sender's whole chain, then received.
			if len(cust) < 2 || last.Event != "received" || !strings.Contains(last.Note, "update") {
				t.Fatalf("new item custody: %+v", cust)
			}
			body, err := l.ReadOriginal(ctx, it.ID, it.Attachments[0].ID, 1<<20)
			if err != nil || !strings.Contains(string(body), "12,000 THB") {
				t.Fatalf("new original: %v %q", err, body)
			}
		case it.ID == items[0].ID:
			// The sender's new event continues the chain, marked as theirs.
			var theirs bool
			for _, ev := range cust {
				theirs = theirs || (ev.Event == "examined" && strings.Contains(ev.Note, "Recorded by the sender"))
			}
			if !theirs || last.Event != "received" {
				t.Fatalf("custody not continued: %+v", cust)
			}
		}
	}
	if rep, err := l.VerifyEvidence(ctx, "", nil); err != nil || !rep.OK {
		t.Fatalf("verify: %v %+v", err, rep)
	}
	entries, rep, _ := l.Audit(ctx)
	updated := false
	for _, e := range entries {
		updated = updated || (e.Action == "bundle.update" && strings.Contains(e.Details, `"new_files":1`))
	}
	if !rep.OK || !updated {
		t.Fatalf("audit: %+v", rep)
	}
	// Saved: the workspace reopens with the update.
	b := reopen(t, u.b)
	l2, err := b.OpenCase(ctx, u.first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := l2.Asset(ctx, u.s.asset); got.Description != "Pickup truck, white (fictional)" {
		t.Fatal("update not saved")
	}
	// A third bundle with nothing new changes nothing.
	u.b, u.local = b, l2
	res3 := u.resend(t)
	if len(res3.Update.Changes) != 0 || res3.Update.NewFiles != 0 {
		t.Fatalf("empty update: %+v", res3.Update)
	}
}

func TestBundleUpdateConflicts(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-2")
	c, l := u.s.c, u.local
	// Both sides change the asset, the request and an evidence item's title.
	as, _ := c.Asset(ctx, u.s.asset)
	as.Description = "Sender's description"
	c.UpdateAsset(ctx, as)
	las, _ := l.Asset(ctx, u.s.asset)
	las.Description = "Local description"
	if err := l.UpdateAsset(ctx, las); err != nil {
		t.Fatal(err)
	}
	items, _ := c.EvidenceList(ctx)
	ev := items[0]
	ev.Title = "Sender's title"
	if err := c.UpdateEvidence(ctx, ev); err != nil {
		t.Fatal(err)
	}
	litems, _ := l.EvidenceList(ctx)
	var lev Evidence
	for _, it := range litems {
		if it.ID == ev.ID {
			lev = it
		}
	}
	lev.Title = "Local title"
	if err := l.UpdateEvidence(ctx, lev); err != nil {
		t.Fatal(err)
	}
	// Only the receiver changes the note; only the sender the suspect.
	ln, _ := l.Notes(ctx, "*")
	if err := l.UpdateNote(ctx, ln[0].ID, "Local edit of the note."); err != nil {
		t.Fatal(err)
	}
	sp, _ := c.Person(ctx, u.s.suspect)
	sp.Nationality = "TH"
	if err := c.UpdatePerson(ctx, sp); err != nil {
		t.Fatal(err)
	}
	l.Save()

	res := u.resend(t)
	up := res.Update
	if up.LocalChanges == 0 {
		t.Fatalf("local changes not counted: %+v", up)
	}
	ach := changeOf(up, "asset")
	if len(ach.Conflicts) != 1 || ach.Conflicts[0].ID != u.s.asset || ach.Conflicts[0].Copy == "" {
		t.Fatalf("asset conflict: %+v", ach)
	}
	// Both versions are there, each marked.
	if got, _ := l.Asset(ctx, u.s.asset); got.Description != "Local description" {
		t.Fatalf("local asset overwritten: %+v", got)
	}
	cp, err := l.Asset(ctx, ach.Conflicts[0].Copy)
	if err != nil || cp.Description != "Sender's description" {
		t.Fatalf("sender's version: %v %+v", err, cp)
	}
	if ns, _ := l.Notes(ctx, cp.ID); len(ns) != 1 || !strings.Contains(ns[0].Text, "Sender's version") {
		t.Fatalf("copy not marked: %+v", ns)
	}
	if ns, _ := l.Notes(ctx, u.s.asset); len(ns) != 1 || !strings.Contains(ns[0].Text, cp.ID) {
		t.Fatalf("local not marked: %+v", ns)
	}
	// The evidence item keeps the local title; the sender's is in a note.
	ech := changeOf(up, "evidence")
	if len(ech.Conflicts) != 1 || ech.Conflicts[0].ID != ev.ID {
		t.Fatalf("evidence conflict: %+v", ech)
	}
	litems, _ = l.EvidenceList(ctx)
	for _, it := range litems {
		if it.ID == ev.ID && it.Title != "Local title" {
			t.Fatalf("local item overwritten: %+v", it)
		}
	}
	if ns, _ := l.Notes(ctx, ev.ID); len(ns) != 1 || !strings.Contains(ns[0].Text, "Sender's title") {
		t.Fatalf("evidence conflict note: %+v", ns)
	}
	// The note changed here only stays; the suspect changed there only is applied.
	if n, _ := l.Notes(ctx, "*"); !hasNote(n, ln[0].ID, "Local edit of the note.") {
		t.Fatalf("local note lost: %+v", n)
	}
	if p, _ := l.Person(ctx, u.s.suspect); p.Nationality != "TH" {
		t.Fatalf("suspect not updated: %+v", p)
	}
	if ch := changeOf(up, "person"); len(ch.Updated) != 1 || len(ch.Conflicts) != 0 {
		t.Fatalf("person change: %+v", ch)
	}
	if _, rep, _ := l.Audit(ctx); !rep.OK {
		t.Fatalf("audit: %+v", rep)
	}
	// Resolving the conflict here and a later bundle without sender
	// changes: nothing comes back.
	las.Description = "Settled description"
	l.UpdateAsset(ctx, las)
	res = u.resend(t)
	if ch := changeOf(res.Update, "asset"); len(ch.Conflicts)+len(ch.Updated)+len(ch.Added) != 0 {
		t.Fatalf("conflict came back: %+v", ch)
	}
}

func hasNote(ns []Note, id, text string) bool {
	for _, n := range ns {
		if n.ID == id && n.Text == text {
			return true
		}
	}
	return false
}

func TestBundleUpdateRemovedAtSender(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-3")
	c, l := u.s.c, u.local
	// The sender deletes the suspect (its asset loses its owner) and
	// leaves the notes out of the next bundle.
	if err := c.DeletePerson(ctx, u.s.suspect); err != nil {
		t.Fatal(err)
	}
	res, err := u.b.ImportBundle(ctx, bytes.NewReader(exportTo(t, c, ExportOptions{Recipients: []Contact{u.bInA}, NoNotes: true})), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	up := res.Update
	if ch := changeOf(up, "person"); len(ch.Kept) != 1 || ch.Kept[0] != u.s.suspect {
		t.Fatalf("person: %+v", ch)
	}
	if ch := changeOf(up, "note"); len(ch.Kept) != 1 {
		t.Fatalf("note: %+v", ch)
	}
	// Kept here: a bundle never deletes.
	if p, err := l.Person(ctx, u.s.suspect); err != nil || p.FullName != "Somchai Example" {
		t.Fatalf("suspect deleted here: %v %+v", err, p)
	}
	if ns, _ := l.Notes(ctx, "*"); len(ns) != 1 {
		t.Fatalf("notes: %+v", ns)
	}
	// The asset's owner was removed there and not changed here: applied.
	if as, _ := l.Asset(ctx, u.s.asset); as.OwnerID != "" {
		t.Fatalf("asset owner: %+v", as)
	}
}

func TestBundleReimportAfterDelete(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	meet(t, b, a)
	s := bundleSampleCase(t, a, "TIP-D-1")
	data := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}})
	res, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteCase(ctx, res.CaseID); err != nil {
		t.Fatal(err)
	}
	b = reopen(t, b)
	res2, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{})
	if err != nil {
		t.Fatalf("re-import after delete: %v", err)
	}
	if res2.Update != nil || res2.CaseID == res.CaseID {
		t.Fatalf("re-import: %+v", res2)
	}
	// A record left by an older CaseVault for a deleted case blocks nothing.
	b.mu.Lock()
	b.cat.Contacts.Received = append(b.cat.Contacts.Received, &ReceivedBundle{CaseID: "aaaaaaaaaaaaaaaaaaaa", BundleID: res2.Manifest.BundleID,
		SenderKey: res2.Manifest.Sender.SigningKey, SenderCase: res2.Manifest.Case.ID})
	b.mu.Unlock()
	if err := b.DeleteCase(ctx, res2.CaseID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(ctx, bytes.NewReader(data), BundleImportOptions{}); err != nil {
		t.Fatalf("stale record: %v", err)
	}
}

func TestBundleUpdateWithheldIdentityNotOverwritten(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	meet(t, b, a)
	s := bundleSampleCase(t, a, "TIP-U-4")
	// The first bundle carries the victim's identity, the second withholds it.
	res, err := b.ImportBundle(ctx, bytes.NewReader(exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}, IncludeProtected: true})), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.c.Person(ctx, s.victim)
	v.Protection.Measures = append(v.Protection.Measures, "video-link")
	if err := s.c.UpdatePerson(ctx, v); err != nil {
		t.Fatal(err)
	}
	res2, err := b.ImportBundle(ctx, bytes.NewReader(exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}})), BundleImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ch := changeOf(res2.Update, "person")
	if len(ch.Conflicts) != 1 || ch.Conflicts[0].ID != s.victim || len(ch.Updated) != 0 {
		t.Fatalf("person: %+v", ch)
	}
	l, _ := b.OpenCase(ctx, res.CaseID)
	got, err := l.RevealPerson(ctx, s.victim, testPass)
	if err != nil || got.FullName != "Nguyễn Thị Hoa" || len(got.Documents) != 1 {
		t.Fatalf("the identity received earlier was overwritten: %v %+v", err, got)
	}
	// No copy splits the person in two; the measure the sender added is
	// added here (protection is raised, never lowered, by a bundle).
	if ch.Conflicts[0].Copy != "" || len(got.Protection.Measures) != 2 || got.Protection.Pseudonym != "V-1" {
		t.Fatalf("the sender's version: %+v, local %+v", ch.Conflicts[0], got.Protection)
	}
	if ps, _ := l.People(ctx); len(ps) != 2 {
		t.Fatalf("people: %d, want 2 (no copy)", len(ps))
	}
}

// A person protected here whom the sender has not protected, and a person
// the sender now protects, never show a real name through an update:
// no unprotected copy is added, the sender's protection is applied here,
// and a bundle cannot lift protection (review findings 1, 2 and 5).
func TestBundleUpdateProtectionOnlyRises(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-PROT")
	c, l := u.s.c, u.local
	// Here, B protects the suspect; the sender edits him, unprotected.
	sp, _ := l.Person(ctx, u.s.suspect)
	sp.Protection = &Protection{Pseudonym: "S-LOCAL", RiskLevel: "high"}
	if err := l.UpdatePerson(ctx, sp); err != nil {
		t.Fatal(err)
	}
	sa, _ := c.Person(ctx, u.s.suspect)
	sa.Notes = "Seen at the harbour again (fictional)."
	if err := c.UpdatePerson(ctx, sa); err != nil {
		t.Fatal(err)
	}
	res := u.resend(t)
	ch := changeOf(res.Update, "person")
	if len(ch.Conflicts) != 1 || ch.Conflicts[0].Copy != "" {
		t.Fatalf("person: %+v", ch)
	}
	people, _ := l.People(ctx)
	for _, p := range people {
		if strings.Contains(p.FullName, "Somchai") {
			t.Fatalf("the real name of a person protected here shows: %+v", p)
		}
	}
	if p, _ := l.Person(ctx, u.s.suspect); p.Protection == nil || p.Protection.Pseudonym != "S-LOCAL" {
		t.Fatalf("protection here lost: %+v", p.Protection)
	}
}

// An export re-hashes every original: an altered or truncated blob stops it.
func TestBundleExportRefusesDamagedOriginal(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	bInA := meet(t, a, b)
	s := bundleSampleCase(t, a, "TIP-X-1")
	items, _ := s.c.EvidenceList(ctx)
	att := items[0].Attachments[0]
	store, err := s.c.blobs()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(store.dir, att.blob+blobSuffix)
	orig, _ := os.ReadFile(path)
	// Same size, other content, encrypted to the case's key.
	body := []byte(s.files[att.Name])
	body[0] ^= 1
	ref, err := store.putBytes(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(store.dir, ref.Name+blobSuffix), path); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.Export(ctx, io.Discard, ExportOptions{Recipients: []Contact{bInA}}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), att.SHA256) {
		t.Fatalf("altered original: %v", err)
	}
	// Truncated.
	os.WriteFile(path, orig[:len(orig)-20], 0o600)
	if _, err := s.c.Export(ctx, io.Discard, ExportOptions{Recipients: []Contact{bInA}}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("truncated original: %v", err)
	}
	os.WriteFile(path, orig, 0o600)
	if _, err := s.c.Export(ctx, io.Discard, ExportOptions{Recipients: []Contact{bInA}}); err != nil {
		t.Fatalf("restored: %v", err)
	}
}

// A bundle made before the one already applied (delivered late, or
// replayed) is refused: applying it would roll the case back.
func TestBundleUpdateOlderBundleRefused(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-OLD")
	c, l := u.s.c, u.local
	if _, err := c.AddNote(ctx, "", "Second interview planned (fictional)."); err != nil {
		t.Fatal(err)
	}
	older := exportTo(t, c, ExportOptions{Recipients: []Contact{u.bInA}})
	if _, err := c.AddNote(ctx, "", "Third interview planned (fictional)."); err != nil {
		t.Fatal(err)
	}
	u.resend(t) // the newer bundle arrives first
	before, _ := l.Notes(ctx, "*")
	_, err := u.b.ImportBundle(ctx, bytes.NewReader(older), BundleImportOptions{})
	if !errors.Is(err, ErrBundleRefused) || !strings.Contains(err.Error(), "roll the case back") {
		t.Fatalf("an older bundle was not refused: %v", err)
	}
	after, _ := l.Notes(ctx, "*")
	if len(after) != len(before) {
		t.Fatalf("notes changed: %d → %d", len(before), len(after))
	}
	o, err := l.Origin(ctx)
	if err != nil || o.SenderAuditSize == 0 {
		t.Fatalf("origin: %v %+v", err, o)
	}
}

// A new item of the sender's that has the id of a different item here is
// not merged into it: the local item gets none of the sender's custody
// events or files (review finding 4).
func TestBundleUpdateEvidenceIDCollision(t *testing.T) {
	ctx := context.Background()
	u := newUpdateSetup(t, "TIP-U-ID")
	c, l := u.s.c, u.local
	src := t.TempDir()
	path := filepath.Join(src, "later.txt")
	if err := os.WriteFile(path, []byte("A later statement (fictional)."), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := c.Import(ctx, []string{path}, ImportOptions{})
	if err != nil || res[0].ItemID == "" {
		t.Fatalf("import at the sender: %v %+v", err, res)
	}
	id := res[0].ItemID
	// Here, an unrelated item happens to have the same id.
	now := "2026-11-27T00:00:00Z"
	if _, err := l.conn.ExecContext(ctx, "INSERT INTO evidence (id, exhibit, title, type, created, updated) VALUES (?, 'L-1', 'Local object (fictional)', 'physical-object', ?, ?)", id, now, now); err != nil {
		t.Fatal(err)
	}
	up := u.resend(t)
	ch := changeOf(up.Update, "evidence")
	if len(ch.Conflicts) != 1 || ch.Conflicts[0].ID != id || !strings.Contains(ch.Conflicts[0].How, "not merged") {
		t.Fatalf("evidence: %+v", ch)
	}
	e, err := l.EvidenceItem(ctx, id)
	if err != nil || e.Title != "Local object (fictional)" || len(e.Attachments) != 0 {
		t.Fatalf("the local item changed: %v %+v", err, e)
	}
	if ev, _ := l.Custody(ctx, id); len(ev) != 0 {
		t.Fatalf("the sender's custody went onto the local item: %+v", ev)
	}
}
