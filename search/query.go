package search

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"casevault/search/ident"
	"casevault/search/zawgyi"
)

// QueryHelp is the query language in a few lines, for the GUI and the CLI.
const QueryHelp = `Words: all must appear (trafficking passport).
"exact phrase"      words in this order
-word  -"phrase"    leave out results with it
a OR b              either word
traff*              words starting with traff
Nguyen~  Nguyen~2   names spelt slightly differently
case:ID  type:chat  kind:evidence  person:NAME  lang:th
from:2024-01-01  to:2024-06  (YYYY, YYYY-MM or YYYY-MM-DD)
Phone numbers, IBANs, accounts, passports, e-mails and wallets match
whatever their spacing: +66 81 234 5678 finds 0812345678.`

// ErrEmptyQuery is returned by ParseQuery for a query with nothing in it.
var ErrEmptyQuery = errors.New("empty query")

// QueryError is a query the parser could not read, with the column (in
// characters, from 1) where the problem is.
type QueryError struct {
	Column int
	Msg    string
}

func (e *QueryError) Error() string { return fmt.Sprintf("query: %s (at column %d)", e.Msg, e.Column) }

// Query is a parsed query: the bleve query and what to highlight.
type Query struct {
	q     query.Query
	marks *markSet
}

// filterFields are the field: prefixes the language knows.
var filterFields = map[string]bool{
	"case": true, "type": true, "kind": true, "person": true, "lang": true, "from": true, "to": true,
}

type clause struct {
	neg   bool
	q     query.Query
	isOR  bool // the OR operator itself
	col   int
	date  string // "from" or "to" for date clauses, merged later
	dateT time.Time
}

// ParseQuery reads a query in CaseVault's query language (see QueryHelp).
func ParseQuery(s string) (*Query, error) {
	s = zawgyi.Normalize(s)
	if !utf8.ValidString(s) {
		return nil, &QueryError{1, "query is not valid UTF-8"}
	}
	p := &parser{src: s, marks: newMarkSet()}
	clauses, err := p.lex()
	if err != nil {
		return nil, err
	}
	return p.build(clauses)
}

type parser struct {
	src   string
	pos   int
	marks *markSet
}

func (p *parser) col(byteOff int) int { return utf8.RuneCountInString(p.src[:byteOff]) + 1 }

func (p *parser) errAt(off int, format string, a ...any) error {
	return &QueryError{p.col(off), fmt.Sprintf(format, a...)}
}

