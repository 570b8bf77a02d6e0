package search

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"casevault/search/zawgyi"
)

// Real sentences, one per language, as they appear in evidence.
var langDocs = []Document{
	{ID: "en", Lang: "en", Text: "The recruiters confiscated the workers' passports and forced them to work on the fishing boat without pay."},
	{ID: "th", Lang: "th", Text: "นายจ้างยึดหนังสือเดินทางของแรงงานและบังคับให้ทำงานบนเรือประมงโดยไม่จ่ายค่าจ้าง"},
	{ID: "vi", Lang: "vi", Text: "Nguyễn Thị Hồng bị đưa sang Trung Quốc và bị ép kết hôn với một người đàn ông lạ."},
	{ID: "id", Lang: "id", Text: "Para pekerja migran dijanjikan pekerjaan di pabrik, tetapi paspor mereka disita oleh agen penyalur."},
	{ID: "ms", Lang: "ms", Text: "Mangsa pemerdagangan orang telah diselamatkan oleh polis di sebuah rumah kedai di Johor Bahru."},
	{ID: "fil", Lang: "fil", Text: "Ang mga biktima ay pinangakuan ng trabaho sa ibang bansa ngunit sapilitang pinagtrabaho nang walang sahod."},
	{ID: "km", Lang: "km", Text: "ជនរងគ្រោះត្រូវបានគេបញ្ឆោតឱ្យធ្វើការនៅប្រទេសថៃដោយគ្មានប្រាក់ឈ្នួល"},
	{ID: "lo", Lang: "lo", Text: "ແມ່ຍິງຄົນນີ້ຖືກຂາຍໄປປະເທດໄທໂດຍນາຍໜ້າ"},
	{ID: "my", Lang: "my", Text: "အလုပ်သမားများကို ငါးဖမ်းလှေပေါ်တွင် အတင်းအဓမ္မ ခိုင်းစေခဲ့သည်။"},
	// The same kind of sentence, typed in Zawgyi (as rabbit's uni2zg writes it).
	{ID: "my-zg", Lang: "my", Text: "ပြဲစားက ပတ္စ္ပို႔ကို သိမ္းထားသည္။ အလုပ္သမားမ်ား ထြက္ေျပး၍ မရပါ။"},
	{ID: "zh", Lang: "zh", Text: "他们没收了工人的护照，并强迫他们在渔船上工作。"},
	{ID: "mixed", Text: "Hi พี่ 明天 gặp ở Mae Sot nhé, nhớ mang hộ chiếu. ok krub"},
}

func TestLanguages(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	docs := slices.Clone(langDocs)
	for i := range docs {
		docs[i].CaseID, docs[i].Kind, docs[i].ItemID = "c", KindEvidence, docs[i].ID
		docs[i].Date = time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC)
	}
	mustPut(t, ix, docs...)
	cases := []struct {
		q    string
		want []string
	}{
		{"passport", []string{"en"}},           // stemmed: passports
		{"confiscate", []string{"en"}},         // stemmed: confiscated
		{"fishing boat", []string{"en"}},       // words anywhere
		{`"fishing boat"`, []string{"en"}},     // phrase
		{"หนังสือเดินทาง", []string{"th"}},     // passport, inside running Thai
		{"เรือประมง", []string{"th"}},          // fishing boat
		{"ค่าจ้าง", []string{"th"}},            // wages, at the end
		{"Nguyen", []string{"vi"}},             // accent-free finds Nguyễn
		{"nguyễn thị hồng", []string{"vi"}},    // with accents too
		{"ep ket hon", []string{"vi"}},         // forced marriage, no accents
		{"Trung Quoc", []string{"vi"}},         // đ/ố folded
		{"paspor", []string{"id"}},             // Indonesian
		{"disita", []string{"id"}},             // seized
		{"pemerdagangan", []string{"ms"}},      // Malay: trafficking
		{"johor", []string{"ms"}},              // case folding
		{"biktima", []string{"fil"}},           // Filipino: victim
		{"sahod", []string{"fil"}},             // wages
		{"ប្រទេសថៃ", []string{"km"}},           // Khmer: Thailand
		{"ជនរងគ្រោះ", []string{"km"}},          // victim
		{"ປະເທດໄທ", []string{"lo"}},            // Lao: Thailand
		{"ນາຍໜ້າ", []string{"lo"}},             // broker
		{"ငါးဖမ်းလှေ", []string{"my"}},         // Burmese: fishing boat
		{"အလုပ်သမား", []string{"my", "my-zg"}}, // worker: Unicode and Zawgyi text
		{"ပတ်စ်ပို့", []string{"my-zg"}},       // passport, in the Zawgyi text, by a Unicode query
		{"ပတ္စ္ပို႔", []string{"my-zg"}},       // the same typed in Zawgyi
		{"护照", []string{"zh"}},                 // Chinese: passport
		{"渔船", []string{"zh"}},                 // fishing boat
		{"hộ chiếu", []string{"mixed"}},        // mixed chat
		{"ho chieu", []string{"mixed"}},
		{"明天", []string{"mixed"}},
		{"พี่", []string{"mixed"}},
		{"mae sot", []string{"mixed"}},
		{"ประเทศลาว", nil}, // not there
	}
	for _, c := range cases {
		got := hitIDs(search(t, ix, c.q))
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %v, want %v", c.q, got, want)
		}
	}
}

func TestZawgyiStoredAsUnicode(t *testing.T) {
	ix := openTest(t, filepath.Join(t.TempDir(), "index"))
	zg := langDocs[9]
	zg.CaseID, zg.Kind, zg.ItemID = "c", KindEvidence, "x"
	mustPut(t, ix, zg)
	r := search(t, ix, "အလုပ်သမား")
	if len(r.Hits) != 1 {
		t.Fatalf("got %d hits", len(r.Hits))
	}
	if want := zawgyi.Convert(zg.Text); r.Hits[0].Snippet.Text != want {
		t.Errorf("snippet %q, want the Unicode text %q", r.Hits[0].Snippet.Text, want)
	}
	if len(r.Hits[0].Snippet.Highlights) == 0 {
		t.Error("no highlight in the snippet")
	}
}

func TestAnalyserTokens(t *testing.T) {
	terms := func(s string) []string {
		var out []string
		for _, tok := range textAn.Analyze([]byte(s)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	for in, want := range map[string][]string{
		"Nguyễn Văn Đức":     {"nguyen", "van", "duc"},
		"NGUYE\u0302\u0303N": {"nguyen"}, // decomposed accents
		"护照号码":               {"护照", "照号", "号码"},
		"๑๒๓ ၁၂၃":            {"123", "123"},
		"e-mail, don't!":     {"e", "mail", "don't"},
	} {
		if got := terms(in); !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
