package app

import (
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/casefile"
	"casevault/casefile/extract"
)

// showEvidenceText opens the text extracted from the item with id, with
// terms (search words, say) highlighted. Reading it is recorded in the
// audit chain by casefile.
func (cv *caseView) showEvidenceText(id string, terms []string) {
	u, c := cv.mv.u, cv.c
	u.run(func() {
		e, err := c.EvidenceItem(bg, id)
		var chunks []extract.Chunk
		if err == nil {
			chunks, err = c.EvidenceText(bg, id)
		}
		u.do(func() {
			if cv.closed {
				return
			}
			if err != nil {
				dialog.ShowError(fmt.Errorf("the text of this item cannot be shown: %w", err), u.win)
				return
			}
			cv.evidence.lastText = newTextViewer(u, e, chunks, terms)
		})
	})
}

// textViewer shows extracted text a page at a time (long texts would
// make one huge widget), each chunk under a heading: the page, the sheet,
// or the sender and time of a chat message.
type textViewer struct {
	pages [][]textPiece
	page  int
	re    *regexp.Regexp // the terms highlighted, or nil
	hits  int

	rich     *widget.RichText
	scroll   *container.Scroll
	pageLbl  *widget.Label
	hitsLbl  *widget.Label
	prev     *widget.Button
	next     *widget.Button
	d        *dialog.CustomDialog
	activity *activityLayer
}

// textPiece is a part of one chunk (a long chunk is split over pages).
type textPiece struct {
	chunk  extract.Chunk
	text   string
	header bool // the first piece of its chunk
}

// pageBytes is about how much text one page shows.
const pageBytes = 64 << 10

func newTextViewer(u *UI, e casefile.Evidence, chunks []extract.Chunk, terms []string) *textViewer {
	tv := &textViewer{}
	tv.paginate(chunks)
	tv.rich = widget.NewRichText()
	tv.rich.Wrapping = fyne.TextWrapWord
	tv.scroll = container.NewVScroll(tv.rich)
	// Reading is activity: the idle lock must not interrupt it. A dialog
	// covers the main view's activity layer, so it has its own.
	tv.scroll.OnScrolled = func(fyne.Position) { u.idle.poke() }
	tv.activity = newActivityLayer(u.idle)
	tv.pageLbl = widget.NewLabel("")
	tv.hitsLbl = widget.NewLabel("")
	tv.prev = widget.NewButtonWithIcon("Previous", theme.NavigateBackIcon(), u.act(func() { tv.show(tv.page - 1) }))
	tv.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), u.act(func() { tv.show(tv.page + 1) }))
	find := widget.NewEntry()
	find.SetPlaceHolder("Highlight words (Enter)")
	find.SetText(strings.Join(terms, " "))
	find.OnSubmitted = func(s string) {
		u.idle.poke()
		tv.setTerms(strings.Fields(s))
		tv.show(tv.firstHitPage())
	}
	info := widget.NewLabel(fmt.Sprintf("%s · %s. Opening this text is recorded in the audit log.", textSummary(chunks), fileNames(e)))
	info.Wrapping = fyne.TextWrapWord
	info.Importance = widget.LowImportance
	top := container.NewVBox(info, container.NewBorder(nil, nil, nil, tv.hitsLbl, find))
	pager := container.NewHBox(tv.prev, tv.pageLbl, tv.next)
	body := container.NewStack(container.NewBorder(top, pager, nil, nil, tv.scroll), tv.activity)
	tv.d = dialog.NewCustom("Text of exhibit "+e.Exhibit+" — "+e.Title, "Close", body, u.win)
	tv.d.Resize(fyne.NewSize(940, 680))
	tv.setTerms(terms)
	tv.show(tv.firstHitPage())
	tv.d.Show()
	return tv
}

// paginate cuts the chunks into pages of about pageBytes, splitting long
// chunks at line ends.
func (tv *textViewer) paginate(chunks []extract.Chunk) {
	var page []textPiece
	size := 0
	flush := func() {
		if len(page) > 0 {
			tv.pages = append(tv.pages, page)
			page, size = nil, 0
		}
	}
	for _, ch := range chunks {
		text, first := ch.Text, true
		for first || text != "" {
			part := text
			if room := max(pageBytes-size, 4<<10); len(part) > room {
				cut := strings.LastIndexByte(part[:room], '\n')
				if cut < room/2 {
					cut = room
					for cut > 0 && !isRuneStart(part[cut]) {
						cut--
					}
				}
				part = part[:cut]
			}
			text = text[len(part):]
			page = append(page, textPiece{chunk: ch, text: strings.TrimSuffix(part, "\n"), header: first})
			size += len(part) + 80
			first = false
			if size >= pageBytes {
				flush()
			}
		}
	}
	flush()
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// setTerms chooses the words to highlight (case-insensitive) and counts
// their hits in the whole text.
func (tv *textViewer) setTerms(terms []string) {
	var quoted []string
	for _, t := range terms {
		if t = strings.TrimSpace(t); t != "" {
			quoted = append(quoted, regexp.QuoteMeta(t))
		}
	}
	tv.re, tv.hits = nil, 0
	if len(quoted) == 0 {
		tv.hitsLbl.SetText("")
		return
	}
	tv.re = regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))
	for _, p := range tv.pages {
		for _, pc := range p {
			tv.hits += len(tv.re.FindAllStringIndex(pc.text, -1))
		}
	}
	tv.hitsLbl.SetText(plural(tv.hits, "hit", "hits"))
}

