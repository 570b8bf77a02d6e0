package casefile

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// BundleUpdate reports how a later bundle of a case already received
// differs from the earlier version. The later bundle became a new case
// linked to the earlier one; nothing was merged or overwritten. (A merge
// of the two is not done yet: the user compares and carries changes over.)
type BundleUpdate struct {
	PreviousCaseID string         `json:"previous_case_id"`
	Problem        string         `json:"problem,omitempty"` // why no comparison could be made
	LocalChanges   int            `json:"local_changes"`     // audit entries made locally on the earlier version since it was received
	Changes        []BundleChange `json:"changes"`
}

// BundleChange lists, for one kind of record, the ids added, removed and
// changed from the earlier version to the new one.
type BundleChange struct {
	Kind    string   `json:"kind"` // evidence, person, asset, request, note, deadline
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Changed []string `json:"changed"`
}

// String sums a change up in one line.
func (ch BundleChange) String() string {
	return fmt.Sprintf("%s: %d added, %d removed, %d changed", ch.Kind, len(ch.Added), len(ch.Removed), len(ch.Changed))
}

// bundleUpdate compares the new case with the earlier version.
func (w *Workspace) bundleUpdate(ctx context.Context, previousID string, c *Case) *BundleUpdate {
	u := &BundleUpdate{PreviousCaseID: previousID, Changes: []BundleChange{}}
	prev, err := w.OpenCase(ctx, previousID)
	if err != nil {
		u.Problem = "the earlier version cannot be opened: " + err.Error()
		return u
	}
	prev.mu.Lock()
	old, oerr := recordDigests(ctx, prev.conn)
	entries, _ := readAudit(ctx, prev.conn)
	prev.mu.Unlock()
	c.mu.Lock()
	cur, cerr := recordDigests(ctx, c.conn)
	c.mu.Unlock()
	if oerr != nil || cerr != nil {
		u.Problem = fmt.Sprintf("the versions cannot be compared: %v %v", oerr, cerr)
		return u
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Action == "bundle.import" {
			break
		}
		u.LocalChanges++
	}
	for _, kind := range digestKinds {
		ch := BundleChange{Kind: kind.name, Added: []string{}, Removed: []string{}, Changed: []string{}}
		for id, d := range cur[kind.name] {
			od, ok := old[kind.name][id]
			switch {
			case !ok:
				ch.Added = append(ch.Added, id)
			case od != d:
				ch.Changed = append(ch.Changed, id)
			}
		}
		for id := range old[kind.name] {
			if _, ok := cur[kind.name][id]; !ok {
				ch.Removed = append(ch.Removed, id)
			}
		}
		sort.Strings(ch.Added)
		sort.Strings(ch.Removed)
		sort.Strings(ch.Changed)
		if len(ch.Added)+len(ch.Removed)+len(ch.Changed) > 0 {
			u.Changes = append(u.Changes, ch)
		}
	}
	return u
}

// digestKinds are the records compared, each with the query that gives
// its id and content (columns that only say when a row was written, and
// blob file names, which differ between workspaces, are left out).
var digestKinds = []struct{ name, query string }{
	{"evidence", `SELECT e.id, e.exhibit, coalesce(e.parent_id,''), e.title, e.description, e.type, e.obtained_how, e.authority_ref, e.obtained_on,
		e.obtained_by, e.disclosure, e.disclosure_date, e.withheld_reason, e.admissibility,
		coalesce((SELECT group_concat(sha256 || ':' || name, ',') FROM (SELECT sha256, name FROM attachment WHERE evidence_id = e.id ORDER BY sha256, name)), '')
		FROM evidence e`},
	{"person", `SELECT p.id, p.full_name, p.sex, p.birth_date, p.nationality, p.contact, p.notes, p.custody_status,
		coalesce((SELECT pseudonym FROM protection WHERE person_id = p.id), ''),
		coalesce((SELECT group_concat(role, ',') FROM person_role WHERE person_id = p.id), '') FROM person p`},
	{"asset", "SELECT id, type, description, identifier, coalesce(owner_id,''), location, jurisdiction, coalesce(value_minor,''), currency, status, notes FROM asset"},
	{"request", "SELECT id, kind, country, authority, focal_point, legal_basis, our_ref, their_ref, subject, status, deadline, notes FROM request"},
	{"note", "SELECT id, target_id, text FROM note"},
	{"deadline", "SELECT id, kind, title, due, done, target_id, notes FROM deadline"},
}

func recordDigests(ctx context.Context, q querier) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, k := range digestKinds {
		m := map[string]string{}
		rows, err := q.QueryContext(ctx, k.query)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			var b strings.Builder
			for _, v := range vals[1:] {
				b.WriteString(v.String)
				b.WriteByte(0)
			}
			h := sha256.Sum256([]byte(b.String()))
			m[vals[0].String] = hex.EncodeToString(h[:])
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
		out[k.name] = m
	}
	return out, nil
}
