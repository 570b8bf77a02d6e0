package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// WhatsApp reads WhatsApp's "Export chat" text: one chunk per message with
// sender and time. It reads the Android form ("31/12/2021, 21:41 - Name:
// text") and the iOS form ("[31/12/2021, 21:41:05] Name: text"), with
// slashes, dots or dashes, 12- or 24-hour clocks, two- or four-digit and
// Buddhist-era years. Day-month order is settled over the whole file (a
// first field above 12 means day first); times carry no zone in the export
// and are read in Options.Location.
type WhatsApp struct{}

// Name implements Extractor.
func (WhatsApp) Name() string { return "whatsapp" }

// Version implements Extractor.
func (WhatsApp) Version() string { return "casevault/extract whatsapp 1" }

// Match implements Extractor.
func (WhatsApp) Match(p *Probe) Confidence {
	if waHeaderLines(p.Head) {
		return ByContent
	}
	return NoMatch
}

// waHeaderLines reports whether most of the first lines start a message.
func waHeaderLines(head []byte) bool {
	lines, hits := 0, 0
	for len(head) > 0 && lines < 10 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lines++
		if _, _, ok := parseWALine(line); ok {
			hits++
		}
	}
	return hits >= 1 && hits*2 >= lines
}

// waStamp is a message's timestamp as written, before the day-month order
// is known.
type waStamp struct {
	a, b, c   int // the three date fields in file order
	yearFirst bool
	h, m, s   int
	pm, am    bool
}

// waPacked is a waStamp kept for every message until the day-month order
// is known, in 10 bytes instead of 64: a file holds millions. Every field
// parseWALine reads has at most four digits.
type waPacked struct {
	a, b, c int16
	h, m, s uint8
	flags   uint8
}

const (
	waYearFirst = 1 << iota
	waPM
	waAM
)

func (st waStamp) pack() waPacked {
	p := waPacked{a: int16(st.a), b: int16(st.b), c: int16(st.c), h: uint8(st.h), m: uint8(st.m), s: uint8(st.s)}
	if st.yearFirst {
		p.flags |= waYearFirst
	}
	if st.pm {
		p.flags |= waPM
	}
	if st.am {
		p.flags |= waAM
	}
	return p
}

func (p waPacked) unpack() waStamp {
	return waStamp{a: int(p.a), b: int(p.b), c: int(p.c), h: int(p.h), m: int(p.m), s: int(p.s),
		yearFirst: p.flags&waYearFirst != 0, pm: p.flags&waPM != 0, am: p.flags&waAM != 0}
}

// Extract implements Extractor.
func (x WhatsApp) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "text/plain", "casevault/extract whatsapp", x.Version(), opts)
	b.res.Format = "whatsapp"
	err := parseWhatsApp(ctx, io.NewSectionReader(r, 0, size), b, opts)
	return b.res, err
}

