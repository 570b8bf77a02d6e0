package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
)

// evidenceTab is the Evidence tab: the evidence register of the case as a
// sortable, filterable list, and in its place, once an item is opened, that
// item's view (details, files, chain of custody).
type evidenceTab struct {
	cv     *caseView
	items  []casefile.Evidence
	people []casefile.Person // as casefile returns them: protected people masked
	shown  []int             // indexes into items that pass the filters

	table    *sortTable
	typeF    *widget.Select
	personF  *widget.Select
	tagF     *widget.Select
	query    *widget.Entry
	count    *widget.Label
	verify   *widget.Button
	listView fyne.CanvasObject
	pane     *fyne.Container // the list, or an item's view
	content  fyne.CanvasObject

	item     *itemView     // the item shown, or nil
	lastText *textViewer   // the text viewer opened last (tests read it)
	imp      *importDialog // the import dialog while it shows, or nil
	stopJob  func()        // cancels the running verification, if any
	closed   bool

	// importHook, if set, is called on the importing goroutine with every
	// progress report (tests pause an import with it).
	importHook func(casefile.ImportProgress)
}

var evidenceColumns = []column{
	{"Exhibit", 90}, {"Title", 0}, {"Type", 150}, {"Size", 90}, {"Text", 120}, {"Obtained on", 115},
}

const (
	allTypes  = "All types"
	allPeople = "All people"
	allTags   = "All tags"
)

func newEvidenceTab(cv *caseView) *evidenceTab {
	u := cv.mv.u
	t := &evidenceTab{cv: cv}
	t.table = newSortTable(evidenceColumns, t.cell, func(r int) string { return t.items[t.shown[r]].ID })
	t.table.key = t.sortKey
	t.table.setEmpty(emptyEvidence)
	t.table.onSelect = func(r int) {
		if r >= 0 {
			t.open(t.items[t.shown[r]].ID)
		}
	}

	add := widget.NewButtonWithIcon("Add evidence…", theme.ContentAddIcon(), u.act(func() { t.startImport(nil) }))
	add.Importance = widget.HighImportance
	t.verify = widget.NewButtonWithIcon("Verify originals", theme.ConfirmIcon(), u.act(t.verifyAll))
	bar := container.NewHBox(add, t.verify, layout.NewSpacer())

	t.typeF = widget.NewSelect(append([]string{allTypes}, evidenceNameList(casefile.EvidenceTypes)...), func(string) { t.filter() })
	t.typeF.Selected = allTypes
	t.personF = widget.NewSelect([]string{allPeople}, func(string) { t.filter() })
	t.personF.Selected = allPeople
	t.tagF = widget.NewSelect([]string{allTags}, func(string) { t.filter() })
	t.tagF.Selected = allTags
	t.query = widget.NewEntry()
	t.query.SetPlaceHolder("Filter: exhibit, title, file name, SHA-256…")
	t.query.OnChanged = func(string) { u.idle.poke(); t.filter() }
	t.count = widget.NewLabel("")
	t.count.Importance = widget.LowImportance
	filters := container.NewBorder(nil, nil,
		container.NewHBox(container.New(fixedWidth(170), t.typeF), container.New(fixedWidth(190), t.personF), container.New(fixedWidth(150), t.tagF)),
		t.count, t.query)
	hint := widget.NewLabel("Tap an item to open it. Drag files or folders onto the window to add them. " +
		"Originals are stored encrypted; their SHA-256 is recorded at intake and checked by “Verify originals”.")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	t.listView = container.NewBorder(container.NewVBox(bar, filters, hint), nil, nil, nil, t.table.content)
	t.pane = container.NewStack(t.listView)
	t.content = t.pane
	u.win.SetOnDropped(u.dropped)
	return t
}

const emptyEvidence = "No evidence yet: drag files or folders here, or use “Add evidence…”. " +
	"Each file becomes an exhibit with its SHA-256, its extracted text and an intake entry in its chain of custody."

// evidenceNames are the display names of the evidence enumerations, where
// the stored word does not read well with its first letter capitalised.
var evidenceNames = map[string]string{
	"device-extraction": "Phone or device extraction",
	"email":             "E-mail",
	"physical-object":   "Physical object (described)",
	"statement":         "Statement or interview",
	"mla":               "Mutual legal assistance",
	"production-order":  "Production order",
	"open-source":       "Open source",
	"not-disclosed":     "Not disclosed",
	"disclosed":         "Disclosed",
	"withheld":          "Withheld",
	"text":              "Text extracted",
	"no-text":           "No text",
}

// evidenceName returns a stored evidence value as the user reads it.
func evidenceName(v string) string {
	if n, ok := evidenceNames[v]; ok {
		return n
	}
	return valueName(v)
}

func evidenceNameList(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = evidenceName(v)
	}
	return out
}

