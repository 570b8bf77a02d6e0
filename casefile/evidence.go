package casefile

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EvidenceTypes lists what an evidence item can be.
var EvidenceTypes = []string{"document", "device-extraction", "chat-log", "email", "financial-record", "photo", "video", "audio",
	"physical-object", "statement", "surveillance-log", "other"}

// ObtainedHow lists how evidence can be obtained.
var ObtainedHow = []string{"seizure", "search", "surveillance", "production-order", "mla", "voluntary", "open-source"}

// DisclosureStates of an evidence item.
var DisclosureStates = []string{"not-disclosed", "disclosed", "withheld"}

// CustodyEvents lists the kinds of chain-of-custody event.
var CustodyEvents = []string{"received", "transferred", "examined", "copied", "returned", "destroyed"}

// Text extraction states of an attachment.
const (
	TextExtracted = "text"    // text was extracted and is searchable
	TextNone      = "no-text" // stored and hashed; nothing to extract (Detail says why)
)

// Evidence is an item of the evidence register.
type Evidence struct {
	ID             string       `json:"id"`
	Exhibit        string       `json:"exhibit"` // per-case sequence, editable, unique; "12.1" for items found inside 12
	ParentID       string       `json:"parent_id,omitempty"`
	Title          string       `json:"title"`
	Description    string       `json:"description,omitempty"`
	Type           string       `json:"type"`
	ObtainedHow    string       `json:"obtained_how,omitempty"`
	AuthorityRef   string       `json:"authority_ref,omitempty"` // warrant or order
	ObtainedOn     Date         `json:"obtained_on"`
	ObtainedBy     string       `json:"obtained_by,omitempty"`
	People         []string     `json:"people"`
	Tags           []string     `json:"tags"`
	Disclosure     string       `json:"disclosure"`
	DisclosureDate Date         `json:"disclosure_date"`
	WithheldReason string       `json:"withheld_reason,omitempty"`
	Admissibility  string       `json:"admissibility,omitempty"`
	Attachments    []Attachment `json:"attachments"`
	Created        time.Time    `json:"created"`
	Updated        time.Time    `json:"updated"`
}

// Attachment is one file of an evidence item.
type Attachment struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Size       int64             `json:"size"`
	MediaType  string            `json:"media_type,omitempty"`
	SHA256     string            `json:"sha256"`
	TextStatus string            `json:"text_status"`
	Format     string            `json:"format,omitempty"`
	Tool       string            `json:"tool,omitempty"` // extraction tool and version, for the court
	Detail     string            `json:"detail,omitempty"`
	Metadata   map[string]string `json:"metadata,omitempty"`
	blob       string
	textBlob   string
}

// CustodyEvent is one link of an item's chain of custody. Events are
// append-only.
type CustodyEvent struct {
	Seq       int       `json:"seq"`
	Event     string    `json:"event"`
	Who       string    `json:"who"`
	At        time.Time `json:"at_utc"`
	AtLocal   string    `json:"at_local"` // the time where it happened, with its offset
	Place     string    `json:"place,omitempty"`
	Purpose   string    `json:"purpose,omitempty"`
	HashCheck string    `json:"hash_check"` // match, mismatch, computed, not-checked
	Note      string    `json:"note,omitempty"`
}

