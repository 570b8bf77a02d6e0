package extract

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode the region's legacy charsets (TIS-620, windows-874, GB2312, Big5...)
	"github.com/emersion/go-message/mail"
)

// EML reads one e-mail message (RFC 5322 with MIME): headers as an
// "email" chunk with sender and date, text bodies (HTML reduced to its
// visible text; plain text preferred in multipart/alternative), and every
// attachment or attached message as an Embedded item.
type EML struct{}

const emlTool = "github.com/emersion/go-message"

// Name implements Extractor.
func (EML) Name() string { return "eml" }

// Version implements Extractor.
func (EML) Version() string { return moduleVersion(emlTool) }

var mailHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "subject": true, "date": true, "received": true,
	"return-path": true, "message-id": true, "mime-version": true, "delivered-to": true,
	"reply-to": true, "x-mailer": true, "content-type": true, "sender": true, "in-reply-to": true,
	"references": true, "dkim-signature": true, "x-originating-ip": true, "user-agent": true,
	"authentication-results": true, "arc-seal": true, "x-received": true,
}

// Match implements Extractor: the first lines must be mail headers, at
// least two of them well known.
func (EML) Match(p *Probe) Confidence {
	if looksLikeHeaders(p.Head) {
		return ByContent
	}
	if p.Ext == ".eml" || p.Ext == ".mht" || p.Ext == ".mhtml" {
		return ByName
	}
	return NoMatch
}

func looksLikeHeaders(head []byte) bool {
	known := 0
	for i, line := range bytes.SplitN(head[:min(len(head), 8192)], []byte("\n"), 40) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if i == 0 {
				return false
			}
			continue
		}
		k, _, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(k) == 0 || bytes.ContainsAny(k, " \t") {
			return false
		}
		if mailHeaders[strings.ToLower(string(k))] {
			known++
		}
	}
	return known >= 2
}

// Extract implements Extractor.
func (x EML) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "message/rfc822", emlTool, x.Version(), opts)
	p := &mailParser{ctx: ctx, b: b}
	p.win = newWindowReader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), b.lim.MaxInMemory, "e-mail header or skipped part")
	err := p.message(p.win, 0, "", true)
	return b.res, err
}

// mailParser walks MIME entities under the builder's limits.
type mailParser struct {
	ctx     context.Context
	b       *builder
	decoded int64         // bytes of decoded bodies, against MaxDecompressed
	win     *windowReader // nil for messages already in memory (mbox)
	parts   int
	attach  int
}

// message parses one message; index numbers it inside an mbox (0 for a
// lone message) and prefix names its attachments.
func (p *mailParser) message(r io.Reader, index int, prefix string, top bool) error {
	e, err := readMessage(bufio.NewReaderSize(r, 32<<10))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		if e == nil {
			return corruptf("e-mail: %v", err)
		}
	}
	if err != nil {
		p.b.warn(fmt.Sprintf("e-mail: %v", err))
	}
	h := mail.Header{Header: e.Header}
	var sb strings.Builder
	field := func(label, key string) string {
		v := headerText(h, key)
		if v != "" {
			fmt.Fprintf(&sb, "%s: %s\n", label, v)
		}
		return v
	}
	from := field("From", "From")
	to := field("To", "To")
	cc := field("Cc", "Cc")
	field("Bcc", "Bcc")
	subject := field("Subject", "Subject")
	dateText := field("Date", "Date")
	date, _ := h.Date()
	if top {
		p.b.meta("from", from)
		p.b.meta("to", to)
		p.b.meta("cc", cc)
		p.b.meta("subject", subject)
		p.b.meta("date", dateText)
		p.b.meta("message_id", h.Get("Message-Id"))
		p.b.meta("in_reply_to", h.Get("In-Reply-To"))
		p.b.meta("mailer", h.Get("X-Mailer"))
		p.b.meta("mailer", h.Get("User-Agent"))
		p.b.meta("originating_ip", h.Get("X-Originating-Ip"))
		if rec := h.Values("Received"); len(rec) > 0 {
			p.b.meta("received_first_hop", rec[len(rec)-1])
			p.b.meta("received_hops", fmt.Sprint(len(rec)))
		}
	}
	if err := p.b.add(Chunk{Text: sb.String(), Kind: KindEmail, Index: index, Sender: from, Time: date, Label: subject}); err != nil {
		return err
	}
	return p.entity(e, 0, prefix, index)
}

