package extract

import (
	"unicode"
	"unicode/utf8"
)

// scriptSample bounds how many letters DetectScript looks at.
const scriptSample = 4096

var scripts = []struct {
	name  string
	table *unicode.RangeTable
	lang  string
}{
	{"Thai", unicode.Thai, "th"},
	{"Lao", unicode.Lao, "lo"},
	{"Khmer", unicode.Khmer, "km"},
	{"Myanmar", unicode.Myanmar, "my"},
	{"Han", unicode.Han, "zh"},
	{"Hiragana", unicode.Hiragana, "ja"},
	{"Katakana", unicode.Katakana, "ja"},
	{"Hangul", unicode.Hangul, "ko"},
	{"Arabic", unicode.Arabic, ""},
	{"Cyrillic", unicode.Cyrillic, ""},
	{"Devanagari", unicode.Devanagari, ""},
	{"Tamil", unicode.Tamil, "ta"},
	{"Bengali", unicode.Bengali, "bn"},
	{"Latin", unicode.Latin, ""},
}

// DetectScript returns the dominant writing system of s ("Thai", "Lao",
// "Khmer", "Myanmar", "Han", "Latin"...) and a best guess at its language
// as a BCP 47 tag: exact for the scripts of a single language (Thai, Lao,
// Khmer, Burmese), "zh" or "ja" for Han, "vi" for Latin with Vietnamese
// letters, "id" for Latin with common Indonesian/Malay words, "" otherwise.
// It looks at the first 4096 letters.
func DetectScript(s string) (script, lang string) {
	var counts [16]int
	var viet, letters int
	seen := 0
	const latin = 13
	for i := 0; i < len(s) && seen < scriptSample; {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiLetter[c] {
				counts[latin]++
				letters++
				seen++
			}
			i++
			continue
		}
		// Two- and three-byte characters (every script of the table) are
		// decoded inline; anything else, valid or not, as the standard
		// decoder does.
		var r rune
		switch {
		case c&0xE0 == 0xC0 && c >= 0xC2 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			i += 2
		case c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
			(c != 0xE0 || s[i+1] >= 0xA0) && (c != 0xED || s[i+1] < 0xA0):
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		default:
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
		}
		var idx int
		if r < 0x10000 {
			idx = int(scriptTable[r])
		} else {
			idx = scriptIndex(r)
		}
		if idx < 0 {
			continue
		}
		seen++
		counts[idx]++
		switch {
		case idx == latin:
			letters++
			if isVietnamese(r) {
				viet++
			}
		case idx >= 4 && idx <= 7:
			counts[idx]++ // a Han, kana or Hangul character is worth a short word
		}
	}
	return chooseScript(&counts, viet, letters, s)
}

// chooseScript names the dominant script of s from its counts.
func chooseScript(counts *[16]int, viet, letters int, s string) (script, lang string) {
	best := -1
	for i := range scripts {
		if counts[i] > 0 && (best < 0 || counts[i] > counts[best]) {
			best = i
		}
	}
	if best < 0 {
		return "", ""
	}
	sc := scripts[best]
	switch sc.name {
	case "Han", "Hiragana", "Katakana":
		if counts[5]+counts[6] > 0 {
			return sc.name, "ja"
		}
		return sc.name, "zh"
	case "Latin":
		if viet*25 >= letters && viet >= 2 {
			return "Latin", "vi"
		}
		if looksIndonesian(s) {
			return "Latin", "id"
		}
		return "Latin", ""
	}
	return sc.name, sc.lang
}

// asciiLetter tells the ASCII letters.
var asciiLetter = func() (t [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	return t
}()

// scriptTable is scriptIndex for the Basic Multilingual Plane.
var scriptTable = func() *[0x10000]int8 {
	var t [0x10000]int8
	for r := range t {
		t[r] = int8(scriptIndex(rune(r)))
	}
	return &t
}()

// scriptIndex returns r's index in scripts, or -1 for punctuation, digits,
// symbols and scripts not listed. The blocks of the region come first, by
// range, for speed; the rest go through the unicode tables.
func scriptIndex(r rune) int {
	switch {
	case r >= 0x0E00 && r <= 0x0E7F:
		return 0
	case r >= 0x0E80 && r <= 0x0EFF:
		return 1
	case r >= 0x1780 && r <= 0x17FF, r >= 0x19E0 && r <= 0x19FF:
		return 2
	case r >= 0x1000 && r <= 0x109F, r >= 0xAA60 && r <= 0xAA7F, r >= 0xA9E0 && r <= 0xA9FF:
		return 3
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
		return 4
	case r >= 0x3040 && r <= 0x309F:
		return 5
	case r >= 0x30A0 && r <= 0x30FF:
		return 6
	case r >= 0xAC00 && r <= 0xD7AF:
		return 7
	case r >= 0x00C0 && r <= 0x024F && r != 0xD7 && r != 0xF7, r >= 0x1E00 && r <= 0x1EFF, r >= 0x0300 && r <= 0x0323:
		return 13
	case r < 0x0370, r >= 0x2000 && r <= 0x2BFF, r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF20:
		return -1 // punctuation, symbols, combining marks of other uses
	}
	if !unicode.IsLetter(r) && !unicode.IsMark(r) {
		return -1
	}
	for i, sc := range scripts {
		if unicode.Is(sc.table, r) {
			return i
		}
	}
	return -1
}

// isVietnamese reports letters and marks that are typical of Vietnamese:
// ă â đ ê ô ơ ư, the Latin Extended Additional block of tone-marked vowels,
// and combining tone marks.
func isVietnamese(r rune) bool {
	switch r {
	case 'ă', 'Ă', 'â', 'Â', 'đ', 'Đ', 'ê', 'Ê', 'ô', 'Ô', 'ơ', 'Ơ', 'ư', 'Ư',
		'\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9
}

// indonesianWord reports the common Indonesian (and Malay) function
// words, given in lower case.
func indonesianWord(w string) bool {
	switch w {
	case "yang", "dan", "di", "tidak", "dengan", "untuk", "ini", "itu", "dari", "ke",
		"saya", "akan", "ada", "kami", "sudah":
		return true
	}
	return false
}

// looksIndonesian counts common Indonesian (and Malay) function words in
// the first few hundred words.
func looksIndonesian(s string) bool {
	words, hits := 0, 0
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := s[start:end]
			if len(w) <= 6 {
				var lw [6]byte
				for i := 0; i < len(w); i++ {
					c := w[i]
					if 'A' <= c && c <= 'Z' {
						c += 'a' - 'A'
					}
					lw[i] = c
				}
				if indonesianWord(string(lw[:len(w)])) {
					hits++
				}
			}
			words++
			start = -1
		}
	}
	for i := 0; i < len(s) && words < 400; i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
		}
	}
	if words < 400 {
		flush(len(s))
	}
	return hits >= 2 && hits*8 >= words
}
