package casefile

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/hkdf"
)

// Every blob is an age file to the case's X25519 recipient, so each one
// costs an ephemeral key pair and a Diffie-Hellman with the recipient: two
// X25519 scalar multiplications, about a twentieth of what an import of
// photos and documents spends, on the worker that writes the blob. None
// of it depends on the blob's file key, so an import works it out ahead,
// in a goroutine of its own that runs while the workers wait for the disk
// (an import keeps a core busy only about 70% of the time), and a blob's
// Wrap is then only the ChaCha20-Poly1305 seal of its file key.
//
// The stanza is exactly the one age's X25519Recipient writes (type
// X25519, the ephemeral share as its argument, the file key sealed under
// HKDF-SHA256(shared secret, share || recipient, "age-encryption.org/v1/X25519")
// with a zero nonce), so `age -d` with the case key opens every blob. Each
// precomputed share is used once (taken from a channel) and its wrapping
// key wiped after use or when the import ends.

const x25519Label = "age-encryption.org/v1/X25519"

// x25519Share is an ephemeral share and the key it wraps a file key with.
type x25519Share struct {
	pub  [32]byte
	wrap [chacha20poly1305.KeySize]byte
}

func (s *x25519Share) wipe() { clear(s.wrap[:]) }

// prewrapRecipient is an age recipient for one X25519 public key whose
// ephemeral shares are made ahead by a goroutine (start) and taken by
// Wrap; when none is ready, Wrap makes its own.
type prewrapRecipient struct {
	their  []byte
	shares *madeAhead[*x25519Share] // nil before start
}

// prewrapAhead is how many shares are kept ready.
const prewrapAhead = 64

// newPrewrapRecipient returns a recipient for rcpt (an age X25519
// recipient) whose shares are made ahead once start is called, or nil if
// rcpt is not one (the caller then uses rcpt as it is).
func newPrewrapRecipient(rcpt age.Recipient) *prewrapRecipient {
	x, ok := rcpt.(*age.X25519Recipient)
	if !ok {
		return nil
	}
	their, err := decodeAgeRecipient(x.String())
	if err != nil {
		return nil
	}
	return &prewrapRecipient{their: their}
}

// newShare makes an ephemeral share for r's public key.
func (r *prewrapRecipient) newShare() (*x25519Share, error) {
	var eph [curve25519.ScalarSize]byte
	defer clear(eph[:])
	if _, err := rand.Read(eph[:]); err != nil {
		return nil, err
	}
	pub, err := curve25519.X25519(eph[:], curve25519.Basepoint)
	if err != nil {
		return nil, err
	}
	shared, err := curve25519.X25519(eph[:], r.their)
	if err != nil {
		return nil, err
	}
	defer clear(shared)
	s := &x25519Share{}
	copy(s.pub[:], pub)
	salt := make([]byte, 0, 64)
	salt = append(append(salt, pub...), r.their...)
	if _, err := hkdf.New(sha256.New, shared, salt, []byte(x25519Label)).Read(s.wrap[:]); err != nil {
		return nil, err
	}
	return s, nil
}

// start makes shares ahead until stopAhead is called.
func (r *prewrapRecipient) start() {
	r.shares = startAhead(prewrapAhead, 1, func() (*x25519Share, bool) {
		s, err := r.newShare()
		return s, err == nil // else Wrap makes its own, and reports the error
	}, (*x25519Share).wipe)
}

// stopAhead ends start's goroutine and wipes the shares left.
func (r *prewrapRecipient) stopAhead() { r.shares.close() }

// Wrap seals fileKey for the recipient, as age's X25519Recipient does.
func (r *prewrapRecipient) Wrap(fileKey []byte) ([]*age.Stanza, error) {
	s, ok := r.shares.take()
	if !ok {
		var err error
		if s, err = r.newShare(); err != nil {
			return nil, err
		}
	}
	defer s.wipe()
	aead, err := chacha20poly1305.New(s.wrap[:])
	if err != nil {
		return nil, err
	}
	body := aead.Seal(nil, make([]byte, chacha20poly1305.NonceSize), fileKey, nil)
	return []*age.Stanza{{Type: "X25519", Args: []string{base64.RawStdEncoding.EncodeToString(s.pub[:])}, Body: body}}, nil
}

// decodeAgeRecipient returns the 32-byte public key of an "age1..."
// recipient (Bech32, checksum checked).
func decodeAgeRecipient(s string) ([]byte, error) {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	errBad := errors.New("malformed age recipient")
	if strings.ToLower(s) != s {
		return nil, errBad
	}
	sep := strings.LastIndexByte(s, '1')
	hrp := s[:max(sep, 0)]
	if hrp != "age" || len(s)-sep-1 < 6 {
		return nil, errBad
	}
	var data []byte
	for _, c := range []byte(s[sep+1:]) {
		v := strings.IndexByte(charset, c)
		if v < 0 {
			return nil, errBad
		}
		data = append(data, byte(v))
	}
	// Checksum: the Bech32 polymod of the expanded prefix and the data is 1.
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	var exp []byte
	for _, c := range []byte(hrp) {
		exp = append(exp, c>>5)
	}
	exp = append(exp, 0)
	for _, c := range []byte(hrp) {
		exp = append(exp, c&31)
	}
	for _, v := range append(exp, data...) {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	if chk != 1 {
		return nil, errBad
	}
	data = data[:len(data)-6]
	var out bytes.Buffer
	acc, bits := uint32(0), uint(0)
	for _, v := range data {
		acc = acc<<5 | uint32(v)
		bits += 5
		if bits >= 8 {
			bits -= 8
			out.WriteByte(byte(acc >> bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 || out.Len() != curve25519.PointSize {
		return nil, errBad
	}
	return out.Bytes(), nil
}