func (p *parser) lex() ([]clause, error) {
	var out []clause
	spans := ident.FindAll(p.src)
	src := p.src
	for p.pos < len(src) {
		r, w := utf8.DecodeRuneInString(src[p.pos:])
		if unicode.IsSpace(r) {
			p.pos += w
			continue
		}
		start := p.pos
		neg := false
		if r == '-' && p.pos+1 < len(src) && !isSpaceAt(src, p.pos+1) {
			// "-5" is a number; "-word" an exclusion.
			if sp := spanAt(spans, p.pos); sp == nil {
				neg = true
				p.pos++
			}
		}
		c := clause{neg: neg, col: p.col(start)}
		if p.pos < len(src) && src[p.pos] == '"' {
			text, err := p.quoted()
			if err != nil {
				return nil, err
			}
			c.q = p.phrase(text)
		} else if sp := spanAt(spans, p.pos); sp != nil {
			c.q = p.identQuery(src[sp.Start:sp.End], sp.Forms)
			p.pos = sp.End
		} else {
			tok := p.bare()
			if tok == "OR" && !neg {
				c.isOR = true
			} else if name, val, ok := strings.Cut(tok, ":"); ok && filterFields[strings.ToLower(name)] {
				if val == "" && p.pos < len(src) && src[p.pos] == '"' {
					text, err := p.quoted()
					if err != nil {
						return nil, err
					}
					val = text
				}
				if err := p.filter(&c, strings.ToLower(name), val, start); err != nil {
					return nil, err
				}
			} else {
				q, err := p.word(tok, start)
				if err != nil {
					return nil, err
				}
				c.q = q
			}
		}
		if c.q == nil && !c.isOR && c.date == "" {
			if neg {
				return nil, p.errAt(start, "nothing to leave out after -")
			}
			continue // punctuation only
		}
		out = append(out, c)
	}
	return out, nil
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func spanAt(spans []ident.Match, pos int) *ident.Match {
	for i := range spans {
		if spans[i].Start == pos {
			return &spans[i]
		}
	}
	return nil
}

func (p *parser) quoted() (string, error) {
	start := p.pos
	p.pos++
	end := strings.IndexByte(p.src[p.pos:], '"')
	if end < 0 {
		return "", p.errAt(start, "missing closing quote")
	}
	text := p.src[p.pos : p.pos+end]
	p.pos += end + 1
	return text, nil
}

func (p *parser) bare() string {
	start := p.pos
	for p.pos < len(p.src) {
		r, w := utf8.DecodeRuneInString(p.src[p.pos:])
		if unicode.IsSpace(r) || (r == '"' && p.pos > start && !strings.HasSuffix(p.src[start:p.pos], ":")) {
			break
		}
		if r == '"' && strings.HasSuffix(p.src[start:p.pos], ":") {
			break
		}
		p.pos += w
	}
	return p.src[start:p.pos]
}

func (p *parser) filter(c *clause, name, val string, off int) error {
	if strings.TrimSpace(val) == "" {
		return p.errAt(off, "%s: needs a value, e.g. %s", name, filterExample[name])
	}
	switch name {
	case "case":
		c.q = termQ(fCase, val)
	case "type":
		c.q = termQ(fType, strings.ToLower(val))
	case "kind":
		k := Kind(strings.ToLower(val))
		if !k.valid() {
			return p.errAt(off, "unknown kind %q: use one of case, evidence, person, asset, request, note", val)
		}
		c.q = termQ(fKind, string(k))
	case "lang":
		c.q = termQ(fLang, normLang(val))
	case "person":
		toks := textAn.Analyze([]byte(val))
		if len(toks) == 0 {
			return p.errAt(off, "person: needs a name")
		}
		p.marks.addTokens(toks)
		c.q = tokensQuery(fPerson, toks)
	case "from", "to":
		t, err := parseDate(val, name == "to")
		if err != nil {
			return p.errAt(off, "%s:%s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", name, val)
		}
		c.date, c.dateT = name, t
	}
	return nil
}

var filterExample = map[string]string{
	"case": "case:2024-017", "type": "type:chat", "kind": "kind:evidence", "person": `person:"Somchai K"`,
	"lang": "lang:th", "from": "from:2024-01-01", "to": "to:2024-06",
}

// parseDate reads YYYY, YYYY-MM or YYYY-MM-DD; end gives the last instant
// of that period instead of the first.
func parseDate(s string, end bool) (time.Time, error) {
	for _, l := range []struct {
		layout string
		add    func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(l.layout, s); err == nil {
			if end {
				return l.add(t).Add(-time.Nanosecond), nil
			}
			return t, nil
		}
	}
	return time.Time{}, errors.New("bad date")
}

// word turns one bare word into a query: prefix*, fuzzy~N, or plain.
func (p *parser) word(tok string, off int) (query.Query, error) {
	if strings.HasSuffix(tok, "*") {
		stem := strings.TrimRight(tok, "*")
		f := string(foldWord([]byte(stem)))
		if utf8.RuneCountInString(f) < 2 {
			return nil, p.errAt(off, "%q: give at least two letters before *", tok)
		}
		if strings.ContainsAny(f, "*?") {
			return nil, p.errAt(off, "%q: * only at the end of a word", tok)
		}
		p.marks.prefixes = append(p.marks.prefixes, f)
		q := bleve.NewPrefixQuery(f)
		q.SetField(fAll)
		return q, nil
	}
	if i := strings.LastIndexByte(tok, '~'); i > 0 {
		base, dist := tok[:i], tok[i+1:]
		f := string(foldWord([]byte(base)))
		if f == "" {
			return nil, p.errAt(off, "%q: nothing before ~", tok)
		}
		n := 1
		if utf8.RuneCountInString(f) >= 6 {
			n = 2
		}
		if dist != "" {
			d, err := strconv.Atoi(dist)
			if err != nil || d < 0 || d > 2 {
				return nil, p.errAt(off, "%q: use ~, ~1 or ~2 after a word", tok)
			}
			n = d
		}
		p.marks.fuzzy = append(p.marks.fuzzy, fuzzyMark{f, n})
		q := bleve.NewFuzzyQuery(f)
		q.SetField(fAll)
		q.SetFuzziness(n)
		return q, nil
	}
	return p.phrase(tok), nil
}

// phrase analyses text like the index does: one token is a term, several a
// phrase (a Thai word is a phrase of cluster bigrams).
func (p *parser) phrase(text string) query.Query {
	var alts []query.Query
	for _, m := range ident.FindAll(text) {
		if m.Start == 0 && m.End == len(text) {
			for _, f := range m.Forms {
				alts = append(alts, termQ(fIdent, f))
				p.marks.idents[f] = true
			}
		}
	}
	toks := textAn.Analyze([]byte(text))
	if len(toks) > 0 {
		p.marks.addTokens(toks)
		alts = append(alts, tokensQuery(fAll, toks))
		// English documents are indexed stemmed: ask for the stems too.
		if st := englishAn.Analyze([]byte(text)); !sameTerms(st, toks) {
			p.marks.addStems(st)
			alts = append(alts, tokensQuery(fAll, st))
		}
		if len(toks) == 1 && toks[0].Type == analysis.Ideographic && loneUnit(toks[0].Term) {
			// A lone unit is indexed only inside bigrams.
			pq := bleve.NewPrefixQuery(string(toks[0].Term))
			pq.SetField(fAll)
			alts = append(alts, pq)
			p.marks.prefixes = append(p.marks.prefixes, string(toks[0].Term))
		}
	}
	switch len(alts) {
	case 0:
		return nil
	case 1:
		return alts[0]
	}
	return bleve.NewDisjunctionQuery(alts...)
}

func (p *parser) identQuery(raw string, forms []string) query.Query {
	alts := make([]query.Query, 0, len(forms)+1)
	for _, f := range forms {
		alts = append(alts, termQ(fIdent, f))
		p.marks.idents[f] = true
	}
	return bleve.NewDisjunctionQuery(alts...)
}

func sameTerms(a, b analysis.TokenStream) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if string(a[i].Term) != string(b[i].Term) {
			return false
		}
	}
	return true
}

