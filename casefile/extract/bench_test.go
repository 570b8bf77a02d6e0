package extract

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"casevault/internal/benchstat"
)

// The files of casefile's BenchmarkImport mixed folder, by kind.
var benchWords = strings.Fields("the boat left Songkhla at night with twelve crew ผู้เสียหาย ถูกบังคับ ทำงาน บนเรือ Nguyễn Văn được tuyển dụng ở Kampot ការជួញដូរមនុស្ស 人口贩卖 payment transferred account 0812345678 passport N1234567 broker debt wages withheld")

func benchText(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(benchWords[r.IntN(len(benchWords))])
		if r.IntN(12) == 0 {
			b.WriteString(".\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.Bytes()
}

func benchFile(kind string) (string, []byte) {
	r := rand.New(rand.NewPCG(1, 2))
	switch kind {
	case "text":
		return "doc.txt", benchText(r, 1<<20)
	case "html":
		return "page.html", append(append([]byte("<html><body><p>"), benchText(r, 300<<10)...), "</p></body></html>"...)
	case "eml":
		return "mail.eml", append([]byte("From: broker@example.invalid\r\nTo: agent@example.invalid\r\nSubject: crew list (fictional)\r\nDate: Mon, 2 Mar 2026 10:00:00 +0700\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"), benchText(r, 120<<10)...)
	case "whatsapp":
		var c bytes.Buffer
		for c.Len() < 500<<10 {
			fmt.Fprintf(&c, "%02d/03/2026, %02d:%02d - Sender %d: %s\n", 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(5), benchText(r, 20+r.IntN(200)))
		}
		return "WhatsApp Chat.txt", c.Bytes()
	}
	panic(kind)
}

// BenchmarkExtractMixed extracts each kind of text file of the import
// benchmark through the default registry.
func BenchmarkExtractMixed(b *testing.B) {
	reg := Default()
	for _, kind := range []string{"text", "html", "eml", "whatsapp"} {
		b.Run(kind, func(b *testing.B) {
			name, data := benchFile(kind)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			cpu0 := benchstat.CPUTime()
			for i := 0; i < b.N; i++ {
				if _, err := reg.Extract(context.Background(), name, bytes.NewReader(data), int64(len(data)), Options{}); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := benchstat.CPUTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(len(data))*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
			}
		})
	}
}

func BenchmarkTextLoops(b *testing.B) {
	s := string(benchText(rand.New(rand.NewPCG(1, 2)), 32<<10))
	b.Run("quickNFC", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for i := 0; i < b.N; i++ {
			if !quickNFC(s) {
				b.Fatal("not NFC")
			}
		}
	})
	b.Run("DetectScript", func(b *testing.B) {
		b.SetBytes(int64(len(s)))
		for i := 0; i < b.N; i++ {
			DetectScript(s)
		}
	})
	b.Run("DetectEncoding", func(b *testing.B) {
		h := []byte(s)
		b.SetBytes(int64(len(h)))
		for i := 0; i < b.N; i++ {
			DetectEncoding(h)
		}
	})
}