func (e *Evidence) normalize() error {
	var err error
	if e.Exhibit, err = cleanLine("exhibit", e.Exhibit, 40, false); err != nil {
		return err
	}
	if e.Title, err = cleanLine("title", e.Title, maxTitleLen, true); err != nil {
		return err
	}
	if e.Description, err = cleanText("description", e.Description, maxNotesLen); err != nil {
		return err
	}
	if e.Type = strings.ToLower(strings.TrimSpace(e.Type)); !slices.Contains(EvidenceTypes, e.Type) {
		return invalid("type", "unknown evidence type %q (one of %s)", e.Type, strings.Join(EvidenceTypes, ", "))
	}
	if e.ObtainedHow = strings.ToLower(strings.TrimSpace(e.ObtainedHow)); e.ObtainedHow != "" && !slices.Contains(ObtainedHow, e.ObtainedHow) {
		return invalid("obtained how", "unknown value %q (one of %s)", e.ObtainedHow, strings.Join(ObtainedHow, ", "))
	}
	if e.Disclosure == "" {
		e.Disclosure = "not-disclosed"
	}
	if !slices.Contains(DisclosureStates, e.Disclosure) {
		return invalid("disclosure", "unknown value %q (one of %s)", e.Disclosure, strings.Join(DisclosureStates, ", "))
	}
	if e.Disclosure == "withheld" && strings.TrimSpace(e.WithheldReason) == "" {
		return invalid("withheld reason", "evidence withheld from disclosure needs the reason")
	}
	if e.ObtainedOn.Time().After(time.Now()) {
		return invalid("obtained on", "%s is in the future", e.ObtainedOn)
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"authority", &e.AuthorityRef, 300}, {"obtained by", &e.ObtainedBy, 200}, {"withheld reason", &e.WithheldReason, 2000}, {"admissibility", &e.Admissibility, 10000}} {
		if *f.v, err = cleanText(f.name, *f.v, f.max); err != nil {
			return err
		}
	}
	if e.Tags, err = cleanList("tag", e.Tags, maxTagLen, maxTags); err != nil {
		return err
	}
	if e.People == nil {
		e.People = []string{}
	}
	return nil
}

// nextExhibit returns the next free exhibit number: the highest whole
// number used plus one.
func nextExhibit(ctx context.Context, q querier) (int, error) {
	n := 0
	err := scanList(ctx, q, "SELECT exhibit FROM evidence WHERE parent_id IS NULL", func(r *sql.Rows) error {
		var s string
		if err := r.Scan(&s); err != nil {
			return err
		}
		if v, err := strconv.Atoi(s); err == nil && v > n {
			n = v
		}
		return nil
	})
	return n + 1, err
}

// txQueries runs the statements of a transaction: a *sql.Tx, or, in
// c.tx, savedQueries{c}, whose statements, prepared once per open case,
// run on the case's one connection and so inside its open transaction
// (see commitItem).
type txQueries interface {
	querier
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

func checkPeople(ctx context.Context, tx txQueries, ids []string) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM person WHERE id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalid("people", "%q is not a person of this case", id)
		}
	}
	return nil
}

