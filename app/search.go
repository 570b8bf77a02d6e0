package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/search"
)

// searchView searches every case of the workspace as the user types: hits
// with their snippets, facets that narrow the search, paging and sorting.
// It shows in place of the open case, like the Due view, and keeps its
// query and results until the workspace locks. Tapping a hit opens its
// case at the item. The index holds pseudonyms only, never a protected
// person's real name, so the view shows what it returns.
type searchView struct {
	mv      *mainView
	entry   *widget.Entry
	sortSel *widget.Select
	status  *widget.Label
	problem *widget.Label // the query with a caret under a syntax error
	chips   *fyne.Container
	hits    *fyne.Container
	facets  *fyne.Container
	scroll  *container.Scroll
	prev    *widget.Button
	next    *widget.Button
	page    *widget.Label
	content fyne.CanvasObject

	filters []searchFilter
	offset  int
	res     *search.Results
	refs    map[string]string // case id → reference

	seq      int                // counts queries; older answers are dropped
	cancel   context.CancelFunc // stops the query running, if any
	stopWait func() bool        // the typing pause, if one runs
	closed   bool
}

// searchFilter narrows the search to one value of a facet.
type searchFilter struct{ facet, value string }

const (
	searchPage  = 20
	searchPause = 250 * time.Millisecond
	sortRank    = "Most relevant first"
	sortDate    = "Newest first"

	searchEmptyMsg = "Type words, a phone number, a name… and the results come as you type. " +
		"All cases are searched: evidence text, people, assets, requests and notes. See Syntax for phrases, OR, prefix*, fuzzy~ and filters."
	searchNoHitsMsg = "Nothing found. Try fewer words, prefix* (traff*), or fuzzy~ for a name spelt another way (Nguyen~)."
)

func newSearchView(mv *mainView) *searchView {
	u := mv.u
	v := &searchView{mv: mv}
	v.entry = widget.NewEntry()
	v.entry.SetPlaceHolder("Search all cases: words, \"a phrase\", +66 81 234 5678, Nguyen~, type:chat…")
	v.entry.OnChanged = func(string) { u.idle.poke(); v.queryChanged() }
	v.entry.OnSubmitted = func(string) { u.idle.poke(); v.runNow() }
	v.sortSel = widget.NewSelect([]string{sortRank, sortDate}, func(string) { u.idle.poke(); v.offset = 0; v.runNow() })
	v.sortSel.Selected = sortRank
	syntax := widget.NewButtonWithIcon("Syntax", theme.HelpIcon(), u.act(v.showSyntax))
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), u.act(mv.closeSearch))

	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.problem = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.problem.Hide()
	v.chips = container.NewHBox()
	v.hits = container.NewVBox()
	v.facets = container.NewVBox()
	v.scroll = container.NewVScroll(v.hits)
	v.prev = widget.NewButtonWithIcon("Previous", theme.NavigateBackIcon(), u.act(func() { v.turn(-1) }))
	v.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), u.act(func() { v.turn(+1) }))
	v.next.IconPlacement = widget.ButtonIconTrailingText
	v.page = widget.NewLabel("")
	pager := container.NewHBox(layout.NewSpacer(), v.prev, v.page, v.next, layout.NewSpacer())

	title := heading("Search — all cases")
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(syntax, closeBtn), title),
		container.NewBorder(nil, nil, nil, container.New(fixedWidth(190), v.sortSel), v.entry),
		v.chips, v.status, v.problem)
	side := container.NewVScroll(v.facets)
	v.content = container.NewBorder(top, pager, nil, container.New(fixedWidth(240), side), v.scroll)
	v.showState()
	return v
}

// showSearch shows the Search view in place of the open case (which stays
// open behind it), with the cursor in its entry (Ctrl+F).
func (mv *mainView) showSearch() {
	if mv.detached {
		return
	}
	mv.due = nil
	if mv.search == nil {
		mv.search = newSearchView(mv)
	}
	v := mv.search
	mv.index.onState = v.indexChanged
	mv.setPane(v.content)
	mv.u.win.Canvas().Focus(v.entry)
	v.runNow()
}

