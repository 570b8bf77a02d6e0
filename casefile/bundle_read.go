package casefile

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"

	"filippo.io/age"
)

// maxTrailing is how much padding after the tar's end is accepted (tar
// tools pad archives to a record size).
const maxTrailing = 1 << 20

// openBundle starts decrypting a bundle with the given identities.
func openBundle(src io.Reader, ids []age.Identity, passphrase bool) (io.Reader, error) {
	r, err := age.Decrypt(src, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			if passphrase {
				return nil, refused("the passphrase does not open it (wrong passphrase, or the bundle is addressed to a workspace, not a passphrase)")
			}
			return nil, refused("it is not addressed to this workspace (none of its keys opens it); if it was made with a one-time passphrase, import it with --passphrase")
		}
		return nil, refused("it is not an age-encrypted CaseVault bundle, or it is damaged: %v", err)
	}
	return r, nil
}

// bundleVisitor receives what readBundleTar verifies: the manifest once
// its signature is checked (check may refuse it), then each member as it
// streams (member reads it; the hash is checked after).
type bundleVisitor struct {
	check  func(m *Manifest, signer ed25519.PublicKey) error
	member func(mb BundleMember, r io.Reader) error
}

// memberName checks a tar entry's name: what the format allows, and
// nothing that could escape a folder.
func memberName(name string) error {
	if name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") || path.Clean(name) != name ||
		name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "/../") {
		return refused("it holds a member with an unsafe path %q", shortQuote(name))
	}
	if name != manifestName && name != signatureName && name != databaseName && !blobMemberRE.MatchString(name) {
		return refused("it holds an unexpected member %q", shortQuote(name))
	}
	return nil
}

type hashingReader struct {
	r   io.Reader
	h   hash.Hash
	n   int64
	err error // the first read error other than EOF: the bundle's fault
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	if err != nil && err != io.EOF && h.err == nil {
		h.err = err
	}
	return n, err
}

// readBundleTar reads the plaintext of a bundle: manifest, signature,
// then every member, checked against the manifest (no extra, no missing,
// no duplicate, sizes and SHA-256) and against the format (regular files
// with safe names only). It never trusts a path, a size or a count from
// the bundle. It returns the manifest once everything verified.
func readBundleTar(ctx context.Context, src io.Reader, v bundleVisitor) (*Manifest, error) {
	tr := tar.NewReader(src)
	next := func() (*tar.Header, error) {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, refused("it is truncated or damaged (%v)", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, refused("member %q is not a regular file (links, devices and folders are not allowed)", shortQuote(hdr.Name))
		}
		if err := memberName(hdr.Name); err != nil {
			return nil, err
		}
		if hdr.Size < 0 {
			return nil, refused("member %q has a negative size", hdr.Name)
		}
		return hdr, nil
	}
	readSmall := func(want string, limit int64) ([]byte, error) {
		hdr, err := next()
		if err == io.EOF {
			return nil, refused("it holds no %s", want)
		}
		if err != nil {
			return nil, err
		}
		if hdr.Name != want {
			return nil, refused("its first members must be %s and %s, found %q", manifestName, signatureName, hdr.Name)
		}
		if hdr.Size > limit {
			return nil, refused("%s is %d bytes, more than allowed (%d)", want, hdr.Size, limit)
		}
		b, err := io.ReadAll(io.LimitReader(tr, limit+1))
		if err != nil || int64(len(b)) != hdr.Size {
			return nil, refused("it is truncated or damaged (in %s)", want)
		}
		return b, nil
	}
	raw, err := readSmall(manifestName, maxManifestSize)
	if err != nil {
		return nil, err
	}
	sig, err := readSmall(signatureName, maxSignatureLen)
	if err != nil {
		return nil, err
	}
	signer, err := sshVerify(sig, bundleNamespace, raw)
	if err != nil {
		return nil, refused("its signature does not verify: %v", err)
	}
	m, err := parseManifest(raw)
	if err != nil {
		return nil, err
	}
	if formatSigningKey(signer) != m.Sender.SigningKey {
		return nil, refused("it is signed with another key than the sender it names")
	}
	if v.check != nil {
		if err := v.check(m, signer); err != nil {
			return nil, err
		}
	}
	want := make(map[string]BundleMember, len(m.Members))
	for _, mb := range m.Members {
		want[mb.Name] = mb
	}
	seen := make(map[string]bool, len(m.Members))
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		mb, ok := want[hdr.Name]
		switch {
		case seen[hdr.Name] || hdr.Name == manifestName || hdr.Name == signatureName:
			return nil, refused("member %q appears twice", hdr.Name)
		case !ok:
			return nil, refused("member %q is not in the manifest (added after signing)", hdr.Name)
		case hdr.Size != mb.Size:
			return nil, refused("member %q is %d bytes but the manifest says %d (altered)", hdr.Name, hdr.Size, mb.Size)
		}
		seen[hdr.Name] = true
		hr := &hashingReader{r: tr, h: sha256.New()}
		if v.member != nil {
			if err := v.member(mb, hr); err != nil {
				if hr.err != nil {
					return nil, refused("it is truncated or damaged (in %s): %v", hdr.Name, hr.err)
				}
				return nil, err
			}
		}
		if _, err := io.Copy(io.Discard, hr); err != nil {
			return nil, refused("it is truncated or damaged (in %s): %v", hdr.Name, err)
		}
		if hr.n != mb.Size || hex.EncodeToString(hr.h.Sum(nil)) != mb.SHA256 {
			return nil, refused("member %q does not match its SHA-256 in the manifest (altered)", hdr.Name)
		}
	}
	for _, mb := range m.Members {
		if !seen[mb.Name] {
			return nil, refused("member %q listed in the manifest is missing (removed, or the bundle is truncated)", mb.Name)
		}
	}
	// Read to the end of the age stream: only then is its last chunk
	// authenticated (a cut-off file is detected here).
	trail, err := io.ReadAll(io.LimitReader(src, maxTrailing+1))
	if err != nil {
		return nil, refused("it is truncated or damaged at its end: %v", err)
	}
	if len(trail) > maxTrailing || len(bytes.Trim(trail, "\x00")) > 0 {
		return nil, refused("it has data after the end of its archive")
	}
	return m, nil
}

// describeSigner returns a short text naming the signer for errors.
func describeSigner(m *Manifest) string {
	return fmt.Sprintf("%s (%s), fingerprint %s", m.Sender.Unit, m.Sender.Country, m.Sender.Fingerprint())
}
