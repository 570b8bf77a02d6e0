package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

func readPerson(ctx context.Context, q querier, id string) (*Person, error) {
	p := &Person{ID: id}
	var birth, claimed, awarded, limit, created, updated string
	var interp int
	err := q.QueryRowContext(ctx, `SELECT full_name, sex, birth_date, age_min, age_max, nationality, interpreter_needed, contact, notes,
		non_punishment, non_punishment_outcome, repatriation, compensation_claimed, compensation_awarded, custody_status, custody_limit,
		registration_number, registration_country, agency, position, created, updated FROM person WHERE id = ?`, id).
		Scan(&p.FullName, &p.Sex, &birth, &p.AgeMin, &p.AgeMax, &p.Nationality, &interp, &p.Contact, &p.Notes,
			&p.NonPunishment, &p.NonPunishmentNote, &p.Repatriation, &claimed, &awarded, &p.CustodyStatus, &limit,
			&p.RegNumber, &p.RegCountry, &p.Agency, &p.Position, &created, &updated)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("person %q %w in this case", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	p.InterpreterNeeded = interp != 0
	p.Birth, _ = ParseDate(birth)
	p.CustodyLimit, _ = ParseDate(limit)
	p.CompClaimed = parseStoredMoney(claimed)
	p.CompAwarded = parseStoredMoney(awarded)
	p.Created, _ = time.Parse(time.RFC3339, created)
	p.Updated, _ = time.Parse(time.RFC3339, updated)
	p.Roles, p.Aliases, p.Languages, p.Documents = []Role{}, []string{}, []string{}, []Document{}
	p.Exploitation, p.Services, p.Charges = []Exploitation{}, []string{}, []Charge{}
	lists := []struct {
		q    string
		scan func(*sql.Rows) error
	}{
		{"SELECT role FROM person_role WHERE person_id = ? ORDER BY rowid", func(r *sql.Rows) error {
			var v Role
			err := r.Scan(&v)
			p.Roles = append(p.Roles, v)
			return err
		}},
		{"SELECT alias FROM person_alias WHERE person_id = ? ORDER BY pos", func(r *sql.Rows) error {
			var v string
			err := r.Scan(&v)
			p.Aliases = append(p.Aliases, v)
			return err
		}},
		{"SELECT language FROM person_language WHERE person_id = ? ORDER BY rowid", func(r *sql.Rows) error {
			var v string
			err := r.Scan(&v)
			p.Languages = append(p.Languages, v)
			return err
		}},
		{"SELECT type, number, country FROM person_document WHERE person_id = ? ORDER BY pos", func(r *sql.Rows) error {
			var d Document
			err := r.Scan(&d.Type, &d.Number, &d.Country)
			p.Documents = append(p.Documents, d)
			return err
		}},
		{"SELECT form FROM person_exploitation WHERE person_id = ? ORDER BY rowid", func(r *sql.Rows) error {
			var v Exploitation
			err := r.Scan(&v)
			p.Exploitation = append(p.Exploitation, v)
			return err
		}},
		{"SELECT service FROM person_service WHERE person_id = ? ORDER BY rowid", func(r *sql.Rows) error {
			var v string
			err := r.Scan(&v)
			p.Services = append(p.Services, v)
			return err
		}},
		{"SELECT offence, law, related FROM person_charge WHERE person_id = ? ORDER BY pos", func(r *sql.Rows) error {
			var ch Charge
			err := r.Scan(&ch.Offence, &ch.Law, &ch.Related)
			p.Charges = append(p.Charges, ch)
			return err
		}},
	}
	for _, l := range lists {
		if err := scanListArgs(ctx, q, l.q, []any{id}, l.scan); err != nil {
			return nil, err
		}
	}
	var pr Protection
	var start, review string
	err = q.QueryRowContext(ctx, "SELECT pseudonym, risk_level, order_ref, start_date, review_date FROM protection WHERE person_id = ?", id).
		Scan(&pr.Pseudonym, &pr.RiskLevel, &pr.OrderRef, &start, &review)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return nil, err
	default:
		pr.Start, _ = ParseDate(start)
		pr.Review, _ = ParseDate(review)
		pr.Measures = []string{}
		if err := scanListArgs(ctx, q, "SELECT measure FROM protection_measure WHERE person_id = ? ORDER BY rowid", []any{id}, func(r *sql.Rows) error {
			var v string
			err := r.Scan(&v)
			pr.Measures = append(pr.Measures, v)
			return err
		}); err != nil {
			return nil, err
		}
		p.Protection = &pr
	}
	p.Child = p.isChild()
	return p, nil
}

