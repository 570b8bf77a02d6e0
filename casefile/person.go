package casefile

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Role is what a person is to the case. A person may hold several.
type Role string

// The roles of a person.
const (
	RoleVictim      Role = "victim"
	RoleWitness     Role = "witness"
	RoleSuspect     Role = "suspect"
	RoleDefendant   Role = "defendant"
	RoleLegalPerson Role = "legal-person"
	RoleOfficial    Role = "official"
	RoleInformant   Role = "informant"
	RoleExpert      Role = "expert"
	RoleInterpreter Role = "interpreter"
)

// Roles lists every role.
var Roles = []Role{RoleVictim, RoleWitness, RoleSuspect, RoleDefendant, RoleLegalPerson, RoleOfficial, RoleInformant, RoleExpert, RoleInterpreter}

// Sexes lists the accepted values of Person.Sex ("" is unknown).
var Sexes = []string{"female", "male", "other"}

// Services a victim can be referred to.
var Services = []string{"shelter", "medical", "psychological", "legal-aid", "interpreter"}

// CustodyStatuses of a suspect or defendant ("" is unknown).
var CustodyStatuses = []string{"at-large", "in-custody", "bail", "released"}

// RelatedOffences that a charge can be flagged with.
var RelatedOffences = []string{"money-laundering", "corruption", "migrant-smuggling", "organised-crime"}

// NonPunishmentStates records whether the non-punishment principle was
// considered for a victim, and with what result.
var NonPunishmentStates = []string{"not-considered", "considered", "applied", "not-applied"}

// RepatriationStates of a victim.
var RepatriationStates = []string{"not-needed", "planned", "in-progress", "completed", "declined"}

// Document is an identity document.
type Document struct {
	Type    string `json:"type"` // passport, national-id, ...
	Number  string `json:"number"`
	Country string `json:"country,omitempty"`
}

// Charge is an offence a suspect or defendant is charged with.
type Charge struct {
	Offence string `json:"offence"`
	Law     string `json:"law,omitempty"`     // the law and section
	Related string `json:"related,omitempty"` // one of RelatedOffences, or ""
}

// Person is a party to the case: victim, witness, suspect, company,
// official... When the person is protected and not revealed, Masked is true
// and the identity fields (name, aliases, date of birth, documents,
// contact, notes) hold the pseudonym or nothing.
type Person struct {
	ID                string         `json:"id"`
	Roles             []Role         `json:"roles"`
	FullName          string         `json:"name"`
	Aliases           []string       `json:"aliases"`
	Sex               string         `json:"sex,omitempty"`
	Birth             Date           `json:"birth"`
	AgeMin            int            `json:"age_min,omitempty"`
	AgeMax            int            `json:"age_max,omitempty"`
	Child             bool           `json:"child"`
	Nationality       string         `json:"nationality,omitempty"`
	Languages         []string       `json:"languages"`
	InterpreterNeeded bool           `json:"interpreter_needed"`
	Documents         []Document     `json:"documents"`
	Contact           string         `json:"contact,omitempty"`
	Notes             string         `json:"notes,omitempty"`
	Exploitation      []Exploitation `json:"exploitation"`
	Services          []string       `json:"services"`
	NonPunishment     string         `json:"non_punishment,omitempty"`
	NonPunishmentNote string         `json:"non_punishment_outcome,omitempty"`
	Repatriation      string         `json:"repatriation,omitempty"`
	CompClaimed       Money          `json:"compensation_claimed"`
	CompAwarded       Money          `json:"compensation_awarded"`
	Charges           []Charge       `json:"charges"`
	CustodyStatus     string         `json:"custody_status,omitempty"`
	CustodyLimit      Date           `json:"custody_limit"`
	RegNumber         string         `json:"registration_number,omitempty"`
	RegCountry        string         `json:"registration_country,omitempty"`
	Agency            string         `json:"agency,omitempty"`
	Position          string         `json:"position,omitempty"`
	Protection        *Protection    `json:"protection"`
	Masked            bool           `json:"masked"`
	Created           time.Time      `json:"created"`
	Updated           time.Time      `json:"updated"`
}

// DisplayName is the name to show: the pseudonym of a protected person
// unless revealed.
func (p *Person) DisplayName() string {
	if p.Protection != nil && p.Masked {
		return p.Protection.Pseudonym
	}
	return p.FullName
}

// HasRole reports whether the person holds role r.
func (p *Person) HasRole(r Role) bool { return slices.Contains(p.Roles, r) }

