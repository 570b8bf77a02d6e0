package search

import (
	"bytes"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/clipperhouse/uax29/v2/words"
)

// Analyser names, registered with bleve in init so that every binary that
// links this package (GUI, CLI, tests) can open the index.
const (
	// analyserText is the analyser of every full-text field.
	analyserText = "casevault_text_v1"
	// analyserEnglish adds English stemming, for English documents only.
	analyserEnglish = "casevault_en_v1"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterAnalyzer(analyserText, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return &textAnalyser{}, nil
	}))
	must(registry.RegisterAnalyzer(analyserEnglish, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return &textAnalyser{english: true}, nil
	}))
}

// textAnalyser is the whole pipeline in one pass: UAX #29 words; Latin,
// Cyrillic and other spaced scripts lower-cased and folded to ASCII where
// they have a folding (Vietnamese "Nguyễn" → "nguyen", "đ" → "d"); digits of
// every script to ASCII; Thai, Lao, Khmer, Burmese and Han clusters, grouped
// into units (joinsUnit), joined into overlapping bigrams of units (a lone
// unit stays a unigram), so that a word typed alone matches inside running
// text as a phrase of bigrams.
type textAnalyser struct {
	english bool
}

var (
	englishStemmer = en.NewEnglishStemmerFilter()
	folder         = asciifolding.New()
)

// scriptClass tells how a word is indexed.
type scriptClass uint8

const (
	classSkip    scriptClass = iota // punctuation, spaces, symbols
	classWord                       // spaced scripts: one token per word
	classCluster                    // unspaced scripts: bigrams of units
)

// classify looks at a UAX #29 segment. Unspaced scripts come out of UAX #29
// as one segment per cluster (a base letter with its marks).
func classify(seg []byte) scriptClass {
	r, _ := utf8.DecodeRune(seg)
	if r < 0x80 {
		if isASCIIAlnum(byte(r)) {
			return classWord
		}
		// "_" or a symbol start; look further for a letter or digit.
		for _, c := range seg {
			if isASCIIAlnum(c) {
				return classWord
			}
		}
		return classSkip
	}
	if isClusterScript(r) {
		return classCluster
	}
	for _, r := range string(seg) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if isClusterScript(r) {
				return classCluster
			}
			return classWord
		}
	}
	return classSkip
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isClusterScript reports the scripts written without spaces between words.
func isClusterScript(r rune) bool {
	switch {
	case r >= 0x0E00 && r <= 0x0EFF: // Thai, Lao
		return !isDigitBlock(r)
	case r >= 0x1000 && r <= 0x109F: // Myanmar
		return !(r >= 0x1040 && r <= 0x1049) && !(r >= 0x1090 && r <= 0x1099)
	case r >= 0x1780 && r <= 0x17FF, r >= 0x19E0 && r <= 0x19FF: // Khmer
		return !(r >= 0x17E0 && r <= 0x17E9)
	case r >= 0xAA60 && r <= 0xAA7F, r >= 0xA9E0 && r <= 0xA9FF: // Myanmar extended
		return true
	case r >= 0x3040 && r <= 0x30FF: // Hiragana, Katakana
		return true
	}
	return unicode.Is(unicode.Han, r)
}

func isDigitBlock(r rune) bool {
	return r >= 0x0E50 && r <= 0x0E59 || r >= 0x0ED0 && r <= 0x0ED9
}

// Analyze implements analysis.Analyzer.
func (a *textAnalyser) Analyze(input []byte) analysis.TokenStream {
	// Tokens come from a slab: one allocation instead of one per token.
	est := len(input)/6 + 4
	out := make(analysis.TokenStream, 0, est)
	slab := make([]analysis.Token, 0, est)
	a.tokens(input, func(term []byte, start, end, pos int, typ analysis.TokenType) {
		if len(slab) == cap(slab) {
			slab = make([]analysis.Token, 0, est)
		}
		slab = append(slab, analysis.Token{Term: term, Start: start, End: end, Position: pos, Type: typ})
		out = append(out, &slab[len(slab)-1])
	})
	return out
}

