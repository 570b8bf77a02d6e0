package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"casevault/search"
)

// openHit opens the hit's case, then its tab and item.
func (mv *mainView) openHit(h search.Hit, terms []string) {
	mv.shown = func(cv *caseView) {
		if cv.id == h.CaseID {
			cv.showHit(h, terms)
		}
	}
	mv.openCase(h.CaseID)
}

// showHit selects the tab of a hit's item and the item in it, once the
// case's register is read (the reads queued before this one).
func (cv *caseView) showHit(h search.Hit, terms []string) {
	tab, table := "Overview", (*sortTable)(nil)
	switch h.Kind {
	case search.KindPerson:
		tab, table = "People", cv.people.table
	case search.KindAsset:
		tab, table = "Assets", cv.assets.table
	case search.KindRequest:
		tab, table = "Cooperation", cv.coop.table
	case search.KindNote:
		tab = "Timeline"
	case search.KindEvidence:
		tab = "Evidence"
	}
	for _, it := range cv.tabs.Items {
		if it.Text == tab {
			cv.tabs.Select(it)
		}
	}
	if h.Kind == search.KindEvidence {
		cv.showEvidenceHit(h, terms)
		return
	}
	if table == nil {
		return
	}
	u := cv.mv.u
	u.run(func() {
		u.do(func() {
			if !cv.closed {
				table.selectID(h.ItemID)
			}
		})
	})
}

// showEvidenceHit opens the evidence item, and for a hit in its text, the
// text at the hit with the words highlighted.
func (cv *caseView) showEvidenceHit(h search.Hit, terms []string) {
	cv.evidence.reload(func() {
		cv.evidence.open(h.ItemID)
		if h.Chunk > 0 {
			cv.showEvidenceText(h.ItemID, terms)
		}
	})
}

// snippetSegments renders a snippet with its highlights in bold and colour.
func snippetSegments(s search.Snippet) []widget.RichTextSegment {
	text := strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s.Text)
	var segs []widget.RichTextSegment
	last := 0
	for _, h := range s.Highlights {
		if h.Start < last || h.End > len(text) || h.Start >= h.End {
			continue
		}
		if h.Start > last {
			segs = append(segs, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: text[last:h.Start]})
		}
		segs = append(segs, &widget.TextSegment{Style: searchHitStyle, Text: text[h.Start:h.End]})
		last = h.End
	}
	return append(segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: text[last:]})
}

// searchHitStyle marks a matched word (RichText has no text background).
var searchHitStyle = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameWarning, TextStyle: fyne.TextStyle{Bold: true, Underline: true}}

// snippetTerms returns the matched words of a snippet, each once, for the
// evidence text viewer to highlight.
func snippetTerms(s search.Snippet) []string {
	var out []string
	for _, h := range s.Highlights {
		if h.Start >= 0 && h.End <= len(s.Text) && h.Start < h.End {
			if t := s.Text[h.Start:h.End]; !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// countOf says "1 result", "12 results".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func hitTitle(h search.Hit) string {
	if h.Title != "" {
		return h.Title
	}
	return kindName(h.Kind)
}

func tookText(d time.Duration) string {
	if d < time.Millisecond {
		return "under 1 ms"
	}
	return d.Round(time.Millisecond).String()
}

var kindNames = map[search.Kind]string{
	search.KindCase: "Case record", search.KindEvidence: "Evidence", search.KindPerson: "Person",
	search.KindAsset: "Asset", search.KindRequest: "Cooperation request", search.KindNote: "Note",
}

func kindName(k search.Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return capitalize(string(k))
}

func kindIcon(k search.Kind) fyne.Resource {
	switch k {
	case search.KindEvidence:
		return theme.FileIcon()
	case search.KindPerson:
		return theme.AccountIcon()
	case search.KindAsset:
		return theme.StorageIcon()
	case search.KindRequest:
		return theme.MailSendIcon()
	case search.KindNote:
		return theme.DocumentCreateIcon()
	}
	return theme.FolderIcon()
}

var facetTitles = map[string]string{"case": "Case", "kind": "Kind", "type": "Type", "year": "Year", "lang": "Language"}

func facetTitle(name string) string {
	if t, ok := facetTitles[name]; ok {
		return t
	}
	return capitalize(name)
}

var langNames = map[string]string{
	"en": "English", "th": "Thai", "vi": "Vietnamese", "id": "Indonesian", "ms": "Malay", "fil": "Filipino",
	"tl": "Filipino", "km": "Khmer", "lo": "Lao", "my": "Burmese", "zh": "Chinese",
}

func langName(code string) string {
	if n, ok := langNames[code]; ok {
		return n
	}
	return strings.ToUpper(code)
}

// tapBox makes its content tappable, with a pointer cursor.
type tapBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapBox(content fyne.CanvasObject, onTap func()) *tapBox {
	b := &tapBox{content: content, onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

func (b *tapBox) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.content) }

func (b *tapBox) Tapped(*fyne.PointEvent) { b.onTap() }

func (b *tapBox) Cursor() desktop.Cursor { return desktop.PointerCursor }
