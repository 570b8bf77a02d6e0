package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"casevault/assets"
	"casevault/casefile"
)

// ID is the application ID; FyneApp.toml says the same.
const ID = "org.casevault.app"

// Options configures the GUI.
type Options struct {
	// WorkspaceDir is the workspace folder; empty means casefile.DefaultDir.
	WorkspaceDir string
	// WorkFactor is the scrypt work factor of a new workspace; zero
	// calibrates it to about one second on this machine. Tests use 10.
	WorkFactor int
}

// UI is CaseVault's window and the state behind it. Every method runs on the
// Fyne UI goroutine; calls into casefile run one at a time on a background
// goroutine (see run) and report back through fyne.Do.
type UI struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	dir  string
	home string // the folder chosen at start, beside which the demo lives

	ws     *casefile.Workspace // nil before a workspace is opened or created
	main   *mainView           // nil unless the main view is showing
	unlock *unlockView         // non-nil while the unlock screen shows
	idle   *idleWatcher

	jobs serial

	// Hooks that tests replace: do delivers a function to the UI goroutine
	// (fyne.Do), clock drives idle locking and debouncing, and the delays
	// pace saving.
	do            func(func())
	clock         clock
	commitDelay   time.Duration // form edits are applied with Case.Update after this pause
	autosaveDelay time.Duration // then the case file is saved after this one
}

// New makes the CaseVault window in a. It does not show it: call
// ShowMainWindow.
func New(a fyne.App, opts Options) *UI {
	u := &UI{
		app:           a,
		opts:          opts,
		do:            fyne.Do,
		clock:         realClock{},
		commitDelay:   1500 * time.Millisecond,
		autosaveDelay: 2 * time.Second,
	}
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	u.win = a.NewWindow("CaseVault")
	u.win.Resize(fyne.NewSize(1280, 800))
	u.win.SetMaster()
	u.win.SetCloseIntercept(u.quit)
	u.idle = newIdleWatcher(u)
	u.installCanvasHooks()
	u.installShortcuts()
	return u
}

// Run makes the window, shows it and runs the app until it quits.
func Run(a fyne.App, opts Options) {
	New(a, opts).ShowMainWindow()
	a.Run()
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowMainWindow shows the first-run screen when the workspace folder holds
// no workspace, and the unlock screen when it does.
func (u *UI) ShowMainWindow() {
	dir := u.opts.WorkspaceDir
	var dirErr error
	if dir == "" {
		dir, dirErr = casefile.DefaultDir()
	}
	u.dir, u.home = dir, dir
	switch {
	case dirErr != nil:
		u.showFirstRun(dirErr)
	case casefile.Exists(dir):
		u.openWorkspace(dir)
	default:
		u.showFirstRun(nil)
	}
	u.win.Show()
}

// openWorkspace takes the lock of the workspace in dir and shows the unlock
// screen (with the error, if the workspace cannot be opened).
func (u *UI) openWorkspace(dir string) {
	u.dir = dir
	ws, err := casefile.Open(dir)
	if err == nil {
		u.ws = ws
	}
	u.showUnlock(err)
}

// setContent replaces the window's content; the menu bar shows only with the
// main view.
func (u *UI) setContent(o fyne.CanvasObject) {
	u.dismissOverlays()
	u.win.SetContent(o)
}

// dismissOverlays hides every dialog and pop-up, so that nothing of a case is
// left on screen behind the unlock screen.
func (u *UI) dismissOverlays() {
	for _, o := range u.win.Canvas().Overlays().List() {
		o.Hide()
		u.win.Canvas().Overlays().Remove(o)
	}
}

// run queues job on the background worker. Jobs run one at a time, in
// order, so that casefile calls never interleave (a lock waits for the save
// before it, a case opens after the previous one closed).
func (u *UI) run(job func()) { u.jobs.run(job) }

// lock saves, drops the keys and clears the window. Edits not yet applied
// are applied first; the unlock screen waits until the lock is done.
func (u *UI) lock() {
	if u.ws == nil || u.main == nil {
		return
	}
	flush := u.main.detach()
	u.main = nil
	u.idle.stop()
	u.win.SetMainMenu(nil)
	u.showUnlock(nil)
	u.unlock.setBusy("Saving and locking…")
	ws := u.ws
	u.run(func() {
		flushErr := flush()
		lockErr := ws.Lock()
		u.do(func() {
			if u.unlock != nil {
				u.unlock.lockDone(flushErr, lockErr)
			}
		})
	})
}

// quit closes the workspace (saving every open case) and quits. If saving
// fails, it asks before losing the changes.
func (u *UI) quit() {
	var flush func() error
	if u.main != nil {
		flush = u.main.detach()
		u.main = nil
	}
	u.idle.stop()
	ws := u.ws
	if ws == nil {
		u.app.Quit()
		return
	}
	u.win.SetMainMenu(nil)
	u.setContent(busyScreen("Saving and closing the workspace…"))
	u.run(func() {
		var err error
		if flush != nil {
			err = flush()
		}
		err = errors.Join(err, ws.Close())
		u.do(func() {
			if err == nil {
				u.ws = nil
				u.app.Quit()
				return
			}
			showQuitError(u, err)
		})
	})
}

// Close closes the workspace without quitting (tests reopen it with
// casefile afterwards). It blocks until pending work is done.
func (u *UI) Close() error {
	var flush func() error
	if u.main != nil {
		flush = u.main.detach()
		u.main = nil
	}
	u.idle.stop()
	done := make(chan error, 1)
	ws := u.ws
	u.ws = nil
	u.run(func() {
		var err error
		if flush != nil {
			err = flush()
		}
		if ws != nil {
			err = errors.Join(err, ws.Close())
		}
		done <- err
	})
	return <-done
}

// act wraps a user action so that it also counts as activity for the idle
// lock.
func (u *UI) act(f func()) func() {
	return func() {
		u.idle.poke()
		f()
	}
}

// serial runs jobs one at a time on a background goroutine.
type serial struct {
	mu      sync.Mutex
	queue   []func()
	running bool
}

func (s *serial) run(job func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, job)
	if !s.running {
		s.running = true
		go s.loop()
	}
}

func (s *serial) loop() {
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.running = false
			s.mu.Unlock()
			return
		}
		job := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		job()
	}
}

// bg is the context of background casefile calls.
var bg = context.Background()

// errorLabel returns a wrapping label in the theme's error colour, hidden
// until it has text.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setError shows err's text in l, or hides l when err is nil.
func setError(l *widget.Label, err error) {
	if err == nil {
		l.SetText("")
		l.Hide()
		return
	}
	l.SetText(userMessage(err))
	l.Show()
}

// userMessage turns an error into a sentence for the user. casefile's errors
// are already written for users; the first letter is capitalised.
func userMessage(err error) string {
	var ve *casefile.ValidationError
	if errors.As(err, &ve) {
		return capitalize(fieldLabel(ve.Field)) + ": " + ve.Msg + "."
	}
	return capitalize(err.Error()) + "."
}

func capitalize(s string) string {
	for i, r := range s {
		if r >= 'a' && r <= 'z' {
			return string(r-'a'+'A') + s[i+1:]
		}
		return s
	}
	return s
}
