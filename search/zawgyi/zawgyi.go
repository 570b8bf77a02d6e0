// Package zawgyi detects Burmese text in the legacy Zawgyi encoding and
// converts it to Unicode.
//
// Zawgyi reuses Myanmar code points for other letters and stores the
// vowel sign E (U+1031) and medial RA before the consonant, in visual
// order; much Burmese text in evidence (chats, documents from before 2019)
// is in it. Unicode text must not be "converted": the detector scores the
// ordering and code point patterns that only one of the encodings allows,
// and leans to Unicode when unsure.
package zawgyi

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

type ruleSpec struct {
	from, to string
	ahead    string
	notAhead bool
	atStart  bool
}

type rule struct {
	ruleSpec
	re    *regexp.Regexp
	ahead *regexp.Regexp
}

var rules = func() []rule {
	out := make([]rule, len(zg2uni))
	for i, s := range zg2uni {
		out[i] = rule{ruleSpec: s, re: regexp.MustCompile(s.from)}
		if s.ahead != "" {
			out[i].ahead = regexp.MustCompile(`^(?:` + s.ahead + `)`)
		}
	}
	return out
}()

// Convert converts Zawgyi text to Unicode. Text that is not Zawgyi is
// damaged by it: call Normalize, which detects first.
func Convert(s string) string {
	for i := range rules {
		r := &rules[i]
		if r.ahead == nil && !r.atStart {
			s = r.re.ReplaceAllString(s, r.to)
			continue
		}
		s = r.replaceWithLookahead(s)
	}
	return s
}

// replaceWithLookahead does what JavaScript's replace does with a (?=...) or
// (?!...) at the end of the pattern: a match counts only if what follows
// it matches (or does not match) the look-ahead.
func (r *rule) replaceWithLookahead(s string) string {
	var b strings.Builder
	pos := 0
	for pos <= len(s) {
		if r.atStart && pos > 0 {
			break
		}
		loc := r.re.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		ok := r.ahead == nil || r.ahead.MatchString(s[end:]) != r.notAhead
		if !ok {
			// Try again one character further on.
			_, w := utf8.DecodeRuneInString(s[start:])
			if w == 0 {
				break
			}
			b.WriteString(s[pos : start+w])
			pos = start + w
			continue
		}
		b.WriteString(s[pos:start])
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		b.Write(r.re.ExpandString(nil, r.to, s, loc))
		if end == start {
			if end < len(s) {
				_, w := utf8.DecodeRuneInString(s[end:])
				b.WriteString(s[end : end+w])
				end += w
			} else {
				pos = end + 1
				break
			}
		}
		pos = end
	}
	if pos < len(s) {
		b.WriteString(s[pos:])
	}
	return b.String()
}

// Normalize returns s with every line that reads as Zawgyi converted to
// Unicode; other lines, and text without Burmese, come back unchanged.
func Normalize(s string) string {
	if !hasMyanmar(s) {
		return s
	}
	if !strings.Contains(s, "\n") {
		if IsZawgyi(s) {
			return Convert(s)
		}
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	changed := false
	for i, l := range lines {
		if hasMyanmar(l) && IsZawgyi(l) {
			lines[i] = Convert(l)
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "")
}

func hasMyanmar(s string) bool {
	// U+1000..U+109F encode as E1 80 80 .. E1 82 9F in UTF-8.
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xE1 && (s[i+1] == 0x80 || s[i+1] == 0x81 || s[i+1] == 0x82) {
			return true
		}
	}
	return false
}
