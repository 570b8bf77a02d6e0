package extract

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// toNFC returns s in Unicode normalization form C, so that text decoded
// from windows-1258 or typed on a phone with decomposed accents matches a
// query typed precomposed.
func toNFC(s string) string {
	if quickNFC(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// quickNFC is a fast, conservative check for the common scripts of the
// region: it says true only for text made of characters that NFC leaves
// alone (ASCII, Latin letters, Thai, Lao, Khmer, Burmese, Han, kana,
// Hangul syllables, common punctuation) and in which no two combining
// marks with a reordering class follow each other. Anything else goes to
// the full check.
func quickNFC(s string) bool {
	prevMark := false
	for i := 0; i < len(s); {
		if s[i] < 0x80 {
			prevMark = false
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		mark := false
		switch {
		case r >= 0x0E01 && r <= 0x0E7F:
			mark = r == 0x0E38 || r == 0x0E39 || r == 0x0E3A || r >= 0x0E48 && r <= 0x0E4B
		case r >= 0x0E81 && r <= 0x0EFF:
			mark = r == 0x0EB8 || r == 0x0EB9 || r == 0x0EBA || r >= 0x0EC8 && r <= 0x0ECB
		case r >= 0x1780 && r <= 0x17FF:
			mark = r == 0x17D2 || r == 0x17DD
		case r >= 0x1000 && r <= 0x109F:
			mark = r == 0x1037 || r == 0x1039 || r == 0x103A || r == 0x108D
		case r >= 0x00A0 && r <= 0x024F, r >= 0x1E00 && r <= 0x1EFF,
			r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF,
			r >= 0x3041 && r <= 0x3096, r >= 0x30A1 && r <= 0x30FA, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0x3000 && r <= 0x3029, r >= 0x3030 && r <= 0x303F, r >= 0xFF01 && r <= 0xFF5E,
			r >= 0x2010 && r <= 0x205E, r == 0xFFFD:
		default:
			return false
		}
		if mark && prevMark {
			return false
		}
		prevMark = mark
	}
	return true
}
