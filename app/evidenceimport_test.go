package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"casevault/casefile"
)

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dropFiles drops paths on the window, as a file manager would.
func (tu *testUI) dropFiles(paths ...string) {
	var uris []fyne.URI
	for _, p := range paths {
		uris = append(uris, storage.NewFileURI(p))
	}
	tu.dropped(fyne.NewPos(10, 10), uris)
}

// blobFiles lists the encrypted files of every case in the workspace.
func blobFiles(t *testing.T, dir string) []string {
	t.Helper()
	out, err := filepath.Glob(filepath.Join(dir, "cases", "*", "blobs", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEvidenceImportWithProgress(t *testing.T) {
	dir := seededWorkspace(t, nil)
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Evidence")
	if !tu.screenHas("No evidence yet: drag files") {
		t.Fatalf("no empty state: %q", tu.texts())
	}

	src := t.TempDir()
	letter := []byte(strings.Repeat("Recruitment letter, fictional. MARKER-LETTER-3141\n", 3000))
	paths := []string{
		writeFile(t, src, "letter.txt", letter),
		writeFile(t, src, "page.html", []byte("<html><head><title>Jobs (fictional)</title></head><body><p>Factory work in Bangkok, MARKER-HTML-2718.</p></body></html>")),
		writeFile(t, src, "ledger.csv", []byte("date,payee,amount\n2026-01-02,Fictional Broker Co,15000\n2026-01-09,Fictional Broker Co,12000\n")),
		writeFile(t, src, "copy of letter.txt", letter),
		writeFile(t, src, "blob.bin", []byte{0x00, 0x9f, 0x13, 0xfe, 0x00, 0x01, 0x02, 0x88, 0x00, 0xff}),
	}
	tu.dropFiles(paths[:2]...) // dropping opens the import dialog
	d := cv.evidence.imp
	if d == nil {
		t.Fatalf("dropping files opened no import dialog: %q", tu.texts())
	}
	tu.dropFiles(paths[2:]...) // a second drop adds to it
	if len(d.paths) != 5 || d.start.Text != "Import 5 files and folders" {
		t.Fatalf("paths %q, button %q", d.paths, d.start.Text)
	}
	d.how.SetSelected("Seizure")
	test.Type(d.authority, "SW-2026-0142 (fictional)")
	test.Type(d.by, "Det. Example")
	test.Type(d.place, "Evidence room 2")

	// The import pauses once, part way, until the test has seen the
	// progress bar.
	paused, resume := make(chan struct{}), make(chan struct{})
	once := false
	cv.evidence.importHook = func(p casefile.ImportProgress) {
		if !once && p.BytesDone > 0 && p.BytesDone < p.Bytes && p.FilesDone < p.Files {
			once = true
			close(paused)
			<-resume
		}
	}
	test.Tap(d.start)
	tu.waitFor("the progress bar to move", func() bool {
		select {
		case <-paused:
			return d.bar.Value > 0 && d.bar.Value < 1 && strings.Contains(d.files.Text, "of 5 files done") && strings.HasPrefix(d.current.Text, "Reading ")
		default:
			return false
		}
	})
	close(resume)
	tu.settle()
	if d.moves < 2 {
		t.Errorf("the progress bar was updated %d times", d.moves)
	}

	// The per-file results.
	if d.results == nil {
		t.Fatalf("no results: %q", tu.texts())
	}
	for _, p := range paths {
		if !tu.screenHas(p) {
			t.Errorf("the results do not list %s", p)
		}
	}
	for _, want := range []string{"Import finished: 3 imported, 1 imported without text, 1 duplicate.", "Duplicate of exhibit 1", "No text", "stored and hashed, but no text"} {
		if !tu.screenHas(want) {
			t.Errorf("the results do not say %q: %q", want, tu.texts())
		}
	}

	// Saving the list warns that it is not encrypted; the list itself.
	tu.tapSettle("Save list…")
	if !tu.screenHas("NOT ENCRYPTED") {
		t.Errorf("no warning before saving the list: %q", tu.texts())
	}
	tu.tapSettle("No")
	var csvOut, textOut bytes.Buffer
	if err := writeResults(&csvOut, d.results, true); err != nil {
		t.Fatal(err)
	}
	if err := writeResults(&textOut, d.results, false); err != nil {
		t.Fatal(err)
	}
	csvText := csvOut.String()
	if !strings.HasPrefix(csvText, "path,status,exhibit,sha256,reason\n") || !strings.Contains(csvText, paths[3]+",duplicate,1,") ||
		!strings.Contains(csvText, paths[4]+",no-text,") {
		t.Errorf("CSV list:\n%s", csvText)
	}
	if !strings.Contains(textOut.String(), "Duplicate  "+paths[3]) || !strings.Contains(textOut.String(), "No text    "+paths[4]) {
		t.Errorf("text list:\n%s", textOut.String())
	}
	tu.tapSettle("Close")
	tu.noDialog()

	got := rows(cv.evidence.table)
	want := []string{
		"1 | letter.txt | Document | 150.0 KB | Text extracted | " + casefile.Today().String(),
		"2 | page.html | Document | 119 B | Text extracted | " + casefile.Today().String(),
		"3 | ledger.csv | Document | 92 B | Text extracted | " + casefile.Today().String(),
		"4 | blob.bin | Other | 10 B | No text | " + casefile.Today().String(),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("evidence table:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The options reached the register.
	if err := tu.Close(); err != nil {
		t.Fatal(err)
	}
	w := reopen(t, dir, testPass)
	list, _ := w.Cases()
	c, err := w.OpenCase(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := c.EvidenceList(context.Background())
	if len(items) != 4 || items[0].ObtainedHow != "seizure" || items[0].AuthorityRef != "SW-2026-0142 (fictional)" || items[0].ObtainedBy != "Det. Example" {
		t.Fatalf("stored items: %+v", items)
	}
	events, _ := c.Custody(context.Background(), items[0].ID)
	if len(events) != 1 || events[0].Place != "Evidence room 2" {
		t.Fatalf("intake event: %+v", events)
	}
}

func TestEvidenceImportCancel(t *testing.T) {
	dir := seededWorkspace(t, nil)
	tu, cv := openSeeded(t, dir)
	tu.tab(cv, "Evidence")
	src := t.TempDir()
	before := writeFile(t, src, "before.txt", []byte("Imported before the big one, fictional."))
	cv.evidence.startImport([]string{before})
	test.Tap(cv.evidence.imp.start)
	tu.settle()
	tu.tapSettle("Close")
	blobsBefore := len(blobFiles(t, dir))

	small := writeFile(t, src, "small.txt", []byte("A small note, fictional, imported before the cancel."))
	big := filepath.Join(src, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	block := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	for range 64 {
		f.Write(block)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	after := writeFile(t, src, "after.txt", []byte("Never reached."))

	// The import pauses once 8 MiB of the big file are stored (only it can
	// pass 8 MiB), until the test has pressed Cancel. Workers run in
	// parallel, so small.txt may still be on its way in: the test waits
	// for it below rather than here, where the progress lock is held.
	paused, resume := make(chan struct{}), make(chan struct{})
	once := false
	cv.evidence.importHook = func(p casefile.ImportProgress) {
		if !once && p.BytesDone > 8<<20 && p.BytesDone < 64<<20 {
			once = true
			close(paused)
			<-resume
		}
	}
	tu.shortcut(shortcutImport)
	d := cv.evidence.imp
	d.addPaths([]string{small, big, after})
	test.Tap(d.start)
	tu.waitFor("the big file to be read and small.txt to be in", func() bool {
		select {
		case <-paused:
			items, err := cv.c.EvidenceList(context.Background())
			return err == nil && len(items) == 2 && d.bar.Value > 0.1
		default:
			return false
		}
	})
	test.Tap(tu.button("Cancel import"))
	close(resume)
	tu.settle()

	if !tu.screenHas("Import cancelled: 1 imported, 2 cancelled.") || !tu.screenHas("nothing of it was kept") {
		t.Fatalf("results after cancelling: %q", tu.texts())
	}
	got := rows(cv.evidence.table)
	if len(got) != 2 || !strings.Contains(got[0], "before.txt") || !strings.Contains(got[1], "small.txt") {
		t.Fatalf("evidence after the cancel: %q", got)
	}
	// Only the small file's original and text were added: nothing of the
	// big file, and no temporary file.
	blobs := blobFiles(t, dir)
	if len(blobs) != blobsBefore+2 {
		t.Fatalf("%d blob files before, %d after: %q", blobsBefore, len(blobs), blobs)
	}
	for _, b := range blobs {
		if !strings.HasSuffix(b, ".age") {
			t.Errorf("left behind: %s", b)
		}
	}
	tu.tapSettle("Close")
}

// Adding evidence from the Search or Due view first brings the open case
// back, so the dialog never covers a view that hides which case the files
// go to; with no case open it says what to do.
func TestEvidenceImportFromOtherViews(t *testing.T) {
	dir := seededWorkspace(t, nil)
	tu, cv := openSeeded(t, dir)
	src := t.TempDir()
	note := writeFile(t, src, "note.txt", []byte("A note, fictional."))

	for _, view := range []struct {
		name string
		show fyne.Shortcut
		add  func()
	}{
		{"Search, Ctrl+I", shortcutFind, func() { tu.shortcut(shortcutImport) }},
		{"Due, drop", shortcutDue, func() { tu.dropFiles(note) }},
	} {
		tu.shortcut(view.show)
		if tu.main.pane.Objects[0] == cv.content {
			t.Fatalf("%s: the case still shows", view.name)
		}
		view.add()
		d := cv.evidence.imp
		if d == nil {
			t.Fatalf("%s: no import dialog: %q", view.name, tu.texts())
		}
		if tu.main.pane.Objects[0] != cv.content || cv.tabs.Selected().Text != "Evidence" || tu.main.due != nil {
			t.Fatalf("%s: the case's Evidence tab is not shown behind the dialog", view.name)
		}
		if !tu.screenHas("Add evidence to " + cv.info.Ref) {
			t.Fatalf("%s: the dialog does not name the case: %q", view.name, tu.texts())
		}
		d.close()
		tu.settle()
	}

	tu.main.cv.detach()
	tu.main.cv = nil
	tu.main.showNoCase()
	tu.shortcut(shortcutImport)
	if !tu.screenHas("Open a case first") {
		t.Fatalf("Ctrl+I with no case open says nothing: %q", tu.texts())
	}
}
