package extract

import (
	"strings"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// toNFC returns s as valid UTF-8 (each maximal ill-formed sequence
// replaced by U+FFFD, as a UTF-8 decoder does) in Unicode normalization
// form C, so that text decoded from windows-1258 or typed on a phone with
// decomposed accents matches a query typed precomposed.
func toNFC(s string) string {
	if quickNFC(s) {
		return s
	}
	s = validUTF8String(s)
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// quickNFC is a fast, conservative check for the common scripts of the
// region: it says true only for valid UTF-8 made of characters that NFC leaves
// alone (ASCII, Latin letters, Thai, Lao, Khmer, Burmese, Han, kana,
// Hangul syllables, common punctuation) in which combining marks already
// stand in canonical order (Thai SARA U then MAI THO is normal; the
// reverse is not) and no pair composes (Burmese U+1025 U+102E). Anything
// else goes to the full check.
func quickNFC(s string) bool {
	prevCCC := uint8(0) // canonical combining class of the previous character
	prev := rune(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			prevCCC, prev = 0, 0
			i++
			if i+8 <= len(s) && s[i] < utf8.RuneSelf {
				i = skipASCII(s, i)
			}
			continue
		}
		var r rune
		switch {
		case c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if r < 0x800 {
				return false // overlong: invalid
			}
			i += 3
		case c&0xE0 == 0xC0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			if r < 0x80 {
				return false // overlong: invalid
			}
			i += 2
		default:
			return false // four bytes (no script of the quick list) or invalid
		}
		switch v := quickNFCTable[r]; v {
		case 0:
			prevCCC = 0
		case quickNo:
			return false // surrogates too: invalid
		case quickAfter1025:
			if prev == 0x1025 {
				return false // composes to U+1026
			}
			prevCCC = 0
		default:
			if prevCCC > v {
				return false
			}
			prevCCC = v
		}
		prev = r
	}
	return true
}

// scanNFCScript is quickNFC and DetectScript in one pass over s: ok is
// what quickNFC(s) returns and, when ok, script and lang are what
// DetectScript(s) returns. When not ok, script and lang are not set.
func scanNFCScript(s string) (ok bool, script, lang string) {
	const latin = 13
	var counts [16]int
	var viet, letters, seen int
	prevCCC := uint8(0)
	prev := rune(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			prevCCC, prev = 0, 0
			if seen < scriptSample {
				if asciiLetter[c] {
					counts[latin]++
					letters++
					seen++
				}
				i++
			} else {
				i = skipASCII(s, i+1)
			}
			continue
		}
		var r rune
		switch {
		case c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if r < 0x800 {
				return false, "", ""
			}
			i += 3
		case c&0xE0 == 0xC0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			if r < 0x80 {
				return false, "", ""
			}
			i += 2
		default:
			return false, "", ""
		}
		switch v := quickNFCTable[r]; v {
		case 0:
			prevCCC = 0
		case quickNo:
			return false, "", ""
		case quickAfter1025:
			if prev == 0x1025 {
				return false, "", ""
			}
			prevCCC = 0
		default:
			if prevCCC > v {
				return false, "", ""
			}
			prevCCC = v
		}
		prev = r
		if seen < scriptSample {
			// As DetectScript counts: the character is valid and in the
			// Basic Multilingual Plane.
			if idx := int(scriptTable[r]); idx >= 0 {
				seen++
				counts[idx]++
				switch {
				case idx == latin:
					letters++
					if isVietnamese(r) {
						viet++
					}
				case idx >= 4 && idx <= 7:
					counts[idx]++
				}
			}
		}
	}
	script, lang = chooseScript(&counts, viet, letters, s)
	return true, script, lang
}

// skipASCII returns the index of the first byte at or after i that is
// not ASCII, eight bytes at a time.
func skipASCII(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	return i
}

const (
	quickNo        = 255 // not in the quick list
	quickAfter1025 = 254 // U+102E: composes with a preceding U+1025
)

// quickNFCTable gives, for each character of the Basic Multilingual Plane,
// 0 for a character of the quick list that NFC leaves alone, its canonical
// combining class for a mark of the list, or quickNo.
var quickNFCTable = func() *[0x10000]uint8 {
	var t [0x10000]uint8
	for r := rune(0x80); r < 0x10000; r++ {
		v := uint8(quickNo)
		switch {
		case r >= 0x0E01 && r <= 0x0E7F:
			switch {
			case r == 0x0E38 || r == 0x0E39:
				v = 103
			case r == 0x0E3A:
				v = 9
			case r >= 0x0E48 && r <= 0x0E4B:
				v = 107
			default:
				v = 0
			}
		case r >= 0x0E81 && r <= 0x0EFF:
			switch {
			case r == 0x0EB8 || r == 0x0EB9:
				v = 118
			case r == 0x0EBA:
				v = 9
			case r >= 0x0EC8 && r <= 0x0ECB:
				v = 122
			default:
				v = 0
			}
		case r >= 0x1780 && r <= 0x17FF:
			switch r {
			case 0x17D2:
				v = 9
			case 0x17DD:
				v = 230
			default:
				v = 0
			}
		case r >= 0x1000 && r <= 0x109F:
			switch r {
			case 0x1037:
				v = 7
			case 0x1039, 0x103A:
				v = 9
			case 0x108D:
				v = 220
			case 0x102E:
				v = quickAfter1025
			default:
				v = 0
			}
		case r >= 0x00A0 && r <= 0x024F, r >= 0x1E00 && r <= 0x1EFF,
			r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF,
			r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0x3000 && r <= 0x3029, r >= 0x3030 && r <= 0x303F, r >= 0xFF01 && r <= 0xFF5E,
			r >= 0x2010 && r <= 0x205E, r == 0xFFFD:
			v = 0
		}
		t[r] = v
	}
	return &t
}()

// validUTF8String returns s with each maximal ill-formed UTF-8 sequence
// replaced by U+FFFD, as the UTF-8 decoder does for a stream (a leading
// byte-order mark is kept).
func validUTF8String(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := xunicode.UTF8.NewDecoder().String(s); err == nil {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// validUTF8 is validUTF8String for bytes.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return []byte(validUTF8String(string(b)))
}