func insertEvidence(ctx context.Context, tx txQueries, e *Evidence) error {
	now := time.Now().UTC().Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, `INSERT INTO evidence (id, exhibit, parent_id, title, description, type, obtained_how, authority_ref, obtained_on, obtained_by,
		disclosure, disclosure_date, withheld_reason, admissibility, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.Exhibit, nullString(e.ParentID), e.Title, e.Description, e.Type, e.ObtainedHow, e.AuthorityRef, e.ObtainedOn.String(), e.ObtainedBy,
		e.Disclosure, e.DisclosureDate.String(), e.WithheldReason, e.Admissibility, now, now); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return invalid("exhibit", "exhibit number %q is already used in this case", e.Exhibit)
		}
		return err
	}
	return writeEvidenceLists(ctx, tx, e)
}

func writeEvidenceLists(ctx context.Context, tx txQueries, e *Evidence) error {
	if err := checkPeople(ctx, tx, e.People); err != nil {
		return err
	}
	for _, q := range []string{"DELETE FROM evidence_person WHERE evidence_id = ?", "DELETE FROM evidence_tag WHERE evidence_id = ?"} {
		if _, err := tx.ExecContext(ctx, q, e.ID); err != nil {
			return err
		}
	}
	for _, p := range e.People {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO evidence_person (evidence_id, person_id) VALUES (?, ?)", e.ID, p); err != nil {
			return err
		}
	}
	for _, t := range e.Tags {
		if _, err := tx.ExecContext(ctx, "INSERT INTO evidence_tag (evidence_id, tag) VALUES (?, ?)", e.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func insertAttachment(ctx context.Context, tx txQueries, evidenceID string, a *Attachment) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO attachment (id, evidence_id, name, size, media_type, sha256, blob, text_blob, extract_status, extract_format, extract_tool, extract_detail, metadata, created)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, a.ID, evidenceID, a.Name, a.Size, a.MediaType, a.SHA256, a.blob, a.textBlob, a.TextStatus, a.Format, a.Tool, a.Detail,
		a.metadataJSON(), time.Now().UTC().Format(time.RFC3339))
	return err
}

// metadataJSON is the attachment's metadata column: a JSON object, {}
// when there is none.
func (a *Attachment) metadataJSON() string {
	if a.Metadata == nil {
		return "{}"
	}
	meta, _ := json.Marshal(a.Metadata)
	return string(meta)
}

func insertCustody(ctx context.Context, tx txQueries, evidenceID string, ev CustodyEvent) error {
	var seq int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM custody WHERE evidence_id = ?", evidenceID).Scan(&seq); err != nil {
		return err
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	if ev.AtLocal == "" {
		ev.AtLocal = ev.At.Local().Format(time.RFC3339)
	}
	if ev.HashCheck == "" {
		ev.HashCheck = "not-checked"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO custody (evidence_id, seq, event, who, at_utc, at_local, place, purpose, hash_check, note) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		evidenceID, seq+1, ev.Event, ev.Who, ev.At.UTC().Format(time.RFC3339), ev.AtLocal, ev.Place, ev.Purpose, ev.HashCheck, ev.Note)
	return err
}

// UpdateEvidence changes an item's register fields (not its files).
func (c *Case) UpdateEvidence(ctx context.Context, e Evidence) error {
	if err := e.normalize(); err != nil {
		return err
	}
	if e.Exhibit == "" {
		return invalid("exhibit", "is empty")
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE evidence SET exhibit=?, title=?, description=?, type=?, obtained_how=?, authority_ref=?, obtained_on=?, obtained_by=?,
			disclosure=?, disclosure_date=?, withheld_reason=?, admissibility=?, updated=? WHERE id=?`,
			e.Exhibit, e.Title, e.Description, e.Type, e.ObtainedHow, e.AuthorityRef, e.ObtainedOn.String(), e.ObtainedBy,
			e.Disclosure, e.DisclosureDate.String(), e.WithheldReason, e.Admissibility, time.Now().UTC().Format(time.RFC3339), e.ID)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return invalid("exhibit", "exhibit number %q is already used in this case", e.Exhibit)
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("evidence %q %w in this case", e.ID, ErrNotFound)
		}
		if err := writeEvidenceLists(ctx, tx, &e); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "evidence.update", e.ID, map[string]any{"exhibit": e.Exhibit, "type": e.Type, "disclosure": e.Disclosure})
	})
}

// AddCustodyEvent appends an event to an item's chain of custody. With
// verify, the item's files are re-hashed first and the result recorded.
func (c *Case) AddCustodyEvent(ctx context.Context, evidenceID string, ev CustodyEvent, verify bool) error {
	ev.Event = strings.ToLower(strings.TrimSpace(ev.Event))
	if !slices.Contains(CustodyEvents, ev.Event) {
		return invalid("event", "unknown custody event %q (one of %s)", ev.Event, strings.Join(CustodyEvents, ", "))
	}
	var err error
	if ev.Who, err = cleanLine("who", ev.Who, 200, true); err != nil {
		return err
	}
	if ev.At.After(time.Now().Add(time.Minute)) {
		return invalid("when", "%s is in the future", ev.At.Format(time.RFC3339))
	}
	for _, f := range []*string{&ev.Place, &ev.Purpose, &ev.Note} {
		if *f, err = cleanText("custody", *f, 2000); err != nil {
			return err
		}
	}
	ev.HashCheck = "not-checked"
	if verify {
		rep, err := c.VerifyEvidence(ctx, evidenceID, nil)
		if err != nil {
			return err
		}
		ev.HashCheck = "match"
		if !rep.OK {
			ev.HashCheck = "mismatch"
		}
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM evidence WHERE id = ?", evidenceID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("evidence %q %w in this case", evidenceID, ErrNotFound)
		}
		if err := insertCustody(ctx, tx, evidenceID, ev); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "custody."+ev.Event, evidenceID, map[string]any{"who": ev.Who, "hash_check": ev.HashCheck})
	})
}

