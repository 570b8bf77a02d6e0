package app

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// seededWorkspace makes a workspace with one case, fills it with seed
// (through casefile, as the command-line tool would) and closes it.
func seededWorkspace(t *testing.T, seed func(c *casefile.Case)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	w, _, err := casefile.Create(dir, []byte(testPass), casefile.CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.CreateCase(context.Background(), sampleCase("TIP-2026-001", "Harbour Light"))
	if err != nil {
		t.Fatal(err)
	}
	if seed != nil {
		seed(c)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openSeeded unlocks the workspace in dir and opens its first case.
func openSeeded(t *testing.T, dir string) (*testUI, *caseView) {
	t.Helper()
	tu := newTestUI(t, dir)
	tu.unlockWith(testPass)
	if tu.main == nil {
		t.Fatalf("not unlocked: %q", tu.texts())
	}
	cv := tu.openFirst()
	tu.settle()
	return tu, cv
}

// tab selects the case's tab with that title.
func (tu *testUI) tab(cv *caseView, title string) {
	tu.t.Helper()
	for _, it := range cv.tabs.Items {
		if it.Text == title {
			cv.tabs.Select(it)
			tu.settle()
			return
		}
	}
	tu.t.Fatalf("no tab %q", title)
}

// dialog returns the top overlay (the open dialog).
func (tu *testUI) dialog() fyne.CanvasObject {
	tu.t.Helper()
	o := tu.win.Canvas().Overlays().Top()
	if o == nil {
		tu.t.Fatalf("no dialog open; screen: %q", tu.texts())
	}
	return o
}

// entryWith finds the entry in the open dialog whose placeholder starts
// with ph (the n-th one, for repeated placeholders such as dates).
func (tu *testUI) entryWith(ph string, n int) *widget.Entry {
	tu.t.Helper()
	var found []*widget.Entry
	walk(tu.dialog(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && strings.HasPrefix(e.PlaceHolder, ph) {
			found = append(found, e)
		}
	})
	if n >= len(found) {
		tu.t.Fatalf("no entry %d with placeholder %q", n, ph)
	}
	return found[n]
}

// selectWith finds the select in the open dialog that offers option.
func (tu *testUI) selectWith(option string) *widget.Select {
	tu.t.Helper()
	var found *widget.Select
	walk(tu.dialog(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && found == nil && slices.Contains(s.Options, option) {
			found = s
		}
	})
	if found == nil {
		tu.t.Fatalf("no select offers %q", option)
	}
	return found
}

// checksWith finds the check group in the open dialog that offers option.
func (tu *testUI) checksWith(option string) interface{ SetSelected([]string) } {
	tu.t.Helper()
	var found interface{ SetSelected([]string) }
	walk(tu.dialog(), func(o fyne.CanvasObject) {
		switch s := o.(type) {
		case *widget.CheckGroup:
			if found == nil && slices.Contains(s.Options, option) {
				found = s
			}
		case *checkGrid:
			if found == nil && slices.Contains(s.Options, option) {
				found = s
			}
		}
	})
	if found == nil {
		tu.t.Fatalf("no check group offers %q", option)
	}
	return found
}

// tapSettle taps the visible button with label and waits for the work it
// started.
func (tu *testUI) tapSettle(label string) {
	tu.t.Helper()
	test.Tap(tu.button(label))
	tu.settle()
}

// noDialog fails unless every dialog closed.
func (tu *testUI) noDialog() {
	tu.t.Helper()
	if o := tu.win.Canvas().Overlays().Top(); o != nil {
		tu.t.Fatalf("a dialog stays open: %q", tu.texts())
	}
}

// rows returns a table's shown rows as text, columns joined by " | ".
func rows(t *sortTable) []string {
	var out []string
	for i := range t.order {
		var cells []string
		for c := range t.cols {
			cells = append(cells, t.shown(i, c))
		}
		out = append(out, strings.Join(cells, " | "))
	}
	return out
}

// errorBeside returns the text of the error line under the form row of
// field key, or fails.
func errorBeside(t *testing.T, f *fieldForm, key string) string {
	t.Helper()
	l, ok := f.errs[key]
	if !ok {
		t.Fatalf("the form has no row for %q", key)
	}
	if !l.Visible() {
		return ""
	}
	return l.Text
}

func TestMoneyAndValueNames(t *testing.T) {
	for in, want := range map[string]string{"1234567.50": "1,234,567.50", "100": "100", "12": "12", "1000": "1,000", "0.05": "0.05"} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%q) = %q, want %q", in, got, want)
		}
	}
	if got := valueName(casefile.RoleLegalPerson); got != "Legal person (company)" {
		t.Errorf("role name %q", got)
	}
	if got := valueName(casefile.AssetFrozen); got != "Frozen" {
		t.Errorf("status name %q", got)
	}
	if got := valueFromName(casefile.RequestKinds, valueName(casefile.RequestKind("mla-outgoing"))); got != "mla-outgoing" {
		t.Errorf("round trip %q", got)
	}
	for _, o := range currencyOptions() {
		if !casefile.ValidCurrency(currencyOf(o)) {
			t.Errorf("currency option %q is not ISO 4217", o)
		}
	}
}

type (
	fyneObject = fyne.CanvasObject
	fyneButton = *widget.Button
)
