package search

import (
	"slices"
	"testing"
)

// TestTextFieldMatchesAnalyze checks that what indexing records (terms,
// frequencies, positions) is what Analyze, which queries and snippets use,
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
			f := textField(fAll, []byte(in), optFullText, an)
			toks := an.Analyze([]byte(in))
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
