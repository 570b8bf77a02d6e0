package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"

	"casevault/casefile"
	"casevault/crypto"
)

// cmdImport imports a bundle as a new case, or as an update of the case a
// bundle of the same sender's case made earlier, and prints the case id
// alone on stdout; what it verified and what changed go to stderr.
func cmdImport(e *env, args []string) (err error) {
	fs := newFlagSet(e, "import")
	trust := fs.Bool("trust", false, "accept a signer that is not among the contacts (check its fingerprint with the sender first)")
	pass := fs.Bool("passphrase", false, "the bundle was made for a one-time passphrase ($CASEVAULT_BUNDLE_PASSPHRASE or asked)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("import", pos, 1, "a bundle FILE"); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("cannot read the bundle: %w", err)
	}
	defer f.Close()
	opts := casefile.BundleImportOptions{Trust: *trust}
	if *pass {
		p, err := readSecret(e, "CASEVAULT_BUNDLE_PASSPHRASE", "Bundle passphrase: ")
		if err != nil {
			return err
		}
		defer crypto.Wipe(p)
		opts.Passphrase = p
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := w.ImportBundle(ctx, f, opts)
	var ue *casefile.UnknownSignerError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "signer: %s (%s)\nfingerprint: %s\n", ue.Sender.Unit, ue.Sender.Country, ue.Fingerprint)
	}
	if err != nil {
		return err
	}
	if c, err := w.OpenCase(ctx, res.CaseID); err == nil {
		reindex(e, w, c)
	}
	if *asJSON {
		return writeJSON(e, res)
	}
	fmt.Fprintln(e.stdout, res.CaseID)
	m := res.Manifest
	status := "a verified contact"
	switch {
	case !res.SenderKnown:
		status = "NOT a contact (trusted for this import with --trust)"
	case !res.SenderVerified:
		status = "a contact, not verified"
	}
	verb := "imported"
	if res.Update != nil {
		verb = "updated"
	}
	fmt.Fprintf(e.stderr, "%s case %s (%s) from %s (%s), fingerprint %s: %s\nbundle %s made %s; %d evidence items, every file matched its SHA-256\n",
		verb, res.Ref, res.CaseID, m.Sender.Unit, m.Sender.Country, res.SenderFingerprint, status, m.BundleID, fmtTime(m.Created), res.Evidence)
	if m.NoRedisclosure {
		fmt.Fprintln(e.stderr, "marked: do not re-disclose without the sender's consent")
	}
	if u := res.Update; u != nil {
		printUpdate(e, u)
	}
	return nil
}

// printUpdate says what a later bundle changed in the case it updated.
func printUpdate(e *env, u *casefile.BundleUpdate) {
	fmt.Fprintf(e.stderr, "this bundle updates the case received earlier (%d local changes since the last bundle, none overwritten)", u.LocalChanges)
	if len(u.Changes) == 0 && u.NewFiles == 0 {
		fmt.Fprintln(e.stderr, ": nothing changed")
		return
	}
	fmt.Fprintln(e.stderr, ":")
	if u.NewFiles > 0 {
		fmt.Fprintf(e.stderr, "  %d new evidence files\n", u.NewFiles)
	}
	for _, ch := range u.Changes {
		fmt.Fprintln(e.stderr, "  "+ch.String())
		for _, cf := range ch.Conflicts {
			line := fmt.Sprintf("    conflict on %s %s: %s", ch.Kind, cf.ID, cf.How)
			if cf.Copy != "" && cf.Copy != cf.ID {
				line += " (" + cf.Copy + ")"
			}
			fmt.Fprintln(e.stderr, line)
		}
		for _, id := range ch.Kept {
			fmt.Fprintf(e.stderr, "    %s %s: no longer in the sender's bundle, kept here\n", ch.Kind, id)
		}
	}
}
