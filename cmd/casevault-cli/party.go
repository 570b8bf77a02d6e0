package main

import (
	"flag"
	"fmt"
	"strings"

	"casevault/casefile"
	"casevault/crypto"
)

func cmdParty(e *env, args []string) error {
	return subcommand("party", args, map[string]func([]string) error{
		"add":    func(a []string) error { return partyAddEdit(e, a, false) },
		"edit":   func(a []string) error { return partyAddEdit(e, a, true) },
		"list":   func(a []string) error { return partyList(e, a) },
		"show":   func(a []string) error { return partyShow(e, a, false) },
		"reveal": func(a []string) error { return partyShow(e, a, true) },
		"delete": func(a []string) error { return partyDelete(e, a) },
	})
}

type partyFlags struct {
	roles, aliases, languages, documents, charges, exploitation, services, measures listFlag
	name, sex, birth, nationality, contact, notes, custody, custodyLimit            string
	regNumber, regCountry, agency, position, pseudonym, risk, order, start, review  string
	nonPunishment, repatriation, claimed, awarded, currency                         string
	ageMin, ageMax                                                                  int
	interpreter, protected, unprotect                                               bool
}

func (f *partyFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.roles, "role", "victim, witness, suspect, defendant, legal-person, official, informant, expert, interpreter (repeat)")
	fs.StringVar(&f.name, "name", "", "full name (any script)")
	fs.Var(&f.aliases, "alias", "alias (repeat)")
	fs.StringVar(&f.sex, "sex", "", "female, male or other")
	fs.StringVar(&f.birth, "birth", "", "date of birth YYYY-MM-DD")
	fs.IntVar(&f.ageMin, "age-min", 0, "age range, lower bound")
	fs.IntVar(&f.ageMax, "age-max", 0, "age range, upper bound")
	fs.StringVar(&f.nationality, "nationality", "", "ISO 3166 country code")
	fs.Var(&f.languages, "language", "language spoken (repeat)")
	fs.BoolVar(&f.interpreter, "interpreter", false, "needs an interpreter")
	fs.Var(&f.documents, "document", "identity document TYPE:NUMBER[:COUNTRY] (repeat)")
	fs.StringVar(&f.contact, "contact", "", "contact details")
	fs.StringVar(&f.notes, "notes", "", "notes")
	fs.Var(&f.exploitation, "exploitation", "victim: form of exploitation suffered (repeat)")
	fs.Var(&f.services, "service", "victim: shelter, medical, psychological, legal-aid, interpreter (repeat)")
	fs.StringVar(&f.nonPunishment, "non-punishment", "", "victim: not-considered, considered, applied, not-applied")
	fs.StringVar(&f.repatriation, "repatriation", "", "victim: not-needed, planned, in-progress, completed, declined")
	fs.StringVar(&f.claimed, "compensation-claimed", "", "victim: amount claimed (with --currency)")
	fs.StringVar(&f.awarded, "compensation-awarded", "", "victim: amount awarded (with --currency)")
	fs.StringVar(&f.currency, "currency", "", "ISO 4217 currency of the compensation amounts")
	fs.Var(&f.charges, "charge", "suspect: OFFENCE[|LAW AND SECTION[|RELATED]] (repeat)")
	fs.StringVar(&f.custody, "custody", "", "suspect: at-large, in-custody, bail, released")
	fs.StringVar(&f.custodyLimit, "custody-limit", "", "suspect: custody time limit YYYY-MM-DD")
	fs.StringVar(&f.regNumber, "registration", "", "legal person: registration number")
	fs.StringVar(&f.regCountry, "registration-country", "", "legal person: country of registration")
	fs.StringVar(&f.agency, "agency", "", "official: agency")
	fs.StringVar(&f.position, "position", "", "official: position")
	fs.BoolVar(&f.protected, "protected", false, "witness protection: show only the pseudonym")
	fs.BoolVar(&f.unprotect, "unprotect", false, "end witness protection (edit)")
	fs.StringVar(&f.pseudonym, "pseudonym", "", "protection: pseudonym, unique in the case (e.g. W-3)")
	fs.Var(&f.measures, "measure", "protection: identity-withheld, relocation, closed-hearing, video-link, distortion, police-protection, shelter (repeat)")
	fs.StringVar(&f.risk, "risk", "", "protection: low, medium, high, extreme")
	fs.StringVar(&f.order, "order", "", "protection: order reference")
	fs.StringVar(&f.start, "protection-start", "", "protection: start date")
	fs.StringVar(&f.review, "review", "", "protection: review date")
}

