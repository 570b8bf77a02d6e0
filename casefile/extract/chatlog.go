package extract

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/transform"
)

// Column names that generic chat logs use, normalised to lower-case
// letters only.
var (
	senderCols = []string{"sender", "from", "author", "sendername", "fromname", "user", "username", "name", "participant", "contact", "nguoigui", "pengirim", "ผสง"}
	textCols   = []string{"message", "text", "body", "content", "msg", "messagetext", "messagebody", "noidung", "pesan", "ขอความ"}
	timeCols   = []string{"timestamp", "datetime", "time", "date", "sentat", "sent", "createdat", "messagedate", "dateutc", "thoigian", "waktu", "เวลา"}
	dateOnly   = []string{"date", "day"}
)

func normCol(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func colIndex(header []string, names []string) int {
	for _, want := range names {
		for i, h := range header {
			if normCol(h) == want {
				return i
			}
		}
	}
	return -1
}

// ChatCSV reads chat logs exported as CSV (phone extraction tools, chat
// apps): a header row naming at least a sender and a message column; one
// chunk per row with sender and time.
type ChatCSV struct{}

// Name implements Extractor.
func (ChatCSV) Name() string { return "chat-csv" }

// Version implements Extractor.
func (ChatCSV) Version() string { return "casevault/extract chat-csv 1 (encoding/csv)" }

// Match implements Extractor: by the header row.
func (ChatCSV) Match(p *Probe) Confidence {
	if p.Ext != ".csv" && p.Ext != ".tsv" && p.Ext != ".txt" {
		return NoMatch
	}
	head := p.Head
	if enc := DetectEncoding(head); enc != EncUTF8 {
		if d, err := encodings[enc].NewDecoder().Bytes(head); err == nil {
			head = d
		}
	}
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, []byte("\ufeff")), []byte("\n"))
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = csvComma(line)
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return NoMatch
	}
	if colIndex(header, senderCols) >= 0 && colIndex(header, textCols) >= 0 {
		return ByContent
	}
	return NoMatch
}

func csvComma(line []byte) rune {
	best, n := ',', bytes.Count(line, []byte(","))
	for _, c := range []rune{';', '\t', '|'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// Extract implements Extractor.
func (x ChatCSV) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "text/csv", "casevault/extract chat-csv (encoding/csv)", x.Version(), opts)
	head := make([]byte, min(size, headSize))
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	enc := DetectEncoding(head)
	b.res.Encoding = enc
	win := newWindowReader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), b.lim.MaxInMemory, "CSV record")
	src := transform.NewReader(win, encodings[enc].NewDecoder())
	line, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(src)
	cr.Comma = csvComma(line)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, corruptf("csv: %v", err)
	}
	header = append([]string(nil), header...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	si, ti := colIndex(header, senderCols), colIndex(header, textCols)
	wi := colIndex(header, timeCols)
	di := colIndex(header, dateOnly)
	if si < 0 || ti < 0 {
		return nil, fmt.Errorf("%w: no sender and message columns", ErrUnsupported)
	}
	loc := opts.location()
	for row := 1; ; row++ {
		win.mark()
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if isLimitErr(err) {
				return b.res, err
			}
			b.warn(fmt.Sprintf("csv row %d: %v", row, err))
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			return b.res, corruptf("csv: %v", err)
		}
		c := Chunk{Kind: KindMessage, Sender: field(rec, si), Text: field(rec, ti)}
		if wi >= 0 {
			ts := field(rec, wi)
			if di >= 0 && di != wi && !strings.ContainsAny(ts, "-/.") {
				ts = field(rec, di) + " " + ts
			}
			c.Label = ts
			c.Time = parseChatTime(ts, loc)
		}
		if err := b.add(c); err != nil {
			return b.res, err
		}
	}
	b.res.Metadata["messages"] = fmt.Sprint(len(b.res.Chunks))
	return b.res, nil
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

var chatLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "02/01/2006 15:04:05", "02/01/2006 15:04",
	"02.01.2006 15:04:05", "02.01.2006 15:04", "2/1/2006 15:04", "Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006 at 3:04:05 PM", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST", "2006-01-02",
}

// parseChatTime reads the timestamp forms of chat logs; a time without a
// zone is read in loc. Numbers are Unix times (seconds to nanoseconds).
func parseChatTime(s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return parseTime(s)
	}
	for _, layout := range chatLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ChatJSON reads chat logs in JSON: Telegram Desktop's result.json
// ({"messages": [...]}) and generic arrays of message objects with a sender
// and a text field. Messages are decoded one by one, never the whole file.
type ChatJSON struct{}

// Name implements Extractor.
func (ChatJSON) Name() string { return "chat-json" }

// Version implements Extractor.
func (ChatJSON) Version() string { return "casevault/extract chat-json 1 (encoding/json)" }

