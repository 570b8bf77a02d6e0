package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
)

// Mbox reads a mailbox of concatenated messages, each starting with a
// "From " line (mboxo and mboxrd quoting). Each message gives an "email"
// chunk numbered in order, its bodies, and its attachments prefixed with
// "message N".
type Mbox struct{}

// Name implements Extractor.
func (Mbox) Name() string { return "mbox" }

// Version implements Extractor.
func (Mbox) Version() string { return "casevault/extract mbox; " + moduleVersion(emlTool) }

// Match implements Extractor.
func (Mbox) Match(p *Probe) Confidence {
	if bytes.HasPrefix(p.Head, []byte("From ")) {
		if i := bytes.IndexByte(p.Head, '\n'); i > 0 && looksLikeHeaders(p.Head[i+1:]) {
			return ByContent
		}
	}
	if p.Ext == ".mbox" || p.Ext == ".mbx" {
		return ByName
	}
	return NoMatch
}

// Extract implements Extractor.
func (x Mbox) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/mbox", "casevault/extract mbox + "+emlTool, x.Version(), opts)
	p := &mailParser{ctx: ctx, b: b}
	br := bufio.NewReaderSize(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), 64<<10)
	var msg bytes.Buffer
	count, skipping := 0, false
	prevBlank := true
	flush := func() error {
		if msg.Len() == 0 {
			return nil
		}
		count++
		err := p.message(bytes.NewReader(msg.Bytes()), count, fmt.Sprintf("message %d", count), false)
		msg.Reset()
		return err
	}
	for {
		line, err := br.ReadSlice('\n')
		atStart := len(line) > 0 && !skipping // ReadSlice may split long lines
		if atStart && prevBlank && bytes.HasPrefix(line, []byte("From ")) {
			if ferr := flush(); ferr != nil {
				return b.res, ferr
			}
			skipping = false
		} else if len(line) > 0 {
			if bytes.HasPrefix(line, []byte(">")) && bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
				line = line[1:]
			}
			if int64(msg.Len()+len(line)) > b.lim.MaxInMemory {
				b.truncate(tooLargef("message %d larger than %d bytes; cut", count+1, b.lim.MaxInMemory))
			} else {
				msg.Write(line)
			}
		}
		skipping = err == bufio.ErrBufferFull
		prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0 && !skipping
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return b.res, err
		}
	}
	if err := flush(); err != nil {
		return b.res, err
	}
	b.res.Metadata["messages"] = fmt.Sprint(count)
	if count == 0 {
		return b.res, corruptf("no messages in mailbox")
	}
	return b.res, nil
}
