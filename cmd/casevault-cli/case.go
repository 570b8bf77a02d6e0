package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"casevault/casefile"
)

func cmdCase(e *env, args []string) error {
	if len(args) == 0 {
		return usagef("case needs a subcommand: new, list, show, edit or delete")
	}
	switch args[0] {
	case "new":
		return cmdCaseNew(e, args[1:])
	case "list":
		return cmdCaseList(e, args[1:])
	case "show":
		return cmdCaseShow(e, args[1:])
	case "edit":
		return cmdCaseEdit(e, args[1:])
	case "delete":
		return cmdCaseDelete(e, args[1:])
	}
	return usagef("unknown case subcommand %q", args[0])
}

// listFlag collects a repeatable flag; each value may also be a comma list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// caseFlags are the flags of 'case new' and 'case edit'.
type caseFlags struct {
	ref, title, status, lead, opened, closed, summary string
	fastTrack                                         bool
	exploitation, jurisdictions, tags                 listFlag
}

func (f *caseFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.ref, "ref", "", "unit reference number (unique in the workspace)")
	fs.StringVar(&f.title, "title", "", "title")
	fs.StringVar(&f.status, "status", "", "intake, investigation, charged, trial, appeal or closed")
	fs.Var(&f.exploitation, "exploitation", "form of exploitation: sexual, labour, organ-removal, other (repeat or comma-separate)")
	fs.BoolVar(&f.fastTrack, "fast-track", false, "serious or aggravated case, fast-tracked")
	fs.Var(&f.jurisdictions, "jurisdiction", "COUNTRY:ROLE, e.g. TH:destination (repeat for several)")
	fs.StringVar(&f.lead, "lead", "", "lead prosecutor")
	fs.StringVar(&f.opened, "opened", "", "date opened, YYYY-MM-DD")
	fs.StringVar(&f.closed, "closed", "", "date closed, YYYY-MM-DD")
	fs.StringVar(&f.summary, "summary", "", "summary")
	fs.Var(&f.tags, "tag", "tag (repeat or comma-separate)")
}

// apply copies the flags that were given on the command line into ci.
func (f *caseFlags) apply(fs *flag.FlagSet, ci *casefile.CaseInfo) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if err != nil {
			return
		}
		switch fl.Name {
		case "ref":
			ci.Ref = f.ref
		case "title":
			ci.Title = f.title
		case "status":
			ci.Status = casefile.Status(f.status)
		case "exploitation":
			ci.Exploitation = nil
			for _, x := range f.exploitation {
				ci.Exploitation = append(ci.Exploitation, casefile.Exploitation(x))
			}
		case "fast-track":
			ci.FastTrack = f.fastTrack
		case "jurisdiction":
			ci.Jurisdictions = nil
			for _, s := range f.jurisdictions {
				j, perr := casefile.ParseJurisdiction(s)
				if perr != nil {
					err = perr
					return
				}
				ci.Jurisdictions = append(ci.Jurisdictions, j)
			}
		case "lead":
			ci.LeadProsecutor = f.lead
		case "opened":
			ci.Opened, err = casefile.ParseDate(f.opened)
		case "closed":
			ci.Closed, err = casefile.ParseDate(f.closed)
		case "summary":
			ci.Summary = f.summary
		case "tag":
			ci.Tags = f.tags
		}
	})
	return err
}

func cmdCaseNew(e *env, args []string) (err error) {
	fs := newFlagSet(e, "case new")
	var f caseFlags
	f.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("case new takes only flags, got %q", pos[0])
	}
	if f.ref == "" || f.title == "" {
		return usagef("case new needs --ref and --title")
	}
	var ci casefile.CaseInfo
	if err := f.apply(fs, &ci); err != nil {
		return err
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	c, err := w.CreateCase(context.Background(), ci)
	if err != nil {
		return err
	}
	reindex(e, w, c)
	fmt.Fprintln(e.stdout, c.ID())
	return nil
}

