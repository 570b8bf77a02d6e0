package extract

import (
	"strings"
	"unicode/utf8"
)

// builder collects chunks for one Result under the text and chunk limits.
type builder struct {
	res    *Result
	lim    Limits
	text   int64
	counts [len(kinds)]int
}

var kinds = [...]Kind{KindText, KindPage, KindSlide, KindSheet, KindMessage, KindEmail, KindPart, KindMetadata}

func kindIndex(k Kind) int {
	for i, x := range kinds {
		if x == k {
			return i
		}
	}
	return 0
}

func newBuilder(format, mediaType, tool, version string, opts Options) *builder {
	return &builder{
		res: &Result{
			Format:      format,
			MediaType:   mediaType,
			Tool:        tool,
			ToolVersion: version,
			Metadata:    map[string]string{},
		},
		lim: opts.Limits.withDefaults(),
	}
}

// add appends a chunk, tagging its script and numbering it among its kind
// when c.Index is 0. Empty text is dropped. It returns ErrTooLarge once the
// text or chunk limit is reached, keeping what fits.
func (b *builder) add(c Chunk) error {
	c.Text = strings.TrimSpace(c.Text)
	if c.Text == "" {
		return nil
	}
	// The common case, text already in NFC, is checked and its script
	// detected in one pass.
	nfc, script, lang := scanNFCScript(c.Text)
	if !nfc {
		c.Text = toNFC(c.Text)
	}
	if len(b.res.Chunks) >= b.lim.MaxChunks {
		return b.truncate(tooLargef("more than %d chunks", b.lim.MaxChunks))
	}
	if room := b.lim.MaxText - b.text; int64(len(c.Text)) > room {
		c.Text = cutUTF8(c.Text, int(room))
		if c.Text != "" {
			b.tag(&c)
			b.res.Chunks = append(b.res.Chunks, c)
		}
		b.text = b.lim.MaxText
		return b.truncate(tooLargef("more than %d bytes of text", b.lim.MaxText))
	}
	b.text += int64(len(c.Text))
	if nfc && c.Script == "" {
		c.Script, c.Lang = script, lang
		b.number(&c)
	} else {
		b.tag(&c)
	}
	b.res.Chunks = append(b.res.Chunks, c)
	return nil
}

// tag numbers c and detects its script when c.Script is empty.
func (b *builder) tag(c *Chunk) {
	b.number(c)
	if c.Script == "" {
		c.Script, c.Lang = DetectScript(c.Text)
	}
}

// number numbers c among the chunks of its kind when c.Index is 0.
func (b *builder) number(c *Chunk) {
	k := kindIndex(c.Kind)
	b.counts[k]++
	if c.Index == 0 {
		c.Index = b.counts[k]
	}
}

func (b *builder) truncate(err error) error {
	if !b.res.Truncated {
		b.res.Truncated = true
		b.warn(err.Error())
	}
	return err
}

func (b *builder) warn(msg string) {
	for _, w := range b.res.Warnings {
		if w == msg {
			return
		}
	}
	if len(b.res.Warnings) < 100 {
		b.res.Warnings = append(b.res.Warnings, msg)
	}
}

// meta records a metadata field, ignoring empty values and keeping the
// first value seen.
func (b *builder) meta(key, value string) {
	value = strings.TrimSpace(strings.ToValidUTF8(value, "\uFFFD"))
	if value == "" {
		return
	}
	if _, ok := b.res.Metadata[key]; !ok {
		b.res.Metadata[key] = cutUTF8(value, 4096)
	}
}

func (b *builder) attach(e Embedded) error {
	if len(b.res.Attachments) >= b.lim.MaxParts {
		return b.truncate(tooLargef("more than %d attachments", b.lim.MaxParts))
	}
	if e.OriginalName == "" {
		e.OriginalName = e.Name
	}
	e.Name = SanitizeName(e.Name)
	b.res.Attachments = append(b.res.Attachments, e)
	return nil
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
