package main

import (
	"fmt"
	"strings"

	"casevault/casefile"
)

func cmdNote(e *env, args []string) error {
	return subcommand("note", args, map[string]func([]string) error{
		"add":  func(a []string) error { return noteAdd(e, a) },
		"edit": func(a []string) error { return noteEdit(e, a) },
		"list": func(a []string) error { return noteList(e, a) },
	})
}

func noteAdd(e *env, args []string) error {
	fs := newFlagSet(e, "note add")
	on := fs.String("on", "", "id of the person, asset or request (default: the case)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("note add needs CASE and the TEXT")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		id, err := c.AddNote(bg, *on, strings.Join(pos[1:], " "))
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, id)
		return nil
	})
}

func noteEdit(e *env, args []string) error {
	fs := newFlagSet(e, "note edit")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 3 {
		return usagef("note edit needs CASE, NOTE and the new TEXT")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		return c.UpdateNote(bg, pos[1], strings.Join(pos[2:], " "))
	})
}

func noteList(e *env, args []string) error {
	fs := newFlagSet(e, "note list")
	on := fs.String("on", "", "only notes on this person, asset or request")
	all := fs.Bool("all", false, "every note of the case")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("note list", pos, 1, "one CASE"); err != nil {
		return err
	}
	target := *on
	if *all {
		target = "*"
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		notes, err := c.Notes(bg, target)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, notes)
		}
		for _, n := range notes {
			on := "case"
			if n.TargetID != "" {
				on = n.TargetID
			}
			fmt.Fprintf(e.stdout, "%s  %s  %s  on %s\n%s\n\n", n.ID, fmtTime(n.Created), n.Author, on, n.Text)
		}
		return nil
	})
}
