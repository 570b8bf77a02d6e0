package extract

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestEmptyFile(t *testing.T) {
	for _, name := range []string{"empty.txt", "empty.pdf", "empty.docx", "empty"} {
		_, err := extractBytes(t, name, nil, Options{})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "empty") {
			t.Errorf("%s: want ErrUnsupported (empty), got %v", name, err)
		}
	}
}

func TestUnknownBinary(t *testing.T) {
	_, err := extractBytes(t, "blob.bin", []byte("\x00\x01\x02\x03binary\x00\x00"), Options{})
	if !errors.Is(err, ErrUnsupported) || Reason(err) != "unsupported" {
		t.Errorf("got %v", err)
	}
}

// virtualFile is a huge file that exists only as a function of the
// offset: a prefix, then a pattern repeated to size bytes.
type virtualFile struct {
	prefix  []byte
	pattern []byte
	size    int64
}

func (v *virtualFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= v.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < v.size {
		if off < int64(len(v.prefix)) {
			c := copy(p[n:], v.prefix[off:])
			n += c
			off += int64(c)
			continue
		}
		if len(v.pattern) == 0 {
			end := min(len(p), n+int(v.size-off))
			clear(p[n:end])
			off += int64(end - n)
			n = end
			continue
		}
		i := (off - int64(len(v.prefix))) % int64(len(v.pattern))
		c := copy(p[n:min(len(p), n+int(v.size-off))], v.pattern[i:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestHugeInputsMemoryFlat hands 4 GB virtual files (never on disk) to
// the registry: each run must end by a limit, a format error or the
// deadline, with memory bounded by the limits, not by the file.
func TestHugeInputsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	const size = 4 << 30
	tests := []struct {
		name string
		file *virtualFile
	}{
		{"zeros.bin", &virtualFile{size: size}},
		{"log.txt", &virtualFile{pattern: []byte("ผู้ต้องสงสัยโอนเงิน 4,000 บาท suspicious transfer\n"), size: size}},
		{"one-line.txt", &virtualFile{pattern: []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), size: size}},
		{"chat.txt", &virtualFile{pattern: []byte("31/12/2023, 21:41 - Somchai: ส่งหนังสือเดินทางมาก่อน\n"), size: size}},
		{"mail.eml", &virtualFile{prefix: []byte("From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\n\r\n"), pattern: []byte("body line of a huge e-mail\r\n"), size: size}},
		{"box.mbox", &virtualFile{prefix: []byte("From a@example.org Sat Feb  3 07:05:00 2024\nFrom: a@example.org\nTo: b@example.org\n\n"), pattern: []byte("never ending body\n"), size: size}},
		{"page.html", &virtualFile{prefix: []byte("<html><body>"), pattern: []byte("<p>ข้อความ text</p>"), size: size}},
		{"scan.pdf", &virtualFile{prefix: []byte("%PDF-1.7\n"), size: size}},
		{"archive.docx", &virtualFile{prefix: []byte("PK\x03\x04"), size: size}},
		{"chat.csv", &virtualFile{prefix: []byte("time,sender,message\n"), pattern: []byte("2024-01-01 10:00:00,Lan,xin chào\n"), size: size}},
		{"quoted.csv", &virtualFile{prefix: []byte("time,sender,message\n2024-01-01,Lan,\""), pattern: []byte("no closing quote "), size: size}},
		{"result.json", &virtualFile{prefix: []byte(`{"messages":[{"from":"A","text":"`), pattern: []byte("never ending string "), size: size}},
		{"header.eml", &virtualFile{prefix: []byte("From: a@example.org\r\nSubject: "), pattern: []byte("endless header line "), size: size}},
	}
	opts := Options{Limits: Limits{Timeout: 3 * time.Second, MaxText: 8 << 20, MaxInMemory: 8 << 20, MaxDecompressed: 64 << 20, MaxChunks: 100_000}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			res, err := Default().Extract(context.Background(), tt.name, tt.file, tt.file.size, opts)
			if err == nil {
				t.Fatalf("a 4 GB %s extracted without hitting a limit: %d chunks", tt.name, len(res.Chunks))
			}
			res = nil
			runtime.GC()
			runtime.ReadMemStats(&after)
			t.Logf("%s: %v after %v (reason %q)", tt.name, err, time.Since(start).Round(time.Millisecond), Reason(err))
			if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > 64<<20 {
				t.Errorf("heap in use grew by %d MiB", grown>>20)
			}
			if peak := int64(after.HeapSys) - int64(before.HeapSys); peak > 512<<20 {
				t.Errorf("heap reserved grew by %d MiB", peak>>20)
			}
		})
	}
}

type slowReader struct{ io.ReaderAt }

func (s slowReader) ReadAt(p []byte, off int64) (int, error) {
	time.Sleep(20 * time.Millisecond)
	return s.ReaderAt.ReadAt(p, off)
}

func TestTimeout(t *testing.T) {
	file := &virtualFile{pattern: []byte("line of text\n"), size: 1 << 30}
	start := time.Now()
	_, err := Default().Extract(context.Background(), "slow.txt", slowReader{file}, file.size, Options{Limits: Limits{Timeout: 300 * time.Millisecond}})
	if !errors.Is(err, ErrTimeout) || Reason(err) != "timed out" {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

type panicky struct{}

func (panicky) Name() string              { return "panicky" }
func (panicky) Version() string           { return "0" }
func (panicky) Match(p *Probe) Confidence { return ByContent }
func (panicky) Extract(context.Context, io.ReaderAt, int64, Options) (*Result, error) {
	var m map[string]int
	m["boom"]++
	return nil, nil
}

func TestPanicBecomesErrCorrupt(t *testing.T) {
	r := NewRegistry(nil, panicky{})
	_, err := r.Extract(context.Background(), "x", strings.NewReader("abc"), 3, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("got %v", err)
	}
}

func TestSanitizeName(t *testing.T) {
	tests := map[string]string{
		"report.pdf":                   "report.pdf",
		"../../etc/passwd":             "passwd",
		`..\..\Windows\System32\x.dll`: "x.dll",
		"/abs/path/photo.jpg":          "photo.jpg",
		"invoice\u202egpj.exe":         "invoicegpj.exe",
		"name\u200f\u200e\u2066.txt":   "name.txt",
		"bell\x07tab\tnl\n.txt":        "belltab nl .txt",
		"CON.txt":                      "_CON.txt",
		"a<b>c:d\"e|f?g*.txt":          "a_b_c_d_e_f_g_.txt",
		"":                             "unnamed",
		"..":                           "unnamed",
		"   . ":                        "unnamed",
		"ใบเสร็จ ธนาคาร.pdf": "ใบเสร็จ ธนาคาร.pdf",
		"hóa đơn.pdf":                     "hóa đơn.pdf",
		"\xff\xfebroken.txt":              "broken.txt",
		strings.Repeat("ก", 300) + ".pdf": strings.Repeat("ก", 65) + ".pdf",
	}
	for in, want := range tests {
		if got := SanitizeName(in); got != want {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	_, err := extractBytes(t, "a.txt", []byte("hello"), Options{Depth: DefaultLimits.MaxDepth + 1})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v", err)
	}
}

func TestOLECompoundFiles(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	if _, err := extractBytes(t, "secret.docx", ole, Options{}); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted docx: %v", err)
	}
	if _, err := extractBytes(t, "old.doc", ole, Options{}); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "legacy") {
		t.Errorf("legacy doc: %v", err)
	}
}
