package zawgyi

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

func lines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "#") {
			l = "" // keep line numbers aligned between the parallel files
		}
		out = append(out, l)
	}
	return out
}

func TestDetectParallelTexts(t *testing.T) {
	for _, pair := range [][2]string{
		{"mmgov_zawgyi_src.txt", "mmgov_unicode_out.txt"},
		{"udhr_mya_zawgyi_out.txt", "udhr_mya_unicode_src.txt"},
	} {
		zg, uni := lines(t, pair[0]), lines(t, pair[1])
		var zWrong, uWrong, n int
		for i := range zg {
			if !hasMyanmar(zg[i]) || len([]rune(zg[i])) < 8 {
				continue
			}
			n++
			if !IsZawgyi(zg[i]) {
				zWrong++
			}
			if i < len(uni) && IsZawgyi(uni[i]) {
				uWrong++
				t.Logf("Unicode line read as Zawgyi: %s", uni[i])
			}
		}
		// Unicode must never be damaged; a few short Zawgyi lines may slip.
		if uWrong > 0 || zWrong*50 > n {
			t.Errorf("%s: %d of %d Zawgyi lines missed, %d Unicode lines misread", pair[0], zWrong, n, uWrong)
		}
	}
}

func TestConvertParallelTexts(t *testing.T) {
	zg, uni := lines(t, "mmgov_zawgyi_src.txt"), lines(t, "mmgov_unicode_out.txt")
	same, n := 0, 0
	for i := range zg {
		if !hasMyanmar(zg[i]) {
			continue
		}
		n++
		if got := Convert(zg[i]); got == uni[i] {
			same++
		} else if n < 4 {
			t.Logf("line %d:\n got %q\nwant %q", i, got, uni[i])
		}
	}
	// Rabbit and Google's converter differ on a few normalisations; most
	// lines must come out identical.
	if same*10 < n*8 {
		t.Errorf("only %d of %d lines converted exactly", same, n)
	}
}

func TestCompatibilityCases(t *testing.T) {
	f, err := os.Open("testdata/compatibility.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	wrong, n := 0, 0
	for sc.Scan() {
		p, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		prob, err := strconv.ParseFloat(p, 64)
		if err != nil {
			continue // -Infinity: no Burmese
		}
		if prob > 0.05 && prob < 0.95 {
			continue // the reference model is unsure too
		}
		n++
		if IsZawgyi(text) != (prob > 0.5) {
			wrong++
			t.Logf("%v %q", prob, text)
		}
	}
	if wrong*10 > n {
		t.Errorf("%d of %d compatibility cases wrong", wrong, n)
	}
}

func TestNormalizeLeavesOtherTextAlone(t *testing.T) {
	for _, s := range []string{"", "hello", "ภาษาไทย", "မြန်မာ နိုင်ငံ", "Nguyễn Văn A", "ကျွန်တော် ရန်ကုန်မှာ နေပါတယ်။"} {
		if got := Normalize(s); got != s {
			t.Errorf("Normalize(%q) = %q", s, got)
		}
	}
}

func FuzzConvert(f *testing.F) {
	f.Add("ေနျပည္ေတာ္ ဇူလုိင္ ၂၆")
	f.Add("ႏိုင္ငံေတာ္၏ ၀န္ႀကီး")
	f.Add("abc \u1040\u102d /")
	f.Fuzz(func(t *testing.T, s string) {
		out := Convert(s)
		if strings.ContainsRune(s, 0) != strings.ContainsRune(out, 0) {
			t.Fatalf("conversion invented or lost NUL")
		}
		_ = Normalize(s)
		_ = IsZawgyi(s)
	})
}
