package casefile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func protectedWitness() Person {
	return Person{
		Roles:     []Role{RoleVictim, RoleWitness},
		FullName:  "MkRealNameQ1 สมหญิง",
		Aliases:   []string{"MkAliasQ2"},
		Sex:       "female",
		Birth:     MustDate("2010-05-01"),
		Documents: []Document{{Type: "passport", Number: "MkDocQ3", Country: "KH"}},
		Contact:   "MkContactQ4",
		Notes:     "MkNotesQ5",
		Protection: &Protection{Pseudonym: "W-3", Measures: []string{"identity-withheld", "video-link"}, RiskLevel: "high",
			Start: MustDate("2026-01-01"), Review: Today().AddDays(10)},
	}
}

var identityMarkers = []string{"MkRealNameQ1", "สมหญิง", "MkAliasQ2", "MkDocQ3", "MkContactQ4", "MkNotesQ5", "2010-05-01"}

func TestProtectedIdentityNeverLeaks(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	pid, err := c.AddPerson(ctx, protectedWitness())
	if err != nil {
		t.Fatal(err)
	}
	// Protected later: the audit entries written before must not name them either.
	sid, err := c.AddPerson(ctx, Person{Roles: []Role{RoleSuspect}, FullName: "MkLateProtectQ6", CustodyStatus: "in-custody", CustodyLimit: Today().AddDays(3)})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := c.Person(ctx, sid)
	s.Protection = &Protection{Pseudonym: "S-1"}
	if err := c.UpdatePerson(ctx, s); err != nil {
		t.Fatal(err)
	}
	aid, err := c.AddAsset(ctx, Asset{Type: "vehicle", Description: "Pickup truck", OwnerID: pid, Value: Money{Minor: 50000000, Currency: "THB"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.AddRequest(ctx, Request{Kind: "mla-outgoing", Country: "KH", Links: []Link{{"person", pid}, {"asset", aid}}, Deadline: Today().AddDays(20)}); err != nil {
		t.Fatal(err)
	}
	// Edit a masked record: identity fields stay as stored.
	p, _ := c.Person(ctx, pid)
	p.Languages = []string{"km"}
	if err := c.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	var outputs []any
	people, _ := c.People(ctx)
	one, _ := c.Person(ctx, pid)
	assets, _ := c.Assets(ctx)
	requests, _ := c.Requests(ctx)
	deadlines, _ := c.Deadlines(ctx)
	entries, _, _ := c.Audit(ctx)
	due, _ := w.Due(Today().AddDays(30))
	list, _ := w.Cases()
	outputs = append(outputs, people, one, assets, requests, deadlines, entries, due, list)
	all, _ := json.Marshal(outputs)
	for _, m := range append(identityMarkers, "MkLateProtectQ6") {
		if strings.Contains(string(all), m) {
			t.Errorf("%q leaks without a reveal", m)
		}
	}
	if one.DisplayName() != "W-3" || !one.Masked || one.Protection == nil || !one.Child {
		t.Fatalf("masked person: %+v", one)
	}
	if assets[0].OwnerName != "W-3" {
		t.Fatalf("asset owner shows %q", assets[0].OwnerName)
	}
	if !strings.Contains(fmt.Sprint(due), "Protection review: W-3") || !strings.Contains(fmt.Sprint(due), "Custody time limit: S-1") {
		t.Fatalf("due list: %+v", due)
	}
	// Reveal: passphrase again, then an audit entry.
	if _, err := c.RevealPerson(ctx, pid, []byte("wrong passphrase")); err == nil {
		t.Fatal("revealed with a wrong passphrase")
	}
	real, err := c.RevealPerson(ctx, pid, testPass)
	if err != nil || real.FullName != "MkRealNameQ1 สมหญิง" || real.Documents[0].Number != "MkDocQ3" || real.Masked {
		t.Fatalf("reveal: %+v %v", real, err)
	}
	if real.Languages[0] != "km" {
		t.Fatal("update through a masked record lost a field")
	}
	entries, rep, _ := c.Audit(ctx)
	if last := entries[len(entries)-1]; last.Action != "person.reveal" || last.Target != pid || !rep.OK {
		t.Fatalf("reveal not audited: %+v", last)
	}
}

func TestRegisterValidation(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	other := mustCreateCase(t, w, CaseInfo{Ref: "OTHER-1", Title: "Other case"})
	otherPerson, _ := other.AddPerson(ctx, Person{Roles: []Role{RoleWitness}, FullName: "Someone Else"})
	pid, _ := c.AddPerson(ctx, protectedWitness())
	aid, _ := c.AddAsset(ctx, Asset{Type: "cash", Description: "Cash in a safe"})
	before, _, _ := c.Audit(ctx)

	dup := protectedWitness()
	dup.FullName = "Another person"
	for name, err := range map[string]error{
		"unknown nationality":   errOf(c.AddPerson(ctx, Person{Roles: []Role{RoleVictim}, FullName: "X", Nationality: "XX"})),
		"future birth":          errOf(c.AddPerson(ctx, Person{Roles: []Role{RoleVictim}, FullName: "X", Birth: Today().AddDays(5)})),
		"unknown role":          errOf(c.AddPerson(ctx, Person{Roles: []Role{"boss"}, FullName: "X"})),
		"no role":               errOf(c.AddPerson(ctx, Person{FullName: "X"})),
		"duplicate pseudonym":   errOf(c.AddPerson(ctx, dup)),
		"unknown currency":      errOf(ParseMoney("10", "ABC")),
		"negative amount":       errOf(ParseMoney("-10", "THB")),
		"malformed amount":      errOf(ParseMoney("10,5.3.1", "THB")),
		"asset bad type":        errOf(c.AddAsset(ctx, Asset{Type: "yacht", Description: "x"})),
		"asset owner elsewhere": errOf(c.AddAsset(ctx, Asset{Type: "cash", Description: "x", OwnerID: otherPerson})),
		"invalid transition":    c.AddAssetEvent(ctx, aid, AssetEvent{Status: AssetReturned}),
		"link other case":       errOf(c.AddRequest(ctx, Request{Kind: "extradition", Country: "TH", Links: []Link{{"person", otherPerson}}})),
		"request no country":    errOf(c.AddRequest(ctx, Request{Kind: "jit"})),
		"note other case":       errOf(c.AddNote(ctx, otherPerson, "text")),
	} {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a ValidationError", name, err)
		}
	}
	after, _, _ := c.Audit(ctx)
	if len(after) != len(before) {
		t.Fatal("refused inputs wrote audit entries")
	}
	people, _ := c.People(ctx)
	if len(people) != 1 || people[0].ID != pid {
		t.Fatalf("refused people were added: %d", len(people))
	}
	// Transitions through the whole life of an asset.
	for _, st := range []AssetStatus{AssetFrozen, AssetSeized, AssetConfiscated, AssetRealised, AssetReturned} {
		if err := c.AddAssetEvent(ctx, aid, AssetEvent{Status: st, OrderRef: "ORD-" + string(st)}); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	if err := c.AddAssetEvent(ctx, aid, AssetEvent{Status: AssetFrozen}); err == nil || !strings.Contains(err.Error(), "final") {
		t.Fatalf("moving a returned asset: %v", err)
	}
	a, _ := c.Asset(ctx, aid)
	if a.Status != AssetReturned || len(a.History) != 6 {
		t.Fatalf("asset history: %+v", a)
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestAssetTotalsAreExact(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	c2 := mustCreateCase(t, w, CaseInfo{Ref: "SECOND", Title: "Second"})
	want := map[string]int64{}
	// 0.10 + 0.20 in floats is 0.30000000000000004: here it must be exact.
	for i := 0; i < 300; i++ {
		cur := []string{"THB", "USD", "VND", "KWD"}[i%4]
		amount := []string{"0.10", "0.20", "1000", "0.001"}[i%4]
		m, err := ParseMoney(amount, cur)
		if err != nil {
			t.Fatal(err)
		}
		target := c
		if i%3 == 0 {
			target = c2
		}
		if _, err := target.AddAsset(ctx, Asset{Type: "cash", Description: fmt.Sprint("lot ", i), Value: m}); err != nil {
			t.Fatal(err)
		}
		want[cur] += m.Minor
	}
	c.Save()
	c2.Save()
	totals, err := w.AssetTotals()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tt := range totals {
		got[tt.Currency] = tt.Amount
	}
	exp := map[string]string{"THB": "7.50", "USD": "15.00", "VND": "75000", "KWD": "0.075"}
	for cur, amt := range exp {
		if got[cur] != amt {
			t.Errorf("%s: total %s, want %s", cur, got[cur], amt)
		}
	}
	ct, _ := c.AssetTotals(ctx)
	var sum int
	for _, tt := range ct {
		sum += tt.Count
	}
	if sum != 200 {
		t.Fatalf("case totals count %d assets, want 200", sum)
	}
}

func TestDueListFromCatalog(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	rid, _ := c.AddRequest(ctx, Request{Kind: "mla-outgoing", Country: "TH", OurRef: "MLA-7", Deadline: Today().AddDays(10)})
	c.AddDeadline(ctx, Deadline{Kind: "hearing", Title: "Bail hearing", Due: Today().AddDays(-2)})
	c.AddDeadline(ctx, Deadline{Kind: "task", Title: "Far away", Due: Today().AddDays(100)})
	w = reopen(t, w)
	// The due list comes from the catalog: it works with no case file
	// readable at all.
	cases := filepath.Join(w.Dir(), casesDir)
	os.Rename(cases, cases+".away")
	due, err := w.Due(Today().AddDays(14))
	os.Rename(cases+".away", cases)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Title != "Bail hearing" || !due[0].Overdue(Today()) || due[1].ID != "request:"+rid {
		t.Fatalf("due: %+v", due)
	}
	// An executed request no longer has a deadline.
	c2, _ := w.OpenCase(ctx, c.ID())
	c2.AddRequestEvent(ctx, rid, RequestEvent{Status: "sent"})
	c2.AddRequestEvent(ctx, rid, RequestEvent{Status: "executed"})
	if err := c2.AddRequestEvent(ctx, rid, RequestEvent{Status: "sent"}); err == nil {
		t.Fatal("an executed request was sent again")
	}
	c2.Save()
	w.Flush()
	due, _ = w.Due(Today().AddDays(14))
	if len(due) != 1 {
		t.Fatalf("due after execution: %+v", due)
	}
}

func TestIndexDocumentsHideProtectedIdentity(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	pid, _ := c.AddPerson(ctx, protectedWitness())
	c.AddPerson(ctx, Person{Roles: []Role{RoleSuspect}, FullName: "Open Suspect Name", Aliases: []string{"Boss K"}})
	c.AddNote(ctx, pid, "Interview arranged")
	c.AddAsset(ctx, Asset{Type: "cash", Description: "Envelope of cash", OwnerID: pid})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "chat.txt"), []byte("The boat leaves at dawn. เรือออกตอนเช้า"), 0o600)
	if _, err := c.Import(ctx, []string{dir}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	kinds := map[string]int{}
	err := c.IndexDocuments(ctx, func(d IndexDoc) error {
		kinds[d.Kind]++
		fmt.Fprintf(&all, "%s %s %v\n", d.Title, d.Text, d.Fields)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range identityMarkers {
		if strings.Contains(all.String(), m) {
			t.Errorf("%q would be indexed", m)
		}
	}
	if !strings.Contains(all.String(), "W-3") || !strings.Contains(all.String(), "Boss K") || kinds["person"] != 2 || kinds["note"] != 1 || kinds["asset"] != 1 ||
		kinds["evidence"] != 2 || !strings.Contains(all.String(), "เรือออกตอนเช้า") {
		t.Fatalf("documents: %v\n%s", kinds, all.String())
	}
}

func TestAssetFirstEventDated(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	id, err := c.AddAsset(ctx, Asset{Type: "vehicle", Description: "Truck", History: []AssetEvent{{Status: AssetFrozen, Date: MustDate("2025-06-01"), OrderRef: "FRZ-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddAssetEvent(ctx, id, AssetEvent{Status: AssetSeized, Date: MustDate("2025-05-01")}); err == nil {
		t.Fatal("an event before the previous one was accepted")
	}
	if err := c.AddAssetEvent(ctx, id, AssetEvent{Status: AssetSeized, Date: MustDate("2025-07-01")}); err != nil {
		t.Fatal(err)
	}
	a, _ := c.Asset(ctx, id)
	if a.Status != AssetSeized || a.History[0].Date.String() != "2025-06-01" || a.History[0].OrderRef != "FRZ-1" {
		t.Fatalf("%+v", a)
	}
}
