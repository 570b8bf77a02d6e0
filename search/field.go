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

// textField is value analysed by an: its term frequencies and, with term
// vectors, each token's position (positions only: phrases need them,
// snippets re-analyse the stored text, so byte offsets would only fill the
// index). The term records, the locations and the location pointers each
// come from one slab, instead of several allocations per token.
//
// If pairs is not nil, it receives the terms of fPair: each word joined by a
// space to the next when that is a word too. (Tokens of unspaced scripts
// are bigrams already; a phrase of them keeps using positions.)
func textField(name string, value []byte, opts index.FieldIndexingOptions, an *textAnalyser, pairs *[][]byte) *analysedField {
	est := len(value)/12 + 4 // distinct terms: about half the tokens
	freqs := make(index.TokenFrequencies, est)
	slab := make([]index.TokenFreq, 0, est)
	type occurrence struct {
		tf  *index.TokenFreq
		pos int
	}
	occs := make([]occurrence, 0, len(value)/6+4)
	var prevWord, arena []byte // the previous token if a word; pair terms
	an.tokens(value, func(term []byte, _, _, pos int, typ analysis.TokenType) {
		if pairs != nil {
			word := typ != analysis.Ideographic
			if word && prevWord != nil {
				if n := len(prevWord) + 1 + len(term); cap(arena)-len(arena) < n {
					arena = make([]byte, 0, max(len(value)*2, n))
				}
				start := len(arena)
				arena = append(append(append(arena, prevWord...), ' '), term...)
				*pairs = append(*pairs, arena[start:len(arena):len(arena)])
			}
			prevWord = nil
			if word {
				prevWord = term
			}
		}
		tf, ok := freqs[string(term)]
		if !ok {
			if len(slab) == cap(slab) {
				slab = make([]index.TokenFreq, 0, est)
			}
			slab = append(slab, index.TokenFreq{Term: term})
			tf = &slab[len(slab)-1]
			freqs[string(term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
		occs = append(occs, occurrence{tf, pos})
	})
	if opts.IncludeTermVectors() && len(occs) > 0 {
		locs := make([]index.TokenLocation, len(occs))
		ptrs := make([]*index.TokenLocation, len(occs))
		off := 0
		for _, tf := range freqs {
			n := tf.Frequency()
			tf.Locations = ptrs[off : off : off+n]
			off += n
		}
		for i, o := range occs {
			locs[i].Position = o.pos
			o.tf.Locations = append(o.tf.Locations, &locs[i])
		}
	}
	return &analysedField{
		name: name, value: value, options: opts, length: len(occs), freqs: freqs,
		size: 64 + len(name) + 2*len(value) + 96*len(occs),
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

// pairTerm is the fPair term of two adjacent words.
func pairTerm(a, b []byte) string { return string(a) + " " + string(b) }
