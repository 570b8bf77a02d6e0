package casefile

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// DeadlineKind is what a deadline is about.
type DeadlineKind string

// DeadlineKinds lists every kind. Protection reviews, request deadlines
// and custody time limits are also derived from the records they belong to.
var DeadlineKinds = []DeadlineKind{"hearing", "custody-limit", "limitation", "protection-review", "request-deadline", "task"}

// Deadline is a dated thing to do or attend.
type Deadline struct {
	ID       string       `json:"id"`
	CaseID   string       `json:"case_id"`
	CaseRef  string       `json:"case_ref"`
	Kind     DeadlineKind `json:"kind"`
	Title    string       `json:"title"`
	Due      Date         `json:"due"`
	Done     bool         `json:"done"`
	TargetID string       `json:"target_id,omitempty"`
	Notes    string       `json:"notes,omitempty"`
	// Derived deadlines come from a protection review date, a request
	// deadline or a custody limit; change them there.
	Derived bool `json:"derived"`
}

// Overdue reports whether the deadline passed without being done.
func (d Deadline) Overdue(today Date) bool { return !d.Done && d.Due.Before(today) }

func (d *Deadline) normalize() error {
	var err error
	d.Kind = DeadlineKind(strings.ToLower(strings.TrimSpace(string(d.Kind))))
	if !slices.Contains(DeadlineKinds, d.Kind) {
		return invalid("kind", "unknown deadline kind %q (one of %s)", d.Kind, joinValues(DeadlineKinds))
	}
	if d.Title, err = cleanLine("title", d.Title, 300, true); err != nil {
		return err
	}
	if d.Due.IsZero() {
		return invalid("due", "a deadline needs a date")
	}
	d.Notes, err = cleanText("notes", d.Notes, 10_000)
	return err
}

// AddDeadline adds a deadline (hearing, task...) and returns its id.
func (c *Case) AddDeadline(ctx context.Context, d Deadline) (string, error) {
	if err := d.normalize(); err != nil {
		return "", err
	}
	d.ID = newItemID()
	err := c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkTarget(ctx, tx, d.TargetID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO deadline (id, kind, title, due, done, target_id, notes, created) VALUES (?,?,?,?,?,?,?,?)",
			d.ID, d.Kind, d.Title, d.Due.String(), boolInt(d.Done), d.TargetID, d.Notes, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "deadline.add", d.ID, map[string]any{"kind": d.Kind, "due": d.Due.String()})
	})
	if err != nil {
		return "", err
	}
	return d.ID, nil
}

// UpdateDeadline changes a deadline added with AddDeadline (marking it
// done, say). Derived deadlines change at their source.
func (c *Case) UpdateDeadline(ctx context.Context, d Deadline) error {
	if d.Derived {
		return invalid("deadline", "this date comes from a protection record, a request or a custody limit: change it there")
	}
	if err := d.normalize(); err != nil {
		return err
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkTarget(ctx, tx, d.TargetID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE deadline SET kind=?, title=?, due=?, done=?, target_id=?, notes=? WHERE id=?",
			d.Kind, d.Title, d.Due.String(), boolInt(d.Done), d.TargetID, d.Notes, d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("deadline %q %w in this case", d.ID, ErrNotFound)
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "deadline.update", d.ID, map[string]any{"kind": d.Kind, "due": d.Due.String(), "done": d.Done})
	})
}

// Deadlines returns the case's deadlines, those it derives included,
// sorted by date.
func (c *Case) Deadlines(ctx context.Context) ([]Deadline, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return readDeadlines(ctx, c.conn, c.id)
}

