package app

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// verifyAll re-reads every original of the case and shows the report.
func (t *evidenceTab) verifyAll() {
	if t.stopJob != nil {
		return
	}
	var total int64
	for i := range t.items {
		total += itemSize(&t.items[i])
	}
	t.runVerify("", "every original of this case", total)
}

// runVerify verifies the item with id ("" for the whole case) with a
// progress dialog, and shows the report.
func (t *evidenceTab) runVerify(id, what string, total int64) {
	u, c := t.cv.mv.u, t.cv.c
	bar := widget.NewProgressBar()
	bar.TextFormatter = func() string {
		return sizeText(int64(bar.Value)) + " of " + sizeText(total)
	}
	bar.Max = float64(max(total, 1))
	var done atomic.Int64
	pump := newPump(u, func() {
		bar.SetValue(float64(done.Load()))
	})
	var rep *casefile.EvidenceReport
	var err error
	t.runJob("Verifying originals", "Reading and hashing "+what+"…", bar, func(ctx context.Context) {
		rep, err = c.VerifyEvidence(ctx, id, func(n int64) {
			done.Add(n)
			pump.kick()
		})
	}, func(cancelled bool) {
		switch {
		case err != nil && cancelled:
			dialog.ShowInformation("Verification cancelled", "The verification was cancelled; nothing was changed.", u.win)
		case err != nil:
			dialog.ShowError(fmt.Errorf("the originals could not be verified: %w", err), u.win)
		default:
			showVerifyReport(u, rep)
			if t.item != nil {
				t.item.load()
			}
		}
	})
}

// runJob runs job, one at a time on the evidence tab, under a dialog that
// shows msg and progress and can cancel it. Then finish runs on the UI
// goroutine (unless the tab closed meanwhile), told whether the job was
// cancelled: an error of a job that was not is a real failure.
func (t *evidenceTab) runJob(title, msg string, progress fyne.CanvasObject, job func(ctx context.Context), finish func(cancelled bool)) {
	u := t.cv.mv.u
	ctx, cancel := context.WithCancel(bg)
	t.stopJob = cancel
	label := widget.NewLabel(msg)
	label.Wrapping = fyne.TextWrapWord
	stop := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { cancel() })
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(label, progress), u.win)
	d.SetButtons([]fyne.CanvasObject{stop})
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
	u.run(func() {
		job(ctx)
		u.do(func() {
			cancelled := ctx.Err() != nil
			t.stopJob = nil
			cancel()
			if anim, ok := progress.(interface{ Stop() }); ok {
				anim.Stop() // an infinite progress bar's animation
			}
			d.Hide()
			if !t.closed {
				finish(cancelled)
			}
		})
	})
}

// showVerifyReport shows the result of a verification: all good, or each
// problem.
func showVerifyReport(u *UI, rep *casefile.EvidenceReport) {
	box := container.NewVBox()
	summary := fmt.Sprintf("%s (%s) re-read, decrypted and hashed.", plural(rep.Files, "file", "files"), sizeText(rep.Bytes))
	if rep.OK {
		l := widget.NewLabel("Every original matches the SHA-256 recorded in the register. " + summary)
		l.Importance = widget.SuccessImportance
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
	} else {
		l := widget.NewLabel(fmt.Sprintf("%s found. %s", plural(len(rep.Problems), "problem", "problems"), summary) +
			" An exhibit whose original is missing or altered can no longer be shown to be what was seized: " +
			"restore the case folder from a backup, and record what happened in its chain of custody.")
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		box.Add(l)
		for _, p := range rep.Problems {
			line := widget.NewLabel(fmt.Sprintf("Exhibit %s, %s: %s — %s", p.Exhibit, p.File, problemName(p.Problem), p.Detail))
			line.Wrapping = fyne.TextWrapWord
			box.Add(line)
		}
	}
	title := "Originals verified"
	if !rep.OK {
		title = "Originals: problems found"
	}
	d := dialog.NewCustom(title, "Close", container.NewVScroll(box), u.win)
	if rep.OK {
		d.Resize(fyne.NewSize(560, 200))
	} else {
		d.Resize(fyne.NewSize(720, 460))
	}
	d.Show()
}

func problemName(p string) string {
	switch p {
	case "missing":
		return "MISSING (the encrypted file is gone)"
	case "altered":
		return "ALTERED (the SHA-256 differs)"
	case "truncated":
		return "TRUNCATED (the size differs)"
	}
	return strings.ToUpper(p)
}

// pump delivers a UI update through u.do at most once at a time, however
// often kick is called from a busy goroutine (progress reports come for
// every buffer).
type pump struct {
	u       *UI
	update  func()
	pending atomic.Bool
}

func newPump(u *UI, update func()) *pump { return &pump{u: u, update: update} }

func (p *pump) kick() {
	if p.pending.Swap(true) {
		return
	}
	p.u.do(func() {
		p.pending.Store(false)
		p.update()
	})
}
