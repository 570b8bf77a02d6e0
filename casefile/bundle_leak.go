package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LeakHit is a place in the outgoing data where a protected person's real
// name, an alias or a document number appears. It names the person by
// pseudonym and the term by kind only: the hit list itself reveals nothing.
type LeakHit struct {
	PersonID  string `json:"person_id"`
	Pseudonym string `json:"pseudonym"`
	Term      string `json:"term"`  // "real name", "alias", "passport number"...
	Where     string `json:"where"` // e.g. "evidence 3, file statement.txt (extracted text)"
	ItemID    string `json:"item_id,omitempty"`
}

func (h LeakHit) String() string {
	return fmt.Sprintf("%s's %s appears in %s", h.Pseudonym, h.Term, h.Where)
}

type leakTerm struct {
	personID, pseudonym, kind string
	folded                    string
}

func newLeakTerm(id, pseudonym, kind, value string) leakTerm {
	return leakTerm{personID: id, pseudonym: pseudonym, kind: kind, folded: foldText(value)}
}

// usable leaves out terms too short to mean anything (they would match
// everywhere): fewer than two characters, or fewer than three in Latin.
func (t leakTerm) usable() bool {
	n := utf8.RuneCountInString(t.folded)
	if n < 2 {
		return false
	}
	ascii := true
	for _, r := range t.folded {
		if r >= utf8.RuneSelf {
			ascii = false
		}
	}
	return !ascii || n >= 3
}