// mask hides the identity of a protected person.
func (p *Person) mask() {
	if p.Protection == nil {
		return
	}
	p.FullName = p.Protection.Pseudonym
	p.Aliases, p.Documents = []string{}, []Document{}
	p.Birth, p.Contact, p.Notes = Date{}, "", ""
	p.Masked = true
}

// isChild derives the child flag: under 18 today by date of birth, else by
// the upper bound of the age range.
func (p *Person) isChild() bool {
	if !p.Birth.IsZero() {
		return p.Birth.Time().AddDate(18, 0, 0).After(Today().Time())
	}
	return p.AgeMax > 0 && p.AgeMax < 18
}

const (
	maxAliases  = 20
	maxListLen  = 50
	maxNotesLen = 100_000
)

func (p *Person) normalize() error {
	var err error
	if len(p.Roles) == 0 {
		return invalid("role", "a person needs at least one role (%s)", joinValues(Roles))
	}
	roles := []Role{}
	for _, r := range p.Roles {
		r = Role(strings.ToLower(strings.TrimSpace(string(r))))
		if !slices.Contains(Roles, r) {
			return invalid("role", "unknown role %q (one of %s)", r, joinValues(Roles))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	p.Roles = roles
	if p.FullName, err = cleanLine("name", p.FullName, maxNameLen, true); err != nil {
		return err
	}
	if p.Aliases, err = cleanList("alias", p.Aliases, maxNameLen, maxAliases); err != nil {
		return err
	}
	if p.Sex = strings.ToLower(strings.TrimSpace(p.Sex)); p.Sex != "" && !slices.Contains(Sexes, p.Sex) {
		return invalid("sex", "unknown value %q (one of %s, or empty)", p.Sex, strings.Join(Sexes, ", "))
	}
	if p.Birth.Time().After(time.Now()) {
		return invalid("birth", "date of birth %s is in the future", p.Birth)
	}
	if p.AgeMin < 0 || p.AgeMax < 0 || p.AgeMin > 120 || p.AgeMax > 120 || (p.AgeMax > 0 && p.AgeMin > p.AgeMax) {
		return invalid("age", "age range %d to %d is not possible", p.AgeMin, p.AgeMax)
	}
	if p.Nationality, err = cleanCountry("nationality", p.Nationality); err != nil {
		return err
	}
	if p.Languages, err = cleanList("language", p.Languages, 40, maxListLen); err != nil {
		return err
	}
	docs := []Document{}
	for _, d := range p.Documents {
		if d.Type, err = cleanLine("document type", d.Type, 60, true); err != nil {
			return err
		}
		if d.Number, err = cleanLine("document number", d.Number, 80, true); err != nil {
			return err
		}
		if d.Country, err = cleanCountry("document country", d.Country); err != nil {
			return err
		}
		docs = append(docs, d)
	}
	p.Documents = docs
	if p.Contact, err = cleanText("contact", p.Contact, 2000); err != nil {
		return err
	}
	if p.Notes, err = cleanText("notes", p.Notes, maxNotesLen); err != nil {
		return err
	}
	ex := []Exploitation{}
	for _, e := range p.Exploitation {
		if !slices.Contains(Exploitations, e) {
			return invalid("exploitation", "unknown form of exploitation %q (one of %s)", e, joinValues(Exploitations))
		}
		if !slices.Contains(ex, e) {
			ex = append(ex, e)
		}
	}
	p.Exploitation = ex
	if p.Services, err = cleanEnumList("service", p.Services, Services); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
		set  []string
	}{{"non-punishment", &p.NonPunishment, NonPunishmentStates}, {"repatriation", &p.Repatriation, RepatriationStates}, {"custody status", &p.CustodyStatus, CustodyStatuses}} {
		*f.v = strings.ToLower(strings.TrimSpace(*f.v))
		if *f.v != "" && !slices.Contains(f.set, *f.v) {
			return invalid(f.name, "unknown value %q (one of %s, or empty)", *f.v, strings.Join(f.set, ", "))
		}
	}
	if p.NonPunishmentNote, err = cleanText("non-punishment outcome", p.NonPunishmentNote, 10_000); err != nil {
		return err
	}
	for name, m := range map[string]Money{"compensation claimed": p.CompClaimed, "compensation awarded": p.CompAwarded} {
		if !m.IsZero() && (!ValidCurrency(m.Currency) || m.Minor < 0) {
			return invalid(name, "%q is not a valid amount", m.String())
		}
	}
	charges := []Charge{}
	for _, c := range p.Charges {
		if c.Offence, err = cleanLine("charge", c.Offence, 300, true); err != nil {
			return err
		}
		if c.Law, err = cleanLine("charge law", c.Law, 300, false); err != nil {
			return err
		}
		if c.Related = strings.ToLower(strings.TrimSpace(c.Related)); c.Related != "" && !slices.Contains(RelatedOffences, c.Related) {
			return invalid("related offence", "unknown value %q (one of %s, or empty)", c.Related, strings.Join(RelatedOffences, ", "))
		}
		charges = append(charges, c)
	}
	p.Charges = charges
	if p.RegCountry, err = cleanCountry("registration country", p.RegCountry); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"registration number", &p.RegNumber}, {"agency", &p.Agency}, {"position", &p.Position}} {
		if *f.v, err = cleanLine(f.name, *f.v, 200, false); err != nil {
			return err
		}
	}
	if p.Protection != nil {
		if err := p.Protection.normalize(); err != nil {
			return err
		}
	}
	p.Child = p.isChild()
	return nil
}

