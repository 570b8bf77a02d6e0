package casefile

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"filippo.io/age"

	"casevault/crypto"
)

const (
	metaFormat  = "casevault-workspace"
	metaVersion = 1
	metaName    = "workspace.json"
	maxMetaSize = 64 << 10
)

// ErrNotWorkspace is returned for a folder that holds no CaseVault workspace.
var ErrNotWorkspace = errors.New("no CaseVault workspace here")

// ErrDamaged is returned for a file that fails authentication, is truncated,
// or does not parse: it was damaged or tampered with. Nothing of it is used.
var ErrDamaged = crypto.ErrDamaged

// ErrWrongPassphrase is returned when the passphrase does not unlock the
// workspace.
var ErrWrongPassphrase = crypto.ErrWrongPassphrase

// workspaceMeta is workspace.json: the format version and public values
// only. The key files' hashes let a flipped bit in a key file be told apart
// from a wrong passphrase (scrypt cannot tell the two apart).
type workspaceMeta struct {
	Format         string    `json:"format"`
	Version        int       `json:"version"`
	Created        time.Time `json:"created"`
	Recipient      string    `json:"recipient"`
	SigningKey     string    `json:"signing_key"`
	KDF            kdfParams `json:"kdf"`
	IdentitySHA256 string    `json:"identity_sha256"`
	RecoverySHA256 string    `json:"recovery_sha256"`
}

type kdfParams struct {
	Name string `json:"name"`
	LogN int    `json:"log_n"`
	R    int    `json:"r"`
	P    int    `json:"p"`
}

func parseMeta(data []byte) (*workspaceMeta, error) {
	if len(data) > maxMetaSize {
		return nil, fmt.Errorf("%w: %s is too large", ErrDamaged, metaName)
	}
	var m workspaceMeta
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %s does not parse: %v", ErrDamaged, metaName, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: %s has trailing data", ErrDamaged, metaName)
	}
	if m.Format != metaFormat {
		return nil, fmt.Errorf("%w: %s is not a CaseVault workspace file", ErrDamaged, metaName)
	}
	if m.Version > metaVersion {
		return nil, fmt.Errorf("workspace format %d is newer than this CaseVault understands (%d): update CaseVault", m.Version, metaVersion)
	}
	if m.Version < 1 {
		return nil, fmt.Errorf("%w: workspace format version %d", ErrDamaged, m.Version)
	}
	if _, err := age.ParseX25519Recipient(m.Recipient); err != nil {
		return nil, fmt.Errorf("%w: %s holds a malformed recipient", ErrDamaged, metaName)
	}
	if k, err := base64.StdEncoding.DecodeString(m.SigningKey); err != nil || len(k) != 32 {
		return nil, fmt.Errorf("%w: %s holds a malformed signing key", ErrDamaged, metaName)
	}
	if m.KDF.Name != "scrypt" || m.KDF.LogN < crypto.MinWorkFactor || m.KDF.LogN > crypto.MaxWorkFactor {
		return nil, fmt.Errorf("%w: %s holds KDF parameters outside the accepted range", ErrDamaged, metaName)
	}
	for _, h := range []string{m.IdentitySHA256, m.RecoverySHA256} {
		if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("%w: %s holds a malformed key file hash", ErrDamaged, metaName)
		}
	}
	return &m, nil
}

func (m *workspaceMeta) marshal() []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // only plain fields: cannot fail
	}
	return append(b, '\n')
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