// evidenceValue is the inverse of evidenceName over vs; "" for none.
func evidenceValue(vs []string, name string) string {
	for _, v := range vs {
		if evidenceName(v) == name {
			return v
		}
	}
	return ""
}

func (t *evidenceTab) cell(r, col int) string {
	e := &t.items[t.shown[r]]
	switch col {
	case 0:
		return e.Exhibit
	case 1:
		if e.ParentID != "" {
			return "    ↳ " + e.Title + "  (inside exhibit " + parentExhibit(e.Exhibit) + ")"
		}
		return e.Title
	case 2:
		return evidenceName(e.Type)
	case 3:
		return sizeText(itemSize(e))
	case 4:
		return textStatus(e)
	default:
		return orDash(e.ObtainedOn.String())
	}
}

func (t *evidenceTab) sortKey(r, col int) string {
	e := &t.items[t.shown[r]]
	switch col {
	case 0:
		return exhibitKey(e.Exhibit)
	case 3:
		return fmt.Sprintf("%020d", itemSize(e))
	case 1:
		return strings.ToLower(e.Title)
	}
	return strings.ToLower(t.cell(r, col)) + " " + exhibitKey(e.Exhibit)
}

// exhibitKey sorts exhibit numbers as numbers, part by part ("2" < "10",
// "12" < "12.1" < "12.2" < "13").
func exhibitKey(ex string) string {
	var b strings.Builder
	for _, p := range strings.Split(ex, ".") {
		if n, err := strconv.Atoi(p); err == nil {
			fmt.Fprintf(&b, "%010d.", n)
		} else {
			b.WriteString(strings.ToLower(p) + ".")
		}
	}
	return b.String()
}

// parentExhibit returns "12" for "12.3".
func parentExhibit(ex string) string {
	if i := strings.LastIndex(ex, "."); i > 0 {
		return ex[:i]
	}
	return ex
}

func itemSize(e *casefile.Evidence) int64 {
	var n int64
	for _, a := range e.Attachments {
		n += a.Size
	}
	return n
}

// textStatus says whether an item's text could be extracted.
func textStatus(e *casefile.Evidence) string {
	if len(e.Attachments) == 0 {
		return "No file"
	}
	st := casefile.TextNone
	for _, a := range e.Attachments {
		if a.TextStatus == casefile.TextExtracted {
			st = casefile.TextExtracted
		}
	}
	return evidenceName(st)
}

// sizeText shows a size in bytes, KB, MB or GB (powers of 1000, as file
// managers do).
func sizeText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}

// reload reads the register and the people of the case again, then calls
// then (if set) on the UI goroutine.
func (t *evidenceTab) reload(then func()) {
	u, c := t.cv.mv.u, t.cv.c
	u.run(func() {
		items, err := c.EvidenceList(bg)
		var people []casefile.Person
		if err == nil {
			people, err = c.People(bg)
		}
		u.do(func() {
			if t.closed {
				return
			}
			if err != nil {
				t.table.setEmpty("The evidence register cannot be read: " + userMessage(err))
				return
			}
			t.show(items, people)
			if then != nil {
				then()
			}
		})
	})
}

// show replaces the register shown.
func (t *evidenceTab) show(items []casefile.Evidence, people []casefile.Person) {
	t.items, t.people = items, people
	names := []string{allPeople}
	for _, p := range people {
		names = append(names, p.DisplayName())
	}
	t.personF.Options = names
	if !slices.Contains(names, t.personF.Selected) {
		t.personF.Selected = allPeople
	}
	t.personF.Refresh()
	tags := []string{}
	for _, e := range items {
		for _, tg := range e.Tags {
			if !slices.Contains(tags, tg) {
				tags = append(tags, tg)
			}
		}
	}
	slices.Sort(tags)
	t.tagF.Options = append([]string{allTags}, tags...)
	if !slices.Contains(t.tagF.Options, t.tagF.Selected) {
		t.tagF.Selected = allTags
	}
	t.tagF.Refresh()
	t.filter()
	if t.item != nil {
		t.item.refreshPeople()
	}
}

