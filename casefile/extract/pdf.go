package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDF reads the text layer of PDF files. Well-formed files up to
// pdfFastMax are read by a strict reader in Go (pdftext.go, some thirty
// times faster); what it declines — unusual fonts or filters, glyphs only
// the font program maps, broken or encrypted files, scans to OCR — is read
// by PDFium (Chrome's PDF engine)
// compiled to WebAssembly and run by wazero: pure Go, and a sandbox — the
// module sees no file system, its memory is capped (pdfMemoryPages) and a
// run past its deadline is killed. It gives the exact text of Thai,
// Khmer and Vietnamese pages where github.com/ledongthuc/pdf loses
// characters, and repairs what it can of a broken cross-reference table.
// Pages without text are OCRed (rendered at 200 dpi) when Options.OCR is
// set.
type PDF struct{}

const pdfTool = "github.com/klippa-app/go-pdfium (PDFium, WebAssembly)"

// pdfMemoryPages caps the PDFium module's memory: 16384 pages of 64 KiB
// is 1 GiB.
const pdfMemoryPages = 16384

// Name implements Extractor.
func (PDF) Name() string { return "pdf" }

// Version implements Extractor.
func (PDF) Version() string {
	return moduleVersion("github.com/klippa-app/go-pdfium") + ", " + moduleVersion("github.com/tetratelabs/wazero")
}

// Match implements Extractor. The header may follow some junk (up to 1
// KiB, as readers allow).
func (PDF) Match(p *Probe) Confidence {
	if bytes.Contains(p.Head[:min(len(p.Head), 1024)], []byte("%PDF-")) {
		return ByContent
	}
	if p.Ext == ".pdf" {
		return ByName
	}
	return NoMatch
}

var pdfPool struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

// pdfiumPool starts the WebAssembly runtime once per process. Its
// compiled code is cached under the user cache directory (machine code for
// PDFium, no case data), which brings later starts from seconds to
// milliseconds.
func pdfiumPool() (pdfium.Pool, error) {
	pdfPool.once.Do(func() {
		cfg := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true).
			WithMemoryLimitPages(pdfMemoryPages)
		if dir, err := os.UserCacheDir(); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "casevault", "wazero")); err == nil {
				cfg = cfg.WithCompilationCache(cache)
			}
		}
		pdfPool.pool, pdfPool.err = webassembly.Init(webassembly.Config{
			MinIdle: 0, MaxIdle: 1, MaxTotal: 2,
			FSConfig:      wazero.NewFSConfig(), // no file system inside the sandbox
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			RuntimeConfig: cfg,
		})
	})
	return pdfPool.pool, pdfPool.err
}

// Extract implements Extractor.
func (x PDF) Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Result, error) {
	if size <= pdfFastMax {
		// Well-formed files are read in Go (pdftext.go); PDFium reads
		// what that declines.
		data := make([]byte, size)
		if n, err := r.ReadAt(data, 0); int64(n) < size {
			return nil, fmt.Errorf("reading the PDF: %w", err)
		}
		fb := newBuilder(x.Name(), "application/pdf", pdfFastTool, goVersion(), opts)
		switch err := pdfFast(ctx, data, opts, fb); {
		case err == nil:
			return fb.res, nil
		case !errors.Is(err, errPDFFallback):
			return fb.res, err // over a limit, or cancelled
		}
		r = bytes.NewReader(data)
	}
	return x.pdfium(ctx, r, size, opts)
}

