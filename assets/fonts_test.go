package assets

import (
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// Sentences in every language whose names and text CaseVault must show.
var samples = map[string]string{
	"Thai":       "การค้ามนุษย์ ผู้เสียหายได้รับการช่วยเหลือแล้ว",
	"Lao":        "ການຄ້າມະນຸດ ຜູ້ເສຍຫາຍໄດ້ຮັບການຊ່ວຍເຫຼືອ",
	"Khmer":      "ការជួញដូរមនុស្ស ជនរងគ្រោះត្រូវបានជួយសង្គ្រោះ",
	"Burmese":    "လူကုန်ကူးမှု ကျွန်ုပ်တို့ မြန်မာစာ",
	"Vietnamese": "Nguyễn Thị Hương — buôn bán người, Đặng Quốc Việt",
	"Chinese":    "人口贩卖 人口販賣 受害者已获救 受害者已獲救",
	"Indonesian": "Perdagangan orang; korban telah diselamatkan",
}

func TestFontsCoverTheRegion(t *testing.T) {
	for name, data := range map[string][]byte{"regular": FontRegular, "bold": FontBold} {
		f, err := sfnt.Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var buf sfnt.Buffer
		for lang, s := range samples {
			for _, r := range s {
				if unicode.IsSpace(r) {
					continue
				}
				if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
					t.Errorf("%s font has no glyph for %q (U+%04X) of %s", name, r, r, lang)
				}
			}
		}
	}
}
