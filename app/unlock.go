package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/assets"
	"casevault/casefile"
	"casevault/casefile/demo"
)

// unlockView is the screen shown at start and after locking: the passphrase,
// or the recovery code for a forgotten one.
type unlockView struct {
	u        *UI
	pass     *widget.Entry
	unlock   *widget.Button
	forgot   *widget.Button
	errLabel *widget.Label
	busy     *busyIndicator
}

// showUnlock shows the unlock screen for u.ws. openErr, if not nil, is why
// the workspace could not be opened (in use, damaged): the screen then
// offers to try again.
func (u *UI) showUnlock(openErr error) {
	v := &unlockView{
		u:        u,
		pass:     widget.NewPasswordEntry(),
		errLabel: errorLabel(),
		busy:     newBusyIndicator(),
	}
	u.unlock = v
	v.pass.SetPlaceHolder("Passphrase")
	v.pass.OnSubmitted = func(string) { v.submit() }
	v.unlock = widget.NewButtonWithIcon("Unlock", theme.LoginIcon(), v.submit)
	v.unlock.Importance = widget.HighImportance
	v.forgot = widget.NewButton("Forgot the passphrase? Use the recovery code", v.showRecovery)
	v.forgot.Importance = widget.LowImportance
	other := widget.NewButtonWithIcon("Open another workspace folder…", theme.FolderOpenIcon(), func() {
		u.chooseWorkspaceFolder(v.errLabel)
	})
	other.Importance = widget.LowImportance

	title := heading("Unlock the workspace")
	folder := widget.NewLabel("Workspace: " + u.dir)
	folder.Truncation = fyne.TextTruncateEllipsis
	var body fyne.CanvasObject
	if openErr != nil {
		retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), func() { u.openWorkspace(u.dir) })
		retry.Importance = widget.HighImportance
		setError(v.errLabel, openErr)
		title = heading("The workspace cannot be opened")
		body = container.NewVBox(title, folder, v.errLabel, retry, widget.NewSeparator(), other)
	} else {
		prompt := widget.NewLabel("Type the passphrase of this workspace.")
		if u.isDemo() {
			prompt.SetText("This is the demo workspace. Its passphrase is public: " + demo.Passphrase)
			prompt.Wrapping = fyne.TextWrapWord
		}
		body = container.NewVBox(title, folder, prompt,
			v.pass, v.errLabel, v.unlock, v.busy, widget.NewSeparator(), v.forgot, other)
	}
	u.setContent(centered(460, appLogo(), body))
	if openErr == nil {
		u.win.Canvas().Focus(v.pass)
	}
}

// setBusy disables the screen and shows a progress indicator with msg.
func (v *unlockView) setBusy(msg string) {
	v.pass.Disable()
	v.unlock.Disable()
	v.forgot.Disable()
	v.busy.start(msg)
}

func (v *unlockView) setIdle() {
	v.pass.Enable()
	v.unlock.Enable()
	v.forgot.Enable()
	v.busy.stop()
	v.u.win.Canvas().Focus(v.pass)
}

// lockDone is called when locking finished. flushErr says why the last
// edits could not be applied; lockErr why the workspace could not lock.
func (v *unlockView) lockDone(flushErr, lockErr error) {
	v.setIdle()
	if lockErr != nil {
		lockErr = fmt.Errorf("could not save before locking: %w; "+
			"the window is cleared, but the workspace keys stay in memory until the cases are saved: unlock to try again", lockErr)
	}
	if err := errors.Join(flushErr, lockErr); err != nil {
		setError(v.errLabel, err)
	}
}

func (v *unlockView) submit() {
	u := v.u
	if u.ws == nil || v.pass.Disabled() {
		return
	}
	if v.pass.Text == "" {
		setError(v.errLabel, errors.New("type the passphrase first"))
		return
	}
	pass := takeSecret(v.pass)
	setError(v.errLabel, nil)
	v.setBusy("Unlocking…")
	ws := u.ws
	u.run(func() {
		err := unlockWorkspace(ws, pass)
		wipe(pass)
		u.do(func() {
			if u.unlock != v {
				return
			}
			v.setIdle()
			if err == nil {
				u.showMain()
				return
			}
			if errors.Is(err, casefile.ErrWrongPassphrase) {
				err = errors.New("wrong passphrase: check Caps Lock and the keyboard layout, then try again")
			}
			setError(v.errLabel, err)
		})
	})
}

// unlockWorkspace unlocks ws with pass. Workspace.Unlock returns nil without
// looking at the passphrase when the keys are still loaded, which happens
// when a lock could not save; the passphrase is then checked instead, so
// that the unlock screen never opens for a wrong one.
func unlockWorkspace(ws *casefile.Workspace, pass []byte) error {
	if ws.Locked() {
		return ws.Unlock(pass)
	}
	return ws.CheckPassphrase(pass)
}