// EvidenceList returns every item of the register, with its files.
func (c *Case) EvidenceList(ctx context.Context) ([]Evidence, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return readEvidence(ctx, c.conn, "")
}

// EvidenceItem returns one item with its files.
func (c *Case) EvidenceItem(ctx context.Context, id string) (Evidence, error) {
	if err := c.lockOpen(); err != nil {
		return Evidence{}, err
	}
	defer c.mu.Unlock()
	es, err := readEvidence(ctx, c.conn, id)
	if err != nil {
		return Evidence{}, err
	}
	if len(es) == 0 {
		return Evidence{}, fmt.Errorf("evidence %q %w in this case", id, ErrNotFound)
	}
	return es[0], nil
}

// Custody returns an item's chain of custody.
func (c *Case) Custody(ctx context.Context, id string) ([]CustodyEvent, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	out := []CustodyEvent{}
	err := scanListArgs(ctx, c.conn, "SELECT seq, event, who, at_utc, at_local, place, purpose, hash_check, note FROM custody WHERE evidence_id = ? ORDER BY seq", []any{id}, func(r *sql.Rows) error {
		var ev CustodyEvent
		var at string
		err := r.Scan(&ev.Seq, &ev.Event, &ev.Who, &at, &ev.AtLocal, &ev.Place, &ev.Purpose, &ev.HashCheck, &ev.Note)
		ev.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, ev)
		return err
	})
	return out, err
}

func readEvidence(ctx context.Context, q querier, only string) ([]Evidence, error) {
	query := `SELECT id, exhibit, coalesce(parent_id, ''), title, description, type, obtained_how, authority_ref, obtained_on, obtained_by,
		disclosure, disclosure_date, withheld_reason, admissibility, created, updated FROM evidence`
	args := []any{}
	if only != "" {
		query += " WHERE id = ?"
		args = append(args, only)
	}
	out := []Evidence{}
	err := scanListArgs(ctx, q, query+" ORDER BY created, exhibit", args, func(r *sql.Rows) error {
		var e Evidence
		var on, dd, created, updated string
		err := r.Scan(&e.ID, &e.Exhibit, &e.ParentID, &e.Title, &e.Description, &e.Type, &e.ObtainedHow, &e.AuthorityRef, &on, &e.ObtainedBy,
			&e.Disclosure, &dd, &e.WithheldReason, &e.Admissibility, &created, &updated)
		e.ObtainedOn, _ = ParseDate(on)
		e.DisclosureDate, _ = ParseDate(dd)
		e.Created, _ = time.Parse(time.RFC3339, created)
		e.Updated, _ = time.Parse(time.RFC3339, updated)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		e := &out[i]
		e.People, e.Tags, e.Attachments = []string{}, []string{}, []Attachment{}
		if err := scanListArgs(ctx, q, "SELECT person_id FROM evidence_person WHERE evidence_id = ? ORDER BY rowid", []any{e.ID}, func(r *sql.Rows) error {
			var p string
			err := r.Scan(&p)
			e.People = append(e.People, p)
			return err
		}); err != nil {
			return nil, err
		}
		if err := scanListArgs(ctx, q, "SELECT tag FROM evidence_tag WHERE evidence_id = ? ORDER BY tag", []any{e.ID}, func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			e.Tags = append(e.Tags, t)
			return err
		}); err != nil {
			return nil, err
		}
		if err := scanListArgs(ctx, q, `SELECT id, name, size, media_type, sha256, blob, text_blob, extract_status, extract_format, extract_tool, extract_detail, metadata
			FROM attachment WHERE evidence_id = ? ORDER BY created, id`, []any{e.ID}, func(r *sql.Rows) error {
			var a Attachment
			var meta string
			err := r.Scan(&a.ID, &a.Name, &a.Size, &a.MediaType, &a.SHA256, &a.blob, &a.textBlob, &a.TextStatus, &a.Format, &a.Tool, &a.Detail, &meta)
			json.Unmarshal([]byte(meta), &a.Metadata)
			e.Attachments = append(e.Attachments, a)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
