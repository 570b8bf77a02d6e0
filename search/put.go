package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"casevault/search/ident"
	"casevault/search/zawgyi"
)

var (
	textAn    = &textAnalyser{}
	englishAn = &textAnalyser{english: true}
	keywordAn = keywordAnalyser{}
)

// keywordAnalyser makes the whole value one token.
type keywordAnalyser struct{}

func (keywordAnalyser) Analyze(in []byte) analysis.TokenStream {
	return analysis.TokenStream{{Term: in, Start: 0, End: len(in), Position: 1, Type: analysis.AlphaNumeric}}
}

const (
	optFullText  = index.IndexField | index.IncludeTermVectors
	optIndexOnly = index.IndexField
	optStored    = index.StoreField
	optFacet     = index.IndexField | index.StoreField | index.DocValues
	optKeyStored = index.IndexField | index.StoreField
)

// analyserFor picks the analysis of a document's language: English text is
// stemmed as well; every other language shares one analyser (bleve has no
// stemmer for the others of the region; Indonesian and Malay words are
// matched as written).
func analyserFor(lang string) *textAnalyser {
	if lang == "en" {
		return englishAn
	}
	return textAn
}

// Put adds or replaces documents. Text is normalised first (Zawgyi Burmese
// to Unicode), identifiers are extracted into their canonical forms.
func (ix *Index) Put(docs ...Document) error {
	const batchSize = 1000
	for len(docs) > 0 {
		n := min(len(docs), batchSize)
		b := ix.bl.NewBatch()
		for i := range docs[:n] {
			d, err := buildDoc(&docs[i])
			if err != nil {
				return err
			}
			if err := b.IndexAdvanced(d); err != nil {
				return err
			}
		}
		if err := ix.batch(b); err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

func (ix *Index) batch(b *bleve.Batch) (err error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return errors.New("search index is closed")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: index write failed: %v", ErrNeedsRebuild, r)
		}
	}()
	b.SetInternal(internalGen, binary.BigEndian.AppendUint64(nil, ix.gen+1))
	if err := ix.bl.Batch(b); err != nil {
		return err
	}
	ix.gen++
	if !ix.bulk {
		// The batch is on disk (bleve waits in this mode): record it, so
		// that an index that falls back to an older snapshot is noticed.
		return ix.writeGen()
	}
	return nil
}

// buildDoc turns a Document into bleve's form directly, without bleve's
// reflection-based mapping (which costs more than the analysis of short
// messages). The fields and options match buildMapping.
func buildDoc(src *Document) (*document.Document, error) {
	if err := src.validate(); err != nil {
		return nil, err
	}
	id := src.ID
	if id == "" {
		id = DocID(src.CaseID, src.Kind, src.ItemID, src.Chunk)
	}
	title := zawgyi.Normalize(src.Title)
	text := zawgyi.Normalize(src.Text)
	d := document.NewDocument(id)

	all := make([]byte, 0, len(title)+len(text)+2)
	all = append(append(append(all, title...), '\n'), text...)
	var person, typ string
	for _, k := range slices.Sorted(maps.Keys(src.Fields)) {
		v := zawgyi.Normalize(src.Fields[k])
		switch k {
		case FieldType:
			typ = strings.ToLower(strings.TrimSpace(v))
		case FieldPerson:
			person = v
			all = append(append(all, '\n'), v...)
		default:
			all = append(append(all, '\n'), v...)
		}
	}
	lang := normLang(src.Lang)
	var pairs [][]byte
	d.AddField(textField(fAll, all, optFullText, analyserFor(lang), &pairs))
	if len(pairs) > 0 {
		d.AddField(termsField(fPair, pairs, optIndexOnly))
	}
	if person != "" {
		d.AddField(textField(fPerson, []byte(person), optFullText, textAn, nil))
	}
	d.AddField(document.NewTextFieldCustom(fText, nil, []byte(text), optStored, nil))
	if title != "" {
		d.AddField(document.NewTextFieldCustom(fTitle, nil, []byte(title), optStored, nil))
	}
	d.AddField(document.NewTextFieldCustom(fChunk, nil, []byte(strconv.Itoa(src.Chunk)), optStored, nil))
	if ids := ident.Extract(string(all)); len(ids) > 0 {
		d.AddField(termsField(fIdent, ids, optIndexOnly))
	}
	kw := func(name, v string, opts index.FieldIndexingOptions) {
		if v != "" {
			d.AddField(keywordField(name, []byte(v), opts))
		}
	}
	kw(fCase, src.CaseID, optFacet)
	kw(fKind, string(src.Kind), optFacet)
	kw(fItem, src.ItemID, optKeyStored)
	kw(fType, typ, optFacet)
	kw(fLang, lang, optFacet)
	if !src.Date.IsZero() {
		for _, f := range dateFields(src.Date) {
			d.AddField(f)
		}
	}
	return d, nil
}

func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "bur":
		return "my"
	case "tl":
		return "fil"
	}
	return s
}

// Delete removes documents by id.
func (ix *Index) Delete(ids ...string) error {
	b := ix.bl.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	return ix.batch(b)
}

// DeleteCase removes every document of a case.
func (ix *Index) DeleteCase(ctx context.Context, caseID string) error {
	q := bleve.NewTermQuery(caseID)
	q.SetField(fCase)
	return ix.deleteMatching(ctx, q)
}

// DeleteItem removes every chunk of one item, e.g. before re-indexing an
// item whose text changed.
func (ix *Index) DeleteItem(ctx context.Context, caseID string, kind Kind, itemID string) error {
	c := bleve.NewTermQuery(caseID)
	c.SetField(fCase)
	k := bleve.NewTermQuery(string(kind))
	k.SetField(fKind)
	it := bleve.NewTermQuery(itemID)
	it.SetField(fItem)
	return ix.deleteMatching(ctx, bleve.NewConjunctionQuery(c, k, it))
}

func (ix *Index) deleteMatching(ctx context.Context, q query.Query) error {
	for {
		req := bleve.NewSearchRequestOptions(q, 5000, 0, false)
		req.Fields = nil
		res, err := ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			return nil
		}
		b := ix.bl.NewBatch()
		for _, h := range res.Hits {
			b.Delete(h.ID)
		}
		if err := ix.batch(b); err != nil {
			return err
		}
	}
}
