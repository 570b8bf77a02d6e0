package main

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/term"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"casevault/casefile"
	"casevault/casefile/extract"
)

func cmdEvidence(e *env, args []string) error {
	return subcommand("evidence", args, map[string]func([]string) error{
		"add":     func(a []string) error { return evidenceAdd(e, a) },
		"list":    func(a []string) error { return evidenceList(e, a) },
		"show":    func(a []string) error { return evidenceShow(e, a) },
		"text":    func(a []string) error { return evidenceText(e, a) },
		"extract": func(a []string) error { return evidenceExtract(e, a) },
		"export":  func(a []string) error { return evidenceExport(e, a) },
		"verify":  func(a []string) error { return evidenceVerify(e, a) },
		"custody": func(a []string) error { return evidenceCustody(e, a) },
	})
}

// evidenceAdd imports files and folders, one result line per file on
// stdout and progress on stderr; Ctrl+C cancels cleanly. Exit status 1 if
// any file failed.
func evidenceAdd(e *env, args []string) error {
	fs := newFlagSet(e, "evidence add")
	typ := fs.String("type", "", "evidence type for every file (default: guessed from the format)")
	how := fs.String("obtained-how", "", "seizure, search, surveillance, production-order, mla, voluntary, open-source")
	authority := fs.String("authority", "", "warrant or order reference")
	on := fs.String("obtained-on", "", "date obtained YYYY-MM-DD")
	by := fs.String("obtained-by", "", "who obtained it")
	place := fs.String("place", "", "where the intake happens (custody record)")
	ocr := fs.Bool("ocr", false, "run OCR (tesseract) on images and scans")
	lang := fs.String("ocr-lang", "", "OCR languages, e.g. tha+eng (default: by script)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("evidence add needs CASE and at least one PATH")
	}
	date, err := dateFlag("obtained-on", *on)
	if err != nil {
		return err
	}
	opts := casefile.ImportOptions{Type: *typ, ObtainedHow: *how, Authority: *authority, ObtainedOn: date, ObtainedBy: *by, Place: *place}
	opts.Extract.OCR = *ocr
	if *lang != "" {
		opts.Extract.OCRLanguages = strings.Split(*lang, "+")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var mu sync.Mutex
	last, lastFile := time.Time{}, ""
	tty := term.IsTerminal(int(os.Stderr.Fd())) && e.stderr == os.Stderr
	opts.Progress = func(p casefile.ImportProgress) {
		mu.Lock()
		defer mu.Unlock()
		if !tty {
			// A log, not a bar: one line per file.
			if p.Current != "" && p.Current != lastFile {
				lastFile = p.Current
				fmt.Fprintf(e.stderr, "importing %d/%d %s\n", p.FilesDone+1, p.Files, p.Current)
			}
			return
		}
		if time.Since(last) < 200*time.Millisecond && p.Current != "" {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.stderr, "\r%d/%d files, %s of %s  %s\x1b[K", p.FilesDone, p.Files, humanBytes(p.BytesDone), humanBytes(p.Bytes), shorten(p.Current, 50))
	}
	var results []casefile.ImportResult
	err = withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		var err error
		results, err = c.Import(ctx, pos[1:], opts)
		return err
	})
	if tty {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(e, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			line := fmt.Sprintf("%-9s %s", r.Status, r.Path)
			if r.Exhibit != "" {
				line += "  exhibit " + r.Exhibit
			}
			if r.Linked > 0 {
				line += fmt.Sprintf(" (+%d linked)", r.Linked)
			}
			if r.Reason != "" {
				line += "  — " + r.Reason
			}
			fmt.Fprintln(e.stdout, line)
		}
	}
	failed := 0
	for _, r := range results {
		if r.Status == casefile.ImportFailed || r.Status == casefile.ImportCancelled {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files were not imported; see the list above, fix them and add them again", failed, len(results))
	}
	return nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return "…" + string(r[len(r)-n+1:])
	}
	return s
}