// headerText decodes a header's encoded words, keeping it otherwise as
// written (address comments included: they can matter in evidence).
func headerText(h mail.Header, key string) string {
	if v, err := h.Text(key); err == nil {
		return strings.Join(strings.Fields(v), " ")
	}
	return h.Get(key)
}

func (p *mailParser) entity(e *message.Entity, depth int, prefix string, index int) error {
	if err := ctxErr(p.ctx); err != nil {
		return err
	}
	lim := p.b.lim
	if depth > lim.MaxDepth {
		p.b.warn(fmt.Sprintf("MIME parts nested more than %d deep; inner parts skipped", lim.MaxDepth))
		return nil
	}
	if mr := mimeParts(e); mr != nil {
		ct, _, _ := e.Header.ContentType()
		alternative := ct == "multipart/alternative"
		var htmlBody []byte
		havePlain := false
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if isLimitErr(err) {
					return err
				}
				p.b.warn(fmt.Sprintf("e-mail: broken MIME part: %v", err))
				break
			}
			p.parts++
			if p.parts > lim.MaxParts {
				return p.b.truncate(tooLargef("more than %d MIME parts", lim.MaxParts))
			}
			if alternative {
				pct, _, _ := part.Header.ContentType()
				switch {
				case pct == "text/plain" && !havePlain:
					havePlain = true
				case pct == "text/plain", pct == "text/html" && havePlain:
					continue
				case pct == "text/html":
					body, err := p.read(part.Body)
					if err != nil {
						return err
					}
					htmlBody = body
					continue
				}
			}
			if err := p.entity(part, depth+1, prefix, index); err != nil {
				return err
			}
		}
		if htmlBody != nil && !havePlain {
			return htmlText(p.ctx, bytes.NewReader(htmlBody), p.b, KindPart, "body (html)", false)
		}
		return nil
	}
	ct, params, _ := e.Header.ContentType()
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if name != "" {
		if dec, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
			name = dec
		}
	}
	isText := ct == "text/plain" || ct == "text/html" || ct == ""
	if isText && disp != "attachment" && name == "" {
		body, err := p.read(e.Body)
		if err != nil {
			return err
		}
		if ct == "text/html" {
			return htmlText(p.ctx, bytes.NewReader(body), p.b, KindPart, "body (html)", false)
		}
		return p.b.add(Chunk{Text: strings.ToValidUTF8(string(body), "\uFFFD"), Kind: KindPart, Label: "body", Index: index})
	}
	body, err := p.read(e.Body)
	if err != nil {
		return err
	}
	p.attach++
	if name == "" {
		name = fmt.Sprintf("attachment-%d%s", p.attach, extensionFor(ct))
	}
	if prefix != "" {
		name = prefix + " " + SanitizeName(name)
	}
	return p.b.attach(Embedded{
		Name: name, OriginalName: name, MediaType: ct, Size: int64(len(body)),
		Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil },
	})
}

// read reads a decoded body, at most MaxInMemory bytes and within the
// decompression budget.
func (p *mailParser) read(r io.Reader) ([]byte, error) {
	lim := p.b.lim
	room := min(lim.MaxInMemory, lim.MaxDecompressed-p.decoded)
	if p.win != nil {
		p.win.mark()
	}
	data, err := io.ReadAll(io.LimitReader(r, room+1))
	if p.win != nil {
		p.win.mark()
	}
	p.decoded += int64(len(data))
	if int64(len(data)) > room {
		return nil, p.b.truncate(tooLargef("e-mail part larger than %d bytes", room))
	}
	if err != nil {
		if isLimitErr(err) {
			return nil, err
		}
		p.b.warn(fmt.Sprintf("e-mail: part cut short: %v", err))
	}
	return data, nil
}

func extensionFor(mediaType string) string {
	switch mediaType {
	case "message/rfc822":
		return ".eml"
	case "application/pdf":
		return ".pdf"
	case "image/jpeg":
		return ".jpg"
	}
	if exts, _ := mime.ExtensionsByType(mediaType); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}
