package extract

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// chunkReader returns its data in pieces of sizes drawn from its own
// seeded generator, sometimes with the error together with the last data.
type chunkReader struct {
	data   []byte
	rng    *rand.Rand
	eofNow bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), 1+r.rng.IntN(300), len(r.data))
	if r.rng.IntN(7) == 0 {
		n = min(len(p), len(r.data))
	}
	copy(p, r.data[:n])
	r.data = r.data[n:]
	if len(r.data) == 0 && r.eofNow {
		return n, io.EOF
	}
	return n, nil
}

// mailBase64Inputs are bodies a mail might hold, well formed or not.
func mailBase64Inputs() [][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	payload := make([]byte, 5000)
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(payload)
	var crlf, lf, indented strings.Builder
	for i := 0; i < len(enc); i += 76 {
		line := enc[i:min(i+76, len(enc))]
		crlf.WriteString(line + "\r\n")
		lf.WriteString(line + "\n")
		indented.WriteString(" \t" + line + " \r\n")
	}
	ins := []string{
		"", "\r\n", "   \t\r\n  ", "QQ==", "QQ", "QQ=", "QUJD", "QUJDRA==\r\n", "QQ==QQ==", "QQ==\r\nQUJD",
		crlf.String(), lf.String(), indented.String(), enc, enc[:len(enc)-1], enc[:len(enc)-2],
		crlf.String()[:1000] + "*" + crlf.String()[1000:], crlf.String()[:3001] + "\x00" + crlf.String()[3001:],
		crlf.String()[:2000] + "\x0b\x0c" + crlf.String()[2000:], crlf.String() + "--trailing junk--\r\n",
		strings.Repeat(" ", 5000) + "QUJD" + strings.Repeat("\r\n", 3000), strings.Repeat("QUJD\t", 2000),
		"QU\nJD\rRA\t=\x20=", "QUJD====", "=QUJD", "QUJDR\xffA==", strings.Repeat("\n", 100),
	}
	out := make([][]byte, 0, len(ins)+200)
	for _, s := range ins {
		out = append(out, []byte(s))
	}
	alphabet := []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t\x00\x0b!\xc3")
	for k := 0; k < 200; k++ {
		b := []byte(crlf.String()[:rng.IntN(len(crlf.String()))])
		for j := rng.IntN(6); j > 0 && len(b) > 0; j-- {
			b[rng.IntN(len(b))] = alphabet[rng.IntN(len(alphabet))]
		}
		out = append(out, b)
	}
	return out
}

// TestMailBase64LikeGoMessage decodes each body through go-message's own
// decoding and through newMailEntity, reading both the same way from
// readers handing out the same pieces: every read must return the same
// count, bytes and error.
func TestMailBase64LikeGoMessage(t *testing.T) {
	for i, in := range mailBase64Inputs() {
		for seed := uint64(0); seed < 6; seed++ {
			if err := compareMailBase64(in, seed); err != nil {
				t.Fatalf("input %d: %v", i, err)
			}
		}
	}
}

// FuzzMailBase64 is TestMailBase64LikeGoMessage on any body and read
// pattern: mailBase64 must read as go-message does, read by read.
func FuzzMailBase64(f *testing.F) {
	for i, in := range mailBase64Inputs() {
		if i%8 == 0 {
			f.Add(in, uint64(i))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, seed uint64) {
		if err := compareMailBase64(in, seed); err != nil {
			t.Fatal(err)
		}
	})
}

// compareMailBase64 reads the base64 body in through go-message and
// through newMailEntity, from readers handing out the same pieces (drawn
// from seed), with reads of the same sizes; it says where they differ.
func compareMailBase64(in []byte, seed uint64) error {
	var h textproto.Header
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Transfer-Encoding", "Base64")
	src := func() io.Reader {
		return &chunkReader{data: in, rng: rand.New(rand.NewPCG(seed, 9)), eofNow: seed%2 == 1}
	}
	want, err := message.New(message.Header{Header: h.Copy()}, src())
	if err != nil {
		return err
	}
	got, err := newMailEntity(message.Header{Header: h.Copy()}, src())
	if err != nil {
		return err
	}
	if got.Header.Get("Content-Transfer-Encoding") != "Base64" {
		return fmt.Errorf("the entity lost its Content-Transfer-Encoding")
	}
	sizes := rand.New(rand.NewPCG(seed, 17))
	for step := 0; ; step++ {
		size := []int{0, 1, 2, 3, 5, 511, 768, 4096, 32 << 10}[sizes.IntN(9)]
		pw, pg := make([]byte, size), make([]byte, size)
		nw, ew := want.Body.Read(pw)
		ng, eg := got.Body.Read(pg)
		if nw != ng || !bytes.Equal(pw[:nw], pg[:ng]) || fmt.Sprint(ew) != fmt.Sprint(eg) {
			return fmt.Errorf("seed %d read %d (%d bytes): go-message %d %v, ours %d %v", seed, step, size, nw, ew, ng, eg)
		}
		if ew != nil && step > 3 {
			return nil
		}
		if step > 100000 {
			return fmt.Errorf("seed %d: no end", seed)
		}
	}
}