func cleanCountry(field, c string) (string, error) {
	c = strings.ToUpper(strings.TrimSpace(c))
	if c != "" && !ValidCountry(c) {
		return "", invalid(field, "unknown country code %q (use ISO 3166 codes such as TH, KH, MY)", c)
	}
	return c, nil
}

func cleanList(field string, in []string, maxLen, maxItems int) ([]string, error) {
	out := []string{}
	for _, s := range in {
		s, err := cleanLine(field, s, maxLen, false)
		if err != nil {
			return nil, err
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) > maxItems {
		return nil, invalid(field, "%d entries; at most %d", len(out), maxItems)
	}
	return out, nil
}

func cleanEnumList(field string, in, allowed []string) ([]string, error) {
	out := []string{}
	for _, s := range in {
		s = strings.ToLower(strings.TrimSpace(s))
		if !slices.Contains(allowed, s) {
			return nil, invalid(field, "unknown value %q (one of %s)", s, strings.Join(allowed, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// newItemID returns an opaque id for an item of a case.
func newItemID() string {
	id, err := newCaseID()
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return id[:12]
}

// AddPerson adds a person to the case and returns the new id.
func (c *Case) AddPerson(ctx context.Context, p Person) (string, error) {
	if err := p.normalize(); err != nil {
		return "", err
	}
	p.ID = newItemID()
	now := time.Now().UTC().Truncate(time.Second)
	p.Created, p.Updated = now, now
	err := c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkPseudonym(ctx, tx, &p); err != nil {
			return err
		}
		if err := writePerson(ctx, tx, &p, true); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "person.add", p.ID, personAuditDetails(&p, nil))
	})
	if err != nil {
		return "", err
	}
	return p.ID, nil
}

// UpdatePerson replaces a person's record. A Masked record (a protected
// person not revealed) keeps the stored identity fields: only a revealed
// record can change the name, aliases, date of birth, documents, contact
// and notes.
func (c *Case) UpdatePerson(ctx context.Context, p Person) error {
	return c.tx(ctx, func(tx *sql.Tx) error {
		old, err := readPerson(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if p.Masked {
			p.FullName, p.Aliases, p.Birth = old.FullName, old.Aliases, old.Birth
			p.Documents, p.Contact, p.Notes = old.Documents, old.Contact, old.Notes
		}
		if err := p.normalize(); err != nil {
			return err
		}
		p.Masked, p.Created = false, old.Created
		p.Updated = time.Now().UTC().Truncate(time.Second)
		if err := checkPseudonym(ctx, tx, &p); err != nil {
			return err
		}
		d := personAuditDetails(&p, old)
		if len(d["changed"].([]string)) == 0 {
			return nil
		}
		if err := writePerson(ctx, tx, &p, false); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "person.update", p.ID, d)
	})
}

// DeletePerson removes a person (and their protection record).
func (c *Case) DeletePerson(ctx context.Context, id string) error {
	return c.tx(ctx, func(tx *sql.Tx) error {
		p, err := readPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM person WHERE id = ?", id); err != nil {
			return err
		}
		tx.ExecContext(ctx, "DELETE FROM request_link WHERE kind = 'person' AND target_id = ?", id)
		p.mask()
		return appendAudit(ctx, tx, c.ws.Actor(), "person.delete", id, map[string]any{"name": p.DisplayNameForAudit()})
	})
}

// DisplayNameForAudit is the name audit details may carry: the pseudonym
// of a protected person, "(person)" otherwise, since audit entries are
// immutable and a person may be protected later.
func (p *Person) DisplayNameForAudit() string {
	if p.Protection != nil {
		return p.Protection.Pseudonym
	}
	return "(person)"
}

// personAuditDetails lists what changed by field name only: audit entries
// can never be edited, and a person protected later must not be
// identifiable from them.
func personAuditDetails(p, old *Person) map[string]any {
	changed := []string{}
	if old == nil {
		old = &Person{}
	}
	cmp := func(name string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			changed = append(changed, name)
		}
	}
	cmp("roles", p.Roles, old.Roles)
	cmp("name", p.FullName, old.FullName)
	cmp("aliases", p.Aliases, old.Aliases)
	cmp("sex", p.Sex, old.Sex)
	cmp("birth", p.Birth, old.Birth)
	cmp("age", [2]int{p.AgeMin, p.AgeMax}, [2]int{old.AgeMin, old.AgeMax})
	cmp("nationality", p.Nationality, old.Nationality)
	cmp("languages", p.Languages, old.Languages)
	cmp("interpreter_needed", p.InterpreterNeeded, old.InterpreterNeeded)
	cmp("documents", p.Documents, old.Documents)
	cmp("contact", p.Contact, old.Contact)
	cmp("notes", p.Notes, old.Notes)
	cmp("exploitation", p.Exploitation, old.Exploitation)
	cmp("services", p.Services, old.Services)
	cmp("non_punishment", p.NonPunishment+p.NonPunishmentNote, old.NonPunishment+old.NonPunishmentNote)
	cmp("repatriation", p.Repatriation, old.Repatriation)
	cmp("compensation", p.CompClaimed.String()+p.CompAwarded.String(), old.CompClaimed.String()+old.CompAwarded.String())
	cmp("charges", p.Charges, old.Charges)
	cmp("custody", p.CustodyStatus+p.CustodyLimit.String(), old.CustodyStatus+old.CustodyLimit.String())
	cmp("registration", p.RegNumber+p.RegCountry, old.RegNumber+old.RegCountry)
	cmp("office", p.Agency+p.Position, old.Agency+old.Position)
	cmp("protection", p.Protection, old.Protection)
	d := map[string]any{"changed": changed, "roles": p.Roles}
	if p.Protection != nil {
		d["pseudonym"] = p.Protection.Pseudonym
	}
	return d
}

// People returns every person of the case, protected identities masked.
func (c *Case) People(ctx context.Context) ([]Person, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var ids []string
	if err := scanList(ctx, c.conn, "SELECT id FROM person ORDER BY created, id", func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		ids = append(ids, id)
		return err
	}); err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ids))
	for _, id := range ids {
		p, err := readPerson(ctx, c.conn, id)
		if err != nil {
			return nil, err
		}
		p.mask()
		out = append(out, *p)
	}
	return out, nil
}

