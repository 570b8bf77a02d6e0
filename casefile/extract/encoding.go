package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Encoding names returned by DetectEncoding.
const (
	EncUTF8        = "UTF-8"
	EncUTF16LE     = "UTF-16LE"
	EncUTF16BE     = "UTF-16BE"
	EncWindows874  = "windows-874"  // Thai; a superset of TIS-620
	EncWindows1258 = "windows-1258" // Vietnamese
	EncWindows1252 = "windows-1252"
	EncGB18030     = "GB18030"
	EncBig5        = "Big5"
)

// encodings maps DetectEncoding's names to decoders.
var encodings = map[string]encoding.Encoding{
	EncUTF8:        xunicode.UTF8BOM, // strips a BOM if present
	EncUTF16LE:     xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM),
	EncUTF16BE:     xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM),
	EncWindows874:  charmap.Windows874,
	EncWindows1258: charmap.Windows1258,
	EncWindows1252: charmap.Windows1252,
	EncGB18030:     simplifiedchinese.GB18030,
	EncBig5:        traditionalchinese.Big5,
}

// DetectEncoding guesses the character encoding of a text file from its
// first bytes: a byte-order mark; UTF-16 without one (NUL or script-block
// patterns); valid UTF-8; else the legacy encodings of the region — Thai
// windows-874/TIS-620 (checked by Thai spelling rules), GB18030 or Big5
// (whichever yields more of the commonest Chinese characters),
// windows-1258 when the high bytes look like Vietnamese letters and tone
// marks, and windows-1252 as the last resort.
func DetectEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	}
	e, valid := detectUTF16Valid(head)
	if e != "" {
		return e
	}
	if valid || validUTF8Prefix(head) {
		return EncUTF8
	}
	thai := thaiScore(head)
	gb := hanScore(head, simplifiedchinese.GB18030, commonSimplified)
	b5 := hanScore(head, traditionalchinese.Big5, commonTraditional)
	switch {
	case thai >= 0.95 && gb <= 0 && b5 <= 0:
		return EncWindows874
	case gb > 0 || b5 > 0:
		if b5 > gb {
			return EncBig5
		}
		return EncGB18030
	case thai >= 0.8:
		return EncWindows874
	}
	if vietnameseBytes(head) {
		return EncWindows1258
	}
	return EncWindows1252
}

// validUTF8Prefix is utf8.Valid, forgiving a character cut at the end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := 1; i < 4 && i < len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			return utf8.Valid(b[:len(b)-i])
		}
	}
	return false
}

// detectUTF16 recognises UTF-16 without a byte-order mark: in mostly-ASCII
// text one byte of each pair is NUL; in Thai, Khmer, Vietnamese or Chinese
// text the high bytes repeat from a few Unicode blocks while the low bytes
// vary.
func detectUTF16(head []byte) string {
	e, _ := detectUTF16Valid(head)
	return e
}

// detectUTF16Valid is detectUTF16, also telling when it found head to be
// valid UTF-8 (validUTF8Prefix) on the way.
func detectUTF16Valid(head []byte) (enc string, valid bool) {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		return EncUTF16LE, false
	}
	if bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return EncUTF16BE, false
	}
	n := len(head) &^ 1
	if n < 4 {
		return "", false
	}
	if bytes.IndexByte(head[:n], 0) < 0 {
		// No NUL, the common case: what the statistics below conclude for
		// text that is valid UTF-8 with few control characters is known
		// without them.
		if n/2 < 8 {
			return "", false
		}
		if countControls(head[:n])*20 < n && validUTF8Prefix(head) {
			return "", true
		}
	}
	var zeroEven, zeroOdd int
	var even, odd [256]int
	for i := 0; i < n; i += 2 {
		even[head[i]]++
		odd[head[i+1]]++
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 > pairs*3 && zeroEven*20 < pairs:
		return utf16IfValid(head[:n], EncUTF16LE), false
	case zeroEven*10 > pairs*3 && zeroOdd*20 < pairs:
		return utf16IfValid(head[:n], EncUTF16BE), false
	}
	// Without NULs: one side concentrated on a few values.
	top := func(h *[256]int) int {
		a, b := 0, 0
		for _, v := range h {
			if v > a {
				a, b = v, a
			} else if v > b {
				b = v
			}
		}
		return a + b
	}
	ctl := countControls(head[:n])
	if pairs < 8 {
		return "", false
	}
	if ctl*20 < n && validUTF8Prefix(head) {
		return "", true
	}
	if top(&odd)*10 >= pairs*8 && top(&even)*10 < pairs*5 {
		return utf16IfValid(head[:n], EncUTF16LE), false
	}
	if top(&even)*10 >= pairs*8 && top(&odd)*10 < pairs*5 {
		return utf16IfValid(head[:n], EncUTF16BE), false
	}
	return "", false
}

