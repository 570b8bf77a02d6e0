package crypto

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinPassphraseLen is the shortest passphrase accepted, in characters.
const MinPassphraseLen = 12

// Strength is a rough estimate of how hard a passphrase is to guess.
type Strength struct {
	Bits  int    // estimated entropy in bits
	Score int    // 0 (refused) to 4 (strong)
	Hint  string // what to do about it, for the person typing
}

// CheckNewPassphrase refuses passphrases too short or too guessable to
// protect a workspace.
func CheckNewPassphrase(p []byte) error {
	s := EstimateStrength(p)
	if s.Score == 0 {
		return fmt.Errorf("passphrase refused: %s", s.Hint)
	}
	return nil
}

// EstimateStrength estimates entropy from length and character classes,
// discounting repeated characters and runs. It is a guide for the person
// choosing, not a proof: a dictionary attack on a known phrase beats it.
func EstimateStrength(p []byte) Strength {
	if !utf8.Valid(p) {
		return Strength{Hint: "the passphrase is not valid text"}
	}
	n := utf8.RuneCount(p)
	if n < MinPassphraseLen {
		return Strength{Hint: fmt.Sprintf("use at least %d characters (%d so far); a few unrelated words work well", MinPassphraseLen, n)}
	}
	var lower, upper, digit, space, other bool
	distinct := map[rune]bool{}
	runs := 0
	var prev rune = -1
	for _, r := range string(p) {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			space = true
		default:
			other = true
		}
		if r == prev || r == prev+1 || r == prev-1 {
			runs++
		}
		distinct[r] = true
		prev = r
	}
	pool := 0
	for _, c := range []struct {
		on   bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {space, 1}, {other, 33}} {
		if c.on {
			pool += c.size
		}
	}
	if other && !lower && !upper {
		pool += 40 // letters of other scripts count as "other"
	}
	effective := float64(n - runs/2)
	if d := float64(len(distinct)); d < effective/2 {
		effective = d * 2
	}
	bits := int(effective * math.Log2(float64(max(pool, 2))))
	s := Strength{Bits: bits}
	switch {
	case bits < 40 || len(distinct) < 5:
		s.Hint = "too easy to guess: avoid repeated characters and sequences; a few unrelated words work well"
	case bits < 60:
		s.Score, s.Hint = 1, "weak: make it longer"
	case bits < 80:
		s.Score, s.Hint = 2, "fair: a few more characters make it much stronger"
	case bits < 100:
		s.Score, s.Hint = 3, "good"
	default:
		s.Score, s.Hint = 4, "strong"
	}
	if s.Score > 0 && strings.EqualFold(string(p), strings.Repeat(string(p[:1]), n)) {
		s.Score, s.Hint = 0, "too easy to guess"
	}
	return s
}
