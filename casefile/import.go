package casefile

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"casevault/casefile/extract"
)

// Import result statuses, one per file.
const (
	ImportImported  = "imported"
	ImportDuplicate = "duplicate"
	ImportNoText    = "no-text"
	ImportFailed    = "failed"
	ImportCancelled = "cancelled"
)

// ImportResult says what became of one file.
type ImportResult struct {
	Path    string `json:"path"`
	Status  string `json:"status"`
	Exhibit string `json:"exhibit,omitempty"` // the new item, or the item it duplicates
	ItemID  string `json:"item_id,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
	Reason  string `json:"reason,omitempty"` // why no text, or why it failed
	Linked  int    `json:"linked,omitempty"` // items found inside it (e-mail attachments...)
}

// ImportProgress is reported while an import runs.
type ImportProgress struct {
	Files, FilesDone int
	Bytes, BytesDone int64
	Current          string
}

// ImportOptions tunes an import.
type ImportOptions struct {
	Type        string // evidence type for every file; empty: guessed from the format
	ObtainedHow string
	Authority   string
	ObtainedOn  Date
	ObtainedBy  string
	Place       string // where the intake happened, for the custody record
	Extract     extract.Options
	// Progress, if set, is called often (from the importing goroutine).
	Progress func(ImportProgress)
}

// importFile is a file to import: its path, size and how to read it.
type importFile struct {
	path string
	size int64
	open func() (io.ReadCloser, error)
}

func osOpener(path string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

// collectFiles expands folders (recursively, without following links to
// folders) into the regular files to import; what cannot be imported is
// returned as failed results.
func collectFiles(paths []string) ([]importFile, []ImportResult) {
	var files []importFile
	var bad []ImportResult
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			bad = append(bad, ImportResult{Path: p, Status: ImportFailed, Reason: "cannot read: " + errReason(err)})
			continue
		}
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				bad = append(bad, ImportResult{Path: p, Status: ImportFailed, Reason: "not a regular file (device, pipe or socket)"})
				continue
			}
			files = append(files, importFile{p, st.Size(), osOpener(p)})
			continue
		}
		filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, ImportResult{Path: q, Status: ImportFailed, Reason: "cannot read: " + errReason(err)})
				return nil
			}
			if d.IsDir() {
				return nil
			}
			info, err := os.Stat(q) // follows a link to a file
			if err != nil || !info.Mode().IsRegular() {
				bad = append(bad, ImportResult{Path: q, Status: ImportFailed, Reason: "not a regular file (a link to a folder, a device, or a broken link)"})
				return nil
			}
			files = append(files, importFile{q, info.Size(), osOpener(q)})
			return nil
		})
	}
	return files, bad
}

func errReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Import adds files and folders (recursively) to the evidence register:
// each original is streamed into an encrypted blob and hashed on the way,
// its text extracted, and an item created with an intake custody event.
// Items found inside a file (e-mail attachments, media in a chat export)
// become linked items. A file that fails never stops the others; a
// cancelled import leaves no half-made item. The results list every file.
func (c *Case) Import(ctx context.Context, paths []string, opts ImportOptions) ([]ImportResult, error) {
	files, results := collectFiles(paths)
	return c.importFiles(ctx, files, results, opts)
}

// ImportFS imports every regular file of fsys (an embedded folder, say),
// as Import does for folders on disk, without writing anything but
// encrypted blobs.
func (c *Case) ImportFS(ctx context.Context, fsys fs.FS, opts ImportOptions) ([]ImportResult, error) {
	var files []importFile
	var results []ImportResult
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			results = append(results, ImportResult{Path: p, Status: ImportFailed, Reason: "cannot read: " + errReason(err)})
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			results = append(results, ImportResult{Path: p, Status: ImportFailed, Reason: "cannot read: " + errReason(err)})
			return nil
		}
		files = append(files, importFile{p, info.Size(), func() (io.ReadCloser, error) { return fsys.Open(p) }})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.importFiles(ctx, files, results, opts)
}

func (c *Case) importFiles(ctx context.Context, files []importFile, results []ImportResult, opts ImportOptions) ([]ImportResult, error) {
	c.importMu.Lock() // one import at a time: its clean-up must not race another's
	defer c.importMu.Unlock()
	prog := ImportProgress{Files: len(files)}
	for _, f := range files {
		prog.Bytes += f.size
	}
	var done atomic.Int64
	var progMu sync.Mutex
	report := func(cur string) {
		if opts.Progress == nil {
			return
		}
		progMu.Lock()
		defer progMu.Unlock()
		if cur != "" {
			prog.Current = cur
		}
		p := prog
		p.BytesDone = done.Load()
		opts.Progress(p)
	}
	store, err := c.blobs()
	if err != nil {
		return nil, err
	}
	store.progress = func(n int64) {
		done.Add(n)
		report("")
	}
	// Each blob's ephemeral X25519 share is made ahead, off the workers
	// (blobwrap.go).
	if pw := newPrewrapRecipient(store.rcpt); pw != nil {
		pw.start()
		defer pw.stopAhead()
		store.rcpt = pw
	}
	// So are the files the blobs are written into (blobtemp_linux.go).
	store.ahead = startFileAhead(store.dir)
	defer store.ahead.close()
	reg := extract.Default()

	// Workers store and extract files in parallel; this goroutine commits
	// them in order, so that exhibit numbers follow the order of the files.
	type prepared struct {
		res  ImportResult
		item *pending
		done chan struct{}
	}
	slots := make([]*prepared, len(files))
	for i := range slots {
		slots[i] = &prepared{done: make(chan struct{})}
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), 4); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				report(files[i].path)
				slots[i].res, slots[i].item = c.prepareOne(ctx, store, reg, files[i], opts)
				close(slots[i].done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-ctx.Done():
				for _, s := range slots[i:] {
					close(s.done)
				}
				return
			}
		}
	}()
	for i, f := range files {
		<-slots[i].done
		res, p := slots[i].res, slots[i].item
		switch {
		case res.Status != "":
		case p == nil || ctx.Err() != nil:
			res = ImportResult{Path: f.path, SHA256: res.SHA256, Status: ImportCancelled, Reason: "the import was cancelled before this file was kept"}
		default:
			res = c.commitOne(ctx, p, opts, f.path, res)
		}
		results = append(results, res)
		progMu.Lock()
		prog.FilesDone++
		progMu.Unlock()
	}
	wg.Wait()
	done.Store(prog.Bytes)
	progMu.Lock()
	prog.Current = ""
	progMu.Unlock()
	report("")
	// Whatever was stored for files that did not land is referred to by
	// nothing: remove it now.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return results, nil
	}
	return results, c.collectGarbage(context.Background())
}

// pending is an item built in memory before one transaction writes it.
type pending struct {
	item     Evidence
	att      Attachment
	children []*pending
}

// prepareOne stores a file's original and extracts its text (and its
// embedded items). It returns a result with a Status only when the file
// ends here (failed, duplicate, cancelled); otherwise the item to commit.
func (c *Case) prepareOne(ctx context.Context, store *blobStore, reg *extract.Registry, f importFile, opts ImportOptions) (ImportResult, *pending) {
	res := ImportResult{Path: f.path}
	if ctx.Err() != nil {
		return res, nil
	}
	fh, err := f.open()
	if err != nil {
		res.Status, res.Reason = ImportFailed, "cannot read: "+errReason(err)
		return res, nil
	}
	defer fh.Close()
	var before fs.FileInfo
	if sf, ok := fh.(fs.File); ok {
		before, _ = sf.Stat()
	}
	ref, err := store.put(ctx, fh)
	if err != nil {
		res.Status, res.Reason = failStatus(ctx), importFailure(ctx, err)
		return res, nil
	}
	res.SHA256 = ref.SHA256
	if ex, id := c.findDuplicate(ctx, ref.SHA256); ex != "" {
		res.Status, res.Exhibit, res.ItemID = ImportDuplicate, ex, id
		res.Reason = "already in this case as exhibit " + ex
		return res, nil
	}
	name := extract.SanitizeName(filepath.Base(f.path))
	p, err := c.buildItem(ctx, store, reg, name, ref, opts, opts.Extract.Depth, sourceOf(fh, before, ref.Size))
	if err != nil {
		res.Status, res.Reason = failStatus(ctx), importFailure(ctx, err)
		return res, nil
	}
	return res, p
}

// commitOne writes a prepared item, unless an earlier file of the same
// import had the same content.
func (c *Case) commitOne(ctx context.Context, p *pending, opts ImportOptions, path string, res ImportResult) ImportResult {
	if ex, id := c.findDuplicate(ctx, res.SHA256); ex != "" {
		res.Status, res.Exhibit, res.ItemID = ImportDuplicate, ex, id
		res.Reason = "already in this case as exhibit " + ex
		return res
	}
	if err := c.commitItem(ctx, p, opts, path); err != nil {
		res.Status, res.Reason = failStatus(ctx), importFailure(ctx, err)
		return res
	}
	res.Exhibit, res.ItemID, res.Linked = p.item.Exhibit, p.item.ID, countChildren(p)
	res.Status = ImportImported
	if p.att.TextStatus == TextNone {
		res.Status, res.Reason = ImportNoText, p.att.Detail
	}
	return res
}

func failStatus(ctx context.Context) string {
	if ctx.Err() != nil {
		return ImportCancelled
	}
	return ImportFailed
}

func importFailure(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "the import was cancelled while reading this file; nothing of it was kept"
	}
	return err.Error()
}

func countChildren(p *pending) int {
	n := len(p.children)
	for _, ch := range p.children {
		n += countChildren(ch)
	}
	return n
}

func (c *Case) findDuplicate(ctx context.Context, sum string) (exhibit, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", ""
	}
	// Prepared once per open case: preparing this join was three quarters
	// of its cost, and it runs twice per imported file.
	savedQueries{c}.QueryRowContext(ctx, "SELECT e.exhibit, e.id FROM attachment a JOIN evidence e ON e.id = a.evidence_id WHERE a.sha256 = ? LIMIT 1", sum).Scan(&exhibit, &id)
	return exhibit, id
}

// storedText is the plaintext of a text blob: what extraction found, for
// the viewer and the search index.
type storedText struct {
	Format   string            `json:"format"`
	Tool     string            `json:"tool"`
	Chunks   []extract.Chunk   `json:"chunks"`
	Metadata map[string]string `json:"metadata,omitempty"`
	Warnings []string          `json:"warnings,omitempty"`
}

// source is random access to the file an original was just stored from,
// with what it looked like before: extracting from it spares decrypting
// the blob again. The result counts only if the file is unchanged after
// extraction (same size as stored, same modification time as before);
// otherwise the text is extracted from the blob.
type source struct {
	ra     io.ReaderAt
	f      fs.File
	before fs.FileInfo
	size   int64
}

// sourceOf returns the source of a file read whole into a blob of size
// bytes, or nil when it offers no random access or no file information.
func sourceOf(fh io.ReadCloser, before fs.FileInfo, size int64) *source {
	ra, ok := fh.(io.ReaderAt)
	f, isFile := fh.(fs.File)
	if !ok || !isFile || before == nil || !before.Mode().IsRegular() || before.Size() != size {
		return nil
	}
	return &source{ra: ra, f: f, before: before, size: size}
}

// memSource is a source held in memory (an embedded item read while it
// was stored), which cannot change.
func memSource(data []byte) *source {
	return &source{ra: bytes.NewReader(data), size: int64(len(data))}
}

// unchanged reports whether the file still is what was stored.
func (s *source) unchanged() bool {
	if s.f == nil {
		return true // in memory
	}
	now, err := s.f.Stat()
	return err == nil && now.Size() == s.size && now.ModTime().Equal(s.before.ModTime()) && now.Mode() == s.before.Mode()
}

// buildItem extracts the text of a stored blob (from src, the file it was
// stored from, when given and unchanged) and, recursively, stores and
// extracts what it embeds.
func (c *Case) buildItem(ctx context.Context, store *blobStore, reg *extract.Registry, name string, ref BlobRef, opts ImportOptions, depth int, src *source) (*pending, error) {
	p := &pending{
		item: Evidence{ID: newItemID(), Title: name, Type: opts.Type, ObtainedHow: opts.ObtainedHow, AuthorityRef: opts.Authority,
			ObtainedOn: opts.ObtainedOn, ObtainedBy: opts.ObtainedBy},
		att: Attachment{ID: newItemID(), Name: name, Size: ref.Size, SHA256: ref.SHA256, blob: ref.Name},
	}
	xo := opts.Extract
	xo.Depth = depth
	var result *extract.Result
	var xerr error
	if src != nil {
		result, xerr = reg.Extract(ctx, name, src.ra, src.size, xo)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !src.unchanged() {
			result, xerr, src = nil, nil, nil
		}
	}
	if src == nil {
		ra, size, fh, err := store.openAt(ref.Name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		result, xerr = reg.Extract(ctx, name, ra, size, xo)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err := p.att.setText(ctx, store, result, xerr); err != nil {
		return nil, err
	}
	if p.item.Type == "" {
		p.item.Type = typeOfFormat(p.att.Format, p.att.MediaType)
	}
	if result != nil {
		for _, emb := range result.Attachments {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rc, err := emb.Open()
			if err != nil {
				p.att.Detail = strings.TrimSpace(p.att.Detail + "; attachment " + emb.Name + " unreadable: " + err.Error())
				continue
			}
			// A small item is kept in memory while it is stored, and its
			// text extracted from there rather than by decrypting its blob
			// again.
			keep := &capWriter{max: embeddedInMemory >> min(depth, 30)}
			cref, err := store.put(ctx, io.TeeReader(rc, keep))
			rc.Close()
			if err != nil {
				keep.drop()
				return nil, err
			}
			var csrc *source
			if !keep.over && int64(len(keep.buf)) == cref.Size {
				csrc = memSource(keep.buf)
			}
			child, err := c.buildItem(ctx, store, reg, extract.SanitizeName(emb.Name), cref, ImportOptions{ObtainedHow: opts.ObtainedHow, Authority: opts.Authority,
				ObtainedOn: opts.ObtainedOn, ObtainedBy: opts.ObtainedBy, Extract: opts.Extract}, depth+1, csrc)
			keep.drop()
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, child)
		}
		if src != nil && len(result.Attachments) > 0 && !src.unchanged() {
			// The embedded items were read from a file that has changed
			// since: read them again from the blob.
			return c.buildItem(ctx, store, reg, name, ref, opts, depth, nil)
		}
	}
	return p, nil
}

// embeddedInMemory is the largest embedded item (an e-mail attachment)
// whose bytes are kept in memory while it is stored, to extract its text
// from there; half that one level deeper, and so on, so that nested items
// hold at most twice it.
const embeddedInMemory = 16 << 20

// capWriter keeps what is written to it, up to max bytes; past that it
// keeps nothing.
type capWriter struct {
	buf  []byte
	max  int
	over bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if !w.over {
		if len(w.buf)+len(p) > w.max {
			w.drop()
			w.over = true
		} else {
			w.buf = append(w.buf, p...)
		}
	}
	return len(p), nil
}

// drop clears what was kept: plaintext does not linger in memory.
func (w *capWriter) drop() {
	clear(w.buf[:cap(w.buf)])
	w.buf = nil
}

// typeOfFormat guesses the evidence type from what the extractor found.
func typeOfFormat(format, media string) string {
	switch {
	case format == "eml" || format == "mbox" || strings.Contains(format, "mail"):
		return "email"
	case strings.Contains(format, "whatsapp") || strings.Contains(format, "chat"):
		return "chat-log"
	case strings.HasPrefix(media, "image/") || format == "image" || format == "photo":
		return "photo"
	case strings.HasPrefix(media, "video/"):
		return "video"
	case strings.HasPrefix(media, "audio/"):
		return "audio"
	case format == "xlsx" || format == "ods" || format == "csv":
		return "financial-record"
	case format == "":
		return "other"
	}
	return "document"
}

// setText records what an extraction gave on a: format, tool, status and
// detail, with the text (if any) stored as a new blob.
func (a *Attachment) setText(ctx context.Context, store *blobStore, result *extract.Result, xerr error) error {
	if result != nil {
		a.Format, a.MediaType, a.Metadata = result.Format, result.MediaType, result.Metadata
		a.Tool = result.Tool
		switch {
		case result.ToolVersion == "" || strings.Contains(result.Tool, result.ToolVersion):
		case strings.Contains(result.ToolVersion, result.Tool):
			a.Tool = result.ToolVersion
		default:
			a.Tool = result.Tool + " " + result.ToolVersion
		}
	}
	a.textBlob, a.Detail = "", ""
	switch {
	case result != nil && len(result.Chunks) > 0:
		a.TextStatus = TextExtracted
		if xerr != nil {
			a.Detail = "partial text: " + xerr.Error()
		}
		st := storedText{Format: result.Format, Tool: a.Tool, Chunks: result.Chunks, Metadata: result.Metadata, Warnings: result.Warnings}
		tref, err := store.putWith(func(w io.Writer) (int64, error) { return st.writeJSON(ctx, w) })
		if err != nil {
			return err
		}
		a.textBlob = tref.Name
	case xerr != nil:
		a.TextStatus, a.Detail = TextNone, xerr.Error() // already starts with the reason ("unsupported format: ...")
	case result != nil && len(result.Warnings) > 0:
		// Why there is no text, such as a scan read with OCR off.
		a.TextStatus, a.Detail = TextNone, strings.Join(result.Warnings, "; ")
	default:
		a.TextStatus, a.Detail = TextNone, "the file holds no text"
	}
	return nil
}

// commitItem writes an item, its linked items, their intake custody
// events and the audit entry in one transaction.
//
// Its statements are prepared once per open case (savedQueries, closed
// when the case closes): parsing them again for every item was about 40%
// of the commit. They run on the case's one connection, the
// transaction's, so inside it; the transaction's own *sql.Tx is only
// committed or rolled back. A rollback because ctx is done cannot be
// followed by a statement of this item outside the transaction: the
// driver refuses to start a statement once ctx is done.
func (c *Case) commitItem(ctx context.Context, p *pending, opts ImportOptions, source string) error {
	var n int
	var changes int64
	err := c.tx(ctx, func(*sql.Tx) error {
		tx := savedQueries{c}
		var err error
		n, err = c.nextExhibitCached(ctx, tx)
		if err != nil {
			return err
		}
		var write func(p *pending, exhibit, parent string) error
		write = func(p *pending, exhibit, parent string) error {
			p.item.Exhibit, p.item.ParentID = exhibit, parent
			if err := p.item.normalize(); err != nil {
				return err
			}
			if err := insertEvidence(ctx, tx, &p.item); err != nil {
				return err
			}
			if err := insertAttachment(ctx, tx, p.item.ID, &p.att); err != nil {
				return err
			}
			note := "imported from " + extract.SanitizeName(filepath.Base(source))
			if parent != "" {
				note = "found inside exhibit " + exhibit[:strings.LastIndex(exhibit, ".")]
			}
			if err := insertCustody(ctx, tx, p.item.ID, CustodyEvent{Event: "received", Who: c.ws.Actor(), At: time.Now(), Place: opts.Place,
				Purpose: "intake", HashCheck: "computed", Note: note + "; SHA-256 " + p.att.SHA256}); err != nil {
				return err
			}
			for i, ch := range p.children {
				if err := write(ch, fmt.Sprintf("%s.%d", exhibit, i+1), p.item.ID); err != nil {
					return err
				}
			}
			return nil
		}
		if err := write(p, fmt.Sprint(n), ""); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, c.ws.Actor(), "evidence.import", p.item.ID, map[string]any{"exhibit": p.item.Exhibit, "sha256": p.att.SHA256,
			"size": p.att.Size, "linked": countChildren(p)}); err != nil {
			return err
		}
		// The last statement of the transaction: what any later write,
		// whatever it is, changes.
		return tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&changes)
	})
	c.exhibitMu.Lock()
	if err == nil {
		c.nextSeen.exhibit, c.nextSeen.changes = n+1, changes
	} else {
		c.nextSeen.exhibit = 0
	}
	c.exhibitMu.Unlock()
	return err
}

// nextExhibitCached is nextExhibit without reading every top-level item
// again for each item an import writes (which made an import quadratic
// in the size of the case): when nothing was written to the case's
// database since the import's last item (its one connection's
// total_changes() is what it was then), the number is that item's plus
// one, which nextExhibit would give. Anything written in between (an item
// added or renumbered by hand, a delete, even an unrelated change) makes
// it read them all again, so exhibit numbers stay editable and are never
// taken twice (the column is UNIQUE in any case).
func (c *Case) nextExhibitCached(ctx context.Context, tx txQueries) (int, error) {
	var changes int64
	if err := tx.QueryRowContext(ctx, "SELECT total_changes()").Scan(&changes); err != nil {
		return 0, err
	}
	c.exhibitMu.Lock()
	seen := c.nextSeen
	c.exhibitMu.Unlock()
	if seen.exhibit > 0 && seen.changes == changes {
		return seen.exhibit, nil
	}
	return nextExhibit(ctx, tx)
}

// EvidenceText returns the text extracted from an attachment. Reading
// evidence is a sensitive read: it is written to the audit chain.
func (c *Case) EvidenceText(ctx context.Context, evidenceID string) ([]extract.Chunk, error) {
	e, err := c.EvidenceItem(ctx, evidenceID)
	if err != nil {
		return nil, err
	}
	store, err := c.blobs()
	if err != nil {
		return nil, err
	}
	var chunks []extract.Chunk
	for _, a := range e.Attachments {
		if a.textBlob == "" {
			continue
		}
		r, err := store.open(a.textBlob)
		if err != nil {
			return nil, err
		}
		var st storedText
		err = json.NewDecoder(r).Decode(&st)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: the text of exhibit %s: %v", ErrDamaged, e.Exhibit, err)
		}
		chunks = append(chunks, st.Chunks...)
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		return appendAudit(ctx, tx, c.ws.Actor(), "evidence.view", evidenceID, map[string]any{"exhibit": e.Exhibit})
	})
	return chunks, err
}

// ExportOriginal writes a decrypted copy of an attachment to dest, which
// the user chose, checking its SHA-256 against the register on the way.
// The copy is plaintext outside CaseVault's protection: callers warn. The
// export is written to the audit chain and the custody record.
func (c *Case) ExportOriginal(ctx context.Context, evidenceID, attachmentID, dest string) (Attachment, error) {
	e, err := c.EvidenceItem(ctx, evidenceID)
	if err != nil {
		return Attachment{}, err
	}
	var att *Attachment
	for i := range e.Attachments {
		if attachmentID == "" || e.Attachments[i].ID == attachmentID {
			att = &e.Attachments[i]
			break
		}
	}
	if att == nil {
		return Attachment{}, fmt.Errorf("file %q %w in exhibit %s", attachmentID, ErrNotFound, e.Exhibit)
	}
	store, err := c.blobs()
	if err != nil {
		return Attachment{}, err
	}
	r, err := store.open(att.blob)
	if err != nil {
		return Attachment{}, err
	}
	defer r.Close()
	h := newHashWriter()
	err = writeAtomic(filepath.Dir(dest), filepath.Base(dest), func(w io.Writer) error {
		_, err := copyCtx(ctx, io.MultiWriter(w, h), r, nil)
		if err != nil {
			return err
		}
		if got := h.hex(); got != att.SHA256 {
			return fmt.Errorf("%w: exhibit %s no longer matches its SHA-256 (register %s, file %s): not exported", ErrDamaged, e.Exhibit, att.SHA256, got)
		}
		return nil
	})
	if err != nil {
		return Attachment{}, err
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		if err := insertCustody(ctx, tx, evidenceID, CustodyEvent{Event: "copied", Who: c.ws.Actor(), HashCheck: "match", Purpose: "export of the original",
			Note: "decrypted copy written outside CaseVault"}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "evidence.export", evidenceID, map[string]any{"exhibit": e.Exhibit, "sha256": att.SHA256})
	})
	return *att, err
}

// ReadOriginal returns the plaintext of an attachment, in memory, for
// viewing inside the app (an image preview); files larger than max are
// refused. The bytes are checked against the register's SHA-256, and the
// read is written to the audit chain. Nothing touches the disk.
func (c *Case) ReadOriginal(ctx context.Context, evidenceID, attachmentID string, max int64) ([]byte, error) {
	e, err := c.EvidenceItem(ctx, evidenceID)
	if err != nil {
		return nil, err
	}
	var att *Attachment
	for i := range e.Attachments {
		if attachmentID == "" || e.Attachments[i].ID == attachmentID {
			att = &e.Attachments[i]
			break
		}
	}
	if att == nil {
		return nil, fmt.Errorf("file %q %w in exhibit %s", attachmentID, ErrNotFound, e.Exhibit)
	}
	if att.Size > max {
		return nil, fmt.Errorf("exhibit %s is %d bytes, too large to show here (limit %d): export the original to view it", e.Exhibit, att.Size, max)
	}
	store, err := c.blobs()
	if err != nil {
		return nil, err
	}
	r, err := store.open(att.blob)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data := make([]byte, 0, att.Size)
	buf := bytes.NewBuffer(data)
	h := newHashWriter()
	if _, err := copyCtx(ctx, io.MultiWriter(buf, h), io.LimitReader(r, max+1), nil); err != nil {
		return nil, err
	}
	if h.hex() != att.SHA256 {
		return nil, fmt.Errorf("%w: exhibit %s no longer matches its SHA-256", ErrDamaged, e.Exhibit)
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		return appendAudit(ctx, tx, c.ws.Actor(), "evidence.view", evidenceID, map[string]any{"exhibit": e.Exhibit, "file": att.Name})
	})
	return buf.Bytes(), err
}

// writeJSON writes st as JSON, as encoding/json would write it (without
// its escaping of <, > and &, which readers do not need): the format of a
// text blob. It is written by hand, a buffer at a time, because
// encoding/json's reflection dominated the cost of storing extracted
// text, and holding the whole text again in memory is not needed.
func (st *storedText) writeJSON(ctx context.Context, w io.Writer) (int64, error) {
	bp := jsonBufs.Get().(*[]byte)
	b := (*bp)[:0]
	var n int64
	flush := func(min int) error {
		if len(b) < min {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		k, err := w.Write(b)
		n += int64(k)
		clear(b) // plaintext does not linger in a pooled buffer
		b = b[:0]
		return err
	}
	defer func() {
		clear(b[:cap(b)])
		if cap(b) <= 4*jsonBufSize { // one huge chunk's buffer is not kept
			*bp = b[:0]
			jsonBufs.Put(bp)
		}
	}()
	b = append(b, `{"format":`...)
	b = appendJSONString(b, st.Format)
	b = append(b, `,"tool":`...)
	b = appendJSONString(b, st.Tool)
	b = append(b, `,"chunks":`...)
	if st.Chunks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range st.Chunks {
			c := &st.Chunks[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"Text":`...)
			b = appendJSONText(b, c.Text)
			b = append(b, `,"Kind":`...)
			b = appendJSONString(b, string(c.Kind))
			b = append(b, `,"Index":`...)
			b = strconv.AppendInt(b, int64(c.Index), 10)
			b = append(b, `,"Label":`...)
			b = appendJSONString(b, c.Label)
			b = append(b, `,"Sender":`...)
			b = appendJSONString(b, c.Sender)
			b = append(b, `,"Time":`...)
			if y := c.Time.Year(); y < 0 || y > 9999 {
				return n, fmt.Errorf("json: error calling MarshalJSON for type time.Time: year %d outside of range [0,9999]", y)
			}
			b = append(b, '"')
			b = c.Time.AppendFormat(b, time.RFC3339Nano)
			b = append(b, `","Script":`...)
			b = appendJSONString(b, c.Script)
			b = append(b, `,"Lang":`...)
			b = appendJSONString(b, c.Lang)
			b = append(b, '}')
			if err := flush(jsonBufSize); err != nil {
				return n, err
			}
		}
		b = append(b, ']')
	}
	if len(st.Metadata) > 0 {
		b = append(b, `,"metadata":{`...)
		keys := make([]string, 0, len(st.Metadata))
		for k := range st.Metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, st.Metadata[k])
		}
		b = append(b, '}')
	}
	if len(st.Warnings) > 0 {
		b = append(b, `,"warnings":[`...)
		for i, w := range st.Warnings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, w)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return n, flush(0)
}

