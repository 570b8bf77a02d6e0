package crypto

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
)

// Labels for keys derived from the workspace identity. Each use has its own
// label so that no two uses ever share a key.
const (
	LabelSigning   = "casevault/v1/signing-ed25519"
	LabelIndex     = "casevault/v1/index"
	LabelBlobNames = "casevault/v1/blob-names"
)

// WorkspaceKeys is the unlocked workspace identity and the keys derived from
// it. Wipe it when the workspace locks.
type WorkspaceKeys struct {
	identity *age.X25519Identity
	ikm      []byte
	signing  ed25519.PrivateKey
}

// GenerateWorkspaceKeys makes a new random workspace identity.
func GenerateWorkspaceKeys() (*WorkspaceKeys, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	return newWorkspaceKeys(id)
}

func newWorkspaceKeys(id *age.X25519Identity) (*WorkspaceKeys, error) {
	k := &WorkspaceKeys{identity: id, ikm: []byte(id.String())}
	seed, err := k.DeriveKey(LabelSigning, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	k.signing = ed25519.NewKeyFromSeed(seed)
	Wipe(seed)
	return k, nil
}

// ParseWorkspaceKeys reads an age identity file holding exactly one X25519
// identity (the plaintext of keys/identity.age).
func ParseWorkspaceKeys(identityFile []byte) (*WorkspaceKeys, error) {
	ids, err := age.ParseIdentities(bytes.NewReader(identityFile))
	if err != nil {
		return nil, fmt.Errorf("%w: malformed identity file", ErrDamaged)
	}
	if len(ids) != 1 {
		return nil, fmt.Errorf("%w: identity file holds %d identities, want 1", ErrDamaged, len(ids))
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return nil, fmt.Errorf("%w: identity file does not hold an X25519 identity", ErrDamaged)
	}
	return newWorkspaceKeys(id)
}

// IdentityFile returns the workspace identity in the age identity file
// format, with comments. The caller wipes it after use.
func (k *WorkspaceKeys) IdentityFile() []byte {
	var b bytes.Buffer
	b.WriteString("# CaseVault workspace identity. Keep secret.\n")
	fmt.Fprintf(&b, "# public key: %s\n", k.identity.Recipient())
	b.Write(k.ikm)
	b.WriteByte('\n')
	return b.Bytes()
}

// Identity returns the age identity that decrypts the catalog.
func (k *WorkspaceKeys) Identity() age.Identity { return k.identity }

// Recipient returns the public age recipient of the workspace.
func (k *WorkspaceKeys) Recipient() *age.X25519Recipient { return k.identity.Recipient() }

// SigningPublicKey returns the workspace's Ed25519 public key.
func (k *WorkspaceKeys) SigningPublicKey() ed25519.PublicKey {
	return k.signing.Public().(ed25519.PublicKey)
}

// Sign signs msg with the workspace's Ed25519 key.
func (k *WorkspaceKeys) Sign(msg []byte) []byte { return ed25519.Sign(k.signing, msg) }

// DeriveKey derives a subkey of n bytes for the given label with HKDF-SHA256
// over the workspace identity.
func (k *WorkspaceKeys) DeriveKey(label string, n int) ([]byte, error) {
	if k.ikm == nil {
		return nil, errors.New("workspace keys were wiped")
	}
	return hkdf.Key(sha256.New, k.ikm, nil, label, n)
}

// Wipe overwrites the secret material this value holds (best effort: the
// age library keeps its own copy of the scalar, which Go cannot reach).
func (k *WorkspaceKeys) Wipe() {
	if k == nil {
		return
	}
	Wipe(k.ikm)
	Wipe(k.signing)
	k.ikm, k.signing, k.identity = nil, nil, nil
}

// CaseIdentity is the random age identity of one case file.
type CaseIdentity struct{ id *age.X25519Identity }

// GenerateCaseIdentity makes a new random case identity.
func GenerateCaseIdentity() (*CaseIdentity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	return &CaseIdentity{id}, nil
}

// ParseCaseIdentity parses the AGE-SECRET-KEY-1... string kept in the catalog.
func ParseCaseIdentity(s string) (*CaseIdentity, error) {
	id, err := age.ParseX25519Identity(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%w: malformed case identity", ErrDamaged)
	}
	return &CaseIdentity{id}, nil
}

// String returns the identity in age's AGE-SECRET-KEY-1... form.
func (c *CaseIdentity) String() string { return c.id.String() }

// Recipient returns the public recipient that case files are encrypted to.
func (c *CaseIdentity) Recipient() age.Recipient { return c.id.Recipient() }

// Identity returns the age identity that decrypts the case's files.
func (c *CaseIdentity) Identity() age.Identity { return c.id }

// Encrypt writes plain to dst as one age file to the recipients.
func Encrypt(dst io.Writer, plain []byte, recipients ...age.Recipient) error {
	w, err := age.Encrypt(dst, recipients...)
	if err != nil {
		return err
	}
	if _, err := w.Write(plain); err != nil {
		return err
	}
	return w.Close()
}

// Decrypt opens an age file encrypted to one recipient the caller holds the
// identity of. Any failure is ErrDamaged: the identity is known to be right,
// so a file it cannot open was damaged or replaced.
func Decrypt(src io.Reader, id age.Identity) (io.Reader, error) {
	r, err := age.Decrypt(src, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return damagedReader{r}, nil
}

type damagedReader struct{ r io.Reader }

func (d damagedReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return n, err
}

// VerifySignature checks an Ed25519 signature made by WorkspaceKeys.Sign.
func VerifySignature(pub ed25519.PublicKey, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}

// DeriveKey derives a subkey of n bytes for the given label with
// HKDF-SHA256 over the case identity (blob names, say), so that a case
// handed to another workspace keeps its keys.
func (c *CaseIdentity) DeriveKey(label string, n int) ([]byte, error) {
	return hkdf.Key(sha256.New, []byte(c.id.String()), nil, label, n)
}
