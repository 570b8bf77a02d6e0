package extract

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"casevault/internal/benchstat"
)

func TestWhatsAppLocales(t *testing.T) {
	tests := []struct {
		file      string
		messages  int
		sender    string // of the second message
		time      string // of the second message, UTC
		text      string
		dateOrder string
	}{
		{"whatsapp-android-en-GB.txt", 4, "Somchai (fictional)", "2023-12-31 21:41:00", "ยังว่าง ส่งหนังสือเดินทางมาก่อน\nเราจะเก็บไว้ให้", "day/month/year"},
		{"whatsapp-android-en-US.txt", 3, "Boss Hung (fictional)", "2023-12-31 21:45:00", "Khi nào trả hết nợ", "month/day/year"},
		{"whatsapp-ios-km.txt", 3, "Captain (fictional)", "2023-12-31 21:42:10", "ខ្ញុំចង់ទៅផ្ទះវិញ", "day/month/year"},
		{"whatsapp-android-de.txt", 2, "Agen (fiktif)", "2023-12-31 21:50:00", "Paspor saya diambil", "day/month/year"},
		{"whatsapp-android-th-buddhist.txt", 2, "นายหน้า (สมมติ)", "2023-12-31 21:42:00", "ผมอยากกลับบ้าน", "day/month/year"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := mustExtract(t, "chat/"+tt.file)
			if res.Format != "whatsapp" {
				t.Fatalf("format %s", res.Format)
			}
			msgs := chunksOf(res, KindMessage, "")
			if len(msgs) != tt.messages {
				t.Fatalf("%d messages: %+v", len(msgs), msgs)
			}
			m := msgs[1]
			if m.Sender != tt.sender || m.Time.Format("2006-01-02 15:04:05") != tt.time || m.Index != 2 {
				t.Errorf("message 2: sender %q time %v index %d", m.Sender, m.Time, m.Index)
			}
			assertContains(t, res, tt.text)
			if res.Metadata["date_order"] != tt.dateOrder {
				t.Errorf("date order %s", res.Metadata["date_order"])
			}
		})
	}
}

func TestWhatsAppZip(t *testing.T) {
	res := mustExtract(t, "chat/whatsapp-ios-export.zip")
	if res.Format != "whatsapp-zip" || len(chunksOf(res, KindMessage, "")) != 3 {
		t.Fatalf("format %s chunks %+v", res.Format, res.Chunks)
	}
	if len(res.Attachments) != 2 {
		t.Fatalf("attachments %+v", res.Attachments)
	}
	photo := res.Attachments[0]
	if photo.Name != "00000012-PHOTO-2023-12-31-21-42-10.jpg" || photo.MediaType != "image/jpeg" || photo.Size != 806 {
		t.Errorf("photo %+v", photo)
	}
	if evil := res.Attachments[1]; evil.Name != "evilgpj.exe" {
		t.Errorf("evil name %q", evil.Name)
	}
}

func TestChatCSV(t *testing.T) {
	res := mustExtract(t, "chat/chatlog-vi-km.csv")
	msgs := chunksOf(res, KindMessage, "")
	if res.Format != "chat-csv" || len(msgs) != 3 {
		t.Fatalf("format %s messages %+v", res.Format, msgs)
	}
	if msgs[1].Sender != "Sok (fictional)" || msgs[1].Script != "Khmer" || msgs[1].Time.Format(time.DateTime) != "2024-01-05 10:02:30" {
		t.Errorf("message 2 %+v", msgs[1])
	}
	if !strings.Contains(msgs[2].Text, "\"đừng\" nói với ai,\nkể cả") {
		t.Errorf("quoted multi-line cell %q", msgs[2].Text)
	}
}

func TestChatJSONTelegram(t *testing.T) {
	res := mustExtract(t, "chat/telegram-result.json")
	msgs := chunksOf(res, KindMessage, "")
	if res.Format != "chat-json" || len(msgs) != 2 {
		t.Fatalf("format %s messages %+v", res.Format, msgs)
	}
	if msgs[1].Text != "护照先交给我，到了再还你。" || msgs[1].Sender != "陈先生（虚构）" || msgs[1].Time.Unix() != 1704852300 {
		t.Errorf("message 2 %+v", msgs[1])
	}
	if res.Metadata["chat_name"] != "Rekrutmen (fiktif)" || msgs[0].Lang != "id" {
		t.Errorf("metadata %v lang %s", res.Metadata, msgs[0].Lang)
	}
}

