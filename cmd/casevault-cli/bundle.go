package main

import (
	"context"
	"fmt"
	"os"

	"casevault/casefile"
	"casevault/crypto"
)

func cmdBundle(e *env, args []string) error {
	return subcommand("bundle", args, map[string]func([]string) error{
		"inspect": func(a []string) error { return bundleInspect(e, a) },
	})
}

// bundleInspect decrypts and verifies a bundle and shows its manifest,
// without importing anything. Exit status 1 if it does not verify.
func bundleInspect(e *env, args []string) (err error) {
	fs := newFlagSet(e, "bundle inspect")
	pass := fs.Bool("passphrase", false, "the bundle was made for a one-time passphrase ($CASEVAULT_BUNDLE_PASSPHRASE or asked)")
	asJSON := fs.Bool("json", false, "print as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("bundle inspect", pos, 1, "a bundle FILE"); err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return fmt.Errorf("cannot read the bundle: %w", err)
	}
	defer f.Close()
	var p []byte
	if *pass {
		if p, err = readSecret(e, "CASEVAULT_BUNDLE_PASSPHRASE", "Bundle passphrase: "); err != nil {
			return err
		}
		defer crypto.Wipe(p)
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	insp, err := w.InspectBundle(context.Background(), f, p)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(e, insp); err != nil {
			return err
		}
	} else {
		printInspection(e, insp)
	}
	if !insp.Verified {
		return fmt.Errorf("the bundle does not verify: %s", insp.Problem)
	}
	return nil
}

func printInspection(e *env, insp *casefile.BundleInspection) {
	m := insp.Manifest
	yes := func(b bool, y, n string) string {
		if b {
			return y
		}
		return n
	}
	signer := "NOT among the contacts"
	if insp.SenderKnown {
		signer = yes(insp.SenderVerified, "a verified contact", "a contact, not verified")
	}
	to := "a one-time passphrase"
	if !m.Passphrase {
		to = ""
		for i, r := range m.Recipients {
			if i > 0 {
				to += ", "
			}
			to += fmt.Sprintf("%s (%s) %s", r.Unit, r.Country, r.Fingerprint)
		}
	}
	var total int64
	for _, mb := range m.Members {
		total += mb.Size
	}
	lines := [][2]string{
		{"bundle", m.BundleID}, {"created", fmtTime(m.Created)},
		{"case", fmt.Sprintf("%s — %s (sender's id %s)", m.Case.Ref, m.Case.Title, m.Case.ID)},
		{"sender", fmt.Sprintf("%s (%s), focal point %s", m.Sender.Unit, m.Sender.Country, m.Sender.FocalPoint)},
		{"fingerprint", insp.SenderFingerprint + " — " + signer},
		{"signature", "valid (SSH signature, namespace casevault-bundle)"},
		{"recipients", to}, {"for this workspace", yes(insp.ForThisWorkspace, "yes", "NO")},
		{"purpose", m.Purpose}, {"answers request", m.AnswersRequest},
		{"re-disclosure", yes(m.NoRedisclosure, "NOT without the sender's consent", "not restricted")},
		{"protected identities", yes(m.ProtectedIncluded, "INCLUDED", "withheld (pseudonyms only)")},
		{"audit checkpoint", fmt.Sprintf("%d entries, head %s", m.Checkpoint.Size, m.Checkpoint.Head)},
		{"members", fmt.Sprintf("%d files, %s", len(m.Members), humanBytes(total))},
		{"verified", yes(insp.Verified, "every member matches the manifest", "NO: "+insp.Problem)},
	}
	for _, l := range lines {
		if l[1] != "" {
			fmt.Fprintf(e.stdout, "%-21s %s\n", l[0]+":", l[1])
		}
	}
}
