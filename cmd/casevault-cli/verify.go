package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"casevault/casefile"
)

func cmdVerify(e *env, args []string) (err error) {
	fs := newFlagSet(e, "verify")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("verify takes no arguments")
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	rep, err := w.Verify(context.Background())
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(e, rep); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintf(e.stdout, "PROBLEM  %s\n", p)
		}
		for _, c := range rep.Cases {
			if c.OK {
				fmt.Fprintf(e.stdout, "ok       %s %s (save %d, %d audit entries)\n", c.ID, c.Ref, c.Generation, c.Audit.Entries)
			} else {
				fmt.Fprintf(e.stdout, "PROBLEM  %s %s: %s\n", c.ID, c.Ref, c.Problem)
			}
		}
	}
	if !rep.OK {
		n := len(rep.Problems)
		for _, c := range rep.Cases {
			if !c.OK {
				n++
			}
		}
		return fmt.Errorf("verification found %d problem(s); see above, and restore the files named from a backup", n)
	}
	fmt.Fprintf(e.stderr, "Verified %d case(s): everything is intact.\n", len(rep.Cases))
	return nil
}

func cmdAudit(e *env, args []string) (err error) {
	fs := newFlagSet(e, "audit")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("audit needs one CASE")
	}
	var entries []casefile.AuditEntry
	var rep casefile.ChainReport
	err = withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) (err error) {
		entries, rep, err = c.Audit(bg)
		return err
	})
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(e, map[string]any{"entries": entries, "verification": rep}); err != nil {
			return err
		}
	} else {
		for _, en := range entries {
			fmt.Fprintf(e.stdout, "%5d  %s  %-12s %-14s %s  %s\n", en.Seq, en.Time.Format("2006-01-02 15:04:05Z"), en.Actor, en.Action, en.Target, strings.ReplaceAll(en.Details, "\n", " "))
		}
	}
	if !rep.OK {
		return errors.New("the audit chain does not verify: " + rep.Problem)
	}
	fmt.Fprintf(e.stderr, "Audit chain verifies: %d entries, head %s.\n", rep.Entries, shortHash(rep.Head))
	return nil
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16]
	}
	return h
}
