package search

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func queryDocs() []Document {
	d := func(id, c string, k Kind, typ string, date string, lang, text string, person string) Document {
		t, _ := time.Parse("2006-01-02", date)
		f := map[string]string{}
		if typ != "" {
			f[FieldType] = typ
		}
		if person != "" {
			f[FieldPerson] = person
		}
		return Document{ID: id, CaseID: c, Kind: k, ItemID: id, Date: t, Lang: lang, Text: text, Fields: f}
	}
	return []Document{
		d("m1", "A", KindEvidence, "chat", "2023-11-02", "en", "The boat leaves Songkhla tonight, bring the passports", "Somchai"),
		d("m2", "A", KindEvidence, "chat", "2024-02-10", "en", "Transfer the money to the broker in Mae Sot", "Somchai"),
		d("m3", "B", KindEvidence, "email", "2024-05-20", "en", "Invoice for transport of workers from Myawaddy", "Lin Htet"),
		d("m4", "B", KindNote, "", "2024-07-01", "en", "Interview with Nguyễn Văn Minh about the broker network", ""),
		d("m5", "C", KindEvidence, "chat", "2024-08-15", "th", "เรือออกจากสงขลาคืนนี้ เอาพาสปอร์ตมาด้วย", "Somchai"),
		d("m6", "C", KindPerson, "", "2025-01-03", "vi", "Nguyen Van Minh, alias Minh Beo", ""),
	}
}

func TestQueryLanguage(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	mustPut(t, ix, queryDocs()...)
	for q, want := range map[string][]string{
		"broker":                         {"m2", "m4"},
		"broker -interview":              {"m2"},
		`"mae sot"`:                      {"m2"},
		`"sot mae"`:                      nil,
		`"the broker"`:                   {"m2", "m4"},
		`"broker the"`:                   nil,
		`"the money broker"`:             nil,
		`"money to the broker"`:          {"m2"},
		`"money to broker"`:              nil,
		`"transport of workers"`:         {"m3"},
		`"transports of worker"`:         {"m3"}, // English stems
		`"tonight, bring"`:               {"m1"},
		`"minh beo"`:                     {"m6"},
		`"văn minh"`:                     {"m4", "m6"},
		"songkhla OR myawaddy":           {"m1", "m3"},
		"broker OR invoice -money":       {"m3", "m4"},
		"pass*":                          {"m1"},
		"Mnih~":                          {"m4", "m6"},
		"Nguyen~ minh":                   {"m4", "m6"},
		"case:A":                         {"m1", "m2"},
		"case:A broker":                  {"m2"},
		"type:chat":                      {"m1", "m2", "m5"},
		"type:chat -case:C":              {"m1", "m2"},
		"kind:note":                      {"m4"},
		"person:somchai":                 {"m1", "m2", "m5"},
		`person:"lin htet"`:              {"m3"},
		"from:2024 to:2024-06":           {"m2", "m3"},
		"from:2024-07-01":                {"m4", "m5", "m6"},
		"to:2023":                        {"m1"},
		"lang:th":                        {"m5"},
		"สงขลา":                          {"m5"},
		"case:B OR case:C kind:evidence": {"m3", "m5"},
	} {
		got := hitIDs(search(t, ix, q))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", q, got, want)
		}
	}
}

