package app

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// auditTab lists the case's audit chain and says whether it verifies.
type auditTab struct {
	entries []casefile.AuditEntry
	table   *widget.Table
	verdict *widget.Label
	icon    *widget.Icon
	content fyne.CanvasObject
}

var auditColumns = []struct {
	title string
	width float32
}{
	{"#", 50}, {"Time", 170}, {"Actor", 120}, {"Action", 120}, {"Target", 190}, {"Details", 600},
}

func newAuditTab() *auditTab {
	a := &auditTab{verdict: widget.NewLabel("Loading the audit chain…"), icon: widget.NewIcon(theme.InfoIcon())}
	a.verdict.Wrapping = fyne.TextWrapWord
	a.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(a.entries), len(auditColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(a.cell(id.Row, id.Col))
		})
	a.table.ShowHeaderColumn = false
	a.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	a.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(auditColumns[id.Col].title)
		}
	}
	for i, c := range auditColumns {
		a.table.SetColumnWidth(i, c.width)
	}
	explain := widget.NewLabel("Every change to this case is recorded here, each entry sealed with the hash of the one before, " +
		"so that a removed or altered entry shows.")
	explain.Wrapping = fyne.TextWrapWord
	explain.Importance = widget.LowImportance
	top := container.NewVBox(container.NewBorder(nil, nil, a.icon, nil, a.verdict), explain)
	a.content = container.NewBorder(top, nil, nil, nil, a.table)
	return a
}

func (a *auditTab) cell(row, col int) string {
	if row >= len(a.entries) {
		return ""
	}
	e := a.entries[row]
	switch col {
	case 0:
		return strconv.FormatUint(e.Seq, 10)
	case 1:
		return e.Time.Local().Format("2006-01-02 15:04:05")
	case 2:
		return e.Actor
	case 3:
		return e.Action
	case 4:
		return e.Target
	default:
		return e.Details
	}
}

// show displays a chain and its verification, or the error reading it.
func (a *auditTab) show(entries []casefile.AuditEntry, rep casefile.ChainReport, err error) {
	switch {
	case err != nil:
		a.entries = nil
		a.icon.SetResource(theme.ErrorIcon())
		a.verdict.Importance = widget.DangerImportance
		a.verdict.SetText(userMessage(fmt.Errorf("cannot read the audit chain: %w", err)))
	case rep.OK:
		a.entries = entries
		a.icon.SetResource(theme.ConfirmIcon())
		a.verdict.Importance = widget.SuccessImportance
		a.verdict.SetText(fmt.Sprintf("The audit chain verifies: %d entries, none removed or altered (head hash %s).", rep.Entries, short(rep.Head)))
	default:
		a.entries = entries
		a.icon.SetResource(theme.ErrorIcon())
		a.verdict.Importance = widget.DangerImportance
		a.verdict.SetText(fmt.Sprintf("The audit chain does NOT verify: it breaks at entry %d (%s). The case file was altered outside CaseVault.", rep.BrokenAt, rep.Problem))
	}
	a.verdict.Refresh()
	a.table.Refresh()
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