// jsonBufSize is how much JSON writeJSON gathers before writing it.
const jsonBufSize = 128 << 10

var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 2*jsonBufSize); return &b }}

const hexDigits = "0123456789abcdef"

// appendJSONText is appendJSONString for text that extraction made valid
// UTF-8 (extract.Chunk.Text always is): only ASCII to escape and U+2028
// and U+2029 need attention, and eight bytes at a time are checked for
// them. Were s not valid UTF-8 after all, its bad bytes would be written
// as they are, which a JSON decoder reads as U+FFFD each, just as it reads
// the \ufffd that appendJSONString writes for them.
func appendJSONText(b []byte, s string) []byte {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	b = append(b, '"')
	start, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			q, bs, e2 := x^(lo*'"'), x^(lo*'\\'), x^(lo*0xE2)
			if ((x-lo*0x20)&^x|(q-lo)&^q|(bs-lo)&^bs|(e2-lo)&^e2)&hi == 0 {
				i += 8 // no control character, quote, backslash or 0xE2
				continue
			}
		}
		for end := min(i+8, len(s)); i < end; {
			c := s[i]
			switch {
			case c < 0x20 || c == '"' || c == '\\':
				b = append(b, s[start:i]...)
				b = appendJSONEscape(b, c)
				i++
				start = i
			case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8: // U+2028, U+2029
				b = append(b, s[start:i]...)
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
				i += 3
				start = i
			default:
				i++
			}
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONEscape appends the escape of an ASCII quote, backslash or
// control character.
func appendJSONEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// jsonClass sorts bytes for appendJSONString: ASCII that is written as
// is, ASCII that is escaped, the lead bytes of two-, three- and four-byte
// UTF-8 sequences, and bytes that cannot start a character.
var jsonClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < 0x20 || c == '"' || c == '\\':
			t[c] = jsonEscape
		case c < utf8.RuneSelf:
			t[c] = jsonPlain
		case c >= 0xC2 && c <= 0xDF:
			t[c] = jsonLead2
		case c >= 0xE0 && c <= 0xEF:
			t[c] = jsonLead3
		case c >= 0xF0 && c <= 0xF4:
			t[c] = jsonLead4
		default:
			t[c] = jsonInvalid
		}
	}
	return t
}()

const (
	jsonPlain = iota
	jsonEscape
	jsonLead2
	jsonLead3
	jsonLead4
	jsonInvalid
)

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 escaped, and invalid UTF-8
// replaced by U+FFFD, as encoding/json does. Runs of characters written
// as they are cost a table look-up per byte.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch jsonClass[c] {
		case jsonPlain:
			i++
			for i < len(s) && jsonClass[s[i]] == jsonPlain {
				i++
			}
			continue
		case jsonEscape:
			b = append(b, s[start:i]...)
			b = appendJSONEscape(b, c)
			i++
			start = i
			continue
		case jsonLead2:
			if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				i += 2
				continue
			}
		case jsonLead3:
			if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
				(c != 0xE0 || s[i+1] >= 0xA0) && (c != 0xED || s[i+1] < 0xA0) {
				if c == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 { // U+2028, U+2029
					b = append(b, s[start:i]...)
					b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
					start = i + 3
				}
				i += 3
				continue
			}
		}
		// Four bytes, or not valid UTF-8.
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
