package casefile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

type failAfter struct {
	n   int
	err error
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, f.err
	}
	return len(p), nil
}

type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestCopyHashed(t *testing.T) {
	ctx := context.Background()
	data := make([]byte, 3*hashPipeBufSize*hashPipeBuffers+12345)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for _, size := range []int{0, 1, hashPipeBufSize, len(data)} {
		var out bytes.Buffer
		h := sha256.New()
		var progress int64
		n, err := copyHashed(ctx, &out, bytes.NewReader(data[:size]), h, func(k int64) { progress += k })
		want := sha256.Sum256(data[:size])
		if err != nil || n != int64(size) || progress != n || !bytes.Equal(out.Bytes(), data[:size]) || !bytes.Equal(h.Sum(nil), want[:]) {
			t.Fatalf("size %d: %v %d %d", size, err, n, progress)
		}
	}
	boom := errors.New("boom")
	if _, err := copyHashed(ctx, &failAfter{n: 5 * hashPipeBufSize, err: boom}, bytes.NewReader(data), sha256.New(), nil); err != boom {
		t.Fatalf("write error: %v", err)
	}
	if _, err := copyHashed(ctx, io.Discard, &errReader{bytes.NewReader(data), boom}, sha256.New(), nil); err != boom {
		t.Fatalf("read error: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := copyHashed(cctx, io.Discard, bytes.NewReader(data), sha256.New(), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
