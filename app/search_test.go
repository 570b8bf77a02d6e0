package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
	"casevault/search"
)

// searchWorkspace makes a workspace with two cases, seeded through
// casefile; its index does not exist yet, so unlocking builds it.
func searchWorkspace(t *testing.T, seed1, seed2 func(c *casefile.Case)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	w, _, err := casefile.Create(dir, []byte(testPass), casefile.CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	for i, seed := range []func(*casefile.Case){seed1, seed2} {
		info := sampleCase("TIP-2026-00"+string(rune('1'+i)), []string{"Harbour Light", "Night Orchid"}[i])
		c, err := w.CreateCase(context.Background(), info)
		if err != nil {
			t.Fatal(err)
		}
		if seed != nil {
			seed(c)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func addNote(t *testing.T, text string) func(c *casefile.Case) {
	return func(c *casefile.Case) {
		if _, err := c.AddNote(context.Background(), "", text); err != nil {
			t.Fatal(err)
		}
	}
}

// openSearch unlocks, waits for the index and shows the Search view.
func openSearch(t *testing.T, dir string) (*testUI, *searchView) {
	t.Helper()
	tu := newTestUI(t, dir)
	tu.unlockWith(testPass)
	if tu.main == nil {
		t.Fatalf("not unlocked: %q", tu.texts())
	}
	tu.waitFor("the index", func() bool { return tu.main.index.state == indexReady })
	tu.shortcut(shortcutFind)
	v := tu.main.search
	if v == nil || tu.main.pane.Objects[0] != v.content {
		t.Fatalf("Ctrl+F did not show the Search view: %q", tu.texts())
	}
	if !tu.screenHas("Type words, a phone number, a name") {
		t.Fatalf("no empty state: %q", tu.texts())
	}
	return tu, v
}

// query types q into the Search view (replacing what was there), waits
// out the typing pause and then for the answer.
func (tu *testUI) query(v *searchView, q string) {
	tu.t.Helper()
	v.entry.SetText("")
	test.Type(v.entry, q)
	tu.advance(searchPause)
	tu.waitFor("the search", func() bool { return v.cancel == nil })
}

// hitTexts returns each hit card's texts joined, and the highlighted words.
func hitTexts(v *searchView) (cards, marked []string) {
	for _, o := range v.hits.Objects {
		var parts []string
		walk(o, func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.Label:
				parts = append(parts, w.Text)
			case *widget.RichText:
				parts = append(parts, w.String())
				for _, s := range w.Segments {
					if ts, ok := s.(*widget.TextSegment); ok && ts.Style == searchHitStyle {
						marked = append(marked, ts.Text)
					}
				}
			}
		})
		cards = append(cards, strings.Join(parts, " | "))
	}
	return cards, marked
}

func TestSearchTypingShowsHighlightedHits(t *testing.T) {
	dir := searchWorkspace(t,
		addNote(t, "Met the broker at the pier; he called from +66 81 234 5678 about the boat."),
		addNote(t, "นายหน้าพาแรงงานไปที่ท่าเรือสงขลา เมื่อวันจันทร์"))
	tu, v := openSearch(t, dir)

	tu.query(v, "broker")
	cards, marked := hitTexts(v)
	if len(cards) != 1 || !strings.Contains(cards[0], "TIP-2026-001") || !strings.Contains(cards[0], "Note") {
		t.Fatalf("hits for broker: %q", cards)
	}
	if len(marked) != 1 || marked[0] != "broker" {
		t.Fatalf("highlighted: %q in %q", marked, cards)
	}
	if !tu.screenHas("1 result in") {
		t.Fatalf("no count: %q", tu.texts())
	}

	// A phone number typed another way; a Thai word inside running text.
	tu.query(v, "0812345678")
	if cards, marked = hitTexts(v); len(cards) != 1 || len(marked) == 0 {
		t.Fatalf("hits for the phone number: %q, marked %q", cards, marked)
	}
	tu.query(v, "ท่าเรือ")
	if cards, marked = hitTexts(v); len(cards) != 1 || !strings.Contains(cards[0], "TIP-2026-002") || len(marked) == 0 {
		t.Fatalf("hits for a Thai word: %q, marked %q", cards, marked)
	}

	tu.query(v, "zebra")
	if len(v.hits.Objects) != 0 || !tu.screenHas("Nothing found. Try fewer words") {
		t.Fatalf("no-hits state: %q", tu.texts())
	}
	tu.query(v, "")
	if !tu.screenHas("Type words, a phone number, a name") {
		t.Fatalf("empty state: %q", tu.texts())
	}
}

func TestSearchBadQueryShowsError(t *testing.T) {
	dir := searchWorkspace(t, addNote(t, "broker"), nil)
	tu, v := openSearch(t, dir)
	tu.query(v, `broker "pier`)
	if !tu.screenHas("This search cannot be read: missing closing quote (at character 8)") {
		t.Fatalf("no error: %q", tu.texts())
	}
	if !v.problem.Visible() || !strings.HasSuffix(v.problem.Text, "\n       ^") {
		t.Fatalf("caret: %q", v.problem.Text)
	}
	tu.query(v, "broker")
	if v.problem.Visible() || len(v.hits.Objects) != 1 {
		t.Fatalf("after correcting: %q", tu.texts())
	}
}

func TestSearchFacetsNarrow(t *testing.T) {
	dir := searchWorkspace(t,
		addNote(t, "Passport of the crew member kept by the captain."),
		addNote(t, "The agency held every passport until the debt was paid."))
	tu, v := openSearch(t, dir)
	tu.query(v, "passport")
	if len(v.hits.Objects) != 2 {
		t.Fatalf("hits: %q", tu.texts())
	}
	tu.tapSettle("TIP-2026-002  (1)")
	tu.waitFor("the narrowed search", func() bool { return v.cancel == nil })
	cards, _ := hitTexts(v)
	if len(cards) != 1 || !strings.Contains(cards[0], "TIP-2026-002") {
		t.Fatalf("narrowed to the second case: %q", cards)
	}
	chip := tu.button("Case: TIP-2026-002")
	if !tu.screenHas("1 result in") {
		t.Fatalf("count: %q", tu.texts())
	}
	test.Tap(chip)
	tu.waitFor("the widened search", func() bool { return v.cancel == nil && len(v.hits.Objects) == 2 })

	// A filter on the kind, then sorting by date keeps it.
	tu.tapSettle("Note  (2)")
	tu.waitFor("the kind filter", func() bool { return v.cancel == nil })
	v.sortSel.SetSelected(sortDate)
	tu.waitFor("the sorted search", func() bool { return v.cancel == nil })
	if len(v.hits.Objects) != 2 || len(v.filters) != 1 || v.filters[0] != (searchFilter{"kind", "note"}) {
		t.Fatalf("kind filter and date order: %q", tu.texts())
	}
}

func TestSearchOpensHitAndReindexesOnSave(t *testing.T) {
	dir := searchWorkspace(t, nil, nil)
	tu, v := openSearch(t, dir)
	tu.query(v, "lighthouse")
	if len(v.hits.Objects) != 0 {
		t.Fatal("found before it was written")
	}

	// A note added in the app is found once the case is saved.
	cv := tu.openFirst()
	done := false
	cv.change(func(c *casefile.Case) error {
		_, err := c.AddNote(context.Background(), "", "The lighthouse keeper saw the transfer at night.")
		return err
	}, func(error) { done = true })
	tu.waitFor("the note", func() bool { return done })
	tu.waitFor("the autosave", func() bool { return len(tu.main.index.pending) > 0 })
	tu.advance(reindexDelay)
	tu.shortcut(shortcutFind)
	tu.query(v, "lighthouse")
	cards, marked := hitTexts(v)
	if len(cards) != 1 || len(marked) != 1 || marked[0] != "lighthouse" {
		t.Fatalf("after the save: %q %q", cards, marked)
	}

	// Tapping the hit opens its case at the Timeline tab, where notes are.
	test.Tap(v.hits.Objects[0].(*tapBox))
	tu.settle()
	if tu.main.cv == nil || tu.main.pane.Objects[0] != tu.main.cv.content || tu.main.cv.tabs.Selected().Text != "Timeline" {
		t.Fatalf("the hit did not open its case at the Timeline: %q", tu.texts())
	}
	// Ctrl+F brings back the same results.
	tu.shortcut(shortcutFind)
	if len(v.hits.Objects) != 1 || v.entry.Text != "lighthouse" {
		t.Fatalf("results lost: %q", tu.texts())
	}
}

func TestSearchProtectedNameNotFound(t *testing.T) {
	dir := searchWorkspace(t, func(c *casefile.Case) {
		_, err := c.AddPerson(context.Background(), casefile.Person{
			Roles: []casefile.Role{casefile.RoleWitness}, FullName: secretName, Aliases: []string{"Reth"},
			Protection: &casefile.Protection{Pseudonym: "W-7", Measures: []string{"identity-withheld"}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}, nil)
	tu, v := openSearch(t, dir)
	for _, q := range []string{"Nareth", "Vong", `"Nareth Vong"`, "Reth", "Nareth~"} {
		tu.query(v, q)
		if len(v.hits.Objects) != 0 {
			t.Fatalf("%s finds the protected person: %q", q, tu.texts())
		}
	}
	tu.query(v, "W-7")
	cards, _ := hitTexts(v)
	if len(cards) != 1 || !strings.Contains(cards[0], "W-7") || !strings.Contains(cards[0], "Person") || strings.Contains(cards[0], "Nareth") {
		t.Fatalf("the pseudonym: %q", cards)
	}
	test.Tap(v.hits.Objects[0].(*tapBox))
	tu.settle()
	cv := tu.main.cv
	if cv == nil || cv.tabs.Selected().Text != "People" || cv.people.table.selectedRow() != 0 {
		t.Fatalf("the person hit did not open the People tab at W-7: %q", tu.texts())
	}
}

func TestSearchClearedOnLock(t *testing.T) {
	dir := searchWorkspace(t, addNote(t, "The broker's ledger lists the crew."), nil)
	tu, v := openSearch(t, dir)
	tu.query(v, "ledger")
	if len(v.hits.Objects) != 1 {
		t.Fatalf("hits: %q", tu.texts())
	}
	tu.shortcut(shortcutLock)
	assertLockedAndClear(t, tu, "ledger", "TIP-2026-001", "broker")
	if v.entry.Text != "" || len(v.hits.Objects) != 0 || len(v.facets.Objects) != 0 || v.res != nil {
		t.Fatal("the Search view keeps results after locking")
	}

	// Unlocked again, the index opens (without a rebuild) and finds it.
	tu.unlockWith(testPass)
	tu.waitFor("the index", func() bool { return tu.main.index.state == indexReady })
	tu.shortcut(shortcutFind)
	v = tu.main.search
	tu.query(v, "ledger")
	if len(v.hits.Objects) != 1 {
		t.Fatalf("after unlocking again: %q", tu.texts())
	}
}

func TestSnippetSegments(t *testing.T) {
	s := search.Snippet{Text: "a broker\nand a boat", Highlights: []search.Span{{Start: 2, End: 8}, {Start: 15, End: 19}}}
	segs := snippetSegments(s)
	var got []string
	for _, sg := range segs {
		ts := sg.(*widget.TextSegment)
		mark := ""
		if ts.Style == searchHitStyle {
			mark = "*"
		}
		got = append(got, mark+ts.Text)
	}
	if strings.Join(got, "|") != "a |*broker| and a |*boat|" {
		t.Fatalf("segments %q", got)
	}
	if terms := snippetTerms(s); len(terms) != 2 || terms[0] != "broker" {
		t.Fatalf("terms %q", terms)
	}
}

func TestSearchOpensEvidenceTextAtHit(t *testing.T) {
	src := t.TempDir()
	chat := writeFile(t, src, "chat.txt", []byte("Agent: the boat leaves Songkhla on Monday.\nCrew: how much is the recruitment fee?\n"))
	dir := searchWorkspace(t, func(c *casefile.Case) {
		res, err := c.Import(context.Background(), []string{chat}, casefile.ImportOptions{Type: "chat-log"})
		if err != nil || res[0].Status == casefile.ImportFailed {
			t.Fatal(err, res)
		}
	}, nil)
	tu, v := openSearch(t, dir)
	tu.query(v, "recruitment")
	cards, marked := hitTexts(v)
	if len(cards) != 1 || !strings.Contains(cards[0], "Evidence") || len(marked) != 1 {
		t.Fatalf("hits: %q %q", cards, marked)
	}
	tu.tapSettle("Chat log  (1)")
	tu.waitFor("the type filter", func() bool { return v.cancel == nil })
	if len(v.hits.Objects) != 1 || !strings.HasSuffix(v.entry.Text, "recruitment") {
		t.Fatalf("type filter: %q", tu.texts())
	}
	test.Tap(v.hits.Objects[0].(*tapBox))
	tu.settle()
	cv := tu.main.cv
	if cv == nil || cv.tabs.Selected().Text != "Evidence" || cv.evidence.item == nil {
		t.Fatalf("the evidence hit did not open its item: %q", tu.texts())
	}
	if cv.evidence.lastText == nil || cv.evidence.lastText.hits == 0 {
		t.Fatalf("the text did not open at the hit: %q", tu.texts())
	}
}
