package casefile

import (
	"context"
	"database/sql"
	"time"
)

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func readInfo(ctx context.Context, q querier) (CaseInfo, error) {
	var ci CaseInfo
	var fast int
	var opened, closed, created, updated string
	err := q.QueryRowContext(ctx, `SELECT id, ref, title, status, fast_track, lead_prosecutor, opened, closed, summary, created, updated FROM case_info`).
		Scan(&ci.ID, &ci.Ref, &ci.Title, &ci.Status, &fast, &ci.LeadProsecutor, &opened, &closed, &ci.Summary, &created, &updated)
	if err != nil {
		return ci, err
	}
	ci.FastTrack = fast != 0
	ci.Opened, _ = ParseDate(opened)
	ci.Closed, _ = ParseDate(closed)
	ci.Created, _ = time.Parse(time.RFC3339, created)
	ci.Updated, _ = time.Parse(time.RFC3339, updated)
	ci.Exploitation = []Exploitation{}
	if err := scanList(ctx, q, "SELECT form FROM case_exploitation ORDER BY form", func(r *sql.Rows) error {
		var e Exploitation
		err := r.Scan(&e)
		ci.Exploitation = append(ci.Exploitation, e)
		return err
	}); err != nil {
		return ci, err
	}
	ci.Jurisdictions = []Jurisdiction{}
	if err := scanList(ctx, q, "SELECT country, role FROM case_jurisdiction ORDER BY rowid", func(r *sql.Rows) error {
		var j Jurisdiction
		err := r.Scan(&j.Country, &j.Role)
		ci.Jurisdictions = append(ci.Jurisdictions, j)
		return err
	}); err != nil {
		return ci, err
	}
	ci.Tags = []string{}
	err = scanList(ctx, q, "SELECT tag FROM case_tag ORDER BY tag", func(r *sql.Rows) error {
		var t string
		err := r.Scan(&t)
		ci.Tags = append(ci.Tags, t)
		return err
	})
	return ci, err
}

func scanList(ctx context.Context, q querier, query string, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
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

func writeInfo(ctx context.Context, tx *sql.Tx, ci *CaseInfo) error {
	fast := 0
	if ci.FastTrack {
		fast = 1
	}
	_, err := tx.ExecContext(ctx, `UPDATE case_info SET ref=?, title=?, status=?, fast_track=?, lead_prosecutor=?, opened=?, closed=?, summary=?, updated=?`,
		ci.Ref, ci.Title, ci.Status, fast, ci.LeadProsecutor, ci.Opened.String(), ci.Closed.String(), ci.Summary, ci.Updated.Format(time.RFC3339))
	if err != nil {
		return err
	}
	for _, q := range []string{"DELETE FROM case_exploitation", "DELETE FROM case_jurisdiction", "DELETE FROM case_tag"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	for _, e := range ci.Exploitation {
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_exploitation (form) VALUES (?)", e); err != nil {
			return err
		}
	}
	for _, j := range ci.Jurisdictions {
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_jurisdiction (country, role) VALUES (?, ?)", j.Country, j.Role); err != nil {
			return err
		}
	}
	for _, t := range ci.Tags {
		if _, err := tx.ExecContext(ctx, "INSERT INTO case_tag (tag) VALUES (?)", t); err != nil {
			return err
		}
	}
	return nil
}