func tokensQuery(field string, toks analysis.TokenStream) query.Query {
	if len(toks) == 1 {
		return termQ(field, string(toks[0].Term))
	}
	var pairs []query.Query
	if field == fAll {
		for i := 1; i < len(toks); i++ {
			if toks[i-1].Type == analysis.Ideographic || toks[i].Type == analysis.Ideographic ||
				toks[i].Position != toks[i-1].Position+1 {
				pairs = nil
				break
			}
			pairs = append(pairs, termQ(fPair, pairTerm(toks[i-1].Term, toks[i].Term)))
		}
	}
	if len(pairs) == 1 {
		// Two words: the pair is indexed, no positions to compare.
		return pairs[0]
	}
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = string(t.Term)
	}
	pq := bleve.NewPhraseQuery(terms, field)
	if len(pairs) == 0 {
		return pq
	}
	// Longer phrases of words: the pairs find the few candidates, the
	// positions confirm the order.
	return bleve.NewConjunctionQuery(append(pairs, pq)...)
}

func termQ(field, term string) query.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}

// build combines clauses: OR binds tighter than the implicit AND.
func (p *parser) build(cs []clause) (*Query, error) {
	var must, mustNot []query.Query
	var from, to *time.Time
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		if c.isOR {
			return nil, &QueryError{c.col, "OR needs something on both sides"}
		}
		if c.date != "" {
			if c.neg {
				return nil, &QueryError{c.col, "dates cannot be excluded; use from: and to:"}
			}
			t := c.dateT
			if c.date == "from" {
				from = &t
			} else {
				to = &t
			}
			continue
		}
		group := []clause{c}
		for i+2 < len(cs) && cs[i+1].isOR {
			next := cs[i+2]
			if next.isOR || next.date != "" {
				return nil, &QueryError{cs[i+1].col, "OR needs a word, phrase or filter on both sides"}
			}
			group = append(group, next)
			i += 2
		}
		if i+1 < len(cs) && cs[i+1].isOR {
			return nil, &QueryError{cs[i+1].col, "OR needs something on both sides"}
		}
		if len(group) == 1 {
			if c.neg {
				mustNot = append(mustNot, c.q)
			} else {
				must = append(must, c.q)
			}
			continue
		}
		var alts []query.Query
		for _, g := range group {
			q := g.q
			if g.neg {
				b := bleve.NewBooleanQuery()
				b.AddMust(bleve.NewMatchAllQuery())
				b.AddMustNot(q)
				q = b
			}
			alts = append(alts, q)
		}
		must = append(must, bleve.NewDisjunctionQuery(alts...))
	}
	if from != nil || to != nil {
		var a, b time.Time
		if from != nil {
			a = *from
		}
		if to != nil {
			b = *to
		}
		if from != nil && to != nil && b.Before(a) {
			return nil, &QueryError{1, "to: is before from:"}
		}
		must = append(must, dateRange(from, to))
	}
	if len(must) == 0 && len(mustNot) == 0 {
		return nil, ErrEmptyQuery
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	if len(must) == 1 {
		b.AddMust(must[0])
	} else {
		b.AddMust(must...)
	}
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return &Query{q: b, marks: p.marks}, nil
}
