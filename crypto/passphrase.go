package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
	"golang.org/x/crypto/scrypt"
)

// Work factor bounds for the scrypt passphrase KDF (log2 of N, r=8, p=1, as
// age uses). MaxWorkFactor caps what a file may ask for on read, so that a
// tampered key file cannot make the program spend minutes or gigabytes:
// 2^20 with r=8 is 1 GiB of memory and a few seconds on a slow machine.
const (
	MinWorkFactor     = 10
	MaxWorkFactor     = 20
	minCalibratedWork = 15
	calibrationTarget = time.Second
)

var (
	// ErrWrongPassphrase is returned when a passphrase (or recovery code)
	// does not open a key file whose integrity was otherwise confirmed.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	// ErrDamaged is returned when an encrypted file fails authentication,
	// is truncated, or is not a well-formed age file.
	ErrDamaged = errors.New("file is damaged or tampered with")
)

// CalibrateWorkFactor measures scrypt on this machine and returns the work
// factor (log2 N) that takes about one second, within
// [minCalibratedWork, MaxWorkFactor].
func CalibrateWorkFactor() int {
	const probe = 14
	start := time.Now()
	out, err := scrypt.Key([]byte("calibration"), make([]byte, 16), 1<<probe, 8, 1, 32)
	if err != nil {
		return 18
	}
	Wipe(out)
	elapsed := time.Since(start)
	logN := probe
	for elapsed < calibrationTarget/2 && logN < MaxWorkFactor {
		elapsed *= 2
		logN++
	}
	if logN < minCalibratedWork {
		logN = minCalibratedWork
	}
	return logN
}

// EncryptWithPassphrase encrypts plaintext into an age scrypt file: the same
// file `age -p` makes, which `age -d` opens with the passphrase.
func EncryptWithPassphrase(plaintext, passphrase []byte, workFactor int) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, errors.New("passphrase is empty")
	}
	if workFactor < MinWorkFactor || workFactor > MaxWorkFactor {
		return nil, fmt.Errorf("scrypt work factor %d outside [%d, %d]", workFactor, MinWorkFactor, MaxWorkFactor)
	}
	// age takes the passphrase as a string, which cannot be wiped; it lives
	// only as long as this call (best effort, see README "Security model").
	r, err := age.NewScryptRecipient(string(passphrase))
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(workFactor)
	var buf bytes.Buffer
	if err := Encrypt(&buf, plaintext, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecryptWithPassphrase opens an age scrypt file. It returns
// ErrWrongPassphrase when the passphrase does not unwrap the file key, and
// ErrDamaged when the file is malformed, asks for a work factor above
// MaxWorkFactor, or fails authentication after the key was unwrapped.
//
// A flipped bit in the wrapped key looks exactly like a wrong passphrase to
// scrypt; callers that must tell the two apart check the file's hash first
// (see casefile's workspace.json).
func DecryptWithPassphrase(data, passphrase []byte) ([]byte, error) {
	return decryptWithPassphrase(data, passphrase, MaxWorkFactor)
}

func decryptWithPassphrase(data, passphrase []byte, maxWorkFactor int) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, ErrWrongPassphrase
	}
	id, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return nil, err
	}
	id.SetMaxWorkFactor(maxWorkFactor)
	r, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrWrongPassphrase
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		Wipe(out)
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return out, nil
}