// tokens analyses input and calls emit for each token, in order: what
// Analyze returns, without building it (indexing needs only the terms and
// positions). term may share input's memory and must not be modified.
func (a *textAnalyser) tokens(input []byte, emit func(term []byte, start, end, pos int, typ analysis.TokenType)) {
	var arena []byte // bigrams of units not adjacent in the input
	pos := 1
	// The pending unit of an unspaced run, and the run's length in units.
	var prevTerm []byte
	prevStart, prevEnd, runLen := 0, 0, 0
	flushLone := func() {
		if runLen == 1 {
			emit(prevTerm, prevStart, prevEnd, pos, analysis.Ideographic)
			pos++
		}
		prevTerm, runLen = nil, 0
	}
	// cluster adds input[start:end], one unit of an unspaced run, to the run.
	cluster := func(start, end int) {
		seg := input[start:end]
		if runLen > 0 {
			var term []byte
			if prevEnd == start {
				// Adjacent in the input: the bigram is a sub-slice.
				term = input[prevStart:end:end]
			} else {
				n := len(prevTerm) + len(seg)
				if cap(arena)-len(arena) < n {
					arena = make([]byte, 0, max(4096, n))
				}
				arena = append(append(arena, prevTerm...), seg...)
				term = arena[len(arena)-n : len(arena) : len(arena)]
			}
			emit(term, prevStart, end, pos, analysis.Ideographic)
			pos++
		}
		prevTerm, prevStart, prevEnd = seg, start, end
		runLen++
	}
	// The unit being read: UAX #29 clusters joined by joinsUnit.
	unitOpen, unitStart, unitEnd := false, 0, 0
	closeUnit := func() {
		if unitOpen {
			cluster(unitStart, unitEnd)
			unitOpen = false
		}
	}
	it := words.FromBytes(input)
	for it.Next() {
		seg := it.Value()
		start, end := it.Start(), it.End()
		class := classify(seg)
		if class == classCluster {
			if unitOpen && unitEnd == start && joinsUnit(input[unitStart:unitEnd], seg) {
				unitEnd = end
				continue
			}
			closeUnit()
			unitOpen, unitStart, unitEnd = true, start, end
			continue
		}
		closeUnit()
		switch class {
		case classSkip:
			// Spaces inside unspaced text do not end the run of clusters
			// only if they are zero-width; anything else does.
			if !isZeroWidth(seg) {
				flushLone()
			}
		default:
			flushLone()
			term := foldWord(seg)
			if len(term) == 0 {
				continue
			}
			typ := analysis.AlphaNumeric
			if isNumeric(term) {
				typ = analysis.Numeric
			}
			if a.english {
				term = possessive(term)
				if typ == analysis.AlphaNumeric && isASCII(term) {
					term = stem(term)
				}
			}
			emit(term, start, end, pos, typ)
			pos++
		}
	}
	closeUnit()
	flushLone()
}

// joinsUnit reports whether the UAX #29 cluster seg belongs to the same
// unit as unit, the clusters just before it. Only joins that can never cross
// a word boundary are made, so that a word typed alone is cut into the same
// units as inside running text: a Thai or Lao leading vowel (เ แ โ ใ ไ) with
// what follows it; a Khmer coeng or a Burmese virama (a consonant stacked
// under the next: "ខ្", "မ္") with what follows it; a Thai or Lao vowel that
// never starts a syllable (ะ า ำ) with what precedes it; a Burmese final
// consonant (a consonant killed by asat, "က်", or kinzi) with what precedes
// it.
func joinsUnit(unit, seg []byte) bool {
	last, _ := utf8.DecodeLastRune(unit)
	if last >= 0x0E40 && last <= 0x0E44 || last >= 0x0EC0 && last <= 0x0EC4 || last == 0x17D2 || last == 0x1039 {
		return true
	}
	first, n := utf8.DecodeRune(seg)
	switch first {
	case 0x0E30, 0x0E32, 0x0E33, 0x0E45, 0x0EB0, 0x0EB2, 0x0EB3:
		return true
	}
	if first < 0x1000 || first > 0x1021 || n == len(seg) {
		return false
	}
	asat := false
	for _, r := range string(seg[n:]) {
		switch r {
		case 0x103A:
			asat = true
		case 0x1037, 0x1038, 0x1039:
		default:
			return false
		}
	}
	return asat
}

