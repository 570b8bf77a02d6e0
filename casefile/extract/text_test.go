package extract

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestDetectEncodingSamples(t *testing.T) {
	tests := []struct {
		file, enc, want, script, lang string
	}{
		{"thai-tis620.txt", EncWindows874, "นายสมชาย ใจดี", "Thai", "th"},
		{"vietnamese-cp1258.txt", EncWindows1258, "Chị Nguyễn Thị Lan", "Latin", "vi"},
		{"chinese-gb18030.txt", EncGB18030, "护照被老板拿走了", "Han", "zh"},
		{"chinese-big5.txt", EncBig5, "護照被老闆拿走了", "Han", "zh"},
		{"khmer-utf16le-bom.txt", EncUTF16LE, "សុខ ដារ៉ា", "Khmer", "km"},
		{"khmer-utf8-bom.txt", EncUTF8, "សុខ ដារ៉ា", "Khmer", "km"},
		{"thai-utf16be-nobom.txt", EncUTF16BE, "นายสมชาย ใจดี", "Thai", "th"},
		{"indonesian-utf16le-nobom.txt", EncUTF16LE, "paspor saya diambil", "Latin", "id"},
		{"indonesian-utf8.txt", EncUTF8, "paspor saya diambil", "Latin", "id"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "text", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := DetectEncoding(data); got != tt.enc {
				t.Errorf("DetectEncoding = %s, want %s", got, tt.enc)
			}
			res := mustExtract(t, "text/"+tt.file)
			if res.Encoding != tt.enc || res.Format != "text" {
				t.Errorf("encoding %s format %s", res.Encoding, res.Format)
			}
			assertContains(t, res, tt.want)
			if len(res.Chunks) == 0 || res.Chunks[0].Script != tt.script || res.Chunks[0].Lang != tt.lang {
				t.Errorf("chunks %+v, want script %s lang %s", res.Chunks, tt.script, tt.lang)
			}
			if res.Tool == "" || res.ToolVersion == "" {
				t.Error("no tool recorded")
			}
		})
	}
}

