package casefile

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

type rawMember struct {
	hdr  tar.Header
	body []byte
}

// unpack decrypts a bundle made for w and returns its tar members.
func unpack(t testing.TB, w *Workspace, data []byte) []rawMember {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(data), w.keys.Identity(), bundlePQIdentity(w.keys))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(r)
	var out []rawMember
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		out = append(out, rawMember{*hdr, body})
	}
}

// pack tars members as they are (sizes from the headers) and encrypts
// them to w.
func pack(t testing.TB, w *Workspace, ms []rawMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	aw, err := age.Encrypt(&buf, w.keys.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(aw)
	for _, m := range ms {
		h := m.hdr
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(m.body)
		}
	}
	tw.Close()
	aw.Close()
	return buf.Bytes()
}

// resign edits the manifest and signs it again with the sender's key, as
// a sender gone rogue (or a stolen key) would.
func resign(t testing.TB, sender *Workspace, ms []rawMember, edit func(m *Manifest)) []rawMember {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(ms[0].body, &m); err != nil {
		t.Fatal(err)
	}
	edit(&m)
	raw, _ := json.Marshal(m)
	signer, _ := newWorkspaceSigner(sender.keys)
	sig, err := sshSign(signer, bundleNamespace, raw)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]rawMember(nil), ms...)
	out[0] = member(manifestName, raw)
	out[1] = member(signatureName, sig)
	return out
}

func member(name string, body []byte) rawMember {
	return rawMember{tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(body)), Mode: 0o600, Format: tar.FormatPAX}, body}
}

// snapshotDir returns every file under dir with its content's hash.
func snapshotDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = "dir"
			return nil
		}
		b, _ := os.ReadFile(p)
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	return out
}

func firstBlob(ms []rawMember) int {
	for i, m := range ms {
		if strings.HasPrefix(m.hdr.Name, blobMemberDir) {
			return i
		}
	}
	panic("no blob")
}

