package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
	"casevault/casefile/demo"
)

// firstRunView creates a workspace, or opens an existing one.
type firstRunView struct {
	u        *UI
	folder   *widget.Label
	np       *newPassphraseForm
	create   *widget.Button
	errLabel *widget.Label
	busy     *busyIndicator
}

// showFirstRun shows the welcome screen. dirErr, if not nil, says why there
// is no default folder: the user must choose one.
func (u *UI) showFirstRun(dirErr error) {
	u.unlock = nil
	v := &firstRunView{u: u, folder: widget.NewLabel(""), errLabel: errorLabel(), busy: newBusyIndicator()}
	v.folder.Wrapping = fyne.TextWrapBreak
	v.np = newNewPassphraseForm(func(bool) { v.updateCreate() })
	v.create = widget.NewButtonWithIcon("Create the workspace", theme.ConfirmIcon(), v.submit)
	v.create.Importance = widget.HighImportance
	v.setFolder(u.dir)
	if dirErr != nil {
		setError(v.errLabel, dirErr)
	}
	change := widget.NewButtonWithIcon("Choose another folder…", theme.FolderIcon(), func() {
		showFolderDialog(u, func(dir string) {
			if casefile.Exists(dir) {
				u.openWorkspace(dir)
				return
			}
			v.setFolder(newWorkspaceFolder(dir))
		})
	})
	change.Importance = widget.LowImportance
	open := widget.NewButtonWithIcon("Open an existing workspace folder…", theme.FolderOpenIcon(), func() {
		u.chooseWorkspaceFolder(v.errLabel)
	})

	intro := widget.NewLabel("CaseVault keeps case files encrypted on this computer. " +
		"Start by creating a workspace: a folder that holds your cases, locked with a passphrase. " +
		"Without the passphrase nobody can read it, not even from a stolen disk.")
	intro.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		append([]fyne.CanvasObject{widget.NewLabel("Folder"), container.NewVBox(v.folder, container.NewHBox(change))},
			v.np.objects()...)...)
	demoBtn := widget.NewButtonWithIcon("Explore the demo workspace", theme.HelpIcon(), v.openDemo)
	demoNote := widget.NewLabel("Five fictional cases to try CaseVault with, kept apart from your own workspace.")
	demoNote.Wrapping = fyne.TextWrapWord
	demoNote.Importance = widget.LowImportance
	body := container.NewVBox(
		heading("Welcome to CaseVault"), intro,
		form, v.errLabel, v.create, v.busy,
		widget.NewSeparator(),
		widget.NewLabel("Already have a workspace (from a backup, or on a USB drive)?"),
		container.NewHBox(open),
		widget.NewSeparator(),
		container.NewHBox(demoBtn), demoNote,
	)
	u.setContent(centered(600, appLogo(), body))
	u.win.Canvas().Focus(v.np.pass)
}

func (v *firstRunView) setFolder(dir string) {
	v.u.dir = dir
	v.folder.SetText(dir)
	v.updateCreate()
}

func (v *firstRunView) updateCreate() {
	if v.create == nil {
		return
	}
	if v.np.valid() && v.u.dir != "" && !v.busy.Visible() {
		v.create.Enable()
	} else {
		v.create.Disable()
	}
}

func (v *firstRunView) submit() {
	u := v.u
	if !v.np.valid() || u.dir == "" {
		return
	}
	dir := u.dir
	pass := v.np.take()
	setError(v.errLabel, nil)
	v.np.pass.Disable()
	v.np.repeat.Disable()
	v.busy.start("Creating the workspace… Making the passphrase slow to guess takes a few seconds.")
	v.updateCreate()
	opts := casefile.CreateOptions{WorkFactor: u.opts.WorkFactor}
	u.run(func() {
		ws, code, err := casefile.Create(dir, pass, opts)
		wipe(pass)
		u.do(func() {
			v.busy.stop()
			v.np.pass.Enable()
			v.np.repeat.Enable()
			v.updateCreate()
			if err != nil {
				setError(v.errLabel, err)
				return
			}
			u.ws = ws
			u.showRecoveryCode(code)
		})
	})
}