func TestDetectEncodingShort(t *testing.T) {
	tests := map[string]string{
		"plain ascii":        EncUTF8,
		"café":               EncUTF8,
		"\xef\xbb\xbfhello":  EncUTF8,
		"\xff\xfeh\x00i\x00": EncUTF16LE,
		"\xfe\xff\x00h\x00i": EncUTF16BE,
		"caf\xe9 cr\xe8me":   EncWindows1252,
	}
	for in, want := range tests {
		if got := DetectEncoding([]byte(in)); got != want {
			t.Errorf("DetectEncoding(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPlainTextChunksLongInput(t *testing.T) {
	line := "ผู้ต้องสงสัยโอนเงินผ่านบัญชีธนาคาร (สมมติ)\n"
	var data []byte
	for len(data) < 200<<10 {
		data = append(data, line...)
	}
	res, err := extractBytes(t, "log.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Chunks) < 5 {
		t.Fatalf("want several chunks, got %d", len(res.Chunks))
	}
	for i, c := range res.Chunks {
		if c.Index != i+1 || c.Kind != KindText || c.Script != "Thai" {
			t.Errorf("chunk %d: index %d kind %s script %s", i, c.Index, c.Kind, c.Script)
		}
	}
}

func TestHTMLVisibleTextOnly(t *testing.T) {
	res := mustExtract(t, "html/vietnamese.html")
	assertContains(t, res, "Việc làm lương cao ở nước ngoài", "Chị Nguyễn Thị Lan", "0900 000 000")
	assertLacks(t, res, "SCRIPT_MARKER", "NOSCRIPT_MARKER", "color: red", "<p>")
	if res.Metadata["title"] != "Tuyển dụng (hư cấu)" || res.Metadata["author"] == "" {
		t.Errorf("metadata %v", res.Metadata)
	}
	res = mustExtract(t, "html/thai-windows874.html")
	assertContains(t, res, "นายสมชาย ใจดี")
	if res.Metadata["title"] != "ประกาศรับสมัครงาน (สมมติ)" {
		t.Errorf("metadata %v", res.Metadata)
	}
}

func TestDetectScript(t *testing.T) {
	tests := []struct{ in, script, lang string }{
		{"สวัสดีครับ", "Thai", "th"},
		{"ສະບາຍດີ", "Lao", "lo"},
		{"សួស្តី", "Khmer", "km"},
		{"မင်္ဂလာပါ", "Myanmar", "my"},
		{"你好世界", "Han", "zh"},
		{"こんにちは世界", "Hiragana", "ja"},
		{"Xin chào các bạn, tôi là người Việt", "Latin", "vi"},
		{"Saya tidak tahu di mana paspor itu dan gaji", "Latin", "id"},
		{"The quick brown fox", "Latin", ""},
		{"12345 !!", "", ""},
	}
	for _, tt := range tests {
		s, l := DetectScript(tt.in)
		if s != tt.script || l != tt.lang {
			t.Errorf("DetectScript(%q) = %s %s, want %s %s", tt.in, s, l, tt.script, tt.lang)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	seedDir(f, "text")
	f.Fuzz(func(t *testing.T, data []byte) {
		DetectEncoding(data)
		res, err := extractBytes(t, "fuzz.txt", data, Options{})
		if err == nil && res == nil {
			t.Fatal("nil result without error")
		}
	})
}

func FuzzHTML(f *testing.F) {
	seedDir(f, "html")
	f.Fuzz(func(t *testing.T, data []byte) {
		extractBytes(t, "fuzz.html", data, Options{})
	})
}

func TestQuickNFCAgreesWithNorm(t *testing.T) {
	for _, s := range []string{"ascii", "นายสมชาย ใจดี ได้รับการเสนองาน", "Nguyễn Thị Lan", "Nguye\u0302\u0303n", "សុខ ដារ៉ា", "护照，到了再还你。", "\u0e01\u0e48\u0e38", "မင်္ဂလာပါ", "Ω", "\u2126"} {
		if quickNFC(s) && toNFC(s) != s {
			t.Errorf("quickNFC(%q) says normal but it is not", s)
		}
		if got := toNFC(s); !norm.NFC.IsNormalString(got) {
			t.Errorf("toNFC(%q) = %q is not NFC", s, got)
		}
	}
}

func fieldSamples() []string {
	s := []string{"", " ", "a b", "  a\t\tb  ", "a\u00a0b\u0085c\u1680d\u2000e\u200af\u2028g\u2029h\u202fi\u205fj\u3000k",
		"\u200bzero-width is no space", "ผู้เสียหาย ถูกบังคับ", "\xe2\x80", "\xe2\x80\xa8x", "\xc2", "\xc2\xa0", "\xe3\x80\x80", "\xe1\x9a\x80", "\xff \xfe", "\U0001F600 x"}
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", " ", "\t", "\n", "\v", "ก", "ễ", "\u00a0", "\u0085", "\u1680", "\u2003", "\u3000", "\u2028", "\u202f", "\u200b", "\xe2", "\x80", "\xc2", "\xe3", "\xe1", "\xff"}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := r.IntN(30); n > 0; n-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s = append(s, b.String())
	}
	return s
}

func TestAppendFieldsMatchesStringsFields(t *testing.T) {
	for _, s := range fieldSamples() {
		if got, want := string(appendFields(nil, s)), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendFields(f *testing.F) {
	for _, s := range fieldSamples()[:40] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendFields(nil, s)), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	})
}

// detectScriptRef is the former DetectScript, decoding every character with
// the standard decoder: the reference for the faster one.
func detectScriptRef(s string) (script, lang string) {
	var counts [16]int
	var viet, letters int
	seen := 0
	const latin = 13
	for i := 0; i < len(s) && seen < scriptSample; {
		c := s[i]
		if c < 0x80 {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				counts[latin]++
				letters++
				seen++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		idx := scriptIndex(r)
		if idx < 0 {
			continue
		}
		seen++
		counts[idx]++
		switch {
		case idx == latin:
			letters++
			if isVietnamese(r) {
				viet++
			}
		case idx >= 4 && idx <= 7:
			counts[idx]++ // a Han, kana or Hangul character is worth a short word
		}
	}
	best := -1
	for i := range scripts {
		if counts[i] > 0 && (best < 0 || counts[i] > counts[best]) {
			best = i
		}
	}
	if best < 0 {
		return "", ""
	}
	sc := scripts[best]
	switch sc.name {
	case "Han", "Hiragana", "Katakana":
		if counts[5]+counts[6] > 0 {
			return sc.name, "ja"
		}
		return sc.name, "zh"
	case "Latin":
		if viet*25 >= letters && viet >= 2 {
			return "Latin", "vi"
		}
		if looksIndonesian(s) {
			return "Latin", "id"
		}
		return "Latin", ""
	}
	return sc.name, sc.lang
}

func TestDetectScriptMatchesReference(t *testing.T) {
	for _, s := range append(fieldSamples(), string(benchText(rand.New(rand.NewPCG(1, 2)), 20000))) {
		s1, l1 := DetectScript(s)
		s2, l2 := detectScriptRef(s)
		if s1 != s2 || l1 != l2 {
			t.Fatalf("DetectScript(%q) = %s %s, want %s %s", s, s1, l1, s2, l2)
		}
	}
}

func FuzzDetectScript(f *testing.F) {
	for _, s := range fieldSamples()[:40] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s1, l1 := DetectScript(s)
		s2, l2 := detectScriptRef(s)
		if s1 != s2 || l1 != l2 {
			t.Fatalf("DetectScript(%q) = %s %s, want %s %s", s, s1, l1, s2, l2)
		}
		if quickNFC(s) && !norm.NFC.IsNormalString(s) {
			t.Fatalf("quickNFC(%q) says normal but it is not", s)
		}
	})
}

func TestScanNFCScriptAgrees(t *testing.T) {
	samples := append(fieldSamples(), string(benchText(rand.New(rand.NewPCG(1, 2)), 40000)), "Nguye\u0302\u0303n", "\u0e01\u0e48\u0e38", "\u1025\u102e", "Ω", "\u2126")
	for _, s := range samples {
		checkScanNFCScript(t, s)
	}
}

func checkScanNFCScript(t *testing.T, s string) {
	ok, script, lang := scanNFCScript(s)
	if ok != quickNFC(s) {
		t.Fatalf("scanNFCScript(%q) ok = %v, quickNFC %v", s, ok, !ok)
	}
	if !ok {
		return
	}
	if s2, l2 := DetectScript(s); script != s2 || lang != l2 {
		t.Fatalf("scanNFCScript(%q) = %s %s, DetectScript %s %s", s, script, lang, s2, l2)
	}
}

func FuzzScanNFCScript(f *testing.F) {
	for _, s := range fieldSamples()[:40] {
		f.Add(s)
	}
	f.Fuzz(checkScanNFCScript)
}