// foldSpecial are letters that NFKD does not decompose but that people
// type without their stroke.
var foldSpecial = map[rune]string{'đ': "d", 'ð': "d", 'ł': "l", 'ø': "o", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ħ': "h"}

// foldText puts text in the form the leak check compares: NFKD, combining
// marks removed, lower case, every run of white space one space.
func foldText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		r = unicode.ToLower(r)
		if f, ok := foldSpecial[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unspaced scripts write words without spaces: a name there has no word
// boundary to check.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// containsTerm reports whether folded text holds the folded term as a
// whole word (or anywhere, in scripts without spaces).
func containsTerm(text, term string) bool {
	first, _ := utf8.DecodeRuneInString(term)
	last, _ := utf8.DecodeLastRuneInString(term)
	for off := 0; ; {
		i := strings.Index(text[off:], term)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[i+len(term):])
		okBefore := i == 0 || !wordRune(before) || !wordRune(first) || unspaced(first) || unspaced(before)
		okAfter := i+len(term) == len(text) || !wordRune(after) || !wordRune(last) || unspaced(last) || unspaced(after)
		if okBefore && okAfter {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		off = i + size
	}
}

// leakScanner collects hits, one per person, term and place.
type leakScanner struct {
	terms []leakTerm
	seen  map[[3]string]bool
	hits  []LeakHit
}

func (s *leakScanner) scan(text, where, itemID string, skipPerson string) {
	if text == "" {
		return
	}
	folded := foldText(text)
	for _, t := range s.terms {
		if t.personID == skipPerson {
			continue
		}
		k := [3]string{t.personID + "\x00" + t.kind, where, itemID}
		if s.seen[k] || !containsTerm(folded, t.folded) {
			continue
		}
		s.seen[k] = true
		s.hits = append(s.hits, LeakHit{PersonID: t.personID, Pseudonym: t.pseudonym, Term: t.kind, Where: where, ItemID: itemID})
	}
}

// scanReader scans a long text in chunks, with an overlap so that a term
// cut by a chunk boundary is still found.
func (s *leakScanner) scanReader(ctx context.Context, r io.Reader, where, itemID string) error {
	const chunk, overlap = 1 << 20, 4 << 10
	buf := make([]byte, 0, chunk+overlap)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := len(buf)
		buf = buf[:start+chunk]
		n, err := io.ReadFull(r, buf[start:])
		buf = buf[:start+n]
		// Cut at a character boundary; the rest waits for the next round.
		end := len(buf)
		if err == nil && end > 0 {
			i := end - 1
			for i > 0 && i > end-utf8.UTFMax && !utf8.RuneStart(buf[i]) {
				i--
			}
			if !utf8.FullRune(buf[i:]) {
				end = i
			}
		}
		s.scan(string(buf[:end]), where, itemID, "")
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
		keep := max(0, end-overlap)
		for keep < end && !utf8.RuneStart(buf[keep]) {
			keep++
		}
		buf = append(buf[:0], buf[keep:]...)
	}
}

// LeakCheck searches everything an export with opts would send (evidence
// text, notes, descriptions, file names, metadata, every text field of
// the case database) for each protected person's real name, aliases and
// document numbers, ignoring case, accents and spacing. It sends nothing.
// With IncludeProtected, a person's own record is not counted as a leak.
func (c *Case) LeakCheck(ctx context.Context, opts ExportOptions) ([]LeakHit, error) {
	f, err := c.filtered(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer f.close()
	return f.leakCheck(ctx, c, opts.IncludeProtected)
}

func (f *filteredCase) leakCheck(ctx context.Context, c *Case, includeProtected bool) ([]LeakHit, error) {
	s := &leakScanner{terms: f.terms, seen: map[[3]string]bool{}, hits: []LeakHit{}}
	if len(s.terms) == 0 {
		return s.hits, nil
	}
	conn := f.tmp.conn
	exhibits := map[string]string{}
	if err := scanList(ctx, conn, "SELECT id, exhibit FROM evidence", func(r *sql.Rows) error {
		var id, ex string
		err := r.Scan(&id, &ex)
		exhibits[id] = ex
		return err
	}); err != nil {
		return nil, err
	}
	var tables []string
	if err := scanList(ctx, conn, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", func(r *sql.Rows) error {
		var n string
		err := r.Scan(&n)
		tables = append(tables, n)
		return err
	}); err != nil {
		return nil, err
	}
	for _, t := range tables {
		if t == "audit" || t == "meta" {
			continue // audit details never hold identities (audit.go); meta holds ids
		}
		if err := f.scanTable(ctx, s, t, exhibits, includeProtected); err != nil {
			return nil, err
		}
	}
	// The extracted text of every attachment that goes.
	type text struct{ evidence, name, blob string }
	var texts []text
	if err := scanList(ctx, conn, "SELECT evidence_id, name, text_blob FROM attachment WHERE text_blob <> '' ORDER BY evidence_id, name", func(r *sql.Rows) error {
		var t text
		err := r.Scan(&t.evidence, &t.name, &t.blob)
		texts = append(texts, t)
		return err
	}); err != nil {
		return nil, err
	}
	if len(texts) > 0 {
		store, err := c.blobs()
		if err != nil {
			return nil, err
		}
		for _, t := range texts {
			rc, err := store.open(t.blob)
			if err != nil {
				return nil, fmt.Errorf("evidence %s, file %s: cannot read its text: %w", exhibits[t.evidence], t.name, err)
			}
			err = s.scanReader(ctx, rc, fmt.Sprintf("evidence %s, file %q (extracted text)", exhibits[t.evidence], t.name), t.evidence)
			rc.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	sort.SliceStable(s.hits, func(i, j int) bool { return s.hits[i].Pseudonym < s.hits[j].Pseudonym })
	return s.hits, nil
}

// scanTable scans every text column of every row of a table.
func (f *filteredCase) scanTable(ctx context.Context, s *leakScanner, table string, exhibits map[string]string, includeProtected bool) error {
	rows, err := f.tmp.conn.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := map[string]string{}
		for i, c := range cols {
			if v, ok := vals[i].(string); ok {
				row[c] = v
			}
		}
		where, item, person := leakPlace(table, row, exhibits, f.protected)
		skip := ""
		if includeProtected {
			skip = person // their own record goes on purpose
		}
		for i, c := range cols {
			v, ok := vals[i].(string)
			if !ok || c == "id" || strings.HasSuffix(c, "_id") || c == "sha256" || c == "blob" || c == "text_blob" {
				continue
			}
			s.scan(v, where+" ("+strings.ReplaceAll(c, "_", " ")+")", item, skip)
		}
	}
	return rows.Err()
}

// leakPlace says where a row is, in words a prosecutor recognises.
func leakPlace(table string, row map[string]string, exhibits map[string]string, protected map[string]string) (where, item, person string) {
	personName := func(id string) string {
		if ps, ok := protected[id]; ok {
			return ps
		}
		return "person " + id
	}
	switch {
	case table == "evidence":
		return "evidence " + row["exhibit"], row["id"], ""
	case table == "attachment":
		return fmt.Sprintf("evidence %s, file %q", exhibits[row["evidence_id"]], row["name"]), row["evidence_id"], ""
	case table == "custody":
		return fmt.Sprintf("evidence %s, custody event", exhibits[row["evidence_id"]]), row["evidence_id"], ""
	case strings.HasPrefix(table, "evidence_"):
		return "evidence " + exhibits[row["evidence_id"]], row["evidence_id"], ""
	case table == "person":
		return personName(row["id"]), row["id"], row["id"]
	case strings.HasPrefix(table, "person_") || strings.HasPrefix(table, "protection"):
		return personName(row["person_id"]), row["person_id"], row["person_id"]
	case table == "note":
		return "note " + row["id"], row["id"], ""
	case strings.HasPrefix(table, "case_"):
		return "the case record", "", ""
	case row["id"] != "":
		return table + " " + row["id"], row["id"], ""
	case row["asset_id"] != "":
		return "asset " + row["asset_id"], row["asset_id"], ""
	case row["request_id"] != "":
		return "request " + row["request_id"], row["request_id"], ""
	}
	return table, "", ""
}