// apply copies the given flags into p. Identity flags on a masked record
// are refused: reveal first, or they would be silently ignored.
func (f *partyFlags) apply(fs *flag.FlagSet, p *casefile.Person) error {
	set := visited(fs)
	var err error
	if p.Masked {
		for _, k := range []string{"name", "alias", "birth", "document", "contact", "notes"} {
			if set[k] {
				return fmt.Errorf("--%s changes the identity of a protected person: it cannot be changed from the command line", k)
			}
		}
	}
	str := map[string]*string{"name": &p.FullName, "sex": &p.Sex, "nationality": &p.Nationality, "contact": &p.Contact, "notes": &p.Notes,
		"non-punishment": &p.NonPunishment, "repatriation": &p.Repatriation, "custody": &p.CustodyStatus,
		"registration": &p.RegNumber, "registration-country": &p.RegCountry, "agency": &p.Agency, "position": &p.Position}
	vals := map[string]string{"name": f.name, "sex": f.sex, "nationality": f.nationality, "contact": f.contact, "notes": f.notes,
		"non-punishment": f.nonPunishment, "repatriation": f.repatriation, "custody": f.custody,
		"registration": f.regNumber, "registration-country": f.regCountry, "agency": f.agency, "position": f.position}
	for k, dst := range str {
		if set[k] {
			*dst = vals[k]
		}
	}
	if set["role"] {
		p.Roles = nil
		for _, r := range f.roles {
			p.Roles = append(p.Roles, casefile.Role(r))
		}
	}
	if set["alias"] {
		p.Aliases = f.aliases
	}
	if set["language"] {
		p.Languages = f.languages
	}
	if set["service"] {
		p.Services = f.services
	}
	if set["exploitation"] {
		p.Exploitation = nil
		for _, x := range f.exploitation {
			p.Exploitation = append(p.Exploitation, casefile.Exploitation(x))
		}
	}
	if set["birth"] {
		if p.Birth, err = dateFlag("birth", f.birth); err != nil {
			return err
		}
	}
	if set["custody-limit"] {
		if p.CustodyLimit, err = dateFlag("custody-limit", f.custodyLimit); err != nil {
			return err
		}
	}
	if set["age-min"] {
		p.AgeMin = f.ageMin
	}
	if set["age-max"] {
		p.AgeMax = f.ageMax
	}
	if set["interpreter"] {
		p.InterpreterNeeded = f.interpreter
	}
	if set["document"] {
		p.Documents = nil
		for _, d := range f.documents {
			parts := strings.SplitN(d, ":", 3)
			if len(parts) < 2 {
				return usagef("--document takes TYPE:NUMBER[:COUNTRY], got %q", d)
			}
			doc := casefile.Document{Type: parts[0], Number: parts[1]}
			if len(parts) == 3 {
				doc.Country = strings.ToUpper(parts[2])
			}
			p.Documents = append(p.Documents, doc)
		}
	}
	if set["charge"] {
		p.Charges = nil
		for _, c := range f.charges {
			parts := strings.SplitN(c, "|", 3)
			ch := casefile.Charge{Offence: parts[0]}
			if len(parts) > 1 {
				ch.Law = parts[1]
			}
			if len(parts) > 2 {
				ch.Related = parts[2]
			}
			p.Charges = append(p.Charges, ch)
		}
	}
	for k, dst := range map[string]*casefile.Money{"compensation-claimed": &p.CompClaimed, "compensation-awarded": &p.CompAwarded} {
		if set[k] {
			v := f.claimed
			if k == "compensation-awarded" {
				v = f.awarded
			}
			if *dst, err = casefile.ParseMoney(v, f.currency); err != nil {
				return err
			}
		}
	}
	if f.unprotect {
		if p.Masked {
			return fmt.Errorf("ending the protection of %s needs a reveal: use the desktop app", p.DisplayName())
		}
		p.Protection = nil
	}
	protFlags := set["pseudonym"] || set["measure"] || set["risk"] || set["order"] || set["protection-start"] || set["review"]
	if f.protected || (protFlags && p.Protection != nil) {
		if p.Protection == nil {
			p.Protection = &casefile.Protection{}
		}
		pr := p.Protection
		if set["pseudonym"] {
			pr.Pseudonym = f.pseudonym
		}
		if set["measure"] {
			pr.Measures = f.measures
		}
		if set["risk"] {
			pr.RiskLevel = f.risk
		}
		if set["order"] {
			pr.OrderRef = f.order
		}
		if set["protection-start"] {
			if pr.Start, err = dateFlag("protection-start", f.start); err != nil {
				return err
			}
		}
		if set["review"] {
			if pr.Review, err = dateFlag("review", f.review); err != nil {
				return err
			}
		}
	} else if protFlags {
		return usagef("protection flags need --protected")
	}
	return nil
}