// filter shows the items that pass every filter.
func (t *evidenceTab) filter() {
	typ := evidenceValue(casefile.EvidenceTypes, t.typeF.Selected)
	var pids []string // every person with the chosen display name
	if t.personF.Selected != allPeople {
		for _, p := range t.people {
			if p.DisplayName() == t.personF.Selected {
				pids = append(pids, p.ID)
			}
		}
	}
	tag := ""
	if t.tagF.Selected != allTags {
		tag = t.tagF.Selected
	}
	q := strings.ToLower(strings.TrimSpace(t.query.Text))
	t.shown = t.shown[:0]
	for i := range t.items {
		e := &t.items[i]
		if typ != "" && e.Type != typ {
			continue
		}
		if t.personF.Selected != allPeople && !slices.ContainsFunc(e.People, func(id string) bool { return slices.Contains(pids, id) }) {
			continue
		}
		if tag != "" && !slices.Contains(e.Tags, tag) {
			continue
		}
		if q != "" && !itemMatches(e, q) {
			continue
		}
		t.shown = append(t.shown, i)
	}
	if len(t.items) == 0 {
		t.table.setEmpty(emptyEvidence)
	} else {
		t.table.setEmpty("No evidence matches the filters. Choose “" + allTypes + "”, “" + allPeople + "” and “" + allTags + "”, or clear the filter text.")
	}
	t.table.setRows(len(t.shown))
	switch {
	case len(t.items) == 0:
		t.count.SetText("")
	case len(t.shown) == len(t.items):
		t.count.SetText(plural(len(t.items), "item", "items"))
	default:
		t.count.SetText(fmt.Sprintf("%d of %s", len(t.shown), plural(len(t.items), "item", "items")))
	}
	if len(t.items) == 0 {
		t.verify.Disable()
	} else {
		t.verify.Enable()
	}
}

// itemMatches reports whether the filter text q (lower case) is in the
// item's exhibit number, title, description, tags or file names, or
// starts one of its SHA-256 sums.
func itemMatches(e *casefile.Evidence, q string) bool {
	fields := []string{e.Exhibit, e.Title, e.Description, e.AuthorityRef, e.ObtainedBy}
	fields = append(fields, e.Tags...)
	for _, a := range e.Attachments {
		fields = append(fields, a.Name)
		if strings.HasPrefix(a.SHA256, q) {
			return true
		}
	}
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// open shows the item with id in place of the list.
func (t *evidenceTab) open(id string) {
	for _, e := range t.items {
		if e.ID == id {
			t.item = newItemView(t, e)
			t.pane.Objects = []fyne.CanvasObject{t.item.content}
			t.pane.Refresh()
			t.item.load()
			return
		}
	}
}

// back shows the list again.
func (t *evidenceTab) back() {
	t.item = nil
	t.table.unselect()
	t.pane.Objects = []fyne.CanvasObject{t.listView}
	t.pane.Refresh()
}

// person returns the person with id as casefile gave it (masked).
func (t *evidenceTab) person(id string) (casefile.Person, bool) {
	for _, p := range t.people {
		if p.ID == id {
			return p, true
		}
	}
	return casefile.Person{}, false
}

// detach ends the tab: running work is cancelled and the widgets emptied.
func (t *evidenceTab) detach() {
	t.closed = true
	if t.imp != nil {
		t.imp.abandon()
	}
	if t.stopJob != nil {
		t.stopJob()
	}
	t.item = nil
	t.items, t.people, t.shown = nil, nil, nil
	t.pane.Objects = []fyne.CanvasObject{t.listView}
	t.table.setRows(0)
	t.personF.Options = []string{allPeople}
	t.personF.Selected = allPeople
	t.tagF.Options = []string{allTags}
	t.query.SetText("")
}

// dropped takes files and folders dropped on the window to the Evidence
// tab of the open case.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	u.idle.poke()
	if u.main == nil || u.main.detached {
		return
	}
	var paths []string
	for _, uri := range uris {
		if uri.Scheme() == "file" {
			paths = append(paths, uri.Path())
		}
	}
	if len(paths) == 0 {
		return
	}
	cv := u.main.showOpenCase()
	if cv == nil {
		dialog.ShowInformation("Open a case first", "Files dropped here become evidence of the case that is open. Open the case, then drop them again.", u.win)
		return
	}
	cv.showTab("Evidence")
	cv.evidence.startImport(paths)
}

// importEvidence opens the import dialog of the open case (Ctrl+I).
// From the Due or Search view it first brings the open case back, so that
// the dialog never hides which case the files go to.
func (u *UI) importEvidence() {
	if u.main == nil || u.main.detached {
		return
	}
	cv := u.main.showOpenCase()
	if cv == nil {
		dialog.ShowInformation("Open a case first", "Evidence is added to the case that is open. Select the case in the list on the left, then add the files.", u.win)
		return
	}
	cv.showTab("Evidence")
	cv.evidence.startImport(nil)
}

// showOpenCase puts the open case back in the pane if the Due or Search
// view shows in its place, and returns it; nil if no case is open.
func (mv *mainView) showOpenCase() *caseView {
	if mv.cv == nil {
		return nil
	}
	mv.due = nil
	if len(mv.pane.Objects) != 1 || mv.pane.Objects[0] != mv.cv.content {
		mv.setPane(mv.cv.content)
	}
	return mv.cv
}

// showTab selects the case's tab with that title.
func (cv *caseView) showTab(title string) {
	for _, it := range cv.tabs.Items {
		if it.Text == title {
			cv.tabs.Select(it)
			return
		}
	}
}
