package crypto

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
)

// A recovery code is 30 random Crockford base32 symbols (150 bits) and 2
// check symbols, shown as eight groups of four: "7KQ2-M9XD-...". The check
// symbols catch typing mistakes before the slow KDF runs. The normalised
// form (upper case, no separators) is the passphrase of keys/recovery.age.
const (
	recoveryRandom = 30
	recoveryCheck  = 2
	recoveryGroup  = 4
	crockford      = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// ErrRecoveryCodeTypo is returned for a code whose check symbols do not match.
var ErrRecoveryCodeTypo = errors.New("recovery code has a typing mistake (check symbols do not match)")

// NewRecoveryCode returns a fresh recovery code in its display form.
func NewRecoveryCode() (string, error) {
	raw := make([]byte, recoveryRandom)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	sym := make([]byte, recoveryRandom, recoveryRandom+recoveryCheck)
	for i, b := range raw {
		sym[i] = crockford[b&31]
	}
	Wipe(raw)
	sym = append(sym, recoveryChecksum(sym)...)
	var out strings.Builder
	for i, c := range sym {
		if i > 0 && i%recoveryGroup == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(c)
	}
	Wipe(sym)
	return out.String(), nil
}

func recoveryChecksum(sym []byte) []byte {
	h := sha256.Sum256(append([]byte("casevault/v1/recovery-check\x00"), sym...))
	return []byte{crockford[h[0]&31], crockford[h[1]&31]}
}

// NormalizeRecoveryCode accepts a code as a person types it (any case,
// spaces or hyphens between groups, O for 0 and I or L for 1) and returns
// its normalised form, or an error saying what is wrong with it.
func NormalizeRecoveryCode(code []byte) ([]byte, error) {
	out := make([]byte, 0, recoveryRandom+recoveryCheck)
	for _, c := range code {
		switch {
		case c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		}
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		case 'U':
			Wipe(out)
			return nil, errors.New("recovery code contains the letter U, which is never used: check the code")
		}
		if strings.IndexByte(crockford, c) < 0 {
			Wipe(out)
			return nil, errors.New("recovery code contains a character that is not a letter or digit")
		}
		out = append(out, c)
	}
	if len(out) != recoveryRandom+recoveryCheck {
		n := len(out)
		Wipe(out)
		return nil, fmt.Errorf("recovery code has %d symbols, want %d (eight groups of four)", n, recoveryRandom+recoveryCheck)
	}
	want := recoveryChecksum(out[:recoveryRandom])
	if want[0] != out[recoveryRandom] || want[1] != out[recoveryRandom+1] {
		Wipe(out)
		return nil, ErrRecoveryCodeTypo
	}
	return out, nil
}