func partyAddEdit(e *env, args []string, edit bool) error {
	name := "party add"
	if edit {
		name = "party edit"
	}
	fs := newFlagSet(e, name)
	var f partyFlags
	f.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if edit {
		if err := positional(name, pos, 2, "CASE and PERSON"); err != nil {
			return err
		}
		if fs.NFlag() == 0 {
			return usagef("party edit needs at least one field flag")
		}
	} else {
		if err := positional(name, pos, 1, "one CASE"); err != nil {
			return err
		}
		if len(f.roles) == 0 || f.name == "" {
			return usagef("party add needs --role and --name")
		}
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		var p casefile.Person
		if edit {
			if p, err = c.Person(bg, pos[1]); err != nil {
				return err
			}
		}
		if err := f.apply(fs, &p); err != nil {
			return err
		}
		if edit {
			return c.UpdatePerson(bg, p)
		}
		id, err := c.AddPerson(bg, p)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, id)
		return nil
	})
}

func partyList(e *env, args []string) error {
	fs := newFlagSet(e, "party list")
	asJSON := fs.Bool("json", false, "print JSON")
	role := fs.String("role", "", "only people with this role")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("party list", pos, 1, "one CASE"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		all, err := c.People(bg)
		if err != nil {
			return err
		}
		people := []casefile.Person{}
		for _, p := range all {
			if *role == "" || p.HasRole(casefile.Role(*role)) {
				people = append(people, p)
			}
		}
		if *asJSON {
			return writeJSON(e, people)
		}
		var rows [][]string
		for _, p := range people {
			roles := make([]string, len(p.Roles))
			for i, r := range p.Roles {
				roles[i] = string(r)
			}
			flags := ""
			if p.Protection != nil {
				flags += "protected "
			}
			if p.Child {
				flags += "child "
			}
			rows = append(rows, []string{p.ID, p.DisplayName(), strings.Join(roles, ","), p.Nationality, strings.TrimSpace(flags)})
		}
		return table(e.stdout, "ID\tNAME\tROLES\tNATIONALITY\tFLAGS", rows)
	})
}

// partyShow shows a person; with reveal, the real identity of a protected
// person, after asking for the passphrase again (an audited event).
func partyShow(e *env, args []string, reveal bool) error {
	name := "party show"
	if reveal {
		name = "party reveal"
	}
	fs := newFlagSet(e, name)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional(name, pos, 2, "CASE and PERSON"); err != nil {
		return err
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		var p casefile.Person
		if reveal {
			pass, err := readSecret(e, "CASEVAULT_PASSPHRASE", "Passphrase again, to reveal a protected identity: ")
			if err != nil {
				return err
			}
			p, err = c.RevealPerson(bg, pos[1], pass)
			crypto.Wipe(pass)
			if err != nil {
				return err
			}
		} else if p, err = c.Person(bg, pos[1]); err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, p)
		}
		return printPerson(e, &p)
	})
}

func printPerson(e *env, p *casefile.Person) error {
	rows := [][]string{{"ID:", p.ID}, {"Name:", p.DisplayName()}}
	if p.Masked {
		rows = append(rows, []string{"Identity:", "protected; 'party reveal' shows it (audited)"})
	}
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, []string{k, v})
		}
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	add("Roles:", strings.Join(roles, ", "))
	add("Aliases:", strings.Join(p.Aliases, ", "))
	add("Sex:", p.Sex)
	add("Born:", p.Birth.String())
	if p.AgeMin > 0 || p.AgeMax > 0 {
		add("Age:", fmt.Sprintf("%d to %d", p.AgeMin, p.AgeMax))
	}
	if p.Child {
		add("Child:", "yes")
	}
	add("Nationality:", p.Nationality)
	add("Languages:", strings.Join(p.Languages, ", "))
	for _, d := range p.Documents {
		add("Document:", strings.TrimSpace(d.Type+" "+d.Number+" "+d.Country))
	}
	add("Contact:", p.Contact)
	add("Custody:", strings.TrimSpace(p.CustodyStatus+" "+p.CustodyLimit.String()))
	for _, ch := range p.Charges {
		add("Charge:", strings.TrimSpace(ch.Offence+" "+ch.Law+" "+ch.Related))
	}
	add("Compensation claimed:", p.CompClaimed.String())
	add("Compensation awarded:", p.CompAwarded.String())
	if pr := p.Protection; pr != nil {
		add("Pseudonym:", pr.Pseudonym)
		add("Measures:", strings.Join(pr.Measures, ", "))
		add("Risk:", pr.RiskLevel)
		add("Review:", pr.Review.String())
	}
	add("Notes:", p.Notes)
	return table(e.stdout, "", rows)
}

func partyDelete(e *env, args []string) error {
	fs := newFlagSet(e, "party delete")
	yes := fs.Bool("yes", false, "confirm")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := positional("party delete", pos, 2, "CASE and PERSON"); err != nil {
		return err
	}
	if !*yes {
		return usagef("party delete removes the person for good: add --yes to confirm")
	}
	return withCase(e, pos[0], func(w *casefile.Workspace, c *casefile.Case) error {
		return c.DeletePerson(bg, pos[1])
	})
}
