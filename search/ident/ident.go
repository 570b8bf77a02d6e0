// Package ident finds identifiers in text — phone numbers, IBANs, account
// and other long numbers, passport and ID document numbers, e-mail
// addresses, crypto wallets — and gives each a canonical form, so that
// "+66 81 234 5678", "0812345678" and "66812345678" meet in the index.
//
// Canonical forms are "kind:value": tel: (national significant number, no
// country code, no trunk 0), num: (all the digits), iban:, doc:, email:,
// wallet:.
package ident

import (
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Match is an identifier found in text, with its canonical forms.
type Match struct {
	Start, End int // byte offsets
	Forms      []string
}

// countryCodes are the calling codes of the region, longest first.
var countryCodes = []string{"855", "856", "670", "673", "66", "84", "62", "60", "63", "95", "86", "65", "61", "44", "1"}

var (
	reEmail  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	reIBAN   = regexp.MustCompile(`\b[A-Za-z]{2}[0-9]{2}(?: ?[A-Za-z0-9]){11,30}\b`)
	reETH    = regexp.MustCompile(`\b0x[0-9a-fA-F]{40}\b`)
	reBech32 = regexp.MustCompile(`\b(?:bc1|BC1|tb1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b`)
	reBase58 = regexp.MustCompile(`\b[13T][1-9A-HJ-NP-Za-km-z]{25,34}\b`)
	reDoc    = regexp.MustCompile(`\b[A-Za-z]{1,2} ?[0-9]{6,9}\b`)
)

// Anchored forms of the patterns, tried only at candidate word starts.
var (
	atIBAN   = regexp.MustCompile(`\A` + reIBAN.String())
	atETH    = regexp.MustCompile(`\A` + reETH.String())
	atBech32 = regexp.MustCompile(`\A` + reBech32.String())
	atBase58 = regexp.MustCompile(`\A` + reBase58.String())
	atDoc    = regexp.MustCompile(`\A` + reDoc.String())
)

// FindAll returns the identifiers in text, in order, not overlapping.
// It scans once for word starts and runs the patterns only where one can
// begin: full-text regexps over every chunk cost more than the analysis.
func FindAll(text string) []Match {
	var out []Match
	if strings.IndexByte(text, '@') >= 0 {
		for _, loc := range reEmail.FindAllStringIndex(text, -1) {
			out = append(out, Match{loc[0], loc[1], []string{"email:" + strings.ToLower(text[loc[0]:loc[1]])}})
		}
	}
	if !hasDigit(text) {
		return resolve(out)
	}
	skipTo := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !isAlnum(c) && c != '+' && c != '(' {
			continue
		}
		if i > 0 && isAlnum(text[i-1]) || i < skipTo {
			continue // not a word start
		}
		win := text[i:min(len(text), i+100)]
		if isLetter(c) {
			// Every word pattern has a digit in its first four characters
			// except Tron addresses (T...): skip the regexps for other words.
			if c != 'T' && !hasDigit(win[1:min(len(win), 4)]) {
				continue
			}
			if m, ok := matchWord(win); ok {
				m.Start += i
				m.End += i
				out = append(out, m)
				skipTo = m.End
			}
			continue
		}
		if c == '0' && len(win) > 2 && (win[1] == 'x' || win[1] == 'X') {
			if loc := atETH.FindStringIndex(win); loc != nil {
				out = append(out, Match{i, i + loc[1], []string{"wallet:" + strings.ToLower(win[:loc[1]])}})
				skipTo = i + loc[1]
				continue
			}
		}
		if c == '1' || c == '3' {
			if loc := atBase58.FindStringIndex(win); loc != nil {
				if f := base58Forms(win[:loc[1]]); f != nil {
					out = append(out, Match{i, i + loc[1], f})
					skipTo = i + loc[1]
					continue
				}
			}
		}
		if end := scanNumber(text, i); end > i {
			if f := numberForms(text[i:end]); f != nil {
				out = append(out, Match{i, end, f})
			}
			skipTo = end
		}
	}
	return resolve(out)
}

// matchWord tries the identifiers that start with a letter.
func matchWord(win string) (Match, bool) {
	// An IBAN written in groups may run into the next word ("... 32 from"):
	// drop trailing groups until the check digits agree.
	if loc := atIBAN.FindStringIndex(win); loc != nil {
		cand := win[:loc[1]]
		for {
			if f := ibanForms(cand); f != nil {
				return Match{0, len(cand), f}, true
			}
			i := strings.LastIndexByte(cand, ' ')
			if i < 0 {
				break
			}
			cand = cand[:i]
		}
	}
	if win[0] == 'b' || win[0] == 'B' || win[0] == 't' {
		if loc := atBech32.FindStringIndex(win); loc != nil {
			return Match{0, loc[1], []string{"wallet:" + strings.ToLower(win[:loc[1]])}}, true
		}
	}
	if win[0] == 'T' {
		if loc := atBase58.FindStringIndex(win); loc != nil {
			if f := base58Forms(win[:loc[1]]); f != nil {
				return Match{0, loc[1], f}, true
			}
		}
	}
	if loc := atDoc.FindStringIndex(win); loc != nil {
		return Match{0, loc[1], docForms(win[:loc[1]])}, true
	}
	return Match{}, false
}

