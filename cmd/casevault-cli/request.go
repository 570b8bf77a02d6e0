package main

import (
	"flag"
	"fmt"
	"strings"

	"casevault/casefile"
)

func cmdRequest(e *env, args []string) error {
	return subcommand("request", args, map[string]func([]string) error{
		"add":   func(a []string) error { return requestAddEdit(e, a, false) },
		"edit":  func(a []string) error { return requestAddEdit(e, a, true) },
		"list":  func(a []string) error { return requestList(e, a, false) },
		"show":  func(a []string) error { return requestList(e, a, true) },
		"event": func(a []string) error { return requestEvent(e, a) },
	})
}

type requestFlags struct {
	kind, country, authority, focal, basis, ourRef, theirRef, subject, deadline, notes, status string
	links                                                                                      listFlag
}

func (f *requestFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.kind, "kind", "", "mla-outgoing, mla-incoming, extradition, jit, interpol, police, other")
	fs.StringVar(&f.country, "country", "", "counterpart country, ISO 3166 code")
	fs.StringVar(&f.authority, "authority", "", "counterpart authority")
	fs.StringVar(&f.focal, "focal-point", "", "focal point")
	fs.StringVar(&f.basis, "legal-basis", "", "treaty or arrangement")
	fs.StringVar(&f.ourRef, "our-ref", "", "our reference")
	fs.StringVar(&f.theirRef, "their-ref", "", "their reference")
	fs.StringVar(&f.subject, "subject", "", "subject")
	fs.StringVar(&f.deadline, "deadline", "", "deadline YYYY-MM-DD")
	fs.StringVar(&f.notes, "notes", "", "notes")
	fs.StringVar(&f.status, "status", "", "initial status (add only; default drafting)")
	fs.Var(&f.links, "link", "person:ID or asset:ID concerned (repeat)")
}

func requestAddEdit(e *env, args []string, edit bool) error {
	name := map[bool]string{false: "request add", true: "request edit"}[edit]
	fs := newFlagSet(e, name)
	var f requestFlags
	f.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	want, names := 1, "one CASE"
	if edit {
		want, names = 2, "CASE and REQUEST"
	}
	if err := positional(name, pos, want, names); err != nil {
		return err
	}
	if !edit && (f.kind == "" || f.country == "") {
		return usagef("request add needs --kind and --country")
	}
	set := visited(fs)
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		var r casefile.Request
		if edit {
			if r, err = c.Request(bg, pos[1]); err != nil {
				return err
			}
			if set["status"] {
				return usagef("the status changes with 'request event'")
			}
		}
		vals := map[string]string{"country": f.country, "authority": f.authority, "focal-point": f.focal, "legal-basis": f.basis, "our-ref": f.ourRef, "their-ref": f.theirRef, "subject": f.subject, "notes": f.notes}
		for k, dst := range map[string]*string{"country": &r.Country, "authority": &r.Authority, "focal-point": &r.FocalPoint, "legal-basis": &r.LegalBasis, "our-ref": &r.OurRef, "their-ref": &r.TheirRef, "subject": &r.Subject, "notes": &r.Notes} {
			if set[k] {
				*dst = vals[k]
			}
		}
		if set["kind"] {
			r.Kind = casefile.RequestKind(f.kind)
		}
		if set["status"] {
			r.Status = casefile.RequestStatus(f.status)
		}
		if set["deadline"] {
			if r.Deadline, err = dateFlag("deadline", f.deadline); err != nil {
				return err
			}
		}
		if set["link"] {
			r.Links = nil
			for _, l := range f.links {
				k, id, ok := strings.Cut(l, ":")
				if !ok {
					return usagef("--link takes person:ID or asset:ID, got %q", l)
				}
				r.Links = append(r.Links, casefile.Link{Kind: k, ID: id})
			}
		}
		if edit {
			return c.UpdateRequest(bg, r)
		}
		id, err := c.AddRequest(bg, r)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, id)
		return nil
	})
}

func requestList(e *env, args []string, show bool) error {
	pos, asJSON, err := listOrShowArgs(e, "request", "REQUEST", show, args)
	if err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		if show {
			r, err := c.Request(bg, pos[1])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e, r)
			}
			rows := [][]string{{"ID:", r.ID}, {"Kind:", string(r.Kind)}, {"Country:", casefile.CountryName(r.Country) + " (" + r.Country + ")"},
				{"Authority:", r.Authority}, {"Focal point:", r.FocalPoint}, {"Legal basis:", r.LegalBasis}, {"Our ref:", r.OurRef},
				{"Their ref:", r.TheirRef}, {"Subject:", r.Subject}, {"Status:", string(r.Status)}, {"Deadline:", r.Deadline.String()}}
			for _, l := range r.Links {
				rows = append(rows, []string{"Concerns:", l.Kind + " " + l.ID})
			}
			for _, ev := range r.History {
				rows = append(rows, []string{"Event:", ev.Date.String() + " " + string(ev.Status) + " " + ev.Note})
			}
			return table(e.stdout, "", rows)
		}
		rs, err := c.Requests(bg)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(e, rs)
		}
		var rows [][]string
		for _, r := range rs {
			rows = append(rows, []string{r.ID, string(r.Kind), r.Country, string(r.Status), r.Deadline.String(), r.OurRef, r.Subject})
		}
		return table(e.stdout, "ID\tKIND\tCOUNTRY\tSTATUS\tDEADLINE\tOUR REF\tSUBJECT", rows)
	})
}

func requestEvent(e *env, args []string) error {
	fs := newFlagSet(e, "request event")
	pos, f, d, err := parseEvent(fs, "request", "REQUEST", "sent, acknowledged, partially-executed, executed, refused, withdrawn", args)
	if err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		return c.AddRequestEvent(bg, pos[1], casefile.RequestEvent{Status: casefile.RequestStatus(f.status), Date: d, Note: f.note})
	})
}