// closeSearch goes back to the open case, if any.
func (mv *mainView) closeSearch() {
	if mv.cv != nil {
		mv.setPane(mv.cv.content)
		return
	}
	mv.showNoCase()
}

// queryChanged restarts the typing pause, after which the query runs.
func (v *searchView) queryChanged() {
	if v.closed {
		return
	}
	v.offset = 0
	if v.stopWait != nil {
		v.stopWait()
	}
	u := v.mv.u
	v.seq++
	seq := v.seq
	v.stopWait = u.clock.AfterFunc(searchPause, func() {
		u.do(func() {
			if seq == v.seq {
				v.runNow()
			}
		})
	})
}

// runNow runs the query at once, cancelling the one running.
func (v *searchView) runNow() {
	if v.closed {
		return
	}
	if v.stopWait != nil {
		v.stopWait()
		v.stopWait = nil
	}
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.seq++
	seq := v.seq
	q := v.entry.Text
	if v.mv.index.state != indexReady {
		v.showState()
		return
	}
	if _, err := search.ParseQuery(q); err != nil {
		v.res = nil
		if errors.Is(err, search.ErrEmptyQuery) {
			err = nil
		}
		v.showState()
		v.showProblem(q, err)
		return
	}
	full, opts := v.request(q)
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel = cancel
	x, ws, u := v.mv.index, v.mv.ws, v.mv.u
	go func() {
		res, err := x.search(ctx, full, opts)
		refs := map[string]string{}
		if list, lerr := ws.Cases(); lerr == nil {
			for _, s := range list {
				refs[s.ID] = s.Ref
			}
		}
		u.do(func() {
			if v.closed || seq != v.seq || ctx.Err() != nil {
				return
			}
			cancel()
			v.cancel = nil
			v.show(q, res, refs, err)
		})
	}()
}

// request adds the facet filters to the query and the options.
func (v *searchView) request(q string) (string, search.SearchOptions) {
	opts := search.SearchOptions{Offset: v.offset, Limit: searchPage, SortByDate: v.sortSel.Selected == sortDate, Facets: true}
	var extra []string
	for _, f := range v.filters {
		switch f.facet {
		case "case":
			opts.Cases = append(opts.Cases, f.value)
		case "kind":
			opts.Kinds = append(opts.Kinds, search.Kind(f.value))
		case "year":
			extra = append(extra, "from:"+f.value, "to:"+f.value)
		default: // type, lang
			extra = append(extra, f.facet+`:"`+strings.ReplaceAll(f.value, `"`, "")+`"`)
		}
	}
	if len(extra) > 0 {
		q += " " + strings.Join(extra, " ")
	}
	return q, opts
}

// show puts a query's results on screen.
func (v *searchView) show(q string, res *search.Results, refs map[string]string, err error) {
	v.showProblem(q, nil)
	if err != nil {
		v.res = nil
		v.showState()
		var qe *search.QueryError
		if errors.As(err, &qe) {
			v.showProblem(q, err)
			return
		}
		v.status.Importance = widget.DangerImportance
		v.status.SetText(userMessage(fmt.Errorf("the search failed: %w", err)))
		return
	}
	v.res, v.refs = res, refs
	v.hits.RemoveAll()
	for _, h := range res.Hits {
		v.hits.Add(v.hitCard(h))
	}
	v.scroll.ScrollToTop()
	v.showFacets()
	v.showChips()
	n := int(res.Total)
	v.status.Importance = widget.MediumImportance
	switch {
	case n == 0 && len(v.filters) > 0:
		v.status.SetText("Nothing found with these filters. Remove a filter above, or try fewer words.")
	case n == 0:
		v.status.SetText(searchNoHitsMsg)
	default:
		v.status.SetText(fmt.Sprintf("%s in %s. Tap a result to open it in its case.", countOf(n, "result", "results"), tookText(res.Took)))
	}
	v.showPager()
}