// whatsAppLog generates an Android export of n messages in several scripts.
func whatsAppLog(n int) []byte {
	texts := []string{
		"ok see you tomorrow at the usual place",
		"ส่งหนังสือเดินทางมาก่อน เราจะเก็บไว้ให้",
		"Khi nào trả hết nợ thì mới được về.",
		"Paspor saya diambil oleh agen kemarin.",
		"护照先交给我，到了再还你。",
		"ពួកគេយកលិខិតឆ្លងដែនរបស់ខ្ញុំ",
	}
	var buf bytes.Buffer
	buf.Grow(n * 70)
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		ts := start.Add(time.Duration(i) * 37 * time.Second)
		fmt.Fprintf(&buf, "%02d/%02d/%d, %02d:%02d - Person %d: %s\n", ts.Day(), ts.Month(), ts.Year(), ts.Hour(), ts.Minute(), i%7, texts[i%len(texts)])
		if i%50 == 0 {
			buf.WriteString("a continuation line\n")
		}
	}
	return buf.Bytes()
}

func TestWhatsAppGenerated(t *testing.T) {
	data := whatsAppLog(10000)
	res, err := extractBytes(t, "WhatsApp Chat with Person.txt", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(chunksOf(res, KindMessage, "")); n != 10000 {
		t.Fatalf("%d messages", n)
	}
}

// BenchmarkWhatsApp parses a generated 500k-message export; the MB/s
// column is the parsing throughput (target: at least 50 MB/s).
func BenchmarkWhatsApp(b *testing.B) {
	data := whatsAppLog(500_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := benchstat.CPUTime()
	for i := 0; i < b.N; i++ {
		res, err := WhatsApp{}.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil || len(res.Chunks) != 500_000 {
			b.Fatal(err, len(res.Chunks))
		}
	}
	// Throughput per second of CPU used: stable on a shared, loaded
	// machine where wall-clock MB/s is not.
	if cpu := benchstat.CPUTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(len(data))*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

func FuzzWhatsApp(f *testing.F) {
	seedDir(f, "chat")
	f.Fuzz(func(t *testing.T, data []byte) {
		parseWALine(data)
		WhatsApp{}.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
		extractBytes(t, "chat.zip", data, Options{Limits: Limits{MaxDecompressed: 4 << 20}})
	})
}

func FuzzChatCSV(f *testing.F) {
	seedDir(f, "chat")
	f.Fuzz(func(t *testing.T, data []byte) {
		ChatCSV{}.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
		extractBytes(t, "chat.csv", data, Options{})
	})
}

func FuzzChatJSON(f *testing.F) {
	seedDir(f, "chat")
	f.Fuzz(func(t *testing.T, data []byte) {
		ChatJSON{}.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	})
}

func TestTextualFormatsNoMismatch(t *testing.T) {
	for _, f := range []string{"chat/chatlog-vi-km.csv", "chat/telegram-result.json", "chat/whatsapp-android-de.txt"} {
		if res := mustExtract(t, f); len(res.Warnings) != 0 {
			t.Errorf("%s: warnings %v", f, res.Warnings)
		}
	}
	// A PDF named .txt is reported.
	data, _ := os.ReadFile("testdata/pdf/statement.pdf")
	res, err := extractBytes(t, "notes.txt", data, Options{})
	if err != nil || res.Format != "pdf" || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "is not text") {
		t.Errorf("err %v warnings %v", err, res.Warnings)
	}
}

// TestWhatsAppTruncatedKeepsTimes: a text limit reached at the last
// message keeps every message's time, the cut one's too.
func TestWhatsAppTruncatedKeepsTimes(t *testing.T) {
	res, err := extractFile(t, "chat/whatsapp-android-en-US.txt", Options{Limits: Limits{MaxText: 100}})
	if err != nil || !res.Truncated || len(res.Chunks) != 3 {
		t.Fatalf("err %v, truncated %v, %d chunks", err, res.Truncated, len(res.Chunks))
	}
	for _, c := range res.Chunks {
		if c.Time.IsZero() {
			t.Errorf("chunk %d (%q) has no time", c.Index, c.Text)
		}
	}
}