func TestHostileBundles(t *testing.T) {
	ctx := context.Background()
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	c := bundleParty(t, "Unit C (fictional)", "KH")
	bInA, cInA := meet(t, a, b), meet(t, a, c)
	meet(t, b, a)
	s := bundleSampleCase(t, a, "TIP-H-1")
	good := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}})
	forC := exportTo(t, s.c, ExportOptions{Recipients: []Contact{cInA}})
	ms := unpack(t, b, good)
	bi := firstBlob(ms)

	edit := func(f func(ms []rawMember) []rawMember) []byte {
		cp := make([]rawMember, len(ms))
		for i, m := range ms {
			cp[i] = rawMember{m.hdr, append([]byte(nil), m.body...)}
		}
		return pack(t, b, f(cp))
	}
	cases := []struct {
		name, want string
		data       []byte
		trust      bool
	}{
		{"wrong recipient", "not addressed", forC, false},
		{"not an age file", "not an age-encrypted", []byte("hello"), false},
		{"manifest altered", "signature does not verify", edit(func(ms []rawMember) []rawMember {
			ms[0].body = bytes.Replace(ms[0].body, []byte("TIP-H-1"), []byte("TIP-H-2"), 1)
			return ms
		}), false},
		{"signature missing", "first members must be", edit(func(ms []rawMember) []rawMember { return append(ms[:1], ms[2:]...) }), false},
		{"signature garbage", "signature does not verify", edit(func(ms []rawMember) []rawMember {
			ms[1] = member(signatureName, []byte("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"))
			return ms
		}), false},
		{"signed by another key", "signed with another key", edit(func(ms []rawMember) []rawMember {
			signer, _ := newWorkspaceSigner(c.keys)
			sig, _ := sshSign(signer, bundleNamespace, ms[0].body)
			ms[1] = member(signatureName, sig)
			return ms
		}), false},
		{"member altered", "does not match its SHA-256", edit(func(ms []rawMember) []rawMember {
			ms[bi].body[0] ^= 1
			return ms
		}), false},
		{"database altered", "does not match its SHA-256", edit(func(ms []rawMember) []rawMember {
			ms[2].body[len(ms[2].body)-1] ^= 1
			return ms
		}), false},
		{"member added", "not in the manifest", edit(func(ms []rawMember) []rawMember {
			return append(ms, member(blobMemberDir+strings.Repeat("ab", 32), []byte("extra")))
		}), false},
		{"member removed", "is missing", edit(func(ms []rawMember) []rawMember { return append(ms[:bi], ms[bi+1:]...) }), false},
		{"duplicate member", "appears twice", edit(func(ms []rawMember) []rawMember { return append(ms, ms[bi]) }), false},
		{"path traversal", "unsafe path", edit(func(ms []rawMember) []rawMember {
			return append(ms, member("../../evil", []byte("x")))
		}), false},
		{"absolute path", "unsafe path", edit(func(ms []rawMember) []rawMember {
			return append(ms, member("/etc/evil", []byte("x")))
		}), false},
		{"traversal in signed manifest", "unexpected member", edit(func(ms []rawMember) []rawMember {
			ms = resign(t, a, ms, func(m *Manifest) {
				m.Members = append(m.Members, BundleMember{Name: "blobs/../../evil", Size: 1, SHA256: strings.Repeat("0", 64)})
			})
			return append(ms, member("blobs/../../evil", []byte("x")))
		}), false},
		{"symlink", "not a regular file", edit(func(ms []rawMember) []rawMember {
			ms[bi] = rawMember{tar.Header{Typeflag: tar.TypeSymlink, Name: ms[bi].hdr.Name, Linkname: "/etc/passwd", Format: tar.FormatPAX}, nil}
			return ms
		}), false},
		{"hard link", "not a regular file", edit(func(ms []rawMember) []rawMember {
			ms[bi] = rawMember{tar.Header{Typeflag: tar.TypeLink, Name: ms[bi].hdr.Name, Linkname: databaseName, Format: tar.FormatPAX}, nil}
			return ms
		}), false},
		{"device", "not a regular file", edit(func(ms []rawMember) []rawMember {
			ms[bi] = rawMember{tar.Header{Typeflag: tar.TypeChar, Name: ms[bi].hdr.Name, Devmajor: 1, Devminor: 3, Format: tar.FormatPAX}, nil}
			return ms
		}), false},
		{"oversized member", "but the manifest says", edit(func(ms []rawMember) []rawMember {
			ms[bi] = member(ms[bi].hdr.Name, bytes.Repeat([]byte("A"), 4<<20))
			return ms
		}), false},
		{"absurd member count", "members (at most", edit(func(ms []rawMember) []rawMember {
			return resign(t, a, ms, func(m *Manifest) {
				for i := 0; i < maxBundleMembers+1; i++ {
					m.Members = append(m.Members, BundleMember{Name: fmt.Sprintf("blobs/%064x", i), Size: 1, SHA256: fmt.Sprintf("%064x", i)})
				}
			})
		}), false},
		{"impossible size in manifest", "impossible size", edit(func(ms []rawMember) []rawMember {
			return resign(t, a, ms, func(m *Manifest) { m.Members[1].Size = -5 })
		}), false},
		{"not among recipients", "not among its intended recipients", edit(func(ms []rawMember) []rawMember {
			return resign(t, a, ms, func(m *Manifest) {
				m.Recipients = []BundleParty{{Unit: "C", Country: "KH", Recipient: c.keys.Recipient().String()}}
			})
		}), false},
		{"unused file in signed manifest", "does not use", edit(func(ms []rawMember) []rawMember {
			extra := []byte("unreferenced")
			sum := fmt.Sprintf("%x", sha256.Sum256(extra))
			ms = resign(t, a, ms, func(m *Manifest) {
				m.Members = append(m.Members, BundleMember{Name: blobMemberDir + sum, Size: int64(len(extra)), SHA256: sum})
			})
			return append(ms, member(blobMemberDir+sum, extra))
		}), false},
		{"trailing data", "after the end", func() []byte {
			var buf bytes.Buffer
			aw, _ := age.Encrypt(&buf, b.keys.Recipient())
			r, _ := age.Decrypt(bytes.NewReader(good), b.keys.Identity(), bundlePQIdentity(b.keys))
			io.Copy(aw, r)
			aw.Write([]byte("junk after the archive"))
			aw.Close()
			return buf.Bytes()
		}(), false},
		{"truncated", "truncated", good[:len(good)/2], false},
		{"truncated at the end", "truncated", good[:len(good)-10], false},
	}
	before := snapshotDir(t, b.Dir())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.ImportBundle(ctx, bytes.NewReader(tc.data), BundleImportOptions{Trust: tc.trust})
			if !errors.Is(err, ErrBundleRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if after := snapshotDir(t, b.Dir()); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("workspace changed:\n%v\n%v", before, after)
			}
		})
	}
	// An unknown signer is refused until trusted.
	if _, err := b.RemoveContact("Unit A (fictional)"); err != nil {
		t.Fatal(err)
	}
	before = snapshotDir(t, b.Dir())
	_, err := b.ImportBundle(ctx, bytes.NewReader(good), BundleImportOptions{})
	var ue *UnknownSignerError
	if !errors.As(err, &ue) || ue.Fingerprint != a.mustCard(t).Fingerprint() {
		t.Fatalf("unknown signer: %v", err)
	}
	if after := snapshotDir(t, b.Dir()); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatal("workspace changed")
	}
	// The same members repacked (what every hostile case above starts
	// from) import once trusted: the refusals were for the changes.
	if _, err := b.ImportBundle(ctx, bytes.NewReader(edit(func(ms []rawMember) []rawMember { return ms })), BundleImportOptions{Trust: true}); err != nil {
		t.Fatal(err)
	}
}