func TestQueryErrors(t *testing.T) {
	for q, want := range map[string]string{
		`"unclosed`:         "missing closing quote",
		"OR broker":         "OR needs",
		"broker OR":         "OR needs",
		"a OR OR b":         "OR needs",
		"p*":                "two letters",
		"name~5":            "~1 or ~2",
		"from:yesterday":    "not a date",
		"kind:vehicle":      "unknown kind",
		"case:":             "needs a value",
		"to:2020 from:2021": "before",
	} {
		_, err := ParseQuery(q)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error with %q", q, err, want)
		}
	}
	if _, err := ParseQuery("   "); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("blank query: %v", err)
	}
	// Not filters: unknown prefixes and times are words.
	for _, q := range []string{"http://x.org", "10:30", "note: call"} {
		if _, err := ParseQuery(q); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestSearchResults(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	mustPut(t, ix, queryDocs()...)
	ctx := context.Background()
	r, err := ix.Search(ctx, "minh OR broker", SearchOptions{Facets: true, SortByDate: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 3 || len(r.Hits) != 2 {
		t.Fatalf("total %d, page %d", r.Total, len(r.Hits))
	}
	if r.Hits[0].ID != "m6" || r.Hits[1].ID != "m4" {
		t.Errorf("date order: %v", hitIDs(r))
	}
	h := r.Hits[1]
	if h.CaseID != "B" || h.Kind != KindNote || h.ItemID != "m4" || h.Date.Format("2006-01-02") != "2024-07-01" {
		t.Errorf("hit fields: %+v", h)
	}
	if got := h.Snippet.Marked("[", "]"); got != "Interview with Nguyễn Văn [Minh] about the [broker] network" {
		t.Errorf("snippet: %s", got)
	}
	facet := map[string]map[string]int{}
	for _, f := range r.Facets {
		facet[f.Name] = map[string]int{}
		for _, v := range f.Values {
			facet[f.Name][v.Value] = v.Count
		}
	}
	if facet["case"]["A"] != 1 || facet["case"]["B"] != 1 || facet["case"]["C"] != 1 || facet["year"]["2024"] != 2 || facet["kind"]["person"] != 1 {
		t.Errorf("facets: %v", facet)
	}
	r2, _ := ix.Search(ctx, "minh OR broker", SearchOptions{SortByDate: true, Limit: 2, Offset: 2})
	if ids := hitIDs(r2); !slices.Equal(ids, []string{"m2"}) {
		t.Errorf("page 2: %v", ids)
	}
	r3, _ := ix.Search(ctx, "broker", SearchOptions{Cases: []string{"A"}})
	if ids := hitIDs(r3); !slices.Equal(ids, []string{"m2"}) {
		t.Errorf("case option: %v", ids)
	}
	// Long text: the snippet is cut around the match.
	long := strings.Repeat("nothing to see here. ", 50) + "the ledger names Kanya as cashier. " + strings.Repeat("more filler text. ", 50)
	mustPut(t, ix, Document{ID: "long", CaseID: "D", Kind: KindEvidence, ItemID: "l", Text: long})
	r4, _ := ix.Search(ctx, "kanya", SearchOptions{})
	if s := r4.Hits[0].Snippet; len(s.Text) > snippetBytes+10 || !strings.Contains(s.Marked("[", "]"), "[Kanya]") {
		t.Errorf("long snippet: %q", s.Marked("[", "]"))
	}
}

func TestDeleteCaseAndItem(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	mustPut(t, ix, queryDocs()...)
	ctx := context.Background()
	if err := ix.DeleteCase(ctx, "A"); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(search(t, ix, "broker")); !slices.Equal(got, []string{"m4"}) {
		t.Errorf("after DeleteCase: %v", got)
	}
	if err := ix.DeleteItem(ctx, "B", KindNote, "m4"); err != nil {
		t.Fatal(err)
	}
	if got := search(t, ix, "broker"); got.Total != 0 {
		t.Errorf("after DeleteItem: %v", hitIDs(got))
	}
	if err := ix.Delete("m6"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.DocCount(); n != 2 {
		t.Errorf("%d documents left, want 2", n)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"broker -money", `"mae sot" OR x`, "case:A from:2024 to:2024-06", "pass* nguyen~2",
		"+66 81 234 5678", "person:\"a b\"", "-", "OR", "\"", "from:", "~", "*", "a:b:c", "เรือประมง -ค่าจ้าง"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) && !errors.Is(err, ErrEmptyQuery) {
				t.Fatalf("%q: error of type %T: %v", s, err, err)
			}
			return
		}
		if q.q == nil {
			t.Fatalf("%q: nil query", s)
		}
		_ = makeSnippet(s, q.marks, true)
	})
}