// loneUnit reports whether text is one unit of an unspaced script: such a
// unit is indexed only inside the bigrams of its run.
func loneUnit(text []byte) bool {
	units := 0
	var unit []byte
	start := -1
	it := words.FromBytes(text)
	for it.Next() {
		seg := it.Value()
		if classify(seg) != classCluster {
			return false
		}
		if start >= 0 && joinsUnit(unit, seg) {
			unit = text[start:it.End()]
			continue
		}
		units++
		start = it.Start()
		unit = seg
	}
	return units == 1
}

// possessive strips the English possessive suffix ("'s", "’s", "＇s"), as
// bleve's possessive_en filter does.
func possessive(term []byte) []byte {
	last, n := utf8.DecodeLastRune(term)
	if last != 's' && last != 'S' {
		return term
	}
	prev, m := utf8.DecodeLastRune(term[:len(term)-n])
	if prev == '\'' || prev == '’' || prev == '＇' {
		return term[:len(term)-n-m]
	}
	return term
}

// stemCache remembers the English stems of the most common words: the
// Snowball stemmer costs more than the rest of the analysis.
var stemCache = struct {
	sync.RWMutex
	m map[string][]byte
}{m: map[string][]byte{}}

const stemCacheMax = 1 << 16

// stem returns the English stem of an ASCII word. The result may be shared:
// it must not be modified.
func stem(w []byte) []byte {
	stemCache.RLock()
	s, ok := stemCache.m[string(w)]
	stemCache.RUnlock()
	if ok {
		return s
	}
	t := &analysis.Token{Term: append([]byte(nil), w...), Type: analysis.AlphaNumeric}
	englishStemmer.Filter(analysis.TokenStream{t})
	s = t.Term
	stemCache.Lock()
	if len(stemCache.m) < stemCacheMax {
		stemCache.m[string(w)] = s
	}
	stemCache.Unlock()
	return s
}

func isZeroWidth(seg []byte) bool {
	for _, r := range string(seg) {
		if r != 0x200B && r != 0x200C && r != 0x200D && r != 0xFEFF {
			return false
		}
	}
	return true
}

func isNumeric(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// foldWord lower-cases a word, drops combining accents, folds Latin letters
// to ASCII (Lucene's table, through bleve) and digits of every script to
// ASCII digits. It drops trailing and leading characters that are neither
// letters nor digits (UAX #29 keeps "_" and some joiners).
func foldWord(seg []byte) []byte {
	if isASCII(seg) {
		lower := true
		for _, c := range seg {
			if c >= 'A' && c <= 'Z' || !isASCIIAlnum(c) {
				lower = false
				break
			}
		}
		if lower {
			return seg
		}
		out := make([]byte, 0, len(seg))
		for _, c := range seg {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if isASCIIAlnum(c) || c == '.' || c == '\'' || c == '_' || c == '-' {
				out = append(out, c)
			}
		}
		return bytes.Trim(out, ".'_-")
	}
	out := make([]byte, 0, len(seg))
	for _, r := range string(seg) {
		switch {
		case r >= 0x0300 && r <= 0x036F: // combining accents (decomposed text)
			continue
		case unicode.IsDigit(r):
			if d, ok := digitValue(r); ok {
				out = append(out, byte('0'+d))
				continue
			}
		case r == 0x2019 || r == 0x02BC: // typographic apostrophes
			r = '\''
		}
		out = utf8.AppendRune(out, unicode.ToLower(r))
	}
	if !isASCII(out) {
		out = folder.Filter(out)
	}
	return bytes.Trim(out, ".'_-")
}

// digitValue maps a decimal digit of any script to its value. Unicode keeps
// every script's digits in runs of ten starting at zero.
func digitValue(r rune) (int, bool) {
	for z := r; z >= r-9; z-- {
		if !unicode.IsDigit(z) {
			return int(r - z - 1), true
		}
		if z == r-9 {
			return int(r - z), true
		}
	}
	return 0, false
}