func (w *Workspace) mustCard(t testing.TB) ContactCard {
	c, err := w.Card()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBundleStandardTools opens a bundle with the age library and
// archive/tar only, checks the signature with ssh-keygen -Y verify, and,
// when the age and tar commands are installed, does what the README says.
func TestBundleStandardTools(t *testing.T) {
	a := bundleParty(t, "Unit A (fictional)", "TH")
	b := bundleParty(t, "Unit B (fictional)", "VN")
	card := b.mustCard(t)
	card.PQRecipient = "" // Debian's age 1.1 has no post-quantum
	bInA, err := a.AddContact(card)
	if err != nil {
		t.Fatal(err)
	}
	s := bundleSampleCase(t, a, "TIP-S-1")
	data := exportTo(t, s.c, ExportOptions{Recipients: []Contact{bInA}})
	dir := t.TempDir()
	r, err := age.Decrypt(bytes.NewReader(data), b.keys.Identity())
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(r)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		files[h.Name] = body
	}
	var m Manifest
	if err := json.Unmarshal(files[manifestName], &m); err != nil {
		t.Fatal(err)
	}
	for _, mb := range m.Members {
		if fmt.Sprintf("%x", sha256.Sum256(files[mb.Name])) != mb.SHA256 {
			t.Fatalf("%s does not match", mb.Name)
		}
	}
	os.WriteFile(filepath.Join(dir, manifestName), files[manifestName], 0o600)
	os.WriteFile(filepath.Join(dir, signatureName), files[signatureName], 0o600)
	os.WriteFile(filepath.Join(dir, "allowed_signers"), []byte("unit-a "+m.Sender.SigningKey+"\n"), 0o600)
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed (scripts/deps.sh installs openssh-client)")
	}
	verify := func(file string) error {
		cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "unit-a", "-n", bundleNamespace, "-s", signatureName)
		cmd.Dir = dir
		in, _ := os.Open(filepath.Join(dir, file))
		defer in.Close()
		cmd.Stdin = in
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return nil
	}
	if err := verify(manifestName); err != nil {
		t.Fatalf("ssh-keygen -Y verify: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "altered.json"), bytes.Replace(files[manifestName], []byte("TIP-S-1"), []byte("TIP-S-2"), 1), 0o600)
	if err := verify("altered.json"); err == nil {
		t.Fatal("ssh-keygen accepted an altered manifest")
	}
	// The README's commands, when the tools are there.
	if _, err := exec.LookPath("age"); err != nil {
		return
	}
	bundle := filepath.Join(dir, "case.cvbundle")
	os.WriteFile(bundle, data, 0o600)
	id := b.keys.IdentityFile()
	os.WriteFile(filepath.Join(dir, "identity.txt"), id, 0o600)
	out := filepath.Join(dir, "out")
	os.Mkdir(out, 0o700)
	cmd := exec.Command("sh", "-c", "age -d -i ../identity.txt ../case.cvbundle | tar -x")
	cmd.Dir = out
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("age | tar: %v %s", err, o)
	}
	db, err := os.ReadFile(filepath.Join(out, databaseName))
	if err != nil || !bytes.HasPrefix(db, []byte(sqliteHeader)) {
		t.Fatalf("case.db: %v", err)
	}
}
