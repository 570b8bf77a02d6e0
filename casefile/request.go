package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RequestKind is the kind of a cooperation request.
type RequestKind string

// RequestKinds lists every kind: mutual legal assistance outgoing and
// incoming, extradition, joint investigation team, INTERPOL notice or
// diffusion, police-to-police, other.
var RequestKinds = []RequestKind{"mla-outgoing", "mla-incoming", "extradition", "jit", "interpol", "police", "other"}

// RequestStatus is where a request stands.
type RequestStatus string

// RequestStatuses lists every status in their usual order.
var RequestStatuses = []RequestStatus{"drafting", "sent", "acknowledged", "partially-executed", "executed", "refused", "withdrawn"}

var requestTransitions = map[RequestStatus][]RequestStatus{
	"drafting":           {"sent", "withdrawn"},
	"sent":               {"acknowledged", "partially-executed", "executed", "refused", "withdrawn"},
	"acknowledged":       {"partially-executed", "executed", "refused", "withdrawn"},
	"partially-executed": {"partially-executed", "executed", "refused", "withdrawn"},
	"executed":           {},
	"refused":            {},
	"withdrawn":          {},
}

// requestOpen reports whether a request still waits for something.
func requestOpen(s RequestStatus) bool { return len(requestTransitions[s]) > 0 }

// RequestEvent is one dated step of a request's history.
type RequestEvent struct {
	Status RequestStatus `json:"status"`
	Date   Date          `json:"date"`
	Note   string        `json:"note,omitempty"`
}

// Link ties a request to a person, asset or (later) evidence item.
type Link struct {
	Kind string `json:"kind"` // person, asset, evidence
	ID   string `json:"id"`
}

// Request is a cooperation request with another country.
type Request struct {
	ID         string         `json:"id"`
	Kind       RequestKind    `json:"kind"`
	Country    string         `json:"country"`
	Authority  string         `json:"authority,omitempty"`
	FocalPoint string         `json:"focal_point,omitempty"`
	LegalBasis string         `json:"legal_basis,omitempty"`
	OurRef     string         `json:"our_ref,omitempty"`
	TheirRef   string         `json:"their_ref,omitempty"`
	Subject    string         `json:"subject,omitempty"`
	Status     RequestStatus  `json:"status"`
	Deadline   Date           `json:"deadline"`
	Notes      string         `json:"notes,omitempty"`
	Links      []Link         `json:"links"`
	History    []RequestEvent `json:"history"`
	Created    time.Time      `json:"created"`
	Updated    time.Time      `json:"updated"`
}

func (r *Request) normalize() error {
	var err error
	r.Kind = RequestKind(strings.ToLower(strings.TrimSpace(string(r.Kind))))
	if !slices.Contains(RequestKinds, r.Kind) {
		return invalid("kind", "unknown request kind %q (one of %s)", r.Kind, joinValues(RequestKinds))
	}
	if r.Country = strings.ToUpper(strings.TrimSpace(r.Country)); r.Country == "" {
		return invalid("country", "a request needs the counterpart country")
	}
	if r.Country, err = cleanCountry("country", r.Country); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"authority", &r.Authority}, {"focal point", &r.FocalPoint}, {"legal basis", &r.LegalBasis}, {"our reference", &r.OurRef}, {"their reference", &r.TheirRef}, {"subject", &r.Subject}} {
		if *f.v, err = cleanLine(f.name, *f.v, 500, false); err != nil {
			return err
		}
	}
	r.Notes, err = cleanText("notes", r.Notes, maxNotesLen)
	return err
}

