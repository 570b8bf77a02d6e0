package main

import (
	"fmt"

	"casevault/casefile"
)

func cmdDeadline(e *env, args []string) error {
	return subcommand("deadline", args, map[string]func([]string) error{
		"add":  func(a []string) error { return deadlineAdd(e, a) },
		"list": func(a []string) error { return deadlineList(e, a) },
		"done": func(a []string) error { return deadlineDone(e, a) },
	})
}

func deadlineAdd(e *env, args []string) error {
	fs := newFlagSet(e, "deadline add")
	kind := fs.String("kind", "task", "hearing, custody-limit, limitation, protection-review, request-deadline, task")
	title := fs.String("title", "", "what is due")
	due := fs.String("due", "", "date YYYY-MM-DD")
	target := fs.String("target", "", "id of the person, asset or request it concerns")
	notes := fs.String("notes", "", "notes")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("deadline add", pos, 1, "one CASE"); err != nil {
		return err
	}
	if *title == "" || *due == "" {
		return usagef("deadline add needs --title and --due")
	}
	d, err := dateFlag("due", *due)
	if err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		id, err := c.AddDeadline(bg, casefile.Deadline{Kind: casefile.DeadlineKind(*kind), Title: *title, Due: d, TargetID: *target, Notes: *notes})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, id)
		return nil
	})
}

// deadlineList lists what is due: for one case (all its deadlines), or for
// the whole workspace (open ones due within --due, overdue included).
func deadlineList(e *env, args []string) (err error) {
	fs := newFlagSet(e, "deadline list")
	asJSON := fs.Bool("json", false, "print JSON")
	within := fs.String("due", "30d", "due within: days (14d), weeks (2w) or until a date")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("deadline list takes at most one CASE")
	}
	until, err := parseDue(*within)
	if err != nil {
		return err
	}
	print := func(ds []casefile.Deadline) error {
		if *asJSON {
			return writeJSON(e, ds)
		}
		today := casefile.Today()
		var rows [][]string
		for _, d := range ds {
			state := ""
			switch {
			case d.Done:
				state = "done"
			case d.Overdue(today):
				state = "OVERDUE"
			}
			rows = append(rows, []string{d.Due.String(), state, d.CaseRef, string(d.Kind), d.Title, d.ID})
		}
		return table(e.stdout, "DUE\tSTATE\tCASE\tKIND\tTITLE\tID", rows)
	}
	if len(pos) == 1 {
		return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
			all, err := c.Deadlines(bg)
			if err != nil {
				return err
			}
			out := []casefile.Deadline{}
			for _, d := range all {
				if !d.Due.Time().After(until.Time()) {
					out = append(out, d)
				}
			}
			return print(out)
		})
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	ds, err := w.Due(until)
	if err != nil {
		return err
	}
	return print(ds)
}

func deadlineDone(e *env, args []string) error {
	fs := newFlagSet(e, "deadline done")
	undo := fs.Bool("undo", false, "mark it not done")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("deadline done", pos, 2, "CASE and DEADLINE"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		all, err := c.Deadlines(bg)
		if err != nil {
			return err
		}
		for _, d := range all {
			if d.ID == pos[1] {
				d.Done = !*undo
				return c.UpdateDeadline(bg, d)
			}
		}
		return fmt.Errorf("deadline %q %w in this case", pos[1], casefile.ErrNotFound)
	})
}
