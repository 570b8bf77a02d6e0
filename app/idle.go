package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// clock is time as the idle lock and the debouncers see it; tests replace it.
// AfterFunc's f runs on another goroutine (as with time.AfterFunc), so it
// must hand UI work to u.do.
type clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// Idle lock settings, in minutes.
const (
	prefIdleMinutes    = "idle_lock_minutes"
	defaultIdleMinutes = 5
)

// idleMinutesChoices are the idle times offered in Settings. There is no
// "never": an unattended, unlocked workstation is what the lock is for.
var idleMinutesChoices = []int{1, 2, 5, 10, 15, 30, 60}

// idleWatcher locks the workspace after a stretch of time with no keyboard
// or mouse input. Input calls poke, which only records the time; a single
// timer checks the record when the timeout could have run out.
type idleWatcher struct {
	u       *UI
	last    time.Time
	running bool
	gen     int // invalidates timers from an earlier start
	cancel  func() bool
	layer   *activityLayer
}

func newIdleWatcher(u *UI) *idleWatcher {
	iw := &idleWatcher{u: u}
	iw.layer = newActivityLayer(iw)
	return iw
}

// timeout returns the idle time set in Settings.
func (iw *idleWatcher) timeout() time.Duration {
	m := iw.u.app.Preferences().IntWithFallback(prefIdleMinutes, defaultIdleMinutes)
	if m < 1 {
		m = defaultIdleMinutes
	}
	return time.Duration(m) * time.Minute
}

// start begins watching; onIdle runs on the UI goroutine when the timeout
// passes without input.
func (iw *idleWatcher) start() {
	iw.stop()
	iw.running = true
	iw.last = iw.u.clock.Now()
	iw.arm(iw.timeout())
}

func (iw *idleWatcher) stop() {
	iw.running = false
	iw.gen++
	if iw.cancel != nil {
		iw.cancel()
		iw.cancel = nil
	}
}

// restart re-arms the timer after the timeout changed.
func (iw *idleWatcher) restart() {
	if !iw.running {
		return
	}
	last := iw.last
	iw.start()
	iw.last = last
}

func (iw *idleWatcher) arm(d time.Duration) {
	gen := iw.gen
	iw.cancel = iw.u.clock.AfterFunc(d, func() {
		iw.u.do(func() {
			if gen == iw.gen {
				iw.check()
			}
		})
	})
}

func (iw *idleWatcher) check() {
	if !iw.running {
		return
	}
	idle := iw.u.clock.Now().Sub(iw.last)
	if t := iw.timeout(); idle < t {
		iw.arm(t - idle)
		return
	}
	iw.stop()
	iw.u.lock()
}

// poke records input.
func (iw *idleWatcher) poke() {
	iw.last = iw.u.clock.Now()
}

// installCanvasHooks counts key presses that reach the canvas (no widget
// focused) as activity. Keys typed into a focused entry are counted by the
// entry's own change handler (see watchEntry); mouse movement by the
// activity layer.
func (u *UI) installCanvasHooks() {
	c := u.win.Canvas()
	c.SetOnTypedKey(func(*fyne.KeyEvent) { u.idle.poke() })
	c.SetOnTypedRune(func(rune) { u.idle.poke() })
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { u.idle.poke() })
	}
}

// watchEntry makes typing into e count as activity, keeping e's own change
// handler.
func (u *UI) watchEntry(e *widget.Entry) {
	prev := e.OnChanged
	e.OnChanged = func(s string) {
		u.idle.poke()
		if prev != nil {
			prev(s)
		}
	}
}

// activityLayer is a transparent layer over the main view that notices the
// mouse moving. Fyne gives hover events to the topmost hoverable object
// only, so the layer would steal them from buttons beneath it: it notes the
// movement, then hides itself (letting events through) and comes back a
// while later to notice the next movement. Taps, drags and scrolling never
// stop at it: it is none of those kinds.
type activityLayer struct {
	widget.BaseWidget
	iw *idleWatcher
}

// reshowAfter is how long the layer stays out of the way after it noticed
// the mouse; the idle clock's resolution for mouse-only activity.
const reshowAfter = 20 * time.Second

var _ desktop.Hoverable = (*activityLayer)(nil)

func newActivityLayer(iw *idleWatcher) *activityLayer {
	l := &activityLayer{iw: iw}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// MouseIn notes activity.
func (l *activityLayer) MouseIn(*desktop.MouseEvent) { l.noticed() }

// MouseMoved notes activity.
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.noticed() }

// MouseOut does nothing.
func (l *activityLayer) MouseOut() {}

func (l *activityLayer) noticed() {
	l.iw.poke()
	if !l.Visible() {
		return
	}
	l.Hide()
	u := l.iw.u
	u.clock.AfterFunc(reshowAfter, func() { u.do(l.Show) })
}