// Match implements Extractor.
func (ChatJSON) Match(p *Probe) Confidence {
	h := bytes.TrimLeft(bytes.TrimPrefix(p.Head, []byte("\ufeff")), " \t\r\n")
	if len(h) == 0 || (h[0] != '{' && h[0] != '[') {
		return NoMatch
	}
	if bytes.Contains(h, []byte(`"messages"`)) {
		return ByContent
	}
	lh := bytes.ToLower(h[:min(len(h), 4096)])
	if h[0] == '[' && (bytes.Contains(lh, []byte(`"sender`)) || bytes.Contains(lh, []byte(`"from"`)) || bytes.Contains(lh, []byte(`"author"`))) &&
		(bytes.Contains(lh, []byte(`"text"`)) || bytes.Contains(lh, []byte(`"message"`)) || bytes.Contains(lh, []byte(`"body"`)) || bytes.Contains(lh, []byte(`"content"`))) {
		return ByContent
	}
	return NoMatch
}

// Extract implements Extractor.
func (x ChatJSON) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	b := newBuilder(x.Name(), "application/json", "casevault/extract chat-json (encoding/json)", x.Version(), opts)
	win := newWindowReader(newCtxReader(ctx, io.NewSectionReader(r, 0, size)), b.lim.MaxInMemory, "JSON value")
	dec := json.NewDecoder(win)
	dec.UseNumber()
	w := &jsonChat{b: b, dec: dec, loc: opts.location(), win: win}
	if err := w.value(0, ""); err != nil {
		if isLimitErr(err) {
			return b.res, err
		}
		return b.res, corruptf("json: %v", err)
	}
	b.res.Metadata["messages"] = fmt.Sprint(w.count)
	if w.count == 0 {
		return b.res, fmt.Errorf("%w: no chat messages in this JSON", ErrUnsupported)
	}
	return b.res, nil
}

type jsonChat struct {
	win   *windowReader
	b     *builder
	dec   *json.Decoder
	loc   *time.Location
	count int
}

// value walks one JSON value; arrays under "messages" (or at the top) are
// read as messages.
func (w *jsonChat) value(depth int, key string) error {
	if depth > 64 {
		return fmt.Errorf("nested more than 64 levels")
	}
	w.win.mark()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for w.dec.More() {
				w.win.mark()
				kt, err := w.dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if err := w.value(depth+1, k); err != nil {
					return err
				}
			}
			_, err = w.dec.Token()
			return err
		case '[':
			if key == "messages" || depth == 0 {
				for w.dec.More() {
					w.win.mark()
					var m map[string]json.RawMessage
					if err := w.dec.Decode(&m); err != nil {
						return err
					}
					if err := w.message(m); err != nil {
						return err
					}
				}
			} else {
				for w.dec.More() {
					if err := w.value(depth+1, ""); err != nil {
						return err
					}
				}
			}
			_, err = w.dec.Token()
			return err
		}
	case string:
		if depth == 1 && key == "name" {
			w.b.meta("chat_name", t)
		}
	}
	return nil
}

func (w *jsonChat) message(m map[string]json.RawMessage) error {
	get := func(names ...string) json.RawMessage {
		for _, n := range names {
			if v, ok := m[n]; ok && len(v) > 0 && string(v) != "null" {
				return v
			}
		}
		return nil
	}
	text := jsonText(get("text", "message", "body", "content", "msg"), 0)
	sender := jsonText(get("from", "sender", "author", "sender_name", "user", "username", "from_name"), 0)
	var when time.Time
	if v := get("date_unixtime", "timestamp_ms", "timestamp", "time", "date", "sent_at", "created_at", "datetime"); v != nil {
		when = parseChatTime(strings.Trim(string(v), `"`), w.loc)
	}
	var label string
	if v := get("date", "timestamp", "time"); v != nil {
		label = strings.Trim(string(v), `"`)
	}
	for _, k := range []string{"photo", "file", "media", "attachment"} {
		if v := jsonText(m[k], 0); v != "" {
			text += "\n[" + k + ": " + v + "]"
		}
	}
	w.count++
	return w.b.add(Chunk{Kind: KindMessage, Text: text, Sender: sender, Time: when, Label: label})
}

// jsonText flattens a string, a number, an object's "text"/"name" or an
// array of those (Telegram splits formatted text into entities).
func jsonText(v json.RawMessage, depth int) string {
	if len(v) == 0 || depth > 8 {
		return ""
	}
	switch v[0] {
	case '"':
		var s string
		json.Unmarshal(v, &s)
		return s
	case '[':
		var parts []json.RawMessage
		json.Unmarshal(v, &parts)
		var sb strings.Builder
		for _, p := range parts {
			sb.WriteString(jsonText(p, depth+1))
		}
		return sb.String()
	case '{':
		var o map[string]json.RawMessage
		json.Unmarshal(v, &o)
		for _, k := range []string{"text", "name", "display_name", "id"} {
			if s := jsonText(o[k], depth+1); s != "" {
				return s
			}
		}
		return ""
	}
	return string(v)
}
