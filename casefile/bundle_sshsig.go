package casefile

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/ssh"

	"casevault/crypto"
)

// The manifest signature is an SSH signature (OpenSSH's PROTOCOL.sshsig),
// armored, so that `ssh-keygen -Y verify` checks it with no CaseVault code.
const (
	sshsigMagic     = "SSHSIG"
	sshsigVersion   = 1
	sshsigBegin     = "-----BEGIN SSH SIGNATURE-----"
	sshsigEnd       = "-----END SSH SIGNATURE-----"
	bundleNamespace = "casevault-bundle"
	maxSignatureLen = 4 << 10
)

// workspaceSigner is an ssh.Signer over the workspace's Ed25519 key,
// which the crypto package keeps to itself (it signs, it does not hand
// out the private key).
type workspaceSigner struct {
	keys *crypto.WorkspaceKeys
	pub  ssh.PublicKey
}

func newWorkspaceSigner(k *crypto.WorkspaceKeys) (ssh.Signer, error) {
	pub, err := ssh.NewPublicKey(k.SigningPublicKey())
	if err != nil {
		return nil, err
	}
	return workspaceSigner{k, pub}, nil
}

func (s workspaceSigner) PublicKey() ssh.PublicKey { return s.pub }

func (s workspaceSigner) Sign(_ io.Reader, data []byte) (*ssh.Signature, error) {
	return &ssh.Signature{Format: ssh.KeyAlgoED25519, Blob: s.keys.Sign(data)}, nil
}

// sshsigSignedData is what the key signs: the magic, the namespace, the
// reserved field and the hash algorithm, then the message's hash.
func sshsigSignedData(namespace, hashAlg string, digest []byte) []byte {
	return append([]byte(sshsigMagic), ssh.Marshal(struct {
		Namespace string
		Reserved  string
		HashAlg   string
		Hash      []byte
	}{namespace, "", hashAlg, digest})...)
}

type sshsigBlob struct {
	Version   uint32
	PublicKey []byte
	Namespace string
	Reserved  string
	HashAlg   string
	Signature []byte
}

// sshSign returns the armored SSH signature of msg in namespace.
func sshSign(s ssh.Signer, namespace string, msg []byte) ([]byte, error) {
	h := sha512.Sum512(msg)
	sig, err := s.Sign(nil, sshsigSignedData(namespace, "sha512", h[:]))
	if err != nil {
		return nil, err
	}
	blob := append([]byte(sshsigMagic), ssh.Marshal(sshsigBlob{
		Version: sshsigVersion, PublicKey: s.PublicKey().Marshal(), Namespace: namespace, HashAlg: "sha512", Signature: ssh.Marshal(sig),
	})...)
	enc := base64.StdEncoding.EncodeToString(blob)
	var b bytes.Buffer
	b.WriteString(sshsigBegin + "\n")
	for len(enc) > 70 {
		b.WriteString(enc[:70] + "\n")
		enc = enc[70:]
	}
	b.WriteString(enc + "\n" + sshsigEnd + "\n")
	return b.Bytes(), nil
}

// sshVerify checks an armored SSH signature of msg in namespace and
// returns the Ed25519 key that made it. Only Ed25519 keys are accepted.
func sshVerify(armored []byte, namespace string, msg []byte) (ed25519.PublicKey, error) {
	if len(armored) > maxSignatureLen {
		return nil, errors.New("signature is too long")
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(armored), "\r\n", "\n"))
	if !strings.HasPrefix(text, sshsigBegin+"\n") || !strings.HasSuffix(text, "\n"+sshsigEnd) {
		return nil, errors.New("not an armored SSH signature")
	}
	body := strings.TrimSuffix(strings.TrimPrefix(text, sshsigBegin+"\n"), "\n"+sshsigEnd)
	raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\n", ""))
	if err != nil {
		return nil, fmt.Errorf("malformed SSH signature: %v", err)
	}
	if !bytes.HasPrefix(raw, []byte(sshsigMagic)) {
		return nil, errors.New("malformed SSH signature: no SSHSIG preamble")
	}
	var sb sshsigBlob
	if err := ssh.Unmarshal(raw[len(sshsigMagic):], &sb); err != nil {
		return nil, fmt.Errorf("malformed SSH signature: %v", err)
	}
	if sb.Version != sshsigVersion {
		return nil, fmt.Errorf("SSH signature version %d is not supported", sb.Version)
	}
	if sb.Namespace != namespace {
		return nil, fmt.Errorf("signature is for %q, not %q", shortQuote(sb.Namespace), namespace)
	}
	var digest []byte
	switch sb.HashAlg {
	case "sha512":
		h := sha512.Sum512(msg)
		digest = h[:]
	case "sha256":
		h := sha256.Sum256(msg)
		digest = h[:]
	default:
		return nil, fmt.Errorf("signature hash %q is not supported", shortQuote(sb.HashAlg))
	}
	pk, err := ssh.ParsePublicKey(sb.PublicKey)
	if err != nil || pk.Type() != ssh.KeyAlgoED25519 {
		return nil, errors.New("signature is not made with an Ed25519 key")
	}
	var sig ssh.Signature
	if err := ssh.Unmarshal(sb.Signature, &sig); err != nil {
		return nil, fmt.Errorf("malformed SSH signature: %v", err)
	}
	if err := pk.Verify(sshsigSignedData(namespace, sb.HashAlg, digest), &sig); err != nil {
		return nil, errors.New("the signature does not match the manifest: the bundle was altered")
	}
	pub := pk.(ssh.CryptoPublicKey).CryptoPublicKey().(ed25519.PublicKey)
	return pub, nil
}
