package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// analysedField is a field analysed before it reaches bleve: by Load's
// workers (in parallel, while bleve builds the previous batch's segment) or
// by Put. bleve's own analysis pass then has nothing left to do, and Size
// does not walk every token location (bleve calls it once per document
// only for its statistics).
type analysedField struct {
	name    string
	value   []byte
	options index.FieldIndexingOptions
	length  int
	freqs   index.TokenFrequencies
	size    int
}

func (f *analysedField) Name() string                                     { return f.name }
func (f *analysedField) ArrayPositions() []uint64                         { return nil }
func (f *analysedField) Options() index.FieldIndexingOptions              { return f.options }
func (f *analysedField) Analyze()                                         {}
func (f *analysedField) Value() []byte                                    { return f.value }
func (f *analysedField) NumPlainTextBytes() uint64                        { return uint64(len(f.value)) }
func (f *analysedField) Size() int                                        { return f.size }
func (f *analysedField) EncodedFieldType() byte                           { return 't' }
func (f *analysedField) AnalyzedLength() int                              { return f.length }
func (f *analysedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// newAnalysedField analyses value with an and keeps the result.
func newAnalysedField(name string, value []byte, opts index.FieldIndexingOptions, an analysis.Analyzer) *analysedField {
	return tokensField(name, value, opts, an.Analyze(value))
}

// tokensField is a field of value analysed into toks.
func tokensField(name string, value []byte, opts index.FieldIndexingOptions, toks analysis.TokenStream) *analysedField {
	return &analysedField{
		name: name, value: value, options: opts, length: len(toks),
		freqs: tokenFreqs(toks, opts.IncludeTermVectors()),
		size:  64 + len(name) + 2*len(value) + 96*len(toks),
	}
}

// keywordField is a field whose whole value is its only term.
func keywordField(name string, value []byte, opts index.FieldIndexingOptions) *analysedField {
	tf := &index.TokenFreq{Term: value}
	tf.SetFrequency(1)
	return &analysedField{
		name: name, value: value, options: opts, length: 1,
		freqs: index.TokenFrequencies{string(value): tf},
		size:  128 + len(name) + 2*len(value),
	}
}

// termsField is an index-only field holding the given terms, e.g. a
// document's canonical identifiers.
func termsField[T string | []byte](name string, terms []T, opts index.FieldIndexingOptions) *analysedField {
	freqs := make(index.TokenFrequencies, len(terms))
	size := 64 + len(name)
	var slab []index.TokenFreq
	for _, t := range terms {
		tf, ok := freqs[string(t)]
		if !ok {
			if len(slab) == cap(slab) {
				slab = make([]index.TokenFreq, 0, min(len(terms), 256))
			}
			slab = append(slab, index.TokenFreq{Term: []byte(t)})
			tf = &slab[len(slab)-1]
			freqs[string(t)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		size += 96 + 2*len(t)
	}
	return &analysedField{name: name, options: opts, length: len(terms), freqs: freqs, size: size}
}

// tokenFreqs is analysis.TokenFrequency with a few allocations per field
// instead of several per token: the term records, the locations and the
// location pointers each come from one slab.
func tokenFreqs(toks analysis.TokenStream, vectors bool) index.TokenFrequencies {
	// Fewer distinct terms than tokens: size for about half.
	est := len(toks)/2 + 4
	rv := make(index.TokenFrequencies, est)
	if len(toks) == 0 {
		return rv
	}
	slab := make([]index.TokenFreq, 0, est)
	of := make([]*index.TokenFreq, len(toks)) // each token's term record
	for i, t := range toks {
		tf, ok := rv[string(t.Term)]
		if !ok {
			if len(slab) == cap(slab) {
				slab = make([]index.TokenFreq, 0, est)
			}
			slab = append(slab, index.TokenFreq{Term: t.Term})
			tf = &slab[len(slab)-1]
			rv[string(t.Term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		of[i] = tf
	}
	if !vectors {
		return rv
	}
	locs := make([]index.TokenLocation, len(toks))
	ptrs := make([]*index.TokenLocation, len(toks))
	off := 0
	for _, tf := range rv {
		n := tf.Frequency()
		tf.Locations = ptrs[off : off : off+n]
		off += n
	}
	for i, t := range toks {
		// Positions only: phrases need them, snippets re-analyse the
		// stored text, so byte offsets would only fill the index.
		locs[i] = index.TokenLocation{Position: t.Position}
		tf := of[i]
		tf.Locations = append(tf.Locations, &locs[i])
	}
	return rv
}
