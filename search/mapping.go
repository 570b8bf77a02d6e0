package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// analysisVersion is bumped by hand whenever the analysers, the identifier
// extraction or the Zawgyi conversion change what goes into the index. The
// mapping itself is hashed into the stamp, so a field change needs no bump.
const analysisVersion = 8

// Field names in the index. Short, and only ever seen encrypted.
const (
	fAll    = "all"    // title, text and extra fields: the full-text field (positions, no offsets); English stemmed
	fText   = "text"   // stored only: the chunk text, for snippets
	fTitle  = "title"  // stored only
	fPerson = "person" // linked names, full-text
	fPair   = "pair"   // adjacent word pairs of fAll ("fishing boat"), index only: two-word phrases in one lookup
	fIdent  = "ident"  // canonical identifiers, keywords
	fCase   = "case"   // keyword, stored, facet
	fKind   = "kind"   // keyword, stored, facet
	fItem   = "item"   // keyword, stored
	fChunk  = "chunk"  // stored only
	fType   = "type"   // keyword, stored, facet
	fLang   = "lang"   // keyword, stored, facet
	fYear   = "year"   // keyword "2024", facet
	fMonth  = "month"  // keyword "2024-03": from:/to:
	fDay    = "day"    // keyword "2024-03-15": from:/to:
	fDate   = "date"   // keyword "2024-03-15T08:30:00Z", stored, sortable (see date.go)
)

// Internal (encrypted) keys of the bleve index.
var (
	internalStamp = []byte("s")
	internalGen   = []byte("g")
)

// buildMapping describes the index for bleve. (English documents' fAll is
// analysed with analyserEnglish; see analyserFor.) Put builds documents directly
// (no reflection), with exactly these options; the mapping tells queries
// which analyser each field uses, and its hash goes into the version stamp.
func buildMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	m.DefaultAnalyzer = analyserText
	m.DefaultField = fAll
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false

	text := func(analyser string, store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyser
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.DocValues = docValues
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	storedOnly := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fAll, text(analyserText, false, true))
	doc.AddFieldMappingsAt(fPerson, text(analyserText, false, true))
	doc.AddFieldMappingsAt(fPair, kw(false, false))
	doc.AddFieldMappingsAt(fText, storedOnly())
	doc.AddFieldMappingsAt(fTitle, storedOnly())
	doc.AddFieldMappingsAt(fChunk, storedOnly())
	doc.AddFieldMappingsAt(fIdent, kw(false, false))
	doc.AddFieldMappingsAt(fCase, kw(true, true))
	doc.AddFieldMappingsAt(fKind, kw(true, true))
	doc.AddFieldMappingsAt(fItem, kw(true, false))
	doc.AddFieldMappingsAt(fType, kw(true, true))
	doc.AddFieldMappingsAt(fLang, kw(true, true))
	doc.AddFieldMappingsAt(fYear, kw(false, true))
	doc.AddFieldMappingsAt(fMonth, kw(false, false))
	doc.AddFieldMappingsAt(fDay, kw(false, false))
	doc.AddFieldMappingsAt(fDate, kw(true, true))
	m.DefaultMapping = doc
	return m
}

// stamp names the analysis and mapping an index was built with. An index
// whose stamp differs is rebuilt.
func stamp(m *mapping.IndexMappingImpl) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic("search: mapping does not marshal: " + err.Error())
	}
	h := sha256.Sum256(b)
	return fmt.Sprintf("casevault-index/%d/%s", analysisVersion, hex.EncodeToString(h[:8]))
}
