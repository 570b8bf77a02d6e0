package casefile

import (
	"context"
	"hash"
	"io"
	"sync"
)

// hashPipeBuffers is how many buffers copyHashed keeps in flight: enough
// for each of its three stages to have one to work on and one waiting.
// Buffers are large so that a random-access age reader (which allocates
// a chunk buffer per call) is called once per 16 chunks.
const (
	hashPipeBuffers = 6
	hashPipeBufSize = 1 << 20
)

// hashPipeBufs recycles copyHashed's buffers (an export copies many blobs).
var hashPipeBufs = sync.Pool{New: func() any { return new([hashPipeBufSize]byte) }}

// copyHashed copies src to dst and hashes what it copies into h, in
// three stages that run at once: reading src (for a blob: reading the
// file and decrypting it), hashing, and writing dst (for a bundle:
// encrypting it and writing the file). Profiling an export showed the
// reading stage, with the hash in it, as the slowest of two; with the
// hash in its own goroutine the work spreads over both cores. Memory is
// hashPipeBuffers buffers of hashPipeBufSize, recycled across calls. src
// is not read after it returns.
func copyHashed(ctx context.Context, dst io.Writer, src io.Reader, h hash.Hash, progress func(int64)) (int64, error) {
	free := make(chan []byte, hashPipeBuffers)
	for i := 0; i < hashPipeBuffers; i++ {
		free <- hashPipeBufs.Get().(*[hashPipeBufSize]byte)[:]
	}
	// Every buffer is back in free when pipeCopy returns: they go back
	// to the pool for the next blob.
	defer func() {
		for i := 0; i < hashPipeBuffers; i++ {
			hashPipeBufs.Put((*[hashPipeBufSize]byte)(<-free))
		}
	}()
	return pipeCopy(ctx, dst, src, h, free, progress)
}

// pipeCopy copies src to dst in stages that run at once on their own
// goroutines: reading src, hashing into h (a stage only if h is not nil),
// and writing dst. The stages hand each other the buffers in free (all of
// them there when it is called, all back there when it returns), so
// nothing is copied between stages and memory is those buffers. src is
// not read after it returns.
func pipeCopy(ctx context.Context, dst io.Writer, src io.Reader, h hash.Hash, free chan []byte, progress func(int64)) (int64, error) {
	type chunk struct {
		buf []byte
		n   int
		err error
	}
	// Every queue can hold every buffer there is: no stage blocks on a send.
	read := make(chan chunk, cap(free))
	stop := make(chan struct{})
	go func() {
		defer close(read)
		for {
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			n, err := io.ReadFull(src, buf)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
			read <- chunk{buf, n, err}
			if err != nil {
				return
			}
		}
	}()
	toWrite := read
	if h != nil {
		hashed := make(chan chunk, cap(free))
		go func() {
			defer close(hashed)
			for c := range read {
				h.Write(c.buf[:c.n])
				hashed <- c
			}
		}()
		toWrite = hashed
	}
	var total int64
	var werr error
	for c := range toWrite {
		if c.n > 0 {
			if err := ctx.Err(); err != nil {
				werr = err
			} else if _, err := dst.Write(c.buf[:c.n]); err != nil {
				werr = err
			} else {
				total += int64(c.n)
				if progress != nil {
					progress(int64(c.n))
				}
			}
		}
		if werr == nil && c.err != nil && c.err != io.EOF {
			werr = c.err
		}
		if werr != nil {
			close(stop)
			free <- c.buf
			for c := range toWrite { // wait for the other stages to stop
				free <- c.buf
			}
			return total, werr
		}
		free <- c.buf
	}
	return total, nil
}
