package app

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

const testWorkFactor = 10

var testPass = "correct horse battery staple"

// testUI is a UI whose fyne.Do calls queue up for the test goroutine (the
// test's "UI goroutine") and whose clock the test moves.
type testUI struct {
	*UI
	t     *testing.T
	queue chan func()
	clock *fakeClock
}

func newTestUI(t *testing.T, dir string) *testUI {
	t.Helper()
	a := test.NewTempApp(t)
	u := New(a, Options{WorkspaceDir: dir, WorkFactor: testWorkFactor})
	tu := &testUI{UI: u, t: t, queue: make(chan func(), 10000), clock: newFakeClock()}
	u.do = func(f func()) { tu.queue <- f }
	u.clock = tu.clock
	u.autosaveDelay = 10 * time.Millisecond
	t.Cleanup(func() {
		u.Close()
		tu.drain()
	})
	u.ShowMainWindow()
	return tu
}

// drain runs what is queued for the UI goroutine, without waiting.
func (tu *testUI) drain() {
	for {
		select {
		case f := <-tu.queue:
			f()
		default:
			return
		}
	}
}

// settle runs the UI side until the background worker is idle and nothing
// is queued.
func (tu *testUI) settle() {
	tu.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		tu.jobs.mu.Lock()
		busy := tu.jobs.running
		tu.jobs.mu.Unlock()
		select {
		case f := <-tu.queue:
			f()
			continue
		default:
		}
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
	tu.t.Fatal("background work did not finish")
}

// waitFor runs the UI side until cond holds.
func (tu *testUI) waitFor(what string, cond func() bool) {
	tu.t.Helper()
	deadline := time.After(20 * time.Second)
	for !cond() {
		select {
		case f := <-tu.queue:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			tu.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// advance moves the clock and runs what it set off.
func (tu *testUI) advance(d time.Duration) {
	tu.clock.Advance(d)
	tu.settle()
}

// shortcut types a keyboard shortcut on the window, as the driver does
// when no focused widget takes it. (The test canvas wraps the canvas that
// holds the shortcuts without passing TypedShortcut on.)
func (tu *testUI) shortcut(sc fyne.Shortcut) {
	tu.t.Helper()
	var c any = tu.win.Canvas()
	if _, ok := c.(fyne.Shortcutable); !ok {
		if f := reflect.ValueOf(c).Elem().FieldByName("WindowlessCanvas"); f.IsValid() {
			c = f.Interface()
		}
	}
	s, ok := c.(fyne.Shortcutable)
	if !ok {
		tu.t.Fatalf("%T takes no shortcuts", c)
	}
	s.TypedShortcut(sc)
}

// button finds a visible button by its label, in the window or its top
// dialog.
func (tu *testUI) button(label string) *widget.Button {
	tu.t.Helper()
	var found *widget.Button
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Text == label && b.Visible() {
				found = b
			}
		})
	}
	if found == nil {
		tu.t.Fatalf("no button %q on screen; texts: %q", label, tu.texts())
	}
	return found
}

func (tu *testUI) roots() []fyne.CanvasObject {
	c := tu.win.Canvas()
	return append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
}

// texts returns every text on screen: labels, entries, canvas texts.
func (tu *testUI) texts() []string {
	var out []string
	for _, root := range tu.roots() {
		walk(root, func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.Label:
				out = append(out, w.Text)
			case *widget.Entry:
				out = append(out, w.Text)
			case *canvas.Text:
				out = append(out, w.Text)
			}
		})
	}
	return out
}

// screenHas reports whether any text on screen contains s.
func (tu *testUI) screenHas(s string) bool {
	return slices.ContainsFunc(tu.texts(), func(t string) bool { return strings.Contains(t, s) })
}

// walk visits o and everything it shows.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, fn)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, fn)
		}
	}
}

// unlockWith types the passphrase and presses Enter.
func (tu *testUI) unlockWith(pass string) {
	tu.t.Helper()
	if tu.unlock == nil {
		tu.t.Fatal("the unlock screen is not showing")
	}
	test.Type(tu.unlock.pass, pass)
	tu.unlock.pass.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	tu.settle()
}

// newWorkspace creates a workspace with the given cases and closes it.
func newWorkspace(t *testing.T, cases ...casefile.CaseInfo) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	w, _, err := casefile.Create(dir, []byte(testPass), casefile.CreateOptions{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	for _, ci := range cases {
		if _, err := w.CreateCase(context.Background(), ci); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// reopen opens the workspace in dir with casefile, as another program would.
func reopen(t *testing.T, dir, pass string) *casefile.Workspace {
	t.Helper()
	w, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.Unlock([]byte(pass)); err != nil {
		t.Fatal(err)
	}
	return w
}

func sampleCase(ref, title string) casefile.CaseInfo {
	return casefile.CaseInfo{
		Ref: ref, Title: title, Status: casefile.StatusInvestigation,
		LeadProsecutor: "Prosecutor A. Example", Opened: casefile.MustDate("2026-01-15"),
		Tags: []string{"fishing"},
	}
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at   time.Time
	f    func()
	done bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		was := !t.done
		t.done = true
		return was
	}
}

// Advance moves the clock by d, firing the timers that come due in order.
func (c *fakeClock) Advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.done && !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		next.done = true
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.f()
	}
	c.now = end
}

// entriesIn returns the entries under o, in screen order.
func entriesIn(tu *testUI, o fyne.CanvasObject) []*widget.Entry {
	tu.t.Helper()
	var out []*widget.Entry
	walk(o, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			out = append(out, e)
		}
	})
	if len(out) == 0 {
		tu.t.Fatal("no entries")
	}
	return out
}

// typeAtEnd types s at the end of a one-line entry, as a user who clicked
// after its text would.
func typeAtEnd(e *widget.Entry, s string) {
	e.CursorColumn = len([]rune(e.Text))
	test.Type(e, s)
}
