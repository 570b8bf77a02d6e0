package extract

import (
	"unicode"
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
	for _, r := range s {
		if r < 0x80 {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				counts[len(scripts)-1]++
				letters++
				seen++
			}
		} else if isVietnamese(r) {
			counts[len(scripts)-1]++
			viet++
			letters++
			seen++
		} else if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
			for i, sc := range scripts {
				if unicode.Is(sc.table, r) {
					counts[i]++
					if i >= 4 && i <= 7 {
						counts[i]++ // a Han, kana or Hangul character is worth a short word
					}
					if i == len(scripts)-1 {
						letters++
					}
					break
				}
			}
			seen++
		}
		if seen >= scriptSample {
			break
		}
	}
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

var indonesianWords = map[string]bool{
	"yang": true, "dan": true, "di": true, "tidak": true, "dengan": true,
	"untuk": true, "ini": true, "itu": true, "dari": true, "ke": true,
	"saya": true, "akan": true, "ada": true, "kami": true, "sudah": true,
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
				lw := make([]byte, len(w))
				for i := 0; i < len(w); i++ {
					c := w[i]
					if 'A' <= c && c <= 'Z' {
						c += 'a' - 'A'
					}
					lw[i] = c
				}
				if indonesianWords[string(lw)] {
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
