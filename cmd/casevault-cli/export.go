package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"casevault/casefile"
	"casevault/crypto"
)

// cmdExport writes a bundle of a case for contacts (or a one-time
// passphrase), after the leak check: with hits it stops unless
// --accept-leaks.
func cmdExport(e *env, args []string) error {
	fs := newFlagSet(e, "export")
	var to, evidence, people, assets, requests listFlag
	fs.Var(&to, "to", "a contact to send to (fingerprint, prefix or unit name); repeat for several")
	out := fs.String("out", "", "the bundle file to write")
	pass := fs.Bool("passphrase", false, "encrypt to a one-time passphrase ($CASEVAULT_BUNDLE_PASSPHRASE or asked) instead of contacts")
	fs.Var(&evidence, "evidence", "only these evidence items (ids or exhibit numbers; 'none' for none)")
	fs.Var(&people, "people", "only these people (ids; 'none' for none)")
	fs.Var(&assets, "assets", "only these assets (ids; 'none' for none)")
	fs.Var(&requests, "requests", "only these requests (ids; 'none' for none)")
	noNotes := fs.Bool("no-notes", false, "leave every note out")
	includeProtected := fs.Bool("include-protected", false, "send protected people's real identities (default: pseudonyms only)")
	purpose := fs.String("purpose", "", "why the bundle is sent")
	answers := fs.String("answers", "", "the partner's request this bundle answers (their reference)")
	noRedisclose := fs.Bool("no-redisclose", false, "mark the bundle: not to be re-disclosed without consent")
	acceptLeaks := fs.Bool("accept-leaks", false, "send even though the leak check found protected identities (after reading the list)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("export", pos, 1, "CASE"); err != nil {
		return err
	}
	if *out == "" {
		return usagef("export needs --out FILE")
	}
	if *pass == (len(to) > 0) {
		return usagef("export needs --to CONTACT (one or more) or --passphrase, not both")
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s already exists: choose another --out, or remove it first", *out)
	}
	set := visited(fs)
	sel := func(name string, l listFlag) []string {
		if !set[name] {
			return nil
		}
		if len(l) == 1 && l[0] == "none" {
			return []string{}
		}
		return l
	}
	opts := casefile.ExportOptions{
		Evidence: sel("evidence", evidence), People: sel("people", people), Assets: sel("assets", assets), Requests: sel("requests", requests),
		NoNotes: *noNotes, IncludeProtected: *includeProtected, Purpose: *purpose, AnswersRequest: *answers, NoRedisclosure: *noRedisclose,
	}
	if *pass {
		p, err := readNewSecret(e, "CASEVAULT_BUNDLE_PASSPHRASE")
		if err != nil {
			return err
		}
		defer crypto.Wipe(p)
		opts.Passphrase = p
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var res *casefile.ExportResult
	err = withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		for _, key := range to {
			ct, err := w.FindContact(key)
			if err != nil {
				return err
			}
			if !ct.Verified {
				fmt.Fprintf(e.stderr, "warning: %s (%s) is not verified: its fingerprint %s was never checked with the unit\n", ct.Unit, ct.Country, ct.Fingerprint)
			}
			opts.Recipients = append(opts.Recipients, ct)
		}
		hits, err := c.LeakCheck(ctx, opts)
		if err != nil {
			return err
		}
		if len(hits) > 0 {
			fmt.Fprintf(e.stderr, "leak check: %d place(s) where a protected person's identity appears in what would be sent:\n", len(hits))
			for _, h := range hits {
				fmt.Fprintf(e.stderr, "  %s\n", h)
			}
			if !*acceptLeaks {
				return fmt.Errorf("no bundle was made: %d possible leak(s) of protected identities (listed above); leave those items out (--evidence, --no-notes, ...) or, having read the list, pass --accept-leaks", len(hits))
			}
		}
		res, err = c.ExportFile(ctx, *out, false, opts)
		return err
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, res)
	}
	m := res.Manifest
	to2 := "one-time passphrase"
	if !m.Passphrase {
		var names []string
		for _, r := range m.Recipients {
			names = append(names, r.Unit)
		}
		to2 = strings.Join(names, ", ")
	}
	fmt.Fprintf(e.stdout, "bundle %s written to %s\ncase %s: %d evidence items, %d people, %d files, %s\nencrypted (%s) to %s\nsigned by %s, fingerprint %s\n",
		m.BundleID, *out, m.Case.Ref, res.Evidence, res.People, res.Files, humanBytes(res.Bytes), res.Encrypted, to2, m.Sender.Unit, m.SenderFingerprint)
	return nil
}