// checkLinks refuses links to items that are not in this case.
func checkLinks(ctx context.Context, tx *sql.Tx, links []Link) ([]Link, error) {
	out := []Link{}
	for _, l := range links {
		var table string
		switch l.Kind {
		case "person":
			table = "person"
		case "asset":
			table = "asset"
		default:
			return nil, invalid("link", "cannot link a request to a %q (person or asset)", l.Kind)
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE id = ?", l.ID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, invalid("link", "%s %q is not in this case", l.Kind, l.ID)
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// AddRequest adds a cooperation request (status drafting unless given)
// and returns its id.
func (c *Case) AddRequest(ctx context.Context, r Request) (string, error) {
	if err := r.normalize(); err != nil {
		return "", err
	}
	if r.Status == "" {
		r.Status = "drafting"
	}
	if !slices.Contains(RequestStatuses, r.Status) {
		return "", invalid("status", "unknown request status %q (one of %s)", r.Status, joinValues(RequestStatuses))
	}
	r.ID = newItemID()
	now := time.Now().UTC().Format(time.RFC3339)
	err := c.tx(ctx, func(tx *sql.Tx) error {
		links, err := checkLinks(ctx, tx, r.Links)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO request (id, kind, country, authority, focal_point, legal_basis, our_ref, their_ref, subject, status, deadline, notes, created, updated)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, r.ID, r.Kind, r.Country, r.Authority, r.FocalPoint, r.LegalBasis, r.OurRef, r.TheirRef, r.Subject, r.Status,
			r.Deadline.String(), r.Notes, now, now); err != nil {
			return err
		}
		if err := writeLinks(ctx, tx, r.ID, links); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO request_event (request_id, seq, status, date) VALUES (?, 1, ?, ?)", r.ID, r.Status, Today().String()); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "request.add", r.ID, map[string]any{"kind": r.Kind, "country": r.Country, "status": r.Status, "deadline": r.Deadline.String()})
	})
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

// UpdateRequest changes a request's fields and links (not its status).
func (c *Case) UpdateRequest(ctx context.Context, r Request) error {
	if err := r.normalize(); err != nil {
		return err
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		links, err := checkLinks(ctx, tx, r.Links)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE request SET kind=?, country=?, authority=?, focal_point=?, legal_basis=?, our_ref=?, their_ref=?, subject=?, deadline=?, notes=?, updated=? WHERE id=?`,
			r.Kind, r.Country, r.Authority, r.FocalPoint, r.LegalBasis, r.OurRef, r.TheirRef, r.Subject, r.Deadline.String(), r.Notes, time.Now().UTC().Format(time.RFC3339), r.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("request %q %w in this case", r.ID, ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM request_link WHERE request_id = ?", r.ID); err != nil {
			return err
		}
		if err := writeLinks(ctx, tx, r.ID, links); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "request.update", r.ID, map[string]any{"kind": r.Kind, "country": r.Country, "deadline": r.Deadline.String()})
	})
}

func writeLinks(ctx context.Context, tx *sql.Tx, id string, links []Link) error {
	for _, l := range links {
		if _, err := tx.ExecContext(ctx, "INSERT INTO request_link (request_id, kind, target_id) VALUES (?, ?, ?)", id, l.Kind, l.ID); err != nil {
			return err
		}
	}
	return nil
}

// AddRequestEvent moves a request to a new status; moves that make no
// sense (a withdrawn request executed) are refused.
func (c *Case) AddRequestEvent(ctx context.Context, id string, e RequestEvent) error {
	e.Status = RequestStatus(strings.ToLower(strings.TrimSpace(string(e.Status))))
	if !slices.Contains(RequestStatuses, e.Status) {
		return invalid("status", "unknown request status %q (one of %s)", e.Status, joinValues(RequestStatuses))
	}
	if e.Date.IsZero() {
		e.Date = Today()
	}
	if e.Date.Time().After(time.Now()) {
		return invalid("date", "%s is in the future", e.Date)
	}
	var err error
	if e.Note, err = cleanText("note", e.Note, 10_000); err != nil {
		return err
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		var cur RequestStatus
		var seq int
		err := tx.QueryRowContext(ctx, "SELECT status, (SELECT coalesce(max(seq),0) FROM request_event WHERE request_id = ?) FROM request WHERE id = ?", id, id).Scan(&cur, &seq)
		if err == sql.ErrNoRows {
			return fmt.Errorf("request %q %w in this case", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !slices.Contains(requestTransitions[cur], e.Status) {
			allowed := joinValues(requestTransitions[cur])
			if allowed == "" {
				allowed = "none: it is final"
			}
			return invalid("status", "a request cannot go from %s to %s (from %s it can go to: %s)", cur, e.Status, cur, allowed)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO request_event (request_id, seq, status, date, note) VALUES (?,?,?,?,?)", id, seq+1, e.Status, e.Date.String(), e.Note); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE request SET status = ?, updated = ? WHERE id = ?", e.Status, time.Now().UTC().Format(time.RFC3339), id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "request.event", id, map[string]any{"from": cur, "to": e.Status, "date": e.Date.String()})
	})
}

// Requests returns every cooperation request of the case.
func (c *Case) Requests(ctx context.Context) ([]Request, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return readRequests(ctx, c.conn, "")
}

// Request returns one request.
func (c *Case) Request(ctx context.Context, id string) (Request, error) {
	if err := c.lockOpen(); err != nil {
		return Request{}, err
	}
	defer c.mu.Unlock()
	rs, err := readRequests(ctx, c.conn, id)
	if err != nil {
		return Request{}, err
	}
	if len(rs) == 0 {
		return Request{}, fmt.Errorf("request %q %w in this case", id, ErrNotFound)
	}
	return rs[0], nil
}

func readRequests(ctx context.Context, q querier, only string) ([]Request, error) {
	out := []Request{}
	query := "SELECT id, kind, country, authority, focal_point, legal_basis, our_ref, their_ref, subject, status, deadline, notes, created, updated FROM request"
	args := []any{}
	if only != "" {
		query += " WHERE id = ?"
		args = append(args, only)
	}
	err := scanListArgs(ctx, q, query+" ORDER BY created, id", args, func(rows *sql.Rows) error {
		var r Request
		var deadline, created, updated string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Country, &r.Authority, &r.FocalPoint, &r.LegalBasis, &r.OurRef, &r.TheirRef, &r.Subject, &r.Status, &deadline, &r.Notes, &created, &updated); err != nil {
			return err
		}
		r.Deadline, _ = ParseDate(deadline)
		r.Created, _ = time.Parse(time.RFC3339, created)
		r.Updated, _ = time.Parse(time.RFC3339, updated)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		r.Links, r.History = []Link{}, []RequestEvent{}
		if err := scanListArgs(ctx, q, "SELECT kind, target_id FROM request_link WHERE request_id = ? ORDER BY rowid", []any{r.ID}, func(rows *sql.Rows) error {
			var l Link
			err := rows.Scan(&l.Kind, &l.ID)
			r.Links = append(r.Links, l)
			return err
		}); err != nil {
			return nil, err
		}
		if err := scanListArgs(ctx, q, "SELECT status, date, note FROM request_event WHERE request_id = ? ORDER BY seq", []any{r.ID}, func(rows *sql.Rows) error {
			var e RequestEvent
			var d string
			err := rows.Scan(&e.Status, &d, &e.Note)
			e.Date, _ = ParseDate(d)
			r.History = append(r.History, e)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RequestNextStatuses lists the statuses a request in status s may move
// to (none once executed, refused or withdrawn).
func RequestNextStatuses(s RequestStatus) []RequestStatus { return slices.Clone(requestTransitions[s]) }

// RequestOpen reports whether a request in status s still waits for
// something (its deadline counts).
func RequestOpen(s RequestStatus) bool { return requestOpen(s) }