// findItem resolves an item by id or exhibit number.
func findItem(c *casefile.Case, key string) (casefile.Evidence, error) {
	items, err := c.EvidenceList(bg)
	if err != nil {
		return casefile.Evidence{}, err
	}
	for _, it := range items {
		if it.ID == key || it.Exhibit == key {
			return it, nil
		}
	}
	return casefile.Evidence{}, fmt.Errorf("evidence %q %w: 'evidence list' shows the items", key, casefile.ErrNotFound)
}

func evidenceList(e *env, args []string) error {
	fs := newFlagSet(e, "evidence list")
	asJSON := fs.Bool("json", false, "print JSON")
	typ := fs.String("type", "", "only items of this type")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence list", pos, 1, "one CASE"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		all, err := c.EvidenceList(bg)
		if err != nil {
			return err
		}
		items := []casefile.Evidence{}
		for _, it := range all {
			if *typ == "" || it.Type == *typ {
				items = append(items, it)
			}
		}
		if *asJSON {
			return writeJSON(e, items)
		}
		var rows [][]string
		for _, it := range items {
			size, text := "", ""
			if len(it.Attachments) > 0 {
				size, text = humanBytes(it.Attachments[0].Size), it.Attachments[0].TextStatus
			}
			rows = append(rows, []string{it.Exhibit, it.ID, it.Type, size, text, it.Title})
		}
		return table(e.stdout, "EXHIBIT\tID\tTYPE\tSIZE\tTEXT\tTITLE", rows)
	})
}

func evidenceShow(e *env, args []string) error {
	fs := newFlagSet(e, "evidence show")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence show", pos, 2, "CASE and ITEM (id or exhibit number)"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		it, err := findItem(c, pos[1])
		if err != nil {
			return err
		}
		custody, err := c.Custody(bg, it.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, struct {
				casefile.Evidence
				Custody []casefile.CustodyEvent `json:"custody"`
			}{it, custody})
		}
		rows := [][]string{{"Exhibit:", it.Exhibit}, {"ID:", it.ID}, {"Title:", it.Title}, {"Type:", it.Type}, {"Obtained:", strings.TrimSpace(it.ObtainedHow + " " + it.ObtainedOn.String() + " " + it.ObtainedBy)},
			{"Authority:", it.AuthorityRef}, {"Disclosure:", it.Disclosure + " " + it.WithheldReason}}
		for _, a := range it.Attachments {
			rows = append(rows, []string{"File:", fmt.Sprintf("%s (%s, %s) sha256 %s", a.Name, humanBytes(a.Size), a.MediaType, a.SHA256)},
				[]string{"Text:", strings.TrimSpace(a.TextStatus + " " + a.Format + " " + a.Tool + " " + a.Detail)})
		}
		for _, ev := range custody {
			rows = append(rows, []string{"Custody:", fmt.Sprintf("%d %s %s by %s at %s %s [hash %s] %s", ev.Seq, ev.Event, ev.AtLocal, ev.Who, ev.Place, ev.Purpose, ev.HashCheck, ev.Note)})
		}
		return table(e.stdout, "", rows)
	})
}

func evidenceText(e *env, args []string) error {
	fs := newFlagSet(e, "evidence text")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence text", pos, 2, "CASE and ITEM"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		it, err := findItem(c, pos[1])
		if err != nil {
			return err
		}
		chunks, err := c.EvidenceText(bg, it.ID)
		if err != nil {
			return err
		}
		if len(chunks) == 0 {
			return errors.New("this item has no extracted text (see 'evidence show' for why)")
		}
		for i, ch := range chunks {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			if ch.Sender != "" || !ch.Time.IsZero() {
				fmt.Fprintf(e.stdout, "[%s] %s: ", ch.Time.Format("2006-01-02 15:04"), ch.Sender)
			}
			fmt.Fprintln(e.stdout, ch.Text)
		}
		return nil
	})
}

