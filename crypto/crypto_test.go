package crypto

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"filippo.io/age"
)

func TestPassphraseRoundTrip(t *testing.T) {
	pass := []byte("a long enough passphrase")
	enc, err := EncryptWithPassphrase([]byte("secret"), pass, MinWorkFactor)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecryptWithPassphrase(enc, pass)
	if err != nil || string(got) != "secret" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := DecryptWithPassphrase(enc, []byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	// The standard age library opens it with no CaseVault code.
	id, _ := age.NewScryptIdentity(string(pass))
	if _, err := age.Decrypt(bytes.NewReader(enc), id); err != nil {
		t.Fatalf("age cannot open it: %v", err)
	}
}

func TestPassphraseWorkFactorCap(t *testing.T) {
	pass := []byte("a long enough passphrase")
	enc, _ := EncryptWithPassphrase([]byte("x"), pass, MinWorkFactor)
	// Raise the work factor written in the stanza: the cap must refuse it
	// before any scrypt work is done.
	bad := bytes.Replace(enc, []byte(" 10\n"), []byte(" 21\n"), 1)
	if bytes.Equal(bad, enc) {
		t.Fatal("test setup: work factor not found in the header")
	}
	if _, err := DecryptWithPassphrase(bad, pass); !errors.Is(err, ErrDamaged) {
		t.Fatalf("work factor above the cap: got %v, want ErrDamaged", err)
	}
	if _, err := EncryptWithPassphrase([]byte("x"), pass, MaxWorkFactor+1); err == nil {
		t.Fatal("encrypting with a work factor above the cap succeeded")
	}
}

func TestPassphraseTamper(t *testing.T) {
	pass := []byte("a long enough passphrase")
	enc, _ := EncryptWithPassphrase(bytes.Repeat([]byte("x"), 100_000), pass, MinWorkFactor)
	hdr := bytes.Index(enc, []byte("\n---")) + 48
	for _, off := range []int{0, 5, hdr + 10, len(enc) / 2, len(enc) - 3} {
		bad := bytes.Clone(enc)
		bad[off] ^= 0x01
		if _, err := DecryptWithPassphrase(bad, pass); err == nil {
			t.Errorf("flip at %d: decrypted", off)
		}
	}
	if _, err := DecryptWithPassphrase(enc[:len(enc)-1], pass); !errors.Is(err, ErrDamaged) {
		t.Errorf("truncated: got %v", err)
	}
}

func TestCalibrateWorkFactor(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scrypt for about a second")
	}
	wf := CalibrateWorkFactor()
	if wf < minCalibratedWork || wf > MaxWorkFactor {
		t.Fatalf("calibrated work factor %d outside [%d, %d]", wf, minCalibratedWork, MaxWorkFactor)
	}
}

func TestRecoveryCode(t *testing.T) {
	code, err := NewRecoveryCode()
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 39 || strings.Count(code, "-") != 7 {
		t.Fatalf("code %q is not eight groups of four", code)
	}
	norm, err := NormalizeRecoveryCode([]byte(code))
	if err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	typed = strings.ReplaceAll(typed, "0", "o")
	typed = strings.ReplaceAll(typed, "1", "l")
	norm2, err := NormalizeRecoveryCode([]byte(typed))
	if err != nil || !bytes.Equal(norm, norm2) {
		t.Fatalf("typed variant %q: %q %v", typed, norm2, err)
	}
	// Change one symbol: the check symbols catch it.
	bad := []byte(code)
	if bad[0] == 'A' {
		bad[0] = 'B'
	} else {
		bad[0] = 'A'
	}
	if _, err := NormalizeRecoveryCode(bad); !errors.Is(err, ErrRecoveryCodeTypo) {
		t.Fatalf("typo: got %v", err)
	}
	for _, s := range []string{"", "ABCD", code + "X", strings.Replace(code, string(code[0]), "U", 1), strings.Replace(code, string(code[0]), "*", 1)} {
		if _, err := NormalizeRecoveryCode([]byte(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	other, _ := NewRecoveryCode()
	if other == code {
		t.Fatal("two recovery codes are equal")
	}
}

func TestWorkspaceKeys(t *testing.T) {
	k, err := GenerateWorkspaceKeys()
	if err != nil {
		t.Fatal(err)
	}
	file := k.IdentityFile()
	k2, err := ParseWorkspaceKeys(file)
	if err != nil {
		t.Fatal(err)
	}
	if k.Recipient().String() != k2.Recipient().String() || !bytes.Equal(k.SigningPublicKey(), k2.SigningPublicKey()) {
		t.Fatal("parsed keys differ")
	}
	a, _ := k.DeriveKey(LabelIndex, 32)
	b, _ := k.DeriveKey(LabelBlobNames, 32)
	a2, _ := k2.DeriveKey(LabelIndex, 32)
	if bytes.Equal(a, b) || !bytes.Equal(a, a2) {
		t.Fatal("derived keys: labels must separate, equal identities must agree")
	}
	sig := k.Sign([]byte("msg"))
	if !VerifySignature(k2.SigningPublicKey(), []byte("msg"), sig) || VerifySignature(k2.SigningPublicKey(), []byte("msh"), sig) {
		t.Fatal("signature check")
	}
	// The identity file is a standard age identity file.
	ids, err := age.ParseIdentities(bytes.NewReader(file))
	if err != nil || len(ids) != 1 {
		t.Fatalf("age cannot parse the identity file: %v", err)
	}
	k.Wipe()
	if _, err := k.DeriveKey(LabelIndex, 32); err == nil {
		t.Fatal("wiped keys still derive")
	}
	for _, bad := range []string{"", "# only a comment\n", "AGE-SECRET-KEY-1XYZ\n", string(file) + string(file)} {
		if _, err := ParseWorkspaceKeys([]byte(bad)); !errors.Is(err, ErrDamaged) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

func TestHardenProcess(t *testing.T) {
	if err := HardenProcess(); err != nil {
		t.Fatal(err)
	}
}

func TestPassphraseStrength(t *testing.T) {
	for _, c := range []struct {
		p        string
		minScore int
		maxScore int
	}{
		{"", 0, 0},
		{"short", 0, 0},
		{"aaaaaaaaaaaaaaaa", 0, 0},
		{"123456789012", 0, 0},
		{"abcdefghijklmnop", 0, 1},
		{"correct horse battery staple", 3, 4},
		{"ม้าถูกต้อง แบตเตอรี่ ลวดเย็บ", 3, 4},
		{"Tr0ub4dor&3-Xq!", 2, 4},
	} {
		s := EstimateStrength([]byte(c.p))
		if s.Score < c.minScore || s.Score > c.maxScore || s.Hint == "" {
			t.Errorf("%q: score %d (%d bits, %q), want %d..%d", c.p, s.Score, s.Bits, s.Hint, c.minScore, c.maxScore)
		}
		if err := CheckNewPassphrase([]byte(c.p)); (err == nil) != (s.Score > 0) {
			t.Errorf("%q: CheckNewPassphrase disagrees with the score", c.p)
		}
	}
}