func cmdCaseList(e *env, args []string) (err error) {
	fs := newFlagSet(e, "case list")
	asJSON := fs.Bool("json", false, "print JSON")
	status := fs.String("status", "", "only cases with this status")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("case list takes no arguments")
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	all, err := w.Cases()
	if err != nil {
		return err
	}
	list := []casefile.CaseSummary{}
	for _, s := range all {
		if *status == "" || string(s.Status) == *status {
			list = append(list, s)
		}
	}
	if *asJSON {
		return writeJSON(e, list)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREF\tSTATUS\tFAST\tTITLE")
	for _, s := range list {
		fast := ""
		if s.FastTrack {
			fast = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Ref, s.Status, fast, s.Title)
	}
	return tw.Flush()
}

func cmdCaseShow(e *env, args []string) (err error) {
	fs := newFlagSet(e, "case show")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("case show needs one CASE")
	}
	var ci casefile.CaseInfo
	var origin *casefile.CaseOrigin
	err = withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) (err error) {
		if ci, err = c.Info(bg); err != nil {
			return err
		}
		origin, err = c.Origin(bg)
		return err
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e, struct {
			casefile.CaseInfo
			Origin *casefile.CaseOrigin `json:"origin,omitempty"`
		}{ci, origin})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	js := make([]string, len(ci.Jurisdictions))
	for i, j := range ci.Jurisdictions {
		js[i] = j.String()
	}
	ex := make([]string, len(ci.Exploitation))
	for i, x := range ci.Exploitation {
		ex[i] = string(x)
	}
	for _, row := range [][2]string{
		{"ID", ci.ID}, {"Reference", ci.Ref}, {"Title", ci.Title}, {"Status", string(ci.Status)},
		{"Fast-track", fmt.Sprint(ci.FastTrack)}, {"Exploitation", strings.Join(ex, ", ")},
		{"Jurisdictions", strings.Join(js, ", ")}, {"Lead prosecutor", ci.LeadProsecutor},
		{"Opened", ci.Opened.String()}, {"Closed", ci.Closed.String()}, {"Tags", strings.Join(ci.Tags, ", ")},
		{"Created", ci.Created.Format("2006-01-02 15:04 MST")}, {"Updated", ci.Updated.Format("2006-01-02 15:04 MST")},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", row[0], row[1])
	}
	if o := origin; o != nil {
		fmt.Fprintf(tw, "Received from:\t%s (%s), fingerprint %s, their case %s\n", o.SenderUnit, o.SenderCountry, o.SenderFingerprint, o.SenderRef)
		fmt.Fprintf(tw, "Bundle:\t%s, made %s, imported %s\n", o.BundleID, o.Created.Format("2006-01-02 15:04 MST"), o.Imported.Format("2006-01-02 15:04 MST"))
		if o.Purpose != "" || o.AnswersRequest != "" {
			fmt.Fprintf(tw, "Purpose:\t%s%s\n", o.Purpose, answersSuffix(o.AnswersRequest))
		}
		if o.NoRedisclosure {
			fmt.Fprintf(tw, "Re-disclosure:\tnot without the sender's consent\n")
		}
	}
	tw.Flush()
	if ci.Summary != "" {
		fmt.Fprintf(e.stdout, "\n%s\n", ci.Summary)
	}
	return nil
}

func cmdCaseEdit(e *env, args []string) (err error) {
	fs := newFlagSet(e, "case edit")
	var f caseFlags
	f.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("case edit needs one CASE")
	}
	if fs.NFlag() == 0 {
		return usagef("case edit needs at least one field flag (see 'casevault-cli help')")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		ci, err := c.Info(bg)
		if err != nil {
			return err
		}
		if err := f.apply(fs, &ci); err != nil {
			return err
		}
		return c.Update(bg, ci) // withCase re-indexes the changed case
	})
}

func cmdCaseDelete(e *env, args []string) (err error) {
	fs := newFlagSet(e, "case delete")
	yes := fs.Bool("yes", false, "do not ask for confirmation")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("case delete needs one CASE")
	}
	interactive := term.IsTerminal(int(e.stdin.Fd()))
	if !*yes && !interactive {
		return usagef("case delete destroys the case for good: add --yes to confirm")
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	id, err := w.ResolveCase(pos[0])
	if err != nil {
		return err
	}
	if !*yes {
		var ref string
		list, _ := w.Cases()
		for _, s := range list {
			if s.ID == id {
				ref = s.Ref
			}
		}
		fmt.Fprintf(e.stderr, "This destroys case %s and its key; no copy of its files can be opened again.\nType its reference to confirm: ", ref)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if strings.TrimSpace(line) != ref {
			return errors.New("the reference typed does not match; nothing was deleted")
		}
	}
	if err := w.DeleteCase(context.Background(), id); err != nil {
		return err
	}
	if ix, err := openIndex(e, w); err == nil {
		if err := ix.DeleteCase(context.Background(), id); err != nil {
			fmt.Fprintf(e.stderr, "warning: the case is deleted, but its entries stay in the search index (%v): run 'casevault-cli index rebuild'\n", err)
		}
		ix.Close()
	}
	fmt.Fprintf(e.stderr, "Deleted case %s.\n", id)
	return nil
}

func openCase(w *casefile.Workspace, key string) (*casefile.Case, error) {
	id, err := w.ResolveCase(key)
	if err != nil {
		return nil, err
	}
	return w.OpenCase(context.Background(), id)
}

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func answersSuffix(req string) string {
	if req == "" {
		return ""
	}
	return " (answers " + req + ")"
}