// evidenceExtract reads an item's text again from its originals, e.g. a
// scan imported without OCR.
func evidenceExtract(e *env, args []string) error {
	fs := newFlagSet(e, "evidence extract")
	ocr := fs.Bool("ocr", false, "run OCR (tesseract) on images and scans")
	lang := fs.String("ocr-lang", "", "OCR languages, e.g. tha+eng (default: by script)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence extract", pos, 2, "CASE and ITEM"); err != nil {
		return err
	}
	var opts extract.Options
	opts.OCR = *ocr
	if *lang != "" {
		opts.OCRLanguages = strings.Split(*lang, "+")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		it, err := findItem(c, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "reading the text of exhibit %s again…\n", it.Exhibit)
		it, err = c.ExtractAgain(ctx, it.ID, opts)
		if err != nil {
			return err
		}
		for _, a := range it.Attachments {
			line := fmt.Sprintf("%-9s %s  (%s)", a.TextStatus, a.Name, a.Tool)
			if a.Detail != "" {
				line += " — " + a.Detail
			}
			fmt.Fprintln(e.stdout, line)
		}
		return nil
	})
}

func evidenceExport(e *env, args []string) error {
	fs := newFlagSet(e, "evidence export")
	out := fs.String("out", "", "where to write the decrypted copy")
	file := fs.String("file", "", "which file of the item (id; default the first)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence export", pos, 2, "CASE and ITEM"); err != nil {
		return err
	}
	if *out == "" {
		return usagef("evidence export needs --out PATH")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s already exists: choose another path; nothing was written", *out)
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		it, err := findItem(c, pos[1])
		if err != nil {
			return err
		}
		a, err := c.ExportOriginal(bg, it.ID, *file, *out)
		if err != nil {
			return err
		}
		abs, _ := filepath.Abs(*out)
		fmt.Fprintf(e.stderr, "Wrote a DECRYPTED copy of exhibit %s to %s (SHA-256 %s matches the register).\nIt is no longer protected by CaseVault: keep it on an encrypted disk and delete it when done.\n", it.Exhibit, abs, a.SHA256)
		return nil
	})
}

func evidenceVerify(e *env, args []string) error {
	fs := newFlagSet(e, "evidence verify")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence verify", pos, 1, "one CASE"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		rep, err := c.VerifyEvidence(bg, "", nil)
		if err != nil {
			return err
		}
		if *asJSON {
			if err := writeJSON(e, rep); err != nil {
				return err
			}
		} else {
			for _, p := range rep.Problems {
				fmt.Fprintf(e.stdout, "PROBLEM  exhibit %s %s: %s — %s\n", p.Exhibit, p.File, p.Problem, p.Detail)
			}
		}
		if !rep.OK {
			return fmt.Errorf("%d of %d originals do not match the register: restore the case folder from a backup", len(rep.Problems), rep.Files)
		}
		fmt.Fprintf(e.stderr, "All %d originals (%s) match their SHA-256 in the register.\n", rep.Files, humanBytes(rep.Bytes))
		return nil
	})
}

func evidenceCustody(e *env, args []string) error {
	fs := newFlagSet(e, "evidence custody")
	event := fs.String("event", "", "received, transferred, examined, copied, returned, destroyed")
	who := fs.String("who", "", "who holds or handles it")
	place := fs.String("place", "", "where")
	purpose := fs.String("purpose", "", "why")
	note := fs.String("note", "", "note")
	check := fs.Bool("check", true, "re-hash the originals and record the result")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("evidence custody", pos, 2, "CASE and ITEM"); err != nil {
		return err
	}
	if *event == "" || *who == "" {
		return usagef("evidence custody needs --event and --who")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		it, err := findItem(c, pos[1])
		if err != nil {
			return err
		}
		return c.AddCustodyEvent(bg, it.ID, casefile.CustodyEvent{Event: *event, Who: *who, Place: *place, Purpose: *purpose, Note: *note}, *check)
	})
}
