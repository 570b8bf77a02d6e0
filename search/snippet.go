package search

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"casevault/search/ident"
)

// Snippet is a piece of a hit's text with the matches marked.
type Snippet struct {
	Text       string
	Highlights []Span // byte offsets into Text, in order, not overlapping
}

// Span is a half-open byte range.
type Span struct{ Start, End int }

// Marked returns the snippet with each highlight wrapped in open and close,
// e.g. "[" and "]" for a terminal or "<b>" and "</b>" for rich text.
func (s Snippet) Marked(open, close string) string {
	var b strings.Builder
	last := 0
	for _, h := range s.Highlights {
		b.WriteString(s.Text[last:h.Start])
		b.WriteString(open)
		b.WriteString(s.Text[h.Start:h.End])
		b.WriteString(close)
		last = h.End
	}
	b.WriteString(s.Text[last:])
	return b.String()
}

type fuzzyMark struct {
	term string
	dist int
}

// markSet is what a query asks to highlight, in the index's terms.
type markSet struct {
	terms    map[string]bool
	stems    map[string]bool
	idents   map[string]bool
	prefixes []string
	fuzzy    []fuzzyMark
}

func newMarkSet() *markSet {
	return &markSet{terms: map[string]bool{}, stems: map[string]bool{}, idents: map[string]bool{}}
}

func (m *markSet) addStems(toks analysis.TokenStream) {
	for _, t := range toks {
		m.stems[string(t.Term)] = true
	}
}

func (m *markSet) addTokens(toks analysis.TokenStream) {
	for _, t := range toks {
		m.terms[string(t.Term)] = true
	}
}

func (m *markSet) matches(term []byte) bool {
	if m.terms[string(term)] {
		return true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(string(term), p) {
			return true
		}
	}
	for _, f := range m.fuzzy {
		if withinDistance(f.term, string(term), f.dist) {
			return true
		}
	}
	return false
}

// snippetBytes is about how much text a snippet shows.
const snippetBytes = 240

// makeSnippet finds the marked words in text and cuts a window around the
// densest group of them.
func makeSnippet(text string, m *markSet, english bool) Snippet {
	var spans []Span
	if m != nil {
		toks := textAn.Analyze([]byte(text))
		var stems analysis.TokenStream
		if english && len(m.stems) > 0 {
			stems = englishAn.Analyze([]byte(text))
		}
		for i, t := range toks {
			if m.matches(t.Term) || (stems != nil && i < len(stems) && m.stems[string(stems[i].Term)]) {
				spans = append(spans, Span{t.Start, t.End})
			}
		}
		if len(m.idents) > 0 {
			for _, im := range ident.FindAll(text) {
				for _, f := range im.Forms {
					if m.idents[f] {
						spans = append(spans, Span{im.Start, im.End})
						break
					}
				}
			}
		}
	}
	spans = mergeSpans(spans)
	if len(text) <= snippetBytes {
		return Snippet{Text: text, Highlights: spans}
	}
	// Pick the window start that covers the most highlights.
	best, bestN := 0, -1
	for i := range spans {
		n := 0
		for j := i; j < len(spans) && spans[j].End <= spans[i].Start+snippetBytes; j++ {
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	from := 0
	if bestN > 0 {
		from = max(0, spans[best].Start-snippetBytes/4)
	}
	to := min(len(text), from+snippetBytes)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	// Prefer to cut at a space.
	if from > 0 {
		if i := strings.IndexByte(text[from:min(to, from+30)], ' '); i >= 0 {
			from += i + 1
		}
	}
	if to < len(text) {
		if i := strings.LastIndexByte(text[max(from, to-30):to], ' '); i >= 0 {
			to = max(from, to-30) + i
		}
	}
	prefix, suffix := "", ""
	if from > 0 {
		prefix = "…"
	}
	if to < len(text) {
		suffix = "…"
	}
	out := Snippet{Text: prefix + text[from:to] + suffix}
	for _, s := range spans {
		if s.Start >= from && s.End <= to {
			out.Highlights = append(out.Highlights, Span{s.Start - from + len(prefix), s.End - from + len(prefix)})
		}
	}
	return out
}

func mergeSpans(s []Span) []Span {
	if len(s) < 2 {
		return s
	}
	// insertion sort: spans arrive nearly sorted
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Start < s[j-1].Start; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.Start <= last.End {
			last.End = max(last.End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

// withinDistance reports whether the Levenshtein distance of a and b (in
// runes) is at most d.
func withinDistance(a, b string, d int) bool {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) > d {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > d {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