// isControl marks the control characters that text does not hold (all
// below U+0020 but tab, line feed, vertical tab, form feed and carriage
// return).
var isControl = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		if c < 0x09 || c >= 0x0E {
			t[c] = 1
		}
	}
	return t
}()

func countControls(b []byte) int {
	n := 0
	for _, c := range b {
		n += int(isControl[c])
	}
	return n
}

// utf16IfValid checks that the decoded text is mostly letters, digits,
// punctuation and spaces.
func utf16IfValid(b []byte, enc string) string {
	s, err := encodings[enc].NewDecoder().Bytes(b)
	if err != nil {
		return ""
	}
	good, total := 0, 0
	for _, r := range string(s) {
		total++
		if r == utf8.RuneError || r >= 0xE000 && r < 0xF900 {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsMark(r) || unicode.IsSymbol(r) {
			good++
		}
	}
	if total > 0 && good*10 >= total*9 {
		return enc
	}
	return ""
}

// thaiScore is the share of high bytes that spell valid Thai in TIS-620:
// consonants and independent vowels; above and below marks only after a
// consonant or another mark; leading vowels (เ แ โ ใ ไ) only before a
// consonant; no bytes that TIS-620 leaves undefined.
func thaiScore(b []byte) float64 {
	high, bad := 0, 0
	prev := byte(0) // 'c' consonant, 'm' mark, 'l' leading vowel, 0 other
	for _, c := range b {
		if prev == 'l' && !(c >= 0xA1 && c <= 0xCE) {
			bad++
		}
		if c < 0x80 {
			prev = 0
			continue
		}
		high++
		switch {
		case c >= 0xA1 && c <= 0xCE: // consonants
			prev = 'c'
		case c == 0xD1 || c >= 0xD4 && c <= 0xDA || c >= 0xE7 && c <= 0xEE: // above/below marks
			if prev != 'c' && prev != 'm' {
				bad++
			}
			prev = 'm'
		case c >= 0xE0 && c <= 0xE4: // leading vowels
			prev = 'l'
		case c == 0xCF || c == 0xD0 || c == 0xD2 || c == 0xD3 || c == 0xDF || c == 0xE5 || c == 0xE6 || c >= 0xF0 && c <= 0xFB:
			prev = 0 // following vowels, signs, Thai digits
		case c == 0x85 || c >= 0x91 && c <= 0x97 || c == 0xA0 || c == 0x80:
			prev = 0 // windows-874 punctuation
		default:
			bad++ // undefined in TIS-620
			prev = 0
		}
	}
	if high == 0 {
		return 0
	}
	return 1 - float64(bad)/float64(high)
}

const (
	commonSimplified  = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日钱"
	commonTraditional = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日錢"
)

// hanScore decodes b and counts the commonest characters of the matching
// script, minus decoding errors.
func hanScore(b []byte, enc encoding.Encoding, common string) int {
	s, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return 0
	}
	score := 0
	for _, r := range string(s) {
		switch {
		case r == utf8.RuneError:
			score -= 2
		case strings.ContainsRune(common, r):
			score++
		}
	}
	return score
}

// vietnameseBytes reports high bytes that windows-1258 maps to Vietnamese
// letters (ă â ê ô ơ ư đ) or tone marks, sparse among ASCII letters.
func vietnameseBytes(b []byte) bool {
	viet, high := 0, 0
	for _, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		switch c {
		case 0xC3, 0xE3, 0xC2, 0xE2, 0xCA, 0xEA, 0xD4, 0xF4, 0xD5, 0xF5, 0xDD, 0xFD, 0xD0, 0xF0, // letters
			0xCC, 0xEC, 0xD2, 0xDE, 0xF2: // combining grave, acute, tilde, hook, dot below
			viet++
		}
	}
	return high > 0 && viet*2 >= high
}
