package search

import (
	"bytes"
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

// TestUnitsInsideRunningText checks that a word of an unspaced script typed
// alone is cut into the same units as inside running text: its tokens (one
// lone unit, or bigrams of units) are found, in order, among those of every
// word pair of its language written without a space, either way round.
func TestUnitsInsideRunningText(t *testing.T) {
	words := map[string][]string{}
	for _, v := range vocab {
		if !v.spaced {
			words[v.lang] = v.words
		}
	}
	// Words of the language tests, and syllables the joins are about.
	words["th"] = append(words["th"], "เดินทาง", "เสื้อผ้า", "ไปทำงาน", "ค่า", "เอา")
	words["lo"] = append(words["lo"], "ເດີນທາງ", "ໄປເຮັດວຽກ", "ນຳ")
	words["my"] = append(words["my"], "ပေါ်", "အတင်းအဓမ္မ", "ခိုင်းစေခဲ့သည်", "သင်္ချိုင်း")
	words["km"] = append(words["km"], "ខ្មែរ", "ស្រី", "បញ្ឆោត", "ធ្វើការ", "គ្មាន")
	for lang, ws := range words {
		for _, w := range ws {
			alone := textAn.Analyze([]byte(w))
			if len(alone) == 0 {
				continue
			}
			var lone bool
			if len(alone) == 1 {
				lone = loneUnit(alone[0].Term)
			}
			for _, o := range ws {
				for _, text := range []string{o + w + o, w + o, o + w} {
					in := textAn.Analyze([]byte(text))
					if !containsRun(in, alone, lone) {
						t.Errorf("%s: %q typed alone (%q) not found in %q (%q)", lang, w, terms(alone), text, terms(in))
					}
				}
			}
		}
	}
}

// containsRun reports whether want's terms occur in order in got; a lone
// unit matches the start of a bigram (as queries ask for it).
func containsRun(got, want analysis.TokenStream, lone bool) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		if lone {
			if bytes.HasPrefix(got[i].Term, want[0].Term) || bytes.HasSuffix(got[i].Term, want[0].Term) {
				return true
			}
			continue
		}
		ok := true
		for j := range want {
			if !bytes.Equal(got[i+j].Term, want[j].Term) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func terms(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}