func readDeadlines(ctx context.Context, q querier, caseID string) ([]Deadline, error) {
	var ref string
	q.QueryRowContext(ctx, "SELECT ref FROM case_info").Scan(&ref)
	out := []Deadline{}
	add := func(d Deadline) {
		d.CaseID, d.CaseRef = caseID, ref
		out = append(out, d)
	}
	err := scanList(ctx, q, "SELECT id, kind, title, due, done, target_id, notes FROM deadline", func(r *sql.Rows) error {
		var d Deadline
		var due string
		var done int
		err := r.Scan(&d.ID, &d.Kind, &d.Title, &due, &done, &d.TargetID, &d.Notes)
		d.Due, _ = ParseDate(due)
		d.Done = done != 0
		add(d)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Derived: protection reviews (by pseudonym, never the real name).
	err = scanList(ctx, q, "SELECT person_id, pseudonym, review_date FROM protection WHERE review_date <> ''", func(r *sql.Rows) error {
		var pid, pseudo, due string
		err := r.Scan(&pid, &pseudo, &due)
		dd, _ := ParseDate(due)
		add(Deadline{ID: "protection:" + pid, Kind: "protection-review", Title: "Protection review: " + pseudo, Due: dd, TargetID: pid, Derived: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	err = scanList(ctx, q, "SELECT id, kind, country, our_ref, status, deadline FROM request WHERE deadline <> ''", func(r *sql.Rows) error {
		var id, kind, country, ourRef, due string
		var status RequestStatus
		err := r.Scan(&id, &kind, &country, &ourRef, &status, &due)
		if !requestOpen(status) {
			return err
		}
		dd, _ := ParseDate(due)
		title := fmt.Sprintf("Request deadline: %s, %s", kind, CountryName(country))
		if ourRef != "" {
			title += " (" + ourRef + ")"
		}
		add(Deadline{ID: "request:" + id, Kind: "request-deadline", Title: title, Due: dd, TargetID: id, Derived: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	err = scanList(ctx, q, `SELECT p.id, coalesce(pr.pseudonym, p.full_name), p.custody_limit FROM person p LEFT JOIN protection pr ON pr.person_id = p.id
		WHERE p.custody_limit <> '' AND p.custody_status = 'in-custody'`, func(r *sql.Rows) error {
		var pid, name, due string
		err := r.Scan(&pid, &name, &due)
		dd, _ := ParseDate(due)
		add(Deadline{ID: "custody:" + pid, Kind: "custody-limit", Title: "Custody time limit: " + name, Due: dd, TargetID: pid, Derived: true})
		return err
	})
	if err != nil {
		return nil, err
	}
	sortDeadlines(out)
	return out, nil
}

func sortDeadlines(ds []Deadline) {
	slices.SortFunc(ds, func(a, b Deadline) int {
		return cmp.Or(a.Due.Time().Compare(b.Due.Time()), cmp.Compare(a.CaseRef, b.CaseRef), cmp.Compare(a.ID, b.ID))
	})
}

// checkTarget refuses a link to an item that is not a person, asset or
// request of this case.
func checkTarget(ctx context.Context, tx *sql.Tx, id string) error {
	if id == "" {
		return nil
	}
	var n int
	err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM person WHERE id = ?) + (SELECT count(*) FROM asset WHERE id = ?) + (SELECT count(*) FROM request WHERE id = ?)", id, id, id).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return invalid("target", "%q is not a person, asset or request of this case", id)
	}
	return nil
}

// Due returns the open deadlines of every case due on or before until
// (overdue ones included), from the catalog: no case file is opened. The
// merged, sorted list is kept until the catalog changes.
func (w *Workspace) Due(until Date) ([]Deadline, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return nil, ErrLocked
	}
	if w.dueCache == nil {
		all := []Deadline{}
		for _, cc := range w.cat.Cases {
			all = append(all, cc.Due...)
		}
		sortDeadlines(all)
		w.dueCache = all
	}
	n := sort.Search(len(w.dueCache), func(i int) bool { return w.dueCache[i].Due.Time().After(until.Time()) })
	return slices.Clone(w.dueCache[:n]), nil
}

// AssetTotals sums every case's asset totals per status and currency, from
// the catalog: no case file is opened.
func (w *Workspace) AssetTotals() ([]Total, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return nil, ErrLocked
	}
	if w.totalsCache == nil {
		acc := map[[2]string]*Total{}
		for _, cc := range w.cat.Cases {
			for _, t := range cc.Totals {
				m, err := ParseMoney(t.Amount, t.Currency)
				if err != nil {
					return nil, damaged(catalogName, adviceBackup, err)
				}
				t.Minor = m.Minor
				if err := addTotal(acc, t); err != nil {
					return nil, err
				}
			}
		}
		w.totalsCache = sortTotals(acc)
	}
	return slices.Clone(w.totalsCache), nil
}

// catalogChangedLocked drops what is derived from the catalog. w.mu must
// be held.
func (w *Workspace) catalogChangedLocked() {
	w.dueCache, w.totalsCache = nil, nil
}

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }
