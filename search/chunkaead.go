package search

import (
	"crypto/cipher"
	"encoding/binary"
	"sync/atomic"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/chacha20poly1305"
)

// An index chunk is XChaCha20-Poly1305 under the index key with a 24-byte
// nonce (doc.go). XChaCha20-Poly1305 is, by definition
// (draft-irtf-cfrg-xchacha), ChaCha20-Poly1305 under the subkey
// HChaCha20(key, nonce[:16]) with the 12-byte nonce 0^4 || nonce[16:24].
// chacha20poly1305.NewX derives that subkey and allocates a cipher on
// every Seal and Open. Every chunk of one file shares its writer's 16-byte
// nonce prefix (writerHook), so the subkey is derived once per file here;
// the bytes written and the checks made are exactly XChaCha20-Poly1305's
// (TestChunkAEADIsXChaCha).

const (
	chunkNonceSize = chacha20poly1305.NonceSizeX // 24
	chunkTagSize   = chacha20poly1305.Overhead   // 16
	chunkOverhead  = chunkNonceSize + chunkTagSize
)

// subkeyAEAD is ChaCha20-Poly1305 under HChaCha20(key, prefix).
type subkeyAEAD struct {
	prefix [16]byte
	aead   cipher.AEAD
}

func newSubkeyAEAD(key []byte, prefix [16]byte) (*subkeyAEAD, error) {
	sub, err := chacha20.HChaCha20(key, prefix[:])
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(sub)
	clear(sub)
	if err != nil {
		return nil, err
	}
	return &subkeyAEAD{prefix: prefix, aead: aead}, nil
}

// putInnerNonce writes into n (12 bytes) the ChaCha20-Poly1305 nonce for
// the XChaCha nonce whose last 8 bytes are tail. The nonce lives in spare
// capacity of the output buffer, beyond what Seal or Open writes: a local
// array passed to the cipher.AEAD interface would be allocated per chunk.
func putInnerNonce(n, tail []byte) []byte {
	n = n[:chacha20poly1305.NonceSize]
	clear(n[:4])
	copy(n[4:], tail)
	return n
}

const innerNonceSize = chacha20poly1305.NonceSize

// chunkSealer encrypts the chunks of one file.
type chunkSealer struct {
	sk      *subkeyAEAD
	ad      []byte
	counter atomic.Uint64
}

func newChunkSealer(key []byte, prefix [16]byte, ad []byte) (*chunkSealer, error) {
	sk, err := newSubkeyAEAD(key, prefix)
	if err != nil {
		return nil, err
	}
	return &chunkSealer{sk: sk, ad: ad}, nil
}

// seal returns nonce || ciphertext || tag, in a new slice (bleve may keep
// what a writer callback returns until it has written it).
func (s *chunkSealer) seal(data []byte) []byte {
	size := chunkOverhead + len(data)
	buf := make([]byte, size+innerNonceSize)
	out := buf[:chunkNonceSize:size] // Seal appends within size
	copy(out, s.sk.prefix[:])
	binary.BigEndian.PutUint64(out[16:], s.counter.Add(1))
	n := putInnerNonce(buf[size:], out[16:chunkNonceSize])
	return s.sk.aead.Seal(out, n, data, s.ad)
}

// chunkOpener decrypts the chunks of one file. It keeps the subkey of the
// last nonce prefix it met: every chunk of a segment file has the same
// prefix, so a file costs one derivation. Readers run concurrently.
type chunkOpener struct {
	key  []byte
	ad   []byte
	last atomic.Pointer[subkeyAEAD]
}

// open authenticates and decrypts chunk (nonce || ciphertext || tag) into
// a new slice.
func (o *chunkOpener) open(chunk []byte) ([]byte, error) {
	if len(chunk) < chunkOverhead {
		return nil, errChunkTooShort
	}
	var prefix [16]byte
	copy(prefix[:], chunk[:16])
	sk := o.last.Load()
	if sk == nil || sk.prefix != prefix {
		var err error
		if sk, err = newSubkeyAEAD(o.key, prefix); err != nil {
			return nil, err
		}
		o.last.Store(sk)
	}
	ptLen := len(chunk) - chunkOverhead
	buf := make([]byte, ptLen+innerNonceSize)
	n := putInnerNonce(buf[ptLen:], chunk[16:chunkNonceSize])
	pt, err := sk.aead.Open(buf[:0:ptLen], n, chunk[chunkNonceSize:], o.ad)
	if err != nil {
		clear(buf[:ptLen])
		return nil, err
	}
	return pt, nil
}