// showRecovery replaces the screen with the passphrase reset: the recovery
// code and a new passphrase.
func (v *unlockView) showRecovery() {
	u := v.u
	code := widget.NewEntry()
	code.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
	code.TextStyle = fyne.TextStyle{Monospace: true}
	errLabel := errorLabel()
	busy := newBusyIndicator()
	var reset *widget.Button
	np := newNewPassphraseForm(func(valid bool) {
		if reset != nil {
			if valid {
				reset.Enable()
			} else {
				reset.Disable()
			}
		}
	})
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { u.showUnlock(nil) })
	reset = widget.NewButtonWithIcon("Set the new passphrase and unlock", theme.ConfirmIcon(), func() {
		if code.Text == "" {
			setError(errLabel, errors.New("type the recovery code first"))
			return
		}
		c := takeSecret(code)
		p := np.take()
		setError(errLabel, nil)
		code.Disable()
		reset.Disable()
		back.Disable()
		busy.start("Checking the recovery code and setting the new passphrase…")
		ws := u.ws
		u.run(func() {
			err := ws.ResetPassphrase(c, p)
			wipe(c)
			wipe(p)
			u.do(func() {
				if u.unlock != v {
					return
				}
				busy.stop()
				code.Enable()
				back.Enable()
				if err == nil {
					u.showMain()
					return
				}
				setError(errLabel, err)
			})
		})
	})
	reset.Importance = widget.HighImportance
	reset.Disable()

	form := container.New(layout.NewFormLayout(),
		append([]fyne.CanvasObject{widget.NewLabel("Recovery code"), code}, np.objects()...)...)
	explain := widget.NewLabel("Type the recovery code you were shown when this workspace was created " +
		"(spaces, hyphens and lower case are fine), then choose a new passphrase. " +
		"The cases stay as they are; the old passphrase stops working.")
	explain.Wrapping = fyne.TextWrapWord
	u.setContent(centered(560, appLogo(),
		container.NewVBox(heading("Reset the passphrase"), explain, form, errLabel,
			container.NewHBox(back, layout.NewSpacer(), reset), busy)))
	u.win.Canvas().Focus(code)
}

// chooseWorkspaceFolder lets the user pick a folder that holds a workspace
// and shows its unlock screen; errors go to errLabel.
func (u *UI) chooseWorkspaceFolder(errLabel *widget.Label) {
	showFolderDialog(u, func(dir string) {
		if !casefile.Exists(dir) {
			setError(errLabel, fmt.Errorf("%s holds no CaseVault workspace: choose the folder that contains workspace.json, keys and cases", dir))
			return
		}
		if u.ws != nil && u.ws.Dir() != dir {
			ws := u.ws
			u.ws = nil
			u.run(func() { ws.Close() })
		}
		u.openWorkspace(dir)
	})
}

// busyIndicator is an infinite progress bar with a message, hidden when idle.
type busyIndicator struct {
	widget.BaseWidget
	bar *widget.ProgressBarInfinite
	msg *widget.Label
	box *fyne.Container
}

func newBusyIndicator() *busyIndicator {
	b := &busyIndicator{bar: widget.NewProgressBarInfinite(), msg: widget.NewLabel("")}
	b.msg.Wrapping = fyne.TextWrapWord
	b.bar.Stop()
	b.box = container.NewVBox(b.bar, b.msg)
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

func (b *busyIndicator) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(b.box)
}

func (b *busyIndicator) start(msg string) {
	b.msg.SetText(msg)
	b.bar.Start()
	b.Show()
}

func (b *busyIndicator) stop() {
	b.bar.Stop()
	b.Hide()
}

// Message returns the text shown while busy.
func (b *busyIndicator) Message() string { return b.msg.Text }

// heading returns a large bold label.
func heading(s string) *widget.Label {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// appLogo returns the application icon at a modest size.
func appLogo() fyne.CanvasObject {
	img := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(88, 88))
	return container.NewCenter(img)
}

// centered shows objects in a column of the given width in the middle of the
// window, scrolling when the window is too small.
func centered(width float32, objs ...fyne.CanvasObject) fyne.CanvasObject {
	col := container.New(fixedWidth(width), container.NewVBox(objs...))
	return container.NewVScroll(container.NewCenter(container.NewPadded(col)))
}

// fixedWidth lays its objects out one above the other at a set width.
type fixedWidth float32

func (w fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(float32(w), size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (w fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

// busyScreen is a whole-window progress message.
func busyScreen(msg string) fyne.CanvasObject {
	b := newBusyIndicator()
	b.start(msg)
	return centered(420, appLogo(), b)
}