// firstHitPage returns the first page with a highlighted word, or 0.
func (tv *textViewer) firstHitPage() int {
	if tv.re == nil {
		return 0
	}
	for i, p := range tv.pages {
		for _, pc := range p {
			if tv.re.MatchString(pc.text) {
				return i
			}
		}
	}
	return 0
}

// show renders page i.
func (tv *textViewer) show(i int) {
	i = max(0, min(i, len(tv.pages)-1))
	tv.page = i
	var segs []widget.RichTextSegment
	if len(tv.pages) == 0 {
		segs = append(segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: "No text was extracted from this item."})
	} else {
		for _, pc := range tv.pages[i] {
			if h := chunkHeading(pc.chunk); h != "" && pc.header {
				segs = append(segs, &widget.TextSegment{Style: headingStyle, Text: h})
			}
			segs = append(segs, highlightSegments(pc.text, tv.re)...)
		}
	}
	tv.rich.Segments = segs
	tv.rich.Refresh()
	tv.scroll.ScrollToTop()
	tv.pageLbl.SetText(fmt.Sprintf("Page %d of %d", i+1, max(len(tv.pages), 1)))
	if i > 0 {
		tv.prev.Enable()
	} else {
		tv.prev.Disable()
	}
	if i < len(tv.pages)-1 {
		tv.next.Enable()
	} else {
		tv.next.Disable()
	}
}

var (
	headingStyle = widget.RichTextStyle{ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}}
	// hitStyle marks a highlighted word: RichText has no background for
	// text, so the word is bold, underlined and in the warning colour.
	hitStyle = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameWarning, TextStyle: fyne.TextStyle{Bold: true, Underline: true}}
)

// highlightSegments returns text as one paragraph, the matches of re
// (if not nil) in hitStyle.
func highlightSegments(text string, re *regexp.Regexp) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	plain := widget.RichTextStyleInline
	if re != nil {
		last := 0
		for _, m := range re.FindAllStringIndex(text, -1) {
			if m[0] > last {
				segs = append(segs, &widget.TextSegment{Style: plain, Text: text[last:m[0]]})
			}
			segs = append(segs, &widget.TextSegment{Style: hitStyle, Text: text[m[0]:m[1]]})
			last = m[1]
		}
		text = text[last:]
	}
	// The last segment is a block, which ends the paragraph.
	return append(segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: text})
}

// chunkHeading names a chunk: its page, sheet or slide, or the number,
// time and sender of a message.
func chunkHeading(ch extract.Chunk) string {
	switch ch.Kind {
	case extract.KindMessage:
		parts := []string{fmt.Sprintf("Message %d", ch.Index)}
		// The time as the export wrote it: many exports carry no time
		// zone, and a court reads the original.
		switch {
		case ch.Label != "":
			parts = append(parts, ch.Label)
		case !ch.Time.IsZero():
			parts = append(parts, ch.Time.Format("2006-01-02 15:04:05 -07:00"))
		}
		if ch.Sender != "" {
			parts = append(parts, ch.Sender)
		}
		return strings.Join(parts, " · ")
	case extract.KindPage:
		return fmt.Sprintf("Page %d", ch.Index)
	case extract.KindSlide:
		return fmt.Sprintf("Slide %d", ch.Index)
	case extract.KindSheet:
		if ch.Label != "" {
			return "Sheet: " + ch.Label
		}
		return fmt.Sprintf("Sheet %d", ch.Index)
	case extract.KindEmail:
		return "E-mail headers"
	case extract.KindPart:
		if ch.Label != "" {
			return capitalize(ch.Label)
		}
		return "Part"
	case extract.KindMetadata:
		return "Properties"
	}
	return ""
}

// textSummary says how much text there is: "12 messages", "3 pages".
func textSummary(chunks []extract.Chunk) string {
	n := map[extract.Kind]int{}
	for _, ch := range chunks {
		n[ch.Kind]++
	}
	var parts []string
	for _, k := range []struct {
		kind      extract.Kind
		one, many string
	}{
		{extract.KindMessage, "message", "messages"}, {extract.KindPage, "page", "pages"}, {extract.KindSlide, "slide", "slides"},
		{extract.KindSheet, "sheet", "sheets"}, {extract.KindEmail, "e-mail", "e-mails"},
	} {
		if n[k.kind] > 0 {
			parts = append(parts, plural(n[k.kind], k.one, k.many))
		}
	}
	if len(parts) == 0 {
		return plural(len(chunks), "text part", "text parts")
	}
	return strings.Join(parts, ", ")
}

func fileNames(e casefile.Evidence) string {
	var names []string
	for _, a := range e.Attachments {
		names = append(names, a.Name)
	}
	return "from " + strings.Join(names, ", ")
}