// TestMailBase64Messages reads whole messages, multipart or not, through
// message.Read and readMessage: the same parts, headers and bodies.
func TestMailBase64Messages(t *testing.T) {
	body := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("Hello, ไทย world. ", 300)))
	var lines strings.Builder
	for i := 0; i < len(body); i += 76 {
		lines.WriteString(body[i:min(i+76, len(body))] + "\r\n")
	}
	msgs := []string{
		"From: a@b\r\nSubject: x\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + lines.String(),
		"From: a@b\r\nContent-Type: multipart/mixed; boundary=XX\r\nContent-Transfer-Encoding: base64\r\n\r\n--XX\r\nContent-Type: text/plain; charset=windows-874\r\nContent-Transfer-Encoding: BASE64\r\n\r\n" + lines.String() +
			"--XX\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + lines.String()[:500] + "!!\r\n--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na=3Db\r\n--XX--\r\n",
		"From: a@b\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n" + lines.String(),
		"From: a@b\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644\r\n",
		"From: a@b\r\n" + strings.Repeat("X-Long: "+strings.Repeat("y", 1000)+"\r\n", 1100) + "\r\nbody",
	}
	var walk func(w, g *message.Entity, depth int) string
	walk = func(w, g *message.Entity, depth int) string {
		if fmt.Sprint(w.Header.Map()) != fmt.Sprint(g.Header.Map()) {
			return "headers differ"
		}
		wm, gm := w.MultipartReader(), mimeParts(g)
		if (wm == nil) != (gm == nil) {
			return "multipart differs"
		}
		if wm == nil {
			wb, we := io.ReadAll(w.Body)
			gb, ge := io.ReadAll(g.Body)
			if !bytes.Equal(wb, gb) || fmt.Sprint(we) != fmt.Sprint(ge) {
				return fmt.Sprintf("depth %d: bodies differ: %q %v / %q %v", depth, wb, we, gb, ge)
			}
			return ""
		}
		for {
			wp, we := wm.NextPart()
			gp, ge := gm.NextPart()
			if fmt.Sprint(we) != fmt.Sprint(ge) || (wp == nil) != (gp == nil) {
				return fmt.Sprintf("parts differ: %v / %v", we, ge)
			}
			if wp == nil {
				return ""
			}
			if d := walk(wp, gp, depth+1); d != "" {
				return d
			}
		}
	}
	for i, m := range msgs {
		w, we := message.Read(strings.NewReader(m))
		g, ge := readMessage(strings.NewReader(m))
		if fmt.Sprint(we) != fmt.Sprint(ge) || (w == nil) != (g == nil) {
			t.Fatalf("message %d: %v / %v", i, we, ge)
		}
		if w == nil {
			continue
		}
		if d := walk(w, g, 0); d != "" {
			t.Fatalf("message %d: %s", i, d)
		}
	}
}

// BenchmarkMailBase64 decodes a 1 MiB attachment as mail carries it (76
// characters a line, CRLF) through go-message's decoding and ours.
func BenchmarkMailBase64(b *testing.B) {
	payload := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	enc := base64.StdEncoding.EncodeToString(payload)
	var lines bytes.Buffer
	for i := 0; i < len(enc); i += 76 {
		lines.WriteString(enc[i:min(i+76, len(enc))] + "\r\n")
	}
	var h textproto.Header
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Transfer-Encoding", "base64")
	for _, c := range []struct {
		name string
		new  func(message.Header, io.Reader) (*message.Entity, error)
	}{{"go-message", message.New}, {"ours", newMailEntity}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(lines.Len()))
			for i := 0; i < b.N; i++ {
				e, err := c.new(message.Header{Header: h.Copy()}, bytes.NewReader(lines.Bytes()))
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, e.Body)
				if err != nil || n != int64(len(payload)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}