// showState shows what the view says without results: the index is being
// built or cannot be opened, or nothing is typed yet.
func (v *searchView) showState() {
	v.res = nil
	v.hits.RemoveAll()
	v.facets.RemoveAll()
	v.showChips()
	v.showPager()
	x := v.mv.index
	v.status.Importance = widget.MediumImportance
	switch x.state {
	case indexOpening:
		v.status.SetText("Opening the search index…")
	case indexBuilding:
		v.status.SetText(fmt.Sprintf("Building the search index… %s so far. Search works as soon as it is done; you can keep working meanwhile.",
			countOf(x.built, "document", "documents")))
	case indexFailed:
		v.status.Importance = widget.DangerImportance
		v.status.SetText(userMessage(x.err) + " The case files are not affected; lock and unlock the workspace to try again.")
	default:
		v.status.SetText(searchEmptyMsg)
	}
}

// showProblem shows a query that does not parse, with a caret under the
// column where the problem is; nil hides it.
func (v *searchView) showProblem(q string, err error) {
	var qe *search.QueryError
	if !errors.As(err, &qe) {
		v.problem.Hide()
		return
	}
	v.status.Importance = widget.DangerImportance
	v.status.SetText(fmt.Sprintf("This search cannot be read: %s (at character %d). Correct it, or see Syntax.", qe.Msg, qe.Column))
	col := max(qe.Column-1, 0)
	v.problem.SetText(strings.ReplaceAll(q, "\n", " ") + "\n" + strings.Repeat(" ", col) + "^")
	v.problem.Show()
}

func (v *searchView) showPager() {
	total := 0
	if v.res != nil {
		total = int(v.res.Total)
	}
	if total <= searchPage {
		v.prev.Hide()
		v.next.Hide()
		v.page.SetText("")
		return
	}
	v.prev.Show()
	v.next.Show()
	if v.offset > 0 {
		v.prev.Enable()
	} else {
		v.prev.Disable()
	}
	if v.offset+searchPage < total {
		v.next.Enable()
	} else {
		v.next.Disable()
	}
	v.page.SetText(fmt.Sprintf("%d–%d of %d", v.offset+1, min(v.offset+searchPage, total), total))
}

// turn shows the next (+1) or previous (-1) page.
func (v *searchView) turn(dir int) {
	v.offset = max(0, v.offset+dir*searchPage)
	v.runNow()
}

// indexChanged follows the index as it opens or is built.
func (v *searchView) indexChanged() {
	if v.closed {
		return
	}
	x := v.mv.index
	if x.state == indexReady {
		v.runNow()
		if x.err != nil && v.res != nil {
			v.status.Importance = widget.WarningImportance
			v.status.SetText(v.status.Text + " " + userMessage(x.err) + " Results may be out of date.")
		}
		return
	}
	v.showState()
}

// hitCard shows one hit: its title, where it is from, and the snippet with
// the matches highlighted. Tapping it opens the hit.
func (v *searchView) hitCard(h search.Hit) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(hitTitle(h), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	where := []string{v.caseRef(h.CaseID), kindName(h.Kind)}
	if h.Type != "" && h.Kind != search.KindCase {
		where = append(where, valueName(h.Type))
	}
	if !h.Date.IsZero() {
		where = append(where, h.Date.Format("2006-01-02"))
	}
	if h.Lang != "" {
		where = append(where, langName(h.Lang))
	}
	meta := widget.NewLabel(strings.Join(where, "  ·  "))
	meta.Truncation = fyne.TextTruncateEllipsis
	snip := widget.NewRichText(snippetSegments(h.Snippet)...)
	snip.Wrapping = fyne.TextWrapWord
	terms := snippetTerms(h.Snippet)
	card := container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(kindIcon(h.Kind)), nil, title), meta, snip, widget.NewSeparator())
	return newTapBox(card, v.mv.u.act(func() { v.mv.openHit(h, terms) }))
}