func scanListArgs(ctx context.Context, q querier, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func storedMoney(m Money) string {
	if m.IsZero() {
		return ""
	}
	return m.String()
}

func parseStoredMoney(s string) Money {
	a, c, ok := strings.Cut(s, " ")
	if !ok {
		return Money{}
	}
	m, err := ParseMoney(a, c)
	if err != nil {
		return Money{}
	}
	return m
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func writePerson(ctx context.Context, tx *sql.Tx, p *Person, insert bool) error {
	args := []any{p.FullName, p.Sex, p.Birth.String(), p.AgeMin, p.AgeMax, p.Nationality, boolInt(p.InterpreterNeeded), p.Contact, p.Notes,
		p.NonPunishment, p.NonPunishmentNote, p.Repatriation, storedMoney(p.CompClaimed), storedMoney(p.CompAwarded), p.CustodyStatus, p.CustodyLimit.String(),
		p.RegNumber, p.RegCountry, p.Agency, p.Position, p.Updated.Format(time.RFC3339)}
	if insert {
		_, err := tx.ExecContext(ctx, `INSERT INTO person (full_name, sex, birth_date, age_min, age_max, nationality, interpreter_needed, contact, notes,
			non_punishment, non_punishment_outcome, repatriation, compensation_claimed, compensation_awarded, custody_status, custody_limit,
			registration_number, registration_country, agency, position, updated, id, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			append(args, p.ID, p.Created.Format(time.RFC3339))...)
		if err != nil {
			return err
		}
	} else {
		_, err := tx.ExecContext(ctx, `UPDATE person SET full_name=?, sex=?, birth_date=?, age_min=?, age_max=?, nationality=?, interpreter_needed=?, contact=?, notes=?,
			non_punishment=?, non_punishment_outcome=?, repatriation=?, compensation_claimed=?, compensation_awarded=?, custody_status=?, custody_limit=?,
			registration_number=?, registration_country=?, agency=?, position=?, updated=? WHERE id=?`, append(args, p.ID)...)
		if err != nil {
			return err
		}
		for _, t := range []string{"person_role", "person_alias", "person_language", "person_document", "person_exploitation", "person_service", "person_charge", "protection"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE person_id = ?", p.ID); err != nil {
				return err
			}
		}
	}
	ins := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	for _, r := range p.Roles {
		if err := ins("INSERT INTO person_role (person_id, role) VALUES (?, ?)", p.ID, r); err != nil {
			return err
		}
	}
	for i, a := range p.Aliases {
		if err := ins("INSERT INTO person_alias (person_id, pos, alias) VALUES (?, ?, ?)", p.ID, i, a); err != nil {
			return err
		}
	}
	for _, l := range p.Languages {
		if err := ins("INSERT INTO person_language (person_id, language) VALUES (?, ?)", p.ID, l); err != nil {
			return err
		}
	}
	for i, d := range p.Documents {
		if err := ins("INSERT INTO person_document (person_id, pos, type, number, country) VALUES (?, ?, ?, ?, ?)", p.ID, i, d.Type, d.Number, d.Country); err != nil {
			return err
		}
	}
	for _, e := range p.Exploitation {
		if err := ins("INSERT INTO person_exploitation (person_id, form) VALUES (?, ?)", p.ID, e); err != nil {
			return err
		}
	}
	for _, s := range p.Services {
		if err := ins("INSERT INTO person_service (person_id, service) VALUES (?, ?)", p.ID, s); err != nil {
			return err
		}
	}
	for i, ch := range p.Charges {
		if err := ins("INSERT INTO person_charge (person_id, pos, offence, law, related) VALUES (?, ?, ?, ?, ?)", p.ID, i, ch.Offence, ch.Law, ch.Related); err != nil {
			return err
		}
	}
	if pr := p.Protection; pr != nil {
		if err := ins("INSERT INTO protection (person_id, pseudonym, risk_level, order_ref, start_date, review_date) VALUES (?, ?, ?, ?, ?, ?)",
			p.ID, pr.Pseudonym, pr.RiskLevel, pr.OrderRef, pr.Start.String(), pr.Review.String()); err != nil {
			return err
		}
		for _, m := range pr.Measures {
			if err := ins("INSERT INTO protection_measure (person_id, measure) VALUES (?, ?)", p.ID, m); err != nil {
				return err
			}
		}
	}
	return nil
}

var _ execer = (*sql.Tx)(nil)
