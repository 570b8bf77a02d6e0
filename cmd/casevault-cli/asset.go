package main

import (
	"flag"
	"fmt"

	"casevault/casefile"
)

func cmdAsset(e *env, args []string) error {
	return subcommand("asset", args, map[string]func([]string) error{
		"add":    func(a []string) error { return assetAddEdit(e, a, false) },
		"edit":   func(a []string) error { return assetAddEdit(e, a, true) },
		"list":   func(a []string) error { return assetList(e, a, false) },
		"show":   func(a []string) error { return assetList(e, a, true) },
		"event":  func(a []string) error { return assetEvent(e, a) },
		"totals": func(a []string) error { return assetTotals(e, a) },
	})
}

type assetFlags struct {
	typ, description, identifier, owner, location, jurisdiction, value, currency, notes, status, date, order string
}

func (f *assetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.typ, "type", "", "bank-account, real-estate, vehicle, cash, cryptocurrency, business, valuables, other")
	fs.StringVar(&f.description, "description", "", "description")
	fs.StringVar(&f.identifier, "identifier", "", "account number, plate, address or wallet")
	fs.StringVar(&f.owner, "owner", "", "owner: the id of a person of the case")
	fs.StringVar(&f.location, "location", "", "where it is")
	fs.StringVar(&f.jurisdiction, "jurisdiction", "", "ISO 3166 country code")
	fs.StringVar(&f.value, "value", "", "estimated value, e.g. 125000.50")
	fs.StringVar(&f.currency, "currency", "", "ISO 4217 currency code, e.g. THB")
	fs.StringVar(&f.notes, "notes", "", "notes")
	fs.StringVar(&f.status, "status", "", "initial status (add only; default identified)")
	fs.StringVar(&f.date, "date", "", "date of the first event, YYYY-MM-DD (add only; default today)")
	fs.StringVar(&f.order, "order", "", "order reference of the first event (add only)")
}

func assetAddEdit(e *env, args []string, edit bool) error {
	name := map[bool]string{false: "asset add", true: "asset edit"}[edit]
	fs := newFlagSet(e, name)
	var f assetFlags
	f.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	want, names := 1, "one CASE"
	if edit {
		want, names = 2, "CASE and ASSET"
	}
	if err := positional(name, pos, want, names); err != nil {
		return err
	}
	set := visited(fs)
	if !edit && (f.typ == "" || f.description == "") {
		return usagef("asset add needs --type and --description")
	}
	if set["value"] != set["currency"] && !(edit && set["currency"]) {
		return usagef("--value and --currency go together")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		var a casefile.Asset
		if edit {
			if a, err = c.Asset(bg, pos[1]); err != nil {
				return err
			}
			if set["status"] {
				return usagef("the status changes with 'asset event'")
			}
		}
		for k, dst := range map[string]*string{"description": &a.Description, "identifier": &a.Identifier, "owner": &a.OwnerID, "location": &a.Location, "jurisdiction": &a.Jurisdiction, "notes": &a.Notes} {
			if set[k] {
				*dst = map[string]string{"description": f.description, "identifier": f.identifier, "owner": f.owner, "location": f.location, "jurisdiction": f.jurisdiction, "notes": f.notes}[k]
			}
		}
		if set["type"] {
			a.Type = casefile.AssetType(f.typ)
		}
		if set["status"] {
			a.Status = casefile.AssetStatus(f.status)
		}
		if !edit && (set["date"] || set["order"]) {
			d, err := dateFlag("date", f.date)
			if err != nil {
				return err
			}
			a.History = []casefile.AssetEvent{{Status: a.Status, Date: d, OrderRef: f.order}}
		}
		if set["value"] || set["currency"] {
			v := f.value
			if !set["value"] {
				v = a.Value.Amount()
			}
			if a.Value, err = casefile.ParseMoney(v, f.currency); err != nil {
				return err
			}
		}
		if edit {
			return c.UpdateAsset(bg, a)
		}
		id, err := c.AddAsset(bg, a)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, id)
		return nil
	})
}

func assetList(e *env, args []string, show bool) error {
	pos, asJSON, err := listOrShowArgs(e, "asset", "ASSET", show, args)
	if err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		if show {
			a, err := c.Asset(bg, pos[1])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e, a)
			}
			rows := [][]string{{"ID:", a.ID}, {"Type:", string(a.Type)}, {"Description:", a.Description}, {"Identifier:", a.Identifier},
				{"Owner:", a.OwnerName}, {"Location:", a.Location}, {"Jurisdiction:", a.Jurisdiction}, {"Value:", a.Value.String()}, {"Status:", string(a.Status)}}
			for _, ev := range a.History {
				rows = append(rows, []string{"Event:", fmt.Sprintf("%s %s %s %s", ev.Date, ev.Status, ev.OrderRef, ev.Authority)})
			}
			return table(e.stdout, "", rows)
		}
		assets, err := c.Assets(bg)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(e, assets)
		}
		var rows [][]string
		for _, a := range assets {
			rows = append(rows, []string{a.ID, string(a.Type), string(a.Status), a.Value.String(), a.OwnerName, a.Description})
		}
		return table(e.stdout, "ID\tTYPE\tSTATUS\tVALUE\tOWNER\tDESCRIPTION", rows)
	})
}

func assetEvent(e *env, args []string) error {
	fs := newFlagSet(e, "asset event")
	order := fs.String("order", "", "order reference")
	authority := fs.String("authority", "", "authority that made the order")
	pos, f, d, err := parseEvent(fs, "asset", "ASSET", "frozen, seized, confiscated, realised, returned, released", args)
	if err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		return c.AddAssetEvent(bg, pos[1], casefile.AssetEvent{Status: casefile.AssetStatus(f.status), Date: d, OrderRef: *order, Authority: *authority, Note: f.note})
	})
}

// assetTotals prints totals per status and currency for a case, or for the
// whole workspace when no case is given.
func assetTotals(e *env, args []string) (err error) {
	fs := newFlagSet(e, "asset totals")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("asset totals takes at most one CASE")
	}
	print := func(totals []casefile.Total) error {
		if *asJSON {
			return writeJSON(e, totals)
		}
		var rows [][]string
		for _, t := range totals {
			rows = append(rows, []string{string(t.Status), t.Currency, t.Amount, fmt.Sprint(t.Count)})
		}
		return table(e.stdout, "STATUS\tCURRENCY\tTOTAL\tASSETS", rows)
	}
	if len(pos) == 1 {
		return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
			totals, err := c.AssetTotals(bg)
			if err != nil {
				return err
			}
			return print(totals)
		})
	}
	w, err := openWorkspace(e)
	if err != nil {
		return err
	}
	defer closeWorkspace(w, &err)
	totals, err := w.AssetTotals()
	if err != nil {
		return err
	}
	return print(totals)
}