// pdfium reads a PDF with PDFium.
func (x PDF) pdfium(ctx context.Context, r io.ReaderAt, size int64, opts Options) (res *Result, err error) {
	b := newBuilder(x.Name(), "application/pdf", pdfTool, x.Version(), opts)
	pool, err := pdfiumPool()
	if err != nil {
		return nil, fmt.Errorf("%w: PDF engine failed to start: %v", ErrUnsupported, err)
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return nil, ctxOr(ctx, fmt.Errorf("PDF engine busy: %w", err))
	}
	// Kill the instance when the run's deadline passes, interrupting
	// PDFium wherever it is; otherwise hand it back to the pool.
	var once sync.Once
	killed := false
	stop := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			once.Do(func() { killed = true; inst.Kill() })
		case <-stop:
		}
	}()
	defer func() {
		close(stop)
		once.Do(func() { inst.Close() })
		if killed {
			err = ctxErr(ctx)
		}
	}()

	doc, err := inst.OpenDocument(&requests.OpenDocument{FileReader: io.NewSectionReader(r, 0, size), FileReaderSize: size})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) {
			return nil, fmt.Errorf("%w: password-protected PDF", ErrEncrypted)
		}
		return nil, ctxOr(ctx, corruptf("pdf: %v", err))
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	if md, err := inst.GetMetaData(&requests.GetMetaData{Document: doc.Document}); err == nil {
		for _, t := range md.Tags {
			pdfMeta(b, t.Tag, t.Value)
		}
	}
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, ctxOr(ctx, corruptf("pdf: %v", err))
	}
	if count.PageCount <= 0 {
		return nil, corruptf("pdf: no pages")
	}
	if int64(count.PageCount) > size/32 {
		// A page object takes more than 32 bytes: PDFium gave up on the
		// file's structure.
		return nil, corruptf("pdf: implausible page count %d for %d bytes", count.PageCount, size)
	}
	b.res.Metadata["pages"] = fmt.Sprint(count.PageCount)
	if count.PageCount > b.lim.MaxParts {
		b.truncate(tooLargef("%d pages, only the first %d read", count.PageCount, b.lim.MaxParts))
	}
	empty, failed := 0, 0
	for i := 0; i < min(count.PageCount, b.lim.MaxParts); i++ {
		if err := ctxErr(ctx); err != nil {
			return b.res, err
		}
		page := requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}
		txt, err := pageText(inst, page)
		if err != nil {
			b.warn(fmt.Sprintf("page %d: %v", i+1, err))
			if failed++; failed >= 10 && failed == i+1 {
				return b.res, corruptf("pdf: the first %d pages are unreadable", failed)
			}
			continue
		}
		text := strings.ReplaceAll(txt, "\r\n", "\n")
		if strings.TrimSpace(text) == "" {
			empty++
			if opts.OCR {
				if text, err = ocrPDFPage(ctx, inst, page, opts, b); err != nil {
					if errors.Is(err, ErrOCRUnavailable) {
						b.warn(err.Error())
						opts.OCR = false
					} else if ctx.Err() != nil {
						return b.res, ctxErr(ctx)
					} else {
						b.warn(fmt.Sprintf("page %d: OCR failed: %v", i+1, err))
					}
				}
			}
		}
		if err := b.add(Chunk{Text: text, Kind: KindPage, Index: i + 1}); err != nil {
			return b.res, err
		}
	}
	if empty > 0 && !opts.OCR {
		b.warn(fmt.Sprintf("%d of %d pages have no text layer (scanned?); OCR is off", empty, count.PageCount))
	}
	return b.res, nil
}

// pageText reads a page's text layer in one FPDFText_GetText call.
// go-pdfium's GetPageText makes one WebAssembly call per character
// (FPDFText_GetUnicode), and under WithCloseOnContextDone each call starts
// a goroutine to watch the context: that was most of a PDF's extraction
// time. Like GetPageText, it leaves out NUL characters.
func pageText(inst pdfium.Pdfium, page requests.Page) (string, error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: page})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", err
	}
	if n.Count <= 0 {
		return "", nil
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(t.Text, "\x00", ""), nil
}

// ocrPDFPage renders a page at 200 dpi and hands it to tesseract.
func ocrPDFPage(ctx context.Context, inst pdfium.Pdfium, page requests.Page, opts Options, b *builder) (string, error) {
	if _, err := tesseractVersion(); err != nil {
		return "", err
	}
	img, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{Page: page, DPI: 200})
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = png.Encode(&buf, img.Result.RenderedImage)
	img.CleanupFunc()
	if err != nil {
		return "", err
	}
	return runOCR(ctx, buf.Bytes(), opts, b)
}

// pdfInfoKeys maps the entries of a PDF's Info dictionary to metadata
// keys.
var pdfInfoKeys = map[string]string{"Title": "title", "Author": "author", "Subject": "subject", "Keywords": "keywords",
	"Creator": "application", "Producer": "producer", "CreationDate": "created", "ModDate": "modified"}

// pdfMeta records an Info entry as metadata, its dates in RFC 3339.
func pdfMeta(b *builder, tag, value string) {
	k := pdfInfoKeys[tag]
	if k == "" {
		return
	}
	if k == "created" || k == "modified" {
		value = pdfDate(value)
	}
	b.meta(k, value)
}

// pdfDate turns "D:20240301093000+07'00'" into RFC 3339, or returns it
// unchanged when it does not parse.
func pdfDate(s string) string {
	v := strings.TrimPrefix(strings.TrimSpace(s), "D:")
	v = strings.ReplaceAll(v, "'", "")
	for _, layout := range []string{"20060102150405-0700", "20060102150405Z", "20060102150405", "200601021504", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return s
}

// ctxOr prefers the context's error when the run was cut short.
func ctxOr(ctx context.Context, err error) error {
	if cerr := ctxErr(ctx); cerr != nil {
		return cerr
	}
	return err
}
