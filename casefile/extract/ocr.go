package extract

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// OCR runs the tesseract command: the image goes in on standard input and
// the text comes back on standard output, so nothing touches the disk.
// Tesseract 5 with the language packs of the region (tha, khm, lao, mya,
// vie, ind, msa, fil) is expected; a missing command or pack is reported as
// ErrOCRUnavailable, never as a silent empty result.

// ocrPageTimeout bounds one tesseract run (about 2.5 s a page here).
const ocrPageTimeout = 90 * time.Second

var tesseract struct {
	once    sync.Once
	path    string
	version string
	langs   map[string]bool
	err     error
}

// tesseractVersion finds tesseract and its languages once per process.
func tesseractVersion() (string, error) {
	tesseract.once.Do(func() {
		path, err := exec.LookPath("tesseract")
		if err != nil {
			tesseract.err = fmt.Errorf("%w: the tesseract command is not installed", ErrOCRUnavailable)
			return
		}
		tesseract.path = path
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, path, "--version").CombinedOutput()
		if err != nil {
			tesseract.err = fmt.Errorf("%w: tesseract --version failed: %v", ErrOCRUnavailable, err)
			return
		}
		line, _, _ := strings.Cut(string(out), "\n")
		tesseract.version = strings.TrimSpace(line)
		out, _ = exec.CommandContext(ctx, path, "--list-langs").CombinedOutput()
		tesseract.langs = map[string]bool{}
		for _, l := range strings.Split(string(out), "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !strings.Contains(l, " ") {
				tesseract.langs[l] = true
			}
		}
	})
	return tesseract.version, tesseract.err
}

// OCRAvailable reports whether OCR can run, with tesseract's version and
// installed languages, or the reason it cannot.
func OCRAvailable() (version string, langs []string, err error) {
	version, err = tesseractVersion()
	if err != nil {
		return "", nil, err
	}
	for l := range tesseract.langs {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return version, langs, nil
}

var langCode = regexp.MustCompile(`^[a-z_]{3,16}$`)

// ocrLanguages picks the tesseract languages: those asked for, else the
// scripts hinted by the item's metadata, plus English; only installed ones.
func ocrLanguages(opts Options, hint string) ([]string, error) {
	want := opts.OCRLanguages
	if len(want) == 0 {
		want = []string{"eng"}
		switch script, lang := DetectScript(hint); script {
		case "Thai":
			want = append(want, "tha")
		case "Lao":
			want = append(want, "lao")
		case "Khmer":
			want = append(want, "khm")
		case "Myanmar":
			want = append(want, "mya")
		case "Han":
			want = append(want, "chi_sim", "chi_tra")
		default:
			if lang == "vi" {
				want = append(want, "vie")
			}
			if lang == "id" {
				want = append(want, "ind")
			}
		}
	}
	var have, missing []string
	for _, l := range want {
		if !langCode.MatchString(l) {
			return nil, fmt.Errorf("bad OCR language %q", l)
		}
		if tesseract.langs[l] {
			have = append(have, l)
		} else {
			missing = append(missing, l)
		}
	}
	if len(have) == 0 {
		return nil, fmt.Errorf("%w: no tesseract language pack for %s", ErrOCRUnavailable, strings.Join(want, "+"))
	}
	if len(missing) > 0 {
		return have, fmt.Errorf("tesseract language packs missing: %s", strings.Join(missing, ", "))
	}
	return have, nil
}

// runOCR feeds an encoded image to tesseract and returns its text.
func runOCR(ctx context.Context, img []byte, opts Options, b *builder) (string, error) {
	version, err := tesseractVersion()
	if err != nil {
		return "", err
	}
	var hint strings.Builder
	for _, v := range b.res.Metadata {
		hint.WriteString(v)
		hint.WriteByte(' ')
	}
	langs, err := ocrLanguages(opts, hint.String())
	if err != nil {
		if langs == nil {
			return "", err
		}
		b.warn(err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, ocrPageTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tesseract.path, "stdin", "stdout", "-l", strings.Join(langs, "+"),
		"-c", "preserve_interword_spaces=1", "--psm", "3")
	cmd.Stdin = bytes.NewReader(img)
	var out, stderr bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	// OMP_THREAD_LIMIT=1: tesseract's own threads fight the importer's
	// workers on a two-core machine.
	cmd.Env = append(cmd.Environ(), "OMP_THREAD_LIMIT=1")
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctxErr(ctx)
		}
		msg := strings.TrimSpace(stderr.String())
		return "", fmt.Errorf("tesseract: %v: %s", err, cutUTF8(msg, 300))
	}
	b.meta("ocr_tool", version)
	b.meta("ocr_languages", strings.Join(langs, "+"))
	return out.String(), nil
}
