package zawgyi

import "unicode/utf8"

// IsZawgyi reports whether s reads as Burmese in the Zawgyi encoding. It
// weighs orderings and code points that only one encoding allows:
//
//   - Zawgyi stores the vowel sign E (U+1031) and medial RA (U+103B in
//     Zawgyi) before their consonant, so they follow a space, a vowel or the
//     start; in Unicode they always follow a consonant.
//   - Zawgyi's U+1039 is the asat, which ends a syllable (space, visarga,
//     dot below or the end follow it); Unicode's U+1039 is a virama that
//     always stacks the next consonant.
//   - Zawgyi draws stacked consonants and variants with U+1060..U+1097,
//     which Unicode Burmese never uses; Unicode writes kinzi as U+1004
//     U+103A U+1039 and medial HA as U+103E, which Zawgyi does not.
//
// Text without Burmese is not Zawgyi. When the two weigh the same, the
// answer is Unicode: converting Unicode text would damage it.
func IsZawgyi(s string) bool {
	z, u := score(s)
	return z > u
}

func isConsonant(r rune) bool { return r >= 0x1000 && r <= 0x102A || r == 0x103F }

func isMedialOrStack(r rune) bool {
	return r >= 0x103B && r <= 0x103E || r >= 0x105A && r <= 0x109F
}

// syllableEnd is what may follow a syllable-final mark: nothing Burmese
// that continues the syllable.
func syllableEnd(r rune) bool {
	return r < 0x1000 || r > 0x109F || r == 0x1038 || r == 0x1037 || r == 0x104A || r == 0x104B || r == 0x1094 || r == 0x1095
}

func score(s string) (z, u int) {
	var prev rune = ' '
	for i, r := range s {
		if r < 0x1000 || r > 0x109F {
			prev = r
			continue
		}
		next := rune(' ')
		if j := i + utf8.RuneLen(r); j < len(s) {
			next, _ = utf8.DecodeRuneInString(s[j:])
		}
		switch {
		case r == 0x1031:
			if isConsonant(next) && !isConsonant(prev) && !isMedialOrStack(prev) && prev != 0x1039 {
				z += 2
			} else if (isConsonant(prev) || isMedialOrStack(prev)) && !isConsonant(next) && next != 0x103B {
				u++
			}
		case r == 0x103B:
			if !isConsonant(prev) && !isMedialOrStack(prev) && isConsonant(next) {
				z += 2
			}
		case r == 0x1039:
			if !isConsonant(prev) || syllableEnd(next) || next == 0x1031 {
				z += 2
			}
		case r == 0x103A:
			switch {
			case prev == 0x1004 && next == 0x1039:
				u += 2
			case next >= 0x102B && next <= 0x1032 || next == 0x1036:
				// Zawgyi's medial YA takes vowel signs; an asat ends
				// the syllable.
				z += 2
			case next >= 0x1087 && next <= 0x108D:
				u += 2 // Shan tone after asat
			case syllableEnd(next) && isConsonant(prev):
				u++
			}
		case r == 0x103E:
			u += 2
		case r >= 0x1060 && r <= 0x1097:
			// Shan and Karen letters live here in Unicode; they take
			// the asat, Zawgyi's stacked forms do not.
			if next == 0x103A {
				u += 2
			} else {
				z++
			}
		case r == 0x1033 || r == 0x1034:
			z++
		}
		prev = r
	}
	return z, u
}
