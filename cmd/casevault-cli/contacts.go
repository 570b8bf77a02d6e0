package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"casevault/casefile"
)

func cmdContacts(e *env, args []string) error {
	return subcommand("contacts", args, map[string]func([]string) error{
		"card":   func(a []string) error { return contactsCard(e, a) },
		"add":    func(a []string) error { return contactsAdd(e, a) },
		"list":   func(a []string) error { return contactsList(e, a) },
		"show":   func(a []string) error { return contactsShow(e, a) },
		"verify": func(a []string) error { return contactsVerify(e, a) },
		"remove": func(a []string) error { return contactsRemove(e, a) },
	})
}

// contactsCard prints this workspace's card; with --unit, --country or
// --focal-point it sets them first.
func contactsCard(e *env, args []string) (err error) {
	fs := newFlagSet(e, "contacts card")
	unit := fs.String("unit", "", "this unit's name")
	country := fs.String("country", "", "this unit's country (ISO code)")
	focal := fs.String("focal-point", "", "the unit's focal point")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("contacts card", pos, 0, "no arguments"); err != nil {
		return err
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	if set := visited(fs); len(set) > 0 {
		cur, err := w.Card()
		if err != nil {
			return err
		}
		u, c, f := cur.Unit, cur.Country, cur.FocalPoint
		if set["unit"] {
			u = *unit
		}
		if set["country"] {
			c = *country
		}
		if set["focal-point"] {
			f = *focal
		}
		if err := w.SetCardDetails(u, c, f); err != nil {
			return err
		}
	}
	text, err := w.CardText()
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(text)
	return err
}

func contactsAdd(e *env, args []string) (err error) {
	fs := newFlagSet(e, "contacts add")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("contacts add", pos, 1, "a card FILE (or - for standard input)"); err != nil {
		return err
	}
	var r io.Reader = e.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("cannot read the card: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return fmt.Errorf("cannot read the card: %w", err)
	}
	card, err := casefile.ParseContactCard(data)
	if err != nil {
		return err
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	ct, err := w.AddContact(card)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s (%s)\nfingerprint %s\n", ct.Unit, ct.Country, ct.Fingerprint)
	fmt.Fprintf(e.stderr, "added, not verified: read the fingerprint to %s over the phone, then run 'casevault-cli contacts verify %s'\n", ct.Unit, ct.Fingerprint)
	return nil
}

func contactsList(e *env, args []string) (err error) {
	fs := newFlagSet(e, "contacts list")
	asJSON := fs.Bool("json", false, "print as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("contacts list", pos, 0, "no arguments"); err != nil {
		return err
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	cs, err := w.Contacts()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, cs)
	}
	var rows [][]string
	for _, c := range cs {
		v := "no"
		if c.Verified {
			v = "yes"
		}
		rows = append(rows, []string{c.Fingerprint, c.Country, v, c.Unit})
	}
	return table(e.stdout, "FINGERPRINT\tCOUNTRY\tVERIFIED\tUNIT", rows)
}

func contactsShow(e *env, args []string) error {
	return withContact(e, "contacts show", args, func(w *casefile.Workspace, key string) error {
		ct, err := w.FindContact(key)
		if err != nil {
			return err
		}
		printContact(e, ct)
		return nil
	})
}

func contactsVerify(e *env, args []string) error {
	return withContact(e, "contacts verify", args, func(w *casefile.Workspace, key string) error {
		ct, err := w.VerifyContact(key)
		if err != nil {
			return err
		}
		printContact(e, ct)
		return nil
	})
}

func contactsRemove(e *env, args []string) error {
	return withContact(e, "contacts remove", args, func(w *casefile.Workspace, key string) error {
		ct, err := w.RemoveContact(key)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "removed %s (%s), fingerprint %s\n", ct.Unit, ct.Country, ct.Fingerprint)
		return nil
	})
}

func withContact(e *env, cmd string, args []string, fn func(w *casefile.Workspace, key string) error) (err error) {
	fs := newFlagSet(e, cmd)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(cmd, pos, 1, "a CONTACT (fingerprint, a prefix of it, or the unit name)"); err != nil {
		return err
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	return fn(w, pos[0])
}

func printContact(e *env, ct casefile.Contact) {
	v := "NOT verified: compare the fingerprint with the unit by phone or in person"
	if ct.Verified && ct.VerifiedAt != nil {
		v = "verified " + fmtTime(*ct.VerifiedAt)
	}
	lines := [][2]string{{"unit", ct.Unit}, {"country", ct.Country}, {"focal point", ct.FocalPoint}, {"fingerprint", ct.Fingerprint},
		{"status", v}, {"added", fmtTime(ct.Added)}, {"age recipient", ct.Recipient}, {"post-quantum", shortKey(ct.PQRecipient)}, {"signing key", ct.SigningKey}}
	for _, l := range lines {
		if l[1] != "" {
			fmt.Fprintf(e.stdout, "%-14s %s\n", l[0]+":", l[1])
		}
	}
}

func shortKey(s string) string {
	if len(s) > 40 {
		return s[:20] + "…" + s[len(s)-12:]
	}
	return strings.TrimSpace(s)
}
