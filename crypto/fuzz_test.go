package crypto

import (
	"testing"
)

// FuzzDecryptWithPassphrase feeds arbitrary key files to the passphrase
// path. The work factor cap is kept low so that each input runs fast; the
// real cap is tested in TestPassphraseWorkFactorCap.
func FuzzDecryptWithPassphrase(f *testing.F) {
	pass := []byte("fuzz passphrase")
	k, _ := GenerateWorkspaceKeys()
	enc, _ := EncryptWithPassphrase(k.IdentityFile(), pass, MinWorkFactor)
	f.Add(enc)
	f.Add([]byte("age-encryption.org/v1\n-> scrypt AAAAAAAAAAAAAAAAAAAAAA 10\nAAAA\n--- AAAA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		plain, err := decryptWithPassphrase(data, pass, 12)
		if err != nil {
			return
		}
		ParseWorkspaceKeys(plain)
	})
}

func FuzzParseWorkspaceKeys(f *testing.F) {
	k, _ := GenerateWorkspaceKeys()
	f.Add(k.IdentityFile())
	f.Add([]byte("# comment\nAGE-SECRET-KEY-1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseWorkspaceKeys(data)
		if err == nil && k.Recipient() == nil {
			t.Fatal("parsed keys without a recipient")
		}
	})
}

func FuzzNormalizeRecoveryCode(f *testing.F) {
	code, _ := NewRecoveryCode()
	f.Add([]byte(code))
	f.Add([]byte("oooo-llll"))
	f.Fuzz(func(t *testing.T, data []byte) {
		norm, err := NormalizeRecoveryCode(data)
		if err != nil {
			return
		}
		again, err := NormalizeRecoveryCode(norm)
		if err != nil || string(again) != string(norm) {
			t.Fatalf("normalised form %q does not normalise to itself", norm)
		}
	})
}