func parseWhatsApp(ctx context.Context, src io.Reader, b *builder, opts Options) error {
	br := bufio.NewReaderSize(src, 64<<10)
	head, _ := br.Peek(headSize)
	enc := DetectEncoding(head)
	b.res.Encoding = enc
	var rd io.Reader = br
	if enc != EncUTF8 {
		rd = bufio.NewReaderSize(transform.NewReader(br, encodings[enc].NewDecoder()), 64<<10)
	}
	lr := rd.(*bufio.Reader)
	est := 1024
	if sz, ok := src.(interface{ Size() int64 }); ok {
		est = int(min(sz.Size()/64, int64(b.lim.MaxChunks)))
	}
	stamps := make([]waPacked, 0, est)
	b.res.Chunks = make([]Chunk, 0, est)
	var msg []byte
	var labelLen, senderStart, senderEnd int
	var cur Chunk
	var curStamp waPacked
	have := false
	// Messages are queued, and added in batches: one allocation holds the
	// raw timestamps, senders and texts of many.
	type queuedMsg struct {
		kind                                       Kind
		off, labelLen, senderStart, senderEnd, end int
		stamp                                      waPacked
	}
	var batch []byte
	var queued []queuedMsg
	// drain adds the queued messages; final says the last one is the
	// file's last message.
	drain := func(final bool) error {
		all := string(batch)
		for i, q := range queued {
			m := all[q.off:q.end]
			c := Chunk{Kind: q.kind, Label: m[:q.labelLen], Sender: m[q.senderStart:q.senderEnd], Text: m[q.senderEnd:]}
			n := len(b.res.Chunks)
			err := b.add(c)
			if len(b.res.Chunks) > n { // an empty message is dropped
				stamps = append(stamps, q.stamp)
			}
			if err != nil {
				if final && i == len(queued)-1 && b.res.Truncated {
					break // as for the last message: keep what was read, with times
				}
				return err
			}
		}
		batch, queued = batch[:0], queued[:0]
		return nil
	}
	queue := func() {
		if have {
			off := len(batch)
			batch = append(batch, msg...)
			queued = append(queued, queuedMsg{kind: cur.Kind, off: off, labelLen: labelLen, senderStart: senderStart, senderEnd: senderEnd, end: len(batch), stamp: curStamp})
		}
	}
	// flush queues the message read so far, which is not the last one.
	flush := func() error {
		queue()
		if len(queued) >= 512 || len(batch) >= 64<<10 {
			return drain(false)
		}
		return nil
	}
	var maxA, maxB int
	ampm := false
	lines := 0
	for {
		line, err := lr.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A very long line: keep the part read and go on.
			err = nil
		}
		if len(line) > 0 {
			lines++
			if lines&4095 == 0 {
				if cerr := ctxErr(ctx); cerr != nil {
					return cerr
				}
			}
			trimmed := bytes.TrimRight(line, "\r\n")
			if st, rest, ok := parseWALine(trimmed); ok {
				if ferr := flush(); ferr != nil {
					return ferr
				}
				curStamp = st.pack()
				if !st.yearFirst {
					maxA, maxB = max(maxA, st.a), max(maxB, st.b)
				}
				ampm = ampm || st.am || st.pm
				cur = Chunk{Kind: KindMessage}
				label := bytes.TrimSpace(bytes.TrimPrefix(trimmed[:len(trimmed)-len(rest)], lrm))
				label = bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSuffix(label, []byte("-")), []byte("[")), []byte("]"))
				msg = append(msg[:0], bytes.TrimSpace(label)...)
				labelLen = len(msg)
				senderStart, senderEnd = labelLen, labelLen
				if i := bytes.Index(rest, []byte(": ")); i > 0 && utf8.Valid(rest[:i]) {
					msg = append(msg, bytes.TrimPrefix(rest[:i], lrm)...)
					senderEnd = len(msg)
					rest = rest[i+2:]
				}
				msg = append(msg, bytes.TrimPrefix(rest, lrm)...)
				have = true
			} else if have {
				msg = append(msg, '\n')
				msg = append(msg, trimmed...)
			} else if len(bytes.TrimSpace(trimmed)) > 0 {
				b.warn("text before the first message")
				cur = Chunk{Kind: KindText}
				msg = append(msg[:0], trimmed...)
				labelLen, senderStart, senderEnd = 0, 0, 0
				have = true
				curStamp = waPacked{a: -1}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	queue()
	if err := drain(true); err != nil {
		return err
	}
	if len(stamps) == 0 {
		return corruptf("no WhatsApp messages found")
	}
	dayFirst := maxA > 12 || maxB <= 12 && !ampm
	if maxA <= 12 && maxB <= 12 {
		b.warn(fmt.Sprintf("day and month order is ambiguous in this export; read as %s", map[bool]string{true: "day/month", false: "month/day"}[dayFirst]))
	}
	loc := opts.location()
	b.res.Metadata["time_zone"] = "none in the export; read as " + loc.String()
	b.res.Metadata["date_order"] = map[bool]string{true: "day/month/year", false: "month/day/year"}[dayFirst]
	chunks := b.res.Chunks
	for i := range chunks {
		if i >= len(stamps) || stamps[i].a < 0 {
			continue
		}
		chunks[i].Time = stamps[i].unpack().time(dayFirst, loc)
	}
	b.res.Metadata["messages"] = fmt.Sprint(len(chunks))
	return nil
}

var lrm = []byte("\u200e")

