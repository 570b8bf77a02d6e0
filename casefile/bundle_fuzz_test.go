package casefile

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"testing"

	"filippo.io/age"
)

// FuzzBundleReader feeds the bundle reader (the tar inside the age
// encryption, where a hostile sender has full control) arbitrary bytes,
// seeded with a real bundle and damaged copies of it. It must never
// panic, hang or accept members the manifest does not vouch for.
func FuzzBundleReader(f *testing.F) {
	a := bundleParty(f, "Unit A (fictional)", "TH")
	b := bundleParty(f, "Unit B (fictional)", "VN")
	bInA := meet(f, a, b)
	s := bundleSampleCase(f, a, "TIP-F-1")
	data := exportTo(f, s.c, ExportOptions{Recipients: []Contact{bInA}})
	r, err := age.Decrypt(bytes.NewReader(data), b.keys.Identity(), bundlePQIdentity(b.keys))
	if err != nil {
		f.Fatal(err)
	}
	plain, _ := io.ReadAll(r)
	f.Add(plain)
	f.Add(plain[:len(plain)/2])
	f.Add(plain[:1024])
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "manifest.json", Linkname: "/etc/passwd"})
	tw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		seen := map[string]bool{}
		m, err := readBundleTar(context.Background(), bytes.NewReader(in), bundleVisitor{
			check: func(*Manifest, ed25519.PublicKey) error { return nil },
			member: func(mb BundleMember, r io.Reader) error {
				seen[mb.Name] = true
				_, err := io.Copy(io.Discard, r)
				return err
			},
		})
		if err != nil {
			return
		}
		for _, mb := range m.Members {
			if !seen[mb.Name] {
				t.Fatalf("accepted without member %s", mb.Name)
			}
		}
		if len(seen) != len(m.Members) {
			t.Fatal("accepted an extra member")
		}
	})
}
