package casefile

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"casevault/casefile/extract"
)

func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	files := map[string][]byte{
		"statement.txt":          []byte("Witness statement (fictional). ผู้เสียหายถูกบังคับให้ทำงาน. Nguyễn was there."),
		"sub/ledger.csv":         []byte("date,amount\n2026-01-02,15000\n"),
		"sub/deeper/empty.bin":   {},
		"sub/deeper/random.dat":  bytes.Repeat([]byte{0x00, 0xff, 0x13, 0x37}, 70000),
		"copy-of-statement.txt":  []byte("Witness statement (fictional). ผู้เสียหายถูกบังคับให้ทำงาน. Nguyễn was there."),
		"name\u202egpj.exe":      []byte("right-to-left override in the name"),
		"tab\tand\x01ctrl.txt":   []byte("control characters in the name"),
		"a\\b\\windows-path.txt": []byte("backslashes in the name"),
	}
	dir := writeFiles(t, files)
	var progress []ImportProgress
	results, err := c.Import(ctx, []string{dir}, ImportOptions{ObtainedHow: "seizure", Progress: func(p ImportProgress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]int{}
	for _, r := range results {
		status[r.Status]++
	}
	if status[ImportDuplicate] != 1 || status[ImportFailed] != 0 || len(results) != len(files) {
		t.Fatalf("results: %+v", results)
	}
	last := progress[len(progress)-1]
	if last.FilesDone != len(files) || last.BytesDone != last.Bytes || last.Bytes == 0 {
		t.Fatalf("progress: %+v", last)
	}
	items, _ := c.EvidenceList(ctx)
	if len(items) != len(files)-1 {
		t.Fatalf("%d items", len(items))
	}
	out := t.TempDir()
	for _, e := range items {
		a := e.Attachments[0]
		if strings.ContainsAny(a.Name, "/\\\u202e\t\x01") {
			t.Errorf("unsafe stored name %q", a.Name)
		}
		dest := filepath.Join(out, e.ID)
		if _, err := c.ExportOriginal(ctx, e.ID, "", dest); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(dest)
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != a.SHA256 || int64(len(data)) != a.Size {
			t.Errorf("exhibit %s: exported copy differs from the register", e.Exhibit)
		}
		found := false
		for _, orig := range files {
			if bytes.Equal(orig, data) {
				found = true
			}
		}
		if !found {
			t.Errorf("exhibit %s: exported bytes match no original", e.Exhibit)
		}
		custody, _ := c.Custody(ctx, e.ID)
		if len(custody) != 2 || custody[0].Event != "received" || custody[1].Event != "copied" {
			t.Errorf("custody: %+v", custody)
		}
	}
	rep, err := c.VerifyEvidence(ctx, "", nil)
	if err != nil || !rep.OK || rep.Files != len(items) {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	// Text: extracted, encrypted, and reading it is audited.
	for _, e := range items {
		if strings.Contains(e.Title, "statement") {
			chunks, err := c.EvidenceText(ctx, e.ID)
			if err != nil || len(chunks) == 0 || !strings.Contains(chunks[0].Text, "ผู้เสียหาย") {
				t.Fatalf("text: %+v %v", chunks, err)
			}
		}
	}
	entries, rep2, _ := c.Audit(ctx)
	if !rep2.OK || entries[len(entries)-1].Action != "evidence.view" {
		t.Fatal("viewing evidence text is not audited")
	}
	// Custody is append-only, even from inside.
	if _, err := c.conn.ExecContext(ctx, "UPDATE custody SET who = 'someone else'"); err == nil {
		t.Fatal("a custody event was rewritten")
	}
}

func TestVerifyFindsDamagedBlobs(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	dir := writeFiles(t, map[string][]byte{"a.txt": bytes.Repeat([]byte("alpha "), 30000), "b.txt": []byte("bravo"), "c.txt": []byte("charlie")})
	if _, err := c.Import(ctx, []string{dir}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	items, _ := c.EvidenceList(ctx)
	blobDir := filepath.Join(c.dir(), blobsDir)
	byTitle := map[string]Attachment{}
	for _, e := range items {
		byTitle[e.Title] = e.Attachments[0]
	}
	path := func(a Attachment) string { return filepath.Join(blobDir, a.blob+blobSuffix) }
	data, _ := os.ReadFile(path(byTitle["a.txt"]))
	data[len(data)/2] ^= 1
	os.WriteFile(path(byTitle["a.txt"]), data, 0o600)
	data, _ = os.ReadFile(path(byTitle["b.txt"]))
	os.WriteFile(path(byTitle["b.txt"]), data[:len(data)-10], 0o600)
	os.Remove(path(byTitle["c.txt"]))
	rep, err := c.VerifyEvidence(ctx, "", nil)
	if err != nil || rep.OK || len(rep.Problems) != 3 {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	kinds := map[string]bool{}
	for _, p := range rep.Problems {
		kinds[p.Problem] = true
	}
	if !kinds["missing"] || !kinds["damaged"] {
		t.Fatalf("problems: %+v", rep.Problems)
	}
	if _, err := c.ExportOriginal(ctx, items[0].ID, "", filepath.Join(t.TempDir(), "x")); err == nil {
		t.Fatal("a damaged original was exported")
	}
}

func TestImportCancelLeavesNothing(t *testing.T) {
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB
	dir := writeFiles(t, map[string][]byte{"1.txt": []byte("first"), "2.bin": big, "3.txt": []byte("third")})
	ctx, cancel := context.WithCancel(context.Background())
	results, err := c.Import(ctx, []string{dir}, ImportOptions{Progress: func(p ImportProgress) {
		if p.BytesDone > 10<<20 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	imported := 0
	for _, r := range results {
		got[filepath.Base(r.Path)] = r.Status
		if r.Status == ImportImported {
			imported++
		}
	}
	// Items are committed in file order: nothing after the cancelled file.
	if got["2.bin"] != ImportCancelled || got["3.txt"] != ImportCancelled {
		t.Fatalf("results: %+v", results)
	}
	items, _ := c.EvidenceList(context.Background())
	if len(items) != imported {
		t.Fatalf("%d items after a cancelled import, %d reported imported", len(items), imported)
	}
	// Every blob left is referred to by an item: no orphan, no temp file.
	refs := map[string]bool{}
	for _, it := range items {
		for _, a := range it.Attachments {
			refs[a.blob+blobSuffix], refs[a.textBlob+blobSuffix] = true, true
		}
	}
	entries, _ := os.ReadDir(filepath.Join(c.dir(), blobsDir))
	for _, e := range entries {
		if !refs[e.Name()] {
			t.Errorf("blob folder holds %s, which no item refers to", e.Name())
		}
	}
}

func TestImportHugeFileMemoryFlat(t *testing.T) {
	size := int64(1 << 30)
	if testing.Short() {
		size = 64 << 20
	} else if os.Getenv("CASEVAULT_TEST_4GB") != "" {
		size = 4 << 30
	}
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	path := filepath.Join(t.TempDir(), "huge.bin")
	f, _ := os.Create(path)
	f.Truncate(size) // sparse: reads as zeros, takes no disk
	f.Close()
	runtime.GC()
	var before, peak runtime.MemStats
	runtime.ReadMemStats(&before)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.HeapInuse {
				peak = m
			}
			runtime.Gosched()
		}
	}()
	results, err := c.Import(context.Background(), []string{path}, ImportOptions{})
	close(stop)
	<-stopped
	if err != nil || results[0].Status == ImportFailed || results[0].Status == ImportCancelled {
		t.Fatalf("%+v %v", results, err)
	}
	if grew := int64(peak.HeapInuse) - int64(before.HeapInuse); grew > 200<<20 {
		t.Fatalf("heap grew by %d MiB importing %d MiB: not streamed", grew>>20, size>>20)
	}
	items, _ := c.EvidenceList(context.Background())
	if items[0].Attachments[0].Size != size {
		t.Fatal("size not recorded")
	}
}

func TestEvidenceNoPlaintextAtRest(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	markers := []string{"MkEvidenceBody91", "MkFileName92", "ม็คหลักฐาน93"}
	dir := writeFiles(t, map[string][]byte{
		"MkFileName92.txt": []byte("MkEvidenceBody91 and ม็คหลักฐาน93 in running text"),
		"page.html":        []byte("<html><body><p>MkEvidenceBody91</p></body></html>"),
	})
	if _, err := c.Import(ctx, []string{dir}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	items, _ := c.EvidenceList(ctx)
	for _, e := range items {
		c.EvidenceText(ctx, e.ID)
	}
	w.Close()
	if hits := findMarkers(t, markers, w.Dir(), tmp); len(hits) > 0 {
		t.Fatalf("plaintext at rest: %v", hits)
	}
}

func TestEvidenceValidation(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	dir := writeFiles(t, map[string][]byte{"a.txt": []byte("a"), "b.txt": []byte("b")})
	c.Import(ctx, []string{dir}, ImportOptions{})
	items, _ := c.EvidenceList(ctx)
	e := items[0]
	e.Exhibit = items[1].Exhibit
	var ve *ValidationError
	if err := c.UpdateEvidence(ctx, e); !errors.As(err, &ve) {
		t.Fatalf("duplicate exhibit number: %v", err)
	}
	e = items[0]
	e.Disclosure = "withheld"
	if err := c.UpdateEvidence(ctx, e); !errors.As(err, &ve) {
		t.Fatalf("withheld without a reason: %v", err)
	}
	e.WithheldReason, e.Exhibit = "Protects W-3", "A-1"
	if err := c.UpdateEvidence(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := c.AddCustodyEvent(ctx, e.ID, CustodyEvent{Event: "examined", Who: "Analyst (fictional)", Purpose: "forensic review"}, true); err != nil {
		t.Fatal(err)
	}
	custody, _ := c.Custody(ctx, e.ID)
	if custody[len(custody)-1].HashCheck != "match" {
		t.Fatalf("custody: %+v", custody)
	}
	if err := c.AddCustodyEvent(ctx, e.ID, CustodyEvent{Event: "lost", Who: "x"}, false); !errors.As(err, &ve) {
		t.Fatalf("unknown custody event: %v", err)
	}
}

func TestReadOriginal(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	body := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 1000)
	dir := writeFiles(t, map[string][]byte{"photo.png": body})
	c.Import(ctx, []string{dir}, ImportOptions{})
	items, _ := c.EvidenceList(ctx)
	got, err := c.ReadOriginal(ctx, items[0].ID, "", 1<<20)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("read: %v", err)
	}
	if _, err := c.ReadOriginal(ctx, items[0].ID, "", 100); err == nil {
		t.Fatal("a file over the limit was read")
	}
	entries, _, _ := c.Audit(ctx)
	if entries[len(entries)-1].Action != "evidence.view" {
		t.Fatal("the read is not audited")
	}
}

// appendJSONStringRef is the former, plainer appendJSONString, kept as the
// reference that the table-driven one must match byte for byte.
func appendJSONStringRef(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		if c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// Three bytes, the common case for the scripts of the region.
			r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				if r == '\u2028' || r == '\u2029' {
					b = append(b, s[start:i]...)
					b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
					start = i + 3
				}
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func jsonStringSamples() []string {
	s := []string{"", "plain ascii", "quote \" back\\slash", "\x00\x01\x1f\x7f\b\f\n\r\t",
		"ผู้เสียหาย ถูกบังคับ", "Nguyễn Văn được", "ការជួញដូរមនុស្ស", "人口贩卖", "emoji \U0001F600 end",
		"\u2028 and \u2029 and \u2027 \u202a", "\xe2\x80", "\xe2\x80\xa8", "\xe2", "\xff\xfe", "\xc0\x80", "\xc3",
		"\xe0\x80\x80", "\xed\xa0\x80", "\xef\xbf\xbd", "\xf0\x9f\x98", "\xf4\x90\x80\x80", "a\xbfb", "<&>"}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", " ", "\"", "\\", "\n", "\x01", "ก", "ễ", "ă", "\u2028", "\u2029", "\U0001F600", "\xe2", "\x80", "\xa8", "\xc3", "\xed", "\xe0", "\xf0", "\xff"}
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := r.IntN(40); n > 0; n-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		s = append(s, b.String())
	}
	return s
}

func TestAppendJSONStringMatchesReference(t *testing.T) {
	for _, s := range jsonStringSamples() {
		got, want := appendJSONString(nil, s), appendJSONStringRef(nil, s)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != strings.ToValidUTF8(back, "\uFFFD") {
			t.Fatalf("%q: %s does not decode: %v", s, got, err)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringSamples()[:30] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := appendJSONString(nil, s), appendJSONStringRef(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestWriteJSONDecodesAsWritten checks that a text blob written by hand
// reads back as what was written, through encoding/json.
func TestWriteJSONDecodesAsWritten(t *testing.T) {
	samples := jsonStringSamples()
	st := storedText{Format: "text", Tool: "casevault/extract \"x\"", Metadata: map[string]string{"b": samples[5], "a": samples[4]}, Warnings: samples[10:13]}
	for i, s := range samples[:500] {
		st.Chunks = append(st.Chunks, extract.Chunk{Text: strings.ToValidUTF8(s, "\uFFFD"), Kind: extract.KindMessage, Index: i, Label: "01/02/2026", Sender: "S",
			Time: time.Date(2026, 2, 1, 10, i%60, 0, i, time.FixedZone("", 7*3600)), Script: "Thai", Lang: "th"})
	}
	var buf bytes.Buffer
	if _, err := st.writeJSON(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	var back storedText
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for i := range st.Chunks {
		a, b := st.Chunks[i], back.Chunks[i]
		if a.Text != b.Text || a.Kind != b.Kind || a.Index != b.Index || a.Label != b.Label || a.Sender != b.Sender || !a.Time.Equal(b.Time) || a.Script != b.Script || a.Lang != b.Lang {
			t.Fatalf("chunk %d: wrote %+v, read %+v", i, a, b)
		}
	}
	if back.Format != st.Format || back.Tool != st.Tool || back.Metadata["a"] != st.Metadata["a"] || back.Metadata["b"] != st.Metadata["b"] || len(back.Warnings) != 3 {
		t.Fatalf("read %+v", back)
	}
}

// TestAppendJSONText checks the fast path for extracted text: byte for
// byte what appendJSONString writes for valid UTF-8, and read back the
// same by encoding/json for anything else.
func TestAppendJSONText(t *testing.T) {
	samples := jsonStringSamples()
	for _, s := range samples {
		samples = append(samples, s+"\u2028"+s, strings.Repeat(s, 9), "12345678"+s+"\u2029")
	}
	for _, s := range samples {
		got := appendJSONText(nil, s)
		if utf8.ValidString(s) {
			if want := appendJSONStringRef(nil, s); !bytes.Equal(got, want) {
				t.Fatalf("appendJSONText(%q) = %s, want %s", s, got, want)
			}
			continue
		}
		var a, b string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%q: %s: %v", s, got, err)
		}
		json.Unmarshal(appendJSONStringRef(nil, s), &b)
		if a != b {
			t.Fatalf("appendJSONText(%q) reads back as %q, want %q", s, a, b)
		}
	}
}

func FuzzAppendJSONText(f *testing.F) {
	for _, s := range jsonStringSamples()[:30] {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONText(nil, s)
		if utf8.ValidString(s) {
			if want := appendJSONStringRef(nil, s); !bytes.Equal(got, want) {
				t.Fatalf("appendJSONText(%q) = %s, want %s", s, got, want)
			}
			return
		}
		var a, b string
		if err := json.Unmarshal(got, &a); err != nil {
			t.Fatalf("%q: %s: %v", s, got, err)
		}
		json.Unmarshal(appendJSONStringRef(nil, s), &b)
		if a != b {
			t.Fatalf("appendJSONText(%q) reads back as %q, want %q", s, a, b)
		}
	})
}

// TestImportEmailAttachmentsText: the text of an e-mail's attachments,
// extracted from the bytes kept while they were stored, is what
// extracting their stored originals gives.
func TestImportEmailAttachmentsText(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	results, err := c.Import(ctx, []string{filepath.Join("extract", "testdata", "email", "thai-offer.eml")}, ImportOptions{})
	if err != nil || len(results) != 1 || results[0].Status != ImportImported || results[0].Linked == 0 {
		t.Fatalf("results %+v, %v", results, err)
	}
	items, err := c.EvidenceList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range items {
		if e.ParentID == "" {
			continue
		}
		e, err := c.EvidenceItem(ctx, e.ID)
		if err != nil || len(e.Attachments) != 1 {
			t.Fatalf("%+v, %v", e, err)
		}
		data, err := c.ReadOriginal(ctx, e.ID, "", 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := extract.Default().Extract(ctx, e.Attachments[0].Name, bytes.NewReader(data), int64(len(data)), extract.Options{Depth: 1})
		got, err := c.EvidenceText(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if werr != nil || want == nil {
			if len(got) != 0 {
				t.Errorf("%s: text %+v, but extraction fails: %v", e.Attachments[0].Name, got, werr)
			}
			continue
		}
		if len(got) != len(want.Chunks) {
			t.Fatalf("%s: %d chunks, want %d", e.Attachments[0].Name, len(got), len(want.Chunks))
		}
		for i := range got {
			if got[i].Text != want.Chunks[i].Text || got[i].Script != want.Chunks[i].Script {
				t.Errorf("%s chunk %d: %q, want %q", e.Attachments[0].Name, i, got[i].Text, want.Chunks[i].Text)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no attachment with text")
	}
}

// An import numbers its items from the case's highest exhibit number
// without reading every item again for each one; a number edited between
// imports (or during one: anything written in between) is taken into
// account, and no number is used twice.
func TestImportExhibitNumbersAfterEdits(t *testing.T) {
	ctx := context.Background()
	w, _ := newTestWorkspace(t)
	c := mustCreateCase(t, w, sampleInfo())
	importN := func(prefix string, n int) []ImportResult {
		t.Helper()
		files := map[string][]byte{}
		for i := 0; i < n; i++ {
			files[fmt.Sprintf("%s-%d.txt", prefix, i)] = []byte(fmt.Sprintf("synthetic statement %s %d (fictional)", prefix, i))
		}
		results, err := c.Import(ctx, []string{writeFiles(t, files)}, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return results
	}
	exhibits := func(rs []ImportResult) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Exhibit)
		}
		return out
	}
	if got := exhibits(importN("a", 3)); !slices.Equal(got, []string{"1", "2", "3"}) {
		t.Fatalf("first import: exhibits %v", got)
	}
	c.exhibitMu.Lock()
	seen := c.nextSeen.exhibit
	c.exhibitMu.Unlock()
	if seen != 4 {
		t.Fatalf("next exhibit kept as %d, want 4", seen)
	}
	items, err := c.EvidenceList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	renumber := func(from, to string) {
		t.Helper()
		for _, e := range items {
			if e.Exhibit == from {
				full, err := c.EvidenceItem(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				full.Exhibit = to
				if err := c.UpdateEvidence(ctx, full); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatalf("no exhibit %s", from)
	}
	renumber("2", "40")
	if got := exhibits(importN("b", 2)); !slices.Equal(got, []string{"41", "42"}) {
		t.Fatalf("after exhibit 2 became 40: exhibits %v", got)
	}
	// Renumbered down: the highest is 41 now.
	items, _ = c.EvidenceList(ctx)
	renumber("42", "7")
	if got := exhibits(importN("c", 1)); !slices.Equal(got, []string{"42"}) {
		t.Fatalf("after exhibit 42 became 7: exhibits %v", got)
	}
	// A change that has nothing to do with exhibits also makes the next
	// import read them again; the numbers are the same.
	if _, err := c.EvidenceText(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := exhibits(importN("d", 2)); !slices.Equal(got, []string{"43", "44"}) {
		t.Fatalf("after a read: exhibits %v", got)
	}
}