func (st waStamp) time(dayFirst bool, loc *time.Location) time.Time {
	y, mo, d := st.c, st.b, st.a
	switch {
	case st.yearFirst:
		y, mo, d = st.a, st.b, st.c
	case !dayFirst:
		mo, d = st.a, st.b
	}
	switch {
	case y < 100:
		y += 2000
	case y > 2400:
		y -= 543 // Thai Buddhist era
	}
	h := st.h
	if st.pm && h < 12 {
		h += 12
	} else if st.am && h == 12 {
		h = 0
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || st.m > 59 || st.s > 60 {
		return time.Time{}
	}
	return time.Date(y, time.Month(mo), d, h, st.m, st.s, 0, loc)
}

// parseWALine recognises a message's first line and returns its stamp and
// the rest of the line (sender and text). It is hand-written for speed:
// chat exports run to hundreds of megabytes.
func parseWALine(s []byte) (st waStamp, rest []byte, ok bool) {
	s = bytes.TrimPrefix(s, []byte("\ufeff"))
	s = bytes.TrimPrefix(s, lrm)
	i := 0
	bracket := len(s) > 0 && s[0] == '['
	if bracket {
		i++
	}
	num := func(minD, maxD int) (int, bool) {
		n, d := 0, 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && d < maxD {
			n = n*10 + int(s[i]-'0')
			i++
			d++
		}
		return n, d >= minD && (i >= len(s) || s[i] < '0' || s[i] > '9')
	}
	var okA, okB, okC bool
	start := i
	st.a, okA = num(1, 4)
	st.yearFirst = i-start == 4
	if !okA || i >= len(s) || (s[i] != '/' && s[i] != '.' && s[i] != '-') {
		return st, nil, false
	}
	sep := s[i]
	i++
	st.b, okB = num(1, 2)
	if !okB || i >= len(s) || s[i] != sep {
		return st, nil, false
	}
	i++
	st.c, okC = num(2, 4)
	if !okC {
		return st, nil, false
	}
	if i < len(s) && s[i] == '.' {
		i++ // "31.12.21."
	}
	if i < len(s) && s[i] == ',' {
		i++
	}
	i = skipSpaces(s, i)
	var okH, okM bool
	st.h, okH = num(1, 2)
	if !okH || i >= len(s) || s[i] != ':' {
		return st, nil, false
	}
	i++
	st.m, okM = num(2, 2)
	if !okM {
		return st, nil, false
	}
	if i < len(s) && s[i] == ':' {
		i++
		var okS bool
		if st.s, okS = num(2, 2); !okS {
			return st, nil, false
		}
	}
	i = skipSpaces(s, i)
	if j, am, pm := ampmAt(s, i); am || pm {
		st.am, st.pm = am, pm
		i = skipSpaces(s, j)
	}
	if bracket {
		if i >= len(s) || s[i] != ']' {
			return st, nil, false
		}
		i = skipSpaces(s, i+1)
	} else {
		if i >= len(s) || s[i] != '-' {
			return st, nil, false
		}
		i = skipSpaces(s, i+1)
	}
	return st, s[i:], true
}

// skipSpaces skips ASCII spaces, no-break spaces and narrow no-break
// spaces (iOS puts U+202F before AM/PM).
func skipSpaces(s []byte, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case s[i] < 0x80:
			return i
		case bytes.HasPrefix(s[i:], []byte("\u202f")), bytes.HasPrefix(s[i:], []byte("\u200e")):
			i += 3
		case bytes.HasPrefix(s[i:], []byte("\u00a0")):
			i += 2
		default:
			return i
		}
	}
	return i
}

func ampmAt(s []byte, i int) (next int, am, pm bool) {
	if i >= len(s) || (s[i]|0x20 != 'a' && s[i]|0x20 != 'p') {
		return i, false, false
	}
	for _, f := range []struct {
		text   string
		am, pm bool
	}{{"AM", true, false}, {"PM", false, true}, {"am", true, false}, {"pm", false, true},
		{"a.m.", true, false}, {"p.m.", false, true}, {"a. m.", true, false}, {"p. m.", false, true}} {
		if bytes.HasPrefix(s[i:], []byte(f.text)) {
			return i + len(f.text), f.am, f.pm
		}
	}
	return i, false, false
}
