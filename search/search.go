package search

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// SearchOptions narrow and page a search. The zero value gives the first
// page of 20 hits by relevance, without facets.
type SearchOptions struct {
	Cases      []string // only these cases (any of them)
	Kinds      []Kind   // only these kinds
	Offset     int      // hits to skip, for paging
	Limit      int      // hits to return; 20 if 0, at most 1000
	SortByDate bool     // newest first instead of most relevant first
	Facets     bool     // count hits by case, kind, type, year and language
}

// Hit is one matching chunk.
type Hit struct {
	ID      string
	CaseID  string
	Kind    Kind
	ItemID  string
	Chunk   int
	Date    time.Time // zero if the document had none
	Lang    string
	Type    string
	Title   string
	Score   float64
	Snippet Snippet
}

// FacetValue is one value of a facet and the number of hits that have it.
type FacetValue struct {
	Value string
	Count int
}

// Facet counts hits by one property: "case", "kind", "type", "year" or
// "lang".
type Facet struct {
	Name   string
	Values []FacetValue // most frequent first
	Other  int          // hits with a value not listed
}

// Results are a page of hits.
type Results struct {
	Total  uint64 // all hits, not just this page
	Hits   []Hit
	Facets []Facet
	Took   time.Duration
}

var facetFields = []struct{ name, field string }{
	{"case", fCase}, {"kind", fKind}, {"type", fType}, {"year", fYear}, {"lang", fLang},
}

// Search runs a query in CaseVault's query language (QueryHelp). An empty
// query gives empty results; a query that does not parse gives a
// *QueryError.
func (ix *Index) Search(ctx context.Context, q string, opts SearchOptions) (*Results, error) {
	pq, err := ParseQuery(q)
	if errors.Is(err, ErrEmptyQuery) {
		return &Results{}, nil
	}
	if err != nil {
		return nil, err
	}
	return ix.SearchQuery(ctx, pq, opts)
}

// SearchQuery runs a parsed query.
func (ix *Index) SearchQuery(ctx context.Context, pq *Query, opts SearchOptions) (res *Results, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: search failed: %v", ErrNeedsRebuild, r)
		}
	}()
	limit := opts.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 1000)
	q := pq.q
	var filters []query.Query
	if len(opts.Cases) > 0 {
		filters = append(filters, anyTerm(fCase, opts.Cases))
	}
	if len(opts.Kinds) > 0 {
		ks := make([]string, len(opts.Kinds))
		for i, k := range opts.Kinds {
			ks[i] = string(k)
		}
		filters = append(filters, anyTerm(fKind, ks))
	}
	if len(filters) > 0 {
		q = bleve.NewConjunctionQuery(append([]query.Query{q}, filters...)...)
	}
	req := bleve.NewSearchRequestOptions(q, limit, max(0, opts.Offset), false)
	req.Fields = []string{fCase, fKind, fItem, fChunk, fDate, fLang, fType, fTitle, fText}
	if opts.SortByDate {
		req.SortBy([]string{"-" + fDate, "-_score", "_id"})
	}
	if opts.Facets {
		for _, f := range facetFields {
			req.AddFacet(f.name, bleve.NewFacetRequest(f.field, 20))
		}
	}
	sr, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search failed: %w", err)
	}
	res = &Results{Total: sr.Total, Took: sr.Took}
	for _, h := range sr.Hits {
		hit := Hit{ID: h.ID, Score: h.Score}
		str := func(name string) string { s, _ := h.Fields[name].(string); return s }
		hit.CaseID = str(fCase)
		hit.Kind = Kind(str(fKind))
		hit.ItemID = str(fItem)
		hit.Chunk, _ = strconv.Atoi(str(fChunk))
		hit.Lang = str(fLang)
		hit.Type = str(fType)
		hit.Title = str(fTitle)
		if d := str(fDate); d != "" {
			hit.Date, _ = time.Parse(time.RFC3339, d)
		}
		text := str(fText)
		if text == "" {
			text = hit.Title
		}
		hit.Snippet = makeSnippet(text, pq.marks, hit.Lang == "en")
		res.Hits = append(res.Hits, hit)
	}
	for _, f := range facetFields {
		fr, ok := sr.Facets[f.name]
		if !ok || fr == nil {
			continue
		}
		facet := Facet{Name: f.name, Other: fr.Other}
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				facet.Values = append(facet.Values, FacetValue{t.Term, t.Count})
			}
		}
		sort.SliceStable(facet.Values, func(i, j int) bool { return facet.Values[i].Count > facet.Values[j].Count })
		res.Facets = append(res.Facets, facet)
	}
	return res, nil
}

func anyTerm(field string, vals []string) query.Query {
	qs := make([]query.Query, len(vals))
	for i, v := range vals {
		qs[i] = termQ(field, v)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}