// demoDir is where the demo workspace lives: beside the workspace folder
// chosen at start, never in it.
func (u *UI) demoDir() string { return filepath.Join(filepath.Dir(u.home), "demo") }

// isDemo reports whether the open folder is the demo workspace.
func (u *UI) isDemo() bool { return u.home != "" && u.dir == u.demoDir() }

// openDemo creates the demo workspace (or opens the one made before) and
// shows it.
func (v *firstRunView) openDemo() {
	u := v.u
	dir := u.demoDir()
	setError(v.errLabel, nil)
	v.busy.start("Preparing the demo workspace…")
	opts := u.opts
	u.run(func() {
		var ws *casefile.Workspace
		var err error
		if casefile.Exists(dir) {
			if ws, err = casefile.Open(dir); err == nil {
				if err = ws.Unlock([]byte(demo.Passphrase)); err != nil {
					ws.Close()
				}
			}
		} else {
			ws, err = demo.Create(bg, dir, opts.WorkFactor)
		}
		u.do(func() {
			v.busy.stop()
			if err != nil {
				setError(v.errLabel, fmt.Errorf("cannot open the demo workspace: %w", err))
				return
			}
			u.dir, u.ws = dir, ws
			u.showMain()
		})
	})
}

// newWorkspaceFolder returns where to create a workspace in the chosen
// folder: the folder itself when it is empty, else a new folder inside it.
func newWorkspaceFolder(dir string) string {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return filepath.Join(dir, "CaseVault")
	}
	return dir
}

// showRecoveryCode shows the new workspace's recovery code once, and
// continues to the main window only when the user says it is kept safe.
func (u *UI) showRecoveryCode(code string) {
	groups := strings.Split(code, "-")
	shown := code
	if len(groups) == 8 {
		shown = strings.Join(groups[:4], "-") + "-\n" + strings.Join(groups[4:], "-")
	}
	codeLabel := widget.NewLabelWithStyle(shown, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	codeLabel.SizeName = theme.SizeNameHeadingText
	codeLabel.Selectable = true
	copied := widget.NewLabel("")
	clip := u.app.Clipboard()
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		clip.SetContent(code)
		copied.SetText("Copied. Paste it into your password safe now: the clipboard is cleared when you continue.")
		copied.Show()
	})
	copied.Wrapping = fyne.TextWrapWord
	copied.Hide()
	var cont *widget.Button
	check := widget.NewCheck("I have written down or stored the recovery code", func(on bool) {
		if on {
			cont.Enable()
		} else {
			cont.Disable()
		}
	})
	cont = widget.NewButtonWithIcon("Continue to CaseVault", theme.NavigateNextIcon(), func() {
		if !check.Checked {
			return
		}
		if clip.Content() == code {
			clip.SetContent("")
		}
		codeLabel.SetText("")
		u.showMain()
	})
	cont.Importance = widget.HighImportance
	cont.Disable()

	explain := widget.NewLabel("If the passphrase is ever forgotten, this recovery code is the only way back into the workspace: " +
		"nobody else can reset it. Write it on paper and keep it locked away, or store it in your unit's password safe. " +
		"It is shown only this once.")
	explain.Wrapping = fyne.TextWrapWord
	card := widget.NewCard("", "", container.NewVBox(codeLabel, container.NewCenter(copyBtn)))
	u.setContent(centered(640, appLogo(), container.NewVBox(
		heading("Keep the recovery code safe"), explain, card, copied, check, cont)))
}

// showFolderDialog asks for a folder and calls chosen with its path.
func showFolderDialog(u *UI, chosen func(dir string)) {
	d := dialog.NewFolderOpen(func(uri fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, u.win)
			return
		}
		if uri == nil {
			return
		}
		if uri.Scheme() != "file" {
			dialog.ShowError(fmt.Errorf("%s is not a local folder", uri), u.win)
			return
		}
		chosen(uri.Path())
	}, u.win)
	showFileDialog(d)
}
