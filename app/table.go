package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column is one column of a sortTable; width 0 takes the rest of the row.
type column struct {
	title string
	width float32
}

// sortTable is a list of rows under a header whose titles sort the rows
// when tapped (again: the other way). Whole rows are selected, unlike
// widget.Table's single cells. The caller keeps the data and says how
// many rows there are; cell, key, icon and danger read it by data row.
type sortTable struct {
	cols   []column
	n      int
	cell   func(row, col int) string
	key    func(row, col int) string        // sort key; nil sorts by cell text
	icon   func(row, col int) fyne.Resource // an icon before the text, or nil
	danger func(row, col int) bool          // text in the error colour
	id     func(row int) string             // keeps the selection across reloads

	order    []int // display position → data row
	sortCol  int
	desc     bool
	selected string // id of the selected row, "" for none
	loading  bool

	headers  []*widget.Button
	list     *widget.List
	empty    *widget.Label
	content  fyne.CanvasObject
	onSelect func(row int) // data row, or -1 when nothing is selected
}

func newSortTable(cols []column, cell func(row, col int) string, id func(row int) string) *sortTable {
	t := &sortTable{cols: cols, cell: cell, id: id, sortCol: 0}
	widths := make([]float32, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	head := container.New(columnsLayout(widths))
	for i, c := range cols {
		b := widget.NewButton(c.title, func() { t.sortBy(i) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		t.headers = append(t.headers, b)
		head.Add(b)
	}
	t.list = widget.NewList(
		func() int { return len(t.order) },
		func() fyne.CanvasObject {
			row := container.New(columnsLayout(widths))
			for range cols {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				ic := widget.NewIcon(nil)
				ic.Hide()
				row.Add(container.NewBorder(nil, nil, ic, nil, l))
			}
			return row
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(t.order) {
				return
			}
			r := t.order[i]
			for c, obj := range o.(*fyne.Container).Objects {
				box := obj.(*fyne.Container)
				l, ic := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Icon)
				l.Importance = widget.MediumImportance
				if t.danger != nil && t.danger(r, c) {
					l.Importance = widget.DangerImportance
				}
				l.SetText(t.cell(r, c))
				var res fyne.Resource
				if t.icon != nil {
					res = t.icon(r, c)
				}
				if res != nil {
					ic.SetResource(res)
					ic.Show()
				} else {
					ic.Hide()
				}
			}
		})
	t.list.OnSelected = func(i widget.ListItemID) {
		if t.loading || i >= len(t.order) {
			return
		}
		r := t.order[i]
		t.selected = t.id(r)
		if t.onSelect != nil {
			t.onSelect(r)
		}
	}
	t.empty = widget.NewLabel("")
	t.empty.Wrapping = fyne.TextWrapWord
	t.empty.Alignment = fyne.TextAlignCenter
	t.empty.Importance = widget.LowImportance
	t.content = container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(t.list, container.NewVBox(t.empty)))
	t.updateHeaders()
	return t
}

// setRows shows n rows (read again through cell), sorted as chosen, with
// the selected row still selected if it is still there.
func (t *sortTable) setRows(n int) {
	t.n = n
	t.sort()
	t.loading = true
	t.list.UnselectAll()
	pos := -1
	for i, r := range t.order {
		if t.selected != "" && t.id(r) == t.selected {
			pos = i
		}
	}
	if pos >= 0 {
		t.list.Select(pos)
	}
	t.loading = false
	if pos < 0 && t.selected != "" {
		t.selected = ""
		if t.onSelect != nil {
			t.onSelect(-1)
		}
	}
	t.empty.Hidden = n > 0 || t.empty.Text == ""
	t.empty.Refresh()
	t.list.Refresh()
}

// setEmpty sets what the table says when it has no rows.
func (t *sortTable) setEmpty(msg string) {
	t.empty.SetText(msg)
	t.empty.Hidden = t.n > 0 || msg == ""
}

// selectedRow returns the data row selected, or -1.
func (t *sortTable) selectedRow() int {
	if t.selected == "" {
		return -1
	}
	for _, r := range t.order {
		if t.id(r) == t.selected {
			return r
		}
	}
	return -1
}

// selectID selects the row with id, as if the user tapped it.
func (t *sortTable) selectID(id string) {
	for i, r := range t.order {
		if t.id(r) == id {
			t.list.Select(i)
			return
		}
	}
}

// unselect clears the selection.
func (t *sortTable) unselect() {
	t.list.UnselectAll()
	t.selected = ""
	if t.onSelect != nil {
		t.onSelect(-1)
	}
}

// shown returns the text of the cell at display position row, column col
// (tests read the table this way).
func (t *sortTable) shown(row, col int) string {
	if row >= len(t.order) {
		return ""
	}
	return t.cell(t.order[row], col)
}

func (t *sortTable) sortBy(col int) {
	if t.sortCol == col {
		t.desc = !t.desc
	} else {
		t.sortCol, t.desc = col, false
	}
	t.updateHeaders()
	t.setRows(t.n)
}

func (t *sortTable) updateHeaders() {
	for i, b := range t.headers {
		switch {
		case i != t.sortCol:
			b.SetIcon(nil)
		case t.desc:
			b.SetIcon(theme.MoveUpIcon())
		default:
			b.SetIcon(theme.MoveDownIcon())
		}
	}
}

func (t *sortTable) sort() {
	t.order = t.order[:0]
	for i := 0; i < t.n; i++ {
		t.order = append(t.order, i)
	}
	key := func(r int) string {
		if t.key != nil {
			return t.key(r, t.sortCol)
		}
		return strings.ToLower(t.cell(r, t.sortCol))
	}
	slices.SortStableFunc(t.order, func(a, b int) int {
		d := strings.Compare(key(a), key(b))
		if t.desc {
			d = -d
		}
		return d
	})
}

// columnsLayout lays objects out side by side at set widths; a width of 0
// takes what is left of the row.
type columnsLayout []float32

func (w columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	fixed := float32(0)
	for _, x := range w {
		fixed += x
	}
	x := float32(0)
	for i, o := range objs {
		cw := w[i]
		if cw == 0 {
			cw = max(size.Width-fixed-pad*float32(len(w)-1), 60)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(cw, size.Height))
		x += cw + pad
	}
}

func (w columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	width, h := float32(0), float32(0)
	for i, o := range objs {
		cw := w[i]
		if cw == 0 {
			cw = 60
		}
		width += cw
		if i > 0 {
			width += pad
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(width, h)
}

// registerButtons makes a register tab's "Add …" button (with the form
// for a new record) and its "Edit…" button (with the form for the
// selected row's record, a copy the form may change).
func registerButtons[T any](u *UI, t *sortTable, addLabel string, rows func() []T, form func(*T)) (add, edit *widget.Button) {
	add = widget.NewButtonWithIcon(addLabel, theme.ContentAddIcon(), u.act(func() { form(nil) }))
	add.Importance = widget.HighImportance
	edit = rowButton(u, t, "Edit…", theme.DocumentCreateIcon(), rows, func(r T) { form(&r) })
	return add, edit
}

// rowButton makes a button that acts on the selected row's record, and
// does nothing while no row is selected.
func rowButton[T any](u *UI, t *sortTable, label string, icon fyne.Resource, rows func() []T, action func(T)) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, u.act(func() {
		if r := t.selectedRow(); r >= 0 {
			action(rows()[r])
		}
	}))
}