func (v *searchView) caseRef(id string) string {
	if r := v.refs[id]; r != "" {
		return r
	}
	return "Case " + id
}

// showFacets lists, for each facet, the values that narrow the search, with
// how many results each has.
func (v *searchView) showFacets() {
	v.facets.RemoveAll()
	if v.res == nil || v.res.Total == 0 {
		return
	}
	v.facets.Add(widget.NewLabelWithStyle("Narrow down", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, f := range v.res.Facets {
		if len(f.Values) == 0 || v.hasFilter(f.Name) {
			continue
		}
		h := widget.NewLabel(facetTitle(f.Name))
		h.Importance = widget.LowImportance
		v.facets.Add(h)
		for _, fv := range f.Values {
			b := widget.NewButton(fmt.Sprintf("%s  (%d)", v.facetValueName(f.Name, fv.Value), fv.Count),
				v.mv.u.act(func() { v.addFilter(f.Name, fv.Value) }))
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			v.facets.Add(b)
		}
	}
	if len(v.facets.Objects) == 1 {
		l := widget.NewLabel("Nothing more to narrow down.")
		l.Importance = widget.LowImportance
		v.facets.Add(l)
	}
}

func (v *searchView) hasFilter(facet string) bool {
	return slices.ContainsFunc(v.filters, func(f searchFilter) bool { return f.facet == facet })
}

// addFilter narrows the search to value of facet (replacing a filter on
// the same facet).
func (v *searchView) addFilter(facet, value string) {
	v.filters = slices.DeleteFunc(v.filters, func(f searchFilter) bool { return f.facet == facet })
	v.filters = append(v.filters, searchFilter{facet, value})
	v.offset = 0
	v.runNow()
}

func (v *searchView) removeFilter(i int) {
	v.filters = slices.Delete(v.filters, i, i+1)
	v.offset = 0
	v.runNow()
}

// showChips shows the filters in use, each with a button that removes it.
func (v *searchView) showChips() {
	v.chips.RemoveAll()
	if len(v.filters) == 0 {
		v.chips.Hide()
		return
	}
	v.chips.Add(widget.NewLabel("Only:"))
	for i, f := range v.filters {
		b := widget.NewButtonWithIcon(facetTitle(f.facet)+": "+v.facetValueName(f.facet, f.value), theme.CancelIcon(),
			v.mv.u.act(func() { v.removeFilter(i) }))
		b.IconPlacement = widget.ButtonIconTrailingText
		v.chips.Add(b)
	}
	v.chips.Show()
}

func (v *searchView) facetValueName(facet, value string) string {
	switch facet {
	case "case":
		return v.caseRef(value)
	case "kind":
		return kindName(search.Kind(value))
	case "lang":
		return langName(value)
	case "type":
		return valueName(value)
	}
	return value
}

func (v *searchView) showSyntax() {
	help := widget.NewLabelWithStyle(search.QueryHelp, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	note := widget.NewLabel("Protected people are found by their pseudonym only: their real names are never in the index.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	dialog.ShowCustom("Search syntax", "Close", container.NewVBox(help, note), v.mv.u.win)
}

// clear empties the view when the workspace locks: nothing of a case may
// stay in its widgets.
func (v *searchView) clear() {
	v.closed = true
	if v.stopWait != nil {
		v.stopWait()
	}
	if v.cancel != nil {
		v.cancel()
	}
	v.res, v.refs, v.filters = nil, nil, nil
	v.entry.OnChanged = nil
	v.entry.SetText("")
	v.hits.RemoveAll()
	v.facets.RemoveAll()
	v.chips.RemoveAll()
	v.status.SetText("")
	v.problem.SetText("")
	v.page.SetText("")
}
