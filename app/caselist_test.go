package app

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

var listFixture = []casefile.CaseSummary{
	{ID: "1", Ref: "TIP-003", Title: "Harbour Light", Status: casefile.StatusTrial, LeadProsecutor: "S. Chan",
		Tags: []string{"fishing"}, Updated: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)},
	{ID: "2", Ref: "TIP-001", Title: "ปฏิบัติการแสงจันทร์", Status: casefile.StatusIntake, FastTrack: true,
		LeadProsecutor: "N. Somchai", Tags: []string{"online", "Bangkok"}, Updated: time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC)},
	{ID: "3", Ref: "TIP-002", Title: "Chiến dịch Mekong", Status: casefile.StatusInvestigation,
		LeadProsecutor: "T. Nguyen", Updated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
}

func refs(cs []casefile.CaseSummary) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Ref
	}
	return out
}

func TestFilterCases(t *testing.T) {
	for _, tc := range []struct {
		query    string
		status   casefile.Status
		fastOnly bool
		want     []string
	}{
		{"", "", false, []string{"TIP-003", "TIP-001", "TIP-002"}},
		{"harbour", "", false, []string{"TIP-003"}},
		{"HARBOUR light", "", false, []string{"TIP-003"}},
		{"harbour moon", "", false, []string{}},
		{"tip-00", casefile.StatusIntake, false, []string{"TIP-001"}},
		{"bangkok", "", false, []string{"TIP-001"}},    // tag
		{"nguyen", "", false, []string{"TIP-002"}},     // prosecutor
		{"แสงจันทร์", "", false, []string{"TIP-001"}},  // Thai title
		{"mekong", "", false, []string{"TIP-002"}},     // Vietnamese title
		{"", "", true, []string{"TIP-001"}},            // fast-track only
		{"", casefile.StatusClosed, false, []string{}}, // no closed case
	} {
		got := refs(filterCases(listFixture, tc.query, tc.status, tc.fastOnly))
		if !slices.Equal(got, tc.want) {
			t.Errorf("filter(%q, %q, %v) = %v, want %v", tc.query, tc.status, tc.fastOnly, got, tc.want)
		}
	}
}

func TestSortCases(t *testing.T) {
	for by, want := range map[string][]string{
		sortRef:     {"TIP-001", "TIP-002", "TIP-003"},
		sortTitle:   {"TIP-002", "TIP-003", "TIP-001"},
		sortStatus:  {"TIP-001", "TIP-002", "TIP-003"},
		sortChanged: {"TIP-001", "TIP-003", "TIP-002"},
	} {
		cs := slices.Clone(listFixture)
		sortCases(cs, by)
		if got := refs(cs); !slices.Equal(got, want) {
			t.Errorf("sort by %s = %v, want %v", by, got, want)
		}
	}
}

func TestCaseListFilterWidgets(t *testing.T) {
	tu, _ := unlocked(t,
		sampleCase("TIP-2026-001", "Harbour Light"),
		casefile.CaseInfo{Ref: "TIP-2026-002", Title: "Moonlight", Status: casefile.StatusTrial, FastTrack: true})
	l := tu.main.list
	if l.count.Text != "2 of 2" {
		t.Fatalf("count = %q", l.count.Text)
	}
	test.Type(l.query, "moon")
	if len(l.shown) != 1 || l.shown[0].Ref != "TIP-2026-002" || l.count.Text != "1 of 2" {
		t.Fatalf("after filter: %v %q", refs(l.shown), l.count.Text)
	}
	l.status.SetSelected("Intake")
	if len(l.shown) != 0 || !l.empty.Visible() || !tu.screenHas("No case matches the filter") {
		t.Fatalf("no empty state for a filter matching nothing: %v", refs(l.shown))
	}
	test.Tap(tu.button("Clear the filter"))
	if len(l.shown) != 2 || l.empty.Visible() {
		t.Fatalf("clear filter: %v", refs(l.shown))
	}
	l.fastOnly.SetChecked(true)
	if len(l.shown) != 1 || l.shown[0].Ref != "TIP-2026-002" {
		t.Fatalf("fast-track only: %v", refs(l.shown))
	}
	// The fast-track marker shows in the row of a fast-tracked case.
	if !tu.screenHas("Fast-track") {
		t.Error("no fast-track marker")
	}
}

func TestPassphraseFormGate(t *testing.T) {
	test.NewTempApp(t)
	valid := false
	f := newNewPassphraseForm(func(v bool) { valid = v })
	for _, tc := range []struct {
		pass, repeat string
		want         bool
		hint         string
	}{
		{"short", "short", false, "at least 12"},
		{"aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", false, "Too easy"},
		{"abcdefghijklmnop", "abcdefghijklmnop", true, "Weak"}, // the core accepts it, with a warning
		{testPass, testPass + "x", false, ""},
		{testPass, testPass, true, ""},
		{"ฉันชอบกินข้าวเหนียวมะม่วง 42", "ฉันชอบกินข้าวเหนียวมะม่วง 42", true, ""},
	} {
		f.pass.SetText(tc.pass)
		f.repeat.SetText(tc.repeat)
		if valid != tc.want {
			t.Errorf("%q/%q: valid = %v, want %v (hint %q)", tc.pass, tc.repeat, valid, tc.want, f.hint.Text)
		}
		if tc.hint != "" && !strings.Contains(f.hint.Text, tc.hint) {
			t.Errorf("%q: hint %q, want it to mention %q", tc.pass, f.hint.Text, tc.hint)
		}
	}
	p := f.take()
	if string(p) != "ฉันชอบกินข้าวเหนียวมะม่วง 42" || f.pass.Text != "" || f.repeat.Text != "" {
		t.Fatal("take must return the passphrase and empty both fields")
	}
}

func TestFyneAppTOMLMatchesID(t *testing.T) {
	data, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `ID = "`+ID+`"`) {
		t.Fatalf("FyneApp.toml does not declare ID %q", ID)
	}
}
