package casefile

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"filippo.io/age"
)

// A recipient whose shares are made ahead writes files that age opens
// with the case identity: with shares ready, without (made in Wrap), and
// after the goroutine that makes them has stopped.
func TestPrewrapRecipientDecrypts(t *testing.T) {
	for i := 0; i < 20; i++ {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		pw := newPrewrapRecipient(id.Recipient())
		if pw == nil {
			t.Fatalf("recipient %s not taken", id.Recipient())
		}
		check := func(what string) {
			t.Helper()
			msg := []byte("synthetic exhibit " + what)
			var buf bytes.Buffer
			w, err := age.Encrypt(&buf, pw)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(msg)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := age.Decrypt(&buf, id)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("%s: read %q, %v", what, got, err)
			}
		}
		check("before start")
		pw.start()
		for j := 0; j < 3; j++ {
			check("with shares made ahead")
		}
		pw.stopAhead()
		if len(pw.shares.ready) != 0 {
			t.Fatalf("%d shares left after stop", len(pw.shares.ready))
		}
		check("after stop")
	}
}

// Each file gets its own ephemeral share, as with age's own recipient.
func TestPrewrapRecipientSharesNotReused(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	pw := newPrewrapRecipient(id.Recipient())
	pw.start()
	defer pw.stopAhead()
	seen := map[string]bool{}
	for i := 0; i < 3*prewrapAhead; i++ {
		st, err := pw.Wrap(make([]byte, 16))
		if err != nil {
			t.Fatal(err)
		}
		if len(st) != 1 || st[0].Type != "X25519" || len(st[0].Args) != 1 {
			t.Fatalf("stanza %+v", st)
		}
		if seen[st[0].Args[0]] {
			t.Fatalf("share %s used twice", st[0].Args[0])
		}
		seen[st[0].Args[0]] = true
	}
}

// Recipient strings that are not a well-formed age1 X25519 key are refused
// (the import then uses age's own recipient).
func TestDecodeAgeRecipient(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	s := id.Recipient().String()
	if k, err := decodeAgeRecipient(s); err != nil || len(k) != 32 {
		t.Fatalf("%s: %x, %v", s, k, err)
	}
	flip := []byte(s)
	if flip[10] == 'q' {
		flip[10] = 'p'
	} else {
		flip[10] = 'q'
	}
	for _, bad := range []string{"", "age1", s[:len(s)-1], string(flip), "AGE" + s[3:], "agf" + s[3:], s + "q", id.String()} {
		if _, err := decodeAgeRecipient(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if newPrewrapRecipient(struct{ age.Recipient }{id.Recipient()}) != nil {
		t.Error("a recipient of another kind taken")
	}
}

// `age -d` with the case key opens a blob written with shares made ahead.
func TestPrewrapRecipientAgeCLI(t *testing.T) {
	bin, err := exec.LookPath("age")
	if err != nil {
		t.Skip("age command not installed")
	}
	id, _ := age.GenerateX25519Identity()
	pw := newPrewrapRecipient(id.Recipient())
	pw.start()
	defer pw.stopAhead()
	dir := t.TempDir()
	msg := bytes.Repeat([]byte("synthetic ledger line, fictional\n"), 5000)
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, pw)
	w.Write(msg)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	key, enc := filepath.Join(dir, "key.txt"), filepath.Join(dir, "blob.age")
	os.WriteFile(key, []byte(id.String()+"\n"), 0o600)
	os.WriteFile(enc, buf.Bytes(), 0o600)
	out, err := exec.Command(bin, "-d", "-i", key, enc).Output()
	if err != nil {
		t.Fatalf("age -d: %v", err)
	}
	if !bytes.Equal(out, msg) {
		t.Fatalf("age -d gave %d bytes, want %d", len(out), len(msg))
	}
}