// scanNumber returns the end of a number starting at i: digits in groups
// joined by one space, dot, dash or slash, with an optional leading + and
// a bracketed group ("+66 (0)81 234 5678"). It returns i if there is none
// of at least six digits.
func scanNumber(s string, i int) int {
	j := i
	if j < len(s) && s[j] == '+' {
		j++
	}
	digits, end := 0, i
	for j < len(s) && digits <= 24 {
		c := s[j]
		switch {
		case isDigit(c):
			digits++
			j++
			end = j
			continue
		case c == '(':
			k := j + 1
			for k < len(s) && isDigit(s[k]) && k-j <= 4 {
				k++
			}
			if k > j+1 && k < len(s) && s[k] == ')' {
				digits += k - j - 1
				j = k + 1
				if j < len(s) && (s[j] == ' ' || s[j] == '-' || s[j] == '.') && j+1 < len(s) && isDigit(s[j+1]) {
					j++
				}
				continue
			}
		case (c == ' ' || c == '.' || c == '-' || c == '/') && j+1 < len(s) && digits > 0:
			if isDigit(s[j+1]) {
				j++
				continue
			}
			if c == ' ' && s[j+1] == '(' {
				j++
				continue
			}
		}
		break
	}
	if digits < 6 || end == i {
		return i
	}
	return end
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }

// resolve keeps, among overlapping matches, the earliest, then the longest.
func resolve(ms []Match) []Match {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].Start != ms[j].Start {
			return ms[i].Start < ms[j].Start
		}
		return ms[i].End > ms[j].End
	})
	out := ms[:0]
	end := -1
	for _, m := range ms {
		if m.Start >= end {
			out = append(out, m)
			end = m.End
		}
	}
	return out
}

// Extract returns the distinct canonical forms of the identifiers in text.
func Extract(text string) []string {
	var forms []string
	for _, m := range FindAll(text) {
		forms = append(forms, m.Forms...)
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// Canonical returns the canonical forms of s if the whole of s is one
// identifier (as a user would type it in a query), or nil.
func Canonical(s string) []string {
	s = strings.TrimSpace(s)
	ms := FindAll(s)
	if len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(s) {
		return ms[0].Forms
	}
	return nil
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func ibanForms(s string) []string {
	c := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(c) < 15 || len(c) > 34 || !ibanValid(c) {
		return nil
	}
	return []string{"iban:" + c}
}

// ibanValid checks the ISO 13616 mod-97 check digits.
func ibanValid(c string) bool {
	r := c[4:] + c[:4]
	var b strings.Builder
	for _, ch := range r {
		switch {
		case ch >= '0' && ch <= '9':
			b.WriteRune(ch)
		case ch >= 'A' && ch <= 'Z':
			b.WriteString(big.NewInt(int64(ch - 'A' + 10)).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func base58Forms(s string) []string {
	if !hasDigit(s) || strings.ToLower(s) == s || strings.ToUpper(s) == s {
		return nil // real addresses mix cases and digits
	}
	return []string{"wallet:" + s}
}

func docForms(s string) []string {
	return []string{"doc:" + strings.ToUpper(strings.ReplaceAll(s, " ", ""))}
}

// numberForms canonicalises a run of digits: always num:<digits>; tel:<NSN>
// when it reads as a phone number of the region; and the same for each
// group of seven or more digits inside, in case separate numbers ran
// together ("call 0812345678 5 times").
func numberForms(s string) []string {
	d := digitsOf(s)
	if len(d) < 6 {
		return nil
	}
	forms := []string{"num:" + d}
	if nsn, ok := phoneNSN(s, d); ok {
		forms = append(forms, "tel:"+nsn)
	}
	if strings.ContainsAny(s, " ./-") {
		for _, g := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '.' || r == '/' || r == '-' }) {
			gd := digitsOf(g)
			if len(gd) >= 7 && gd != d {
				forms = append(forms, "num:"+gd)
				if nsn, ok := phoneNSN(g, gd); ok {
					forms = append(forms, "tel:"+nsn)
				}
			}
		}
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// phoneNSN gives the national significant number of a phone number written
// in international (+CC, 00CC, CC) or national (0...) form.
func phoneNSN(raw, d string) (string, bool) {
	raw = strings.TrimSpace(raw)
	intl := strings.HasPrefix(raw, "+")
	if strings.HasPrefix(d, "00") && len(d) > 10 {
		d, intl = d[2:], true
	}
	var nsn string
	switch {
	case intl:
		for _, cc := range countryCodes {
			if strings.HasPrefix(d, cc) {
				nsn = strings.TrimPrefix(d[len(cc):], "0")
				break
			}
		}
		if nsn == "" {
			return "", false
		}
	case strings.HasPrefix(d, "0"):
		nsn = d[1:]
	default:
		for _, cc := range countryCodes {
			if strings.HasPrefix(d, cc) && len(d)-len(cc) >= 8 && len(d)-len(cc) <= 10 {
				nsn = d[len(cc):]
				break
			}
		}
	}
	if len(nsn) < 7 || len(nsn) > 11 {
		return "", false
	}
	return nsn, true
}
