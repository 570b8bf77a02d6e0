package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"casevault/casefile"
)

// withCase opens the workspace and the case named by key, runs fn, and
// saves and closes everything.
func withCase(e *env, key string, fn func(w *casefile.Workspace, c *casefile.Case) error) (err error) {
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	c, err := openCase(w, key)
	if err != nil {
		return err
	}
	if err := fn(w, c); err != nil {
		return err
	}
	if c.Dirty() {
		reindex(e, w, c)
	}
	return nil
}

// subcommand dispatches "NOUN VERB ..." to the handler for VERB.
func subcommand(noun string, args []string, verbs map[string]func([]string) error) error {
	if len(args) == 0 {
		return usagef("%s needs a subcommand: %s", noun, verbList(verbs))
	}
	fn, ok := verbs[args[0]]
	if !ok {
		return usagef("unknown %s subcommand %q (%s)", noun, args[0], verbList(verbs))
	}
	return fn(args[1:])
}

func verbList(verbs map[string]func([]string) error) string {
	var v []string
	for k := range verbs {
		v = append(v, k)
	}
	return strings.Join(sortedStrings(v), ", ")
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// positional checks the count of positional arguments.
func positional(cmd string, pos []string, n int, names string) error {
	if len(pos) != n {
		return usagef("%s needs %s", cmd, names)
	}
	return nil
}

// dateFlag parses an optional date flag.
func dateFlag(name, v string) (casefile.Date, error) {
	d, err := casefile.ParseDate(v)
	if err != nil {
		return d, fmt.Errorf("--%s: %v", name, err)
	}
	return d, nil
}

// parseDue reads "30d", "2w" or a date.
func parseDue(s string) (casefile.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return casefile.Today().AddDays(30), nil
	}
	if n, unit := strings.TrimRight(s, "dw"), strings.TrimLeft(s, "0123456789"); n != "" && (unit == "d" || unit == "w") {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && days >= 0 && days < 100000 {
			if unit == "w" {
				days *= 7
			}
			return casefile.Today().AddDays(days), nil
		}
	}
	d, err := casefile.ParseDate(s)
	if err != nil || d.IsZero() {
		return d, usagef("--due takes a number of days like 14d, weeks like 2w, or a date YYYY-MM-DD; got %q", s)
	}
	return d, nil
}

func table(w io.Writer, header string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func visited(fs *flag.FlagSet) map[string]bool {
	m := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { m[f.Name] = true })
	return m
}

var bg = context.Background()

func fmtTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

// listOrShowArgs parses "NOUN list CASE" or "NOUN show CASE ID", both
// with --json.
func listOrShowArgs(e *env, noun, item string, show bool, args []string) (pos []string, asJSON bool, err error) {
	name, want, names := noun+" list", 1, "one CASE"
	if show {
		name, want, names = noun+" show", 2, "CASE and "+item
	}
	fs := newFlagSet(e, name)
	j := fs.Bool("json", false, "print JSON")
	if pos, err = parseFlags(fs, args); err != nil {
		return nil, false, err
	}
	return pos, *j, positional(name, pos, want, names)
}

// eventFlags are the flags shared by "asset event" and "request event".
type eventFlags struct {
	status, date, note string
}

// parseEvent registers the shared event flags on fs (plus any the caller
// added), parses "NOUN event CASE ID ...", and returns the positional
// arguments and the event date.
func parseEvent(fs *flag.FlagSet, noun, item, statuses string, args []string) (pos []string, f eventFlags, d casefile.Date, err error) {
	fs.StringVar(&f.status, "status", "", statuses)
	fs.StringVar(&f.date, "date", "", "date YYYY-MM-DD (default today)")
	fs.StringVar(&f.note, "note", "", "note")
	if pos, err = parseFlags(fs, args); err != nil {
		return nil, f, d, err
	}
	if err = positional(noun+" event", pos, 2, "CASE and "+item); err != nil {
		return nil, f, d, err
	}
	if f.status == "" {
		return nil, f, d, usagef("%s event needs --status", noun)
	}
	d, err = dateFlag("date", f.date)
	return pos, f, d, err
}
