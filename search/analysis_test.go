package search

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// TestTextFieldMatchesAnalyze checks that what indexing records (terms,
// frequencies, positions, word pairs) is what Analyze, which queries and snippets use,
// returns, for both analysers, over every language of the generated corpus.
func TestTextFieldMatchesAnalyze(t *testing.T) {
	docs, _ := genCorpus(3000)
	extra := []string{"The broker's car; workers’ passports", "นายจ้าง \u200bเรือประมง", "钱 护照", "Nguyễn Văn Minh ๑๒๓"}
	for _, an := range []*textAnalyser{textAn, englishAn} {
		inputs := extra
		for _, d := range docs {
			inputs = append(inputs, d.Text)
		}
		for _, in := range inputs {
			var pairs [][]byte
			f := textField(fAll, []byte(in), optFullText, an, &pairs)
			toks := an.Analyze([]byte(in))
			var wantPairs []string
			for i := 1; i < len(toks); i++ {
				if toks[i-1].Type != analysis.Ideographic && toks[i].Type != analysis.Ideographic {
					wantPairs = append(wantPairs, pairTerm(toks[i-1].Term, toks[i].Term))
				}
			}
			var gotPairs []string
			for _, p := range pairs {
				gotPairs = append(gotPairs, string(p))
			}
			if !slices.Equal(gotPairs, wantPairs) {
				t.Fatalf("english=%v %q: pairs %q, want %q", an.english, in, gotPairs, wantPairs)
			}
			if f.length != len(toks) {
				t.Fatalf("english=%v %q: %d tokens indexed, Analyze gives %d", an.english, in, f.length, len(toks))
			}
			want := map[string][]int{}
			for _, tok := range toks {
				want[string(tok.Term)] = append(want[string(tok.Term)], tok.Position)
			}
			if len(f.freqs) != len(want) {
				t.Fatalf("english=%v %q: %d terms indexed, Analyze gives %d", an.english, in, len(f.freqs), len(want))
			}
			for term, tf := range f.freqs {
				var got []int
				for _, l := range tf.Locations {
					got = append(got, l.Position)
				}
				if tf.Frequency() != len(want[term]) || !slices.Equal(got, want[term]) {
					t.Fatalf("english=%v %q: term %q at %v (frequency %d), Analyze gives %v",
						an.english, in, term, got, tf.Frequency(), want[term])
				}
			}
		}
	}
}