// Person returns one person, a protected identity masked.
func (c *Case) Person(ctx context.Context, id string) (Person, error) {
	if err := c.lockOpen(); err != nil {
		return Person{}, err
	}
	defer c.mu.Unlock()
	p, err := readPerson(ctx, c.conn, id)
	if err != nil {
		return Person{}, err
	}
	p.mask()
	return *p, nil
}

// RevealPerson returns a protected person's real identity. It asks for the
// workspace passphrase again and records the reveal in the audit chain
// before returning anything.
func (c *Case) RevealPerson(ctx context.Context, id string, passphrase []byte) (Person, error) {
	if err := c.ws.CheckPassphrase(passphrase); err != nil {
		if errors.Is(err, ErrWrongPassphrase) {
			return Person{}, errors.New("wrong passphrase: the identity stays hidden")
		}
		return Person{}, err
	}
	var p *Person
	err := c.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = readPerson(ctx, tx, id); err != nil {
			return err
		}
		d := map[string]any{"pseudonym": ""}
		if p.Protection != nil {
			d["pseudonym"] = p.Protection.Pseudonym
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "person.reveal", id, d)
	})
	if err != nil {
		return Person{}, err
	}
	return *p, nil
}

func checkPseudonym(ctx context.Context, tx *sql.Tx, p *Person) error {
	if p.Protection == nil {
		return nil
	}
	var other string
	err := tx.QueryRowContext(ctx, "SELECT person_id FROM protection WHERE pseudonym = ? AND person_id <> ?", p.Protection.Pseudonym, p.ID).Scan(&other)
	if err == nil {
		return invalid("pseudonym", "%q is already used by another person in this case", p.Protection.Pseudonym)
	}
	if err != sql.ErrNoRows {
		return err
	}
	return nil
}
