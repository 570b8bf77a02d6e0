package casefile

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"casevault/crypto"
)

// ExportOptions says what goes into a bundle and to whom.
type ExportOptions struct {
	// Evidence, People, Assets and Requests select what goes: nil sends
	// everything, an empty non-nil list nothing. Evidence items are named
	// by id or exhibit number; an item brings the items found inside it.
	Evidence, People, Assets, Requests []string
	// NoNotes leaves every note out (notes on items left out never go).
	NoNotes bool
	// IncludeProtected sends protected people's real identities. By
	// default they travel as their pseudonym only.
	IncludeProtected bool

	// Recipients are the contacts the bundle is encrypted to; or
	// Passphrase, a one-time passphrase (then the only recipient).
	Recipients []Contact
	Passphrase []byte
	// PassphraseWorkFactor is the scrypt work factor (log2 N) for a
	// passphrase bundle; zero is age's default (18).
	PassphraseWorkFactor int

	Purpose        string
	AnswersRequest string // the partner's request this bundle answers
	NoRedisclosure bool   // mark: do not re-disclose without consent

	// Progress, if set, gets the bytes of evidence written so far and the
	// total.
	Progress func(done, total int64)
}

// filteredCase is an in-memory copy of a case database cut down to what
// an export sends, protected identities masked unless chosen otherwise.
type filteredCase struct {
	tmp       *Case
	protected map[string]string // person id: pseudonym
	terms     []leakTerm
}

func (f *filteredCase) close() { f.tmp.closeDB() }

// snapshot returns the case database's bytes (what a save would encrypt).
// The caller wipes them.
func (c *Case) snapshot(ctx context.Context) ([]byte, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var buf bytes.Buffer
	if _, err := streamPages(ctx, c.conn, &buf); err != nil {
		crypto.Wipe(buf.Bytes())
		return nil, err
	}
	return buf.Bytes(), nil
}

// streamPages writes the database image page by page.
func streamPages(ctx context.Context, q querier, w io.Writer) (int64, error) {
	rows, err := q.QueryContext(ctx, "SELECT data FROM sqlite_dbpage('main') ORDER BY pgno")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var page sql.RawBytes
		if err := rows.Scan(&page); err != nil {
			return n, err
		}
		k, err := w.Write(page)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, rows.Err()
}

// filtered makes the copy of the case that opts describe.
func (c *Case) filtered(ctx context.Context, opts ExportOptions) (*filteredCase, error) {
	plain, err := c.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	tmp := &Case{ws: c.ws, id: c.id, identity: c.identity}
	err = tmp.openDB(ctx, plain)
	crypto.Wipe(plain)
	if err != nil {
		return nil, err
	}
	f := &filteredCase{tmp: tmp, protected: map[string]string{}}
	if err := f.apply(ctx, opts); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *filteredCase) apply(ctx context.Context, opts ExportOptions) error {
	conn := f.tmp.conn
	// Deleted rows must not survive in free pages of the copy.
	if _, err := conn.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if opts.Evidence != nil {
		if err := keepEvidence(ctx, tx, opts.Evidence); err != nil {
			return err
		}
	}
	for _, k := range []struct {
		table, link string
		keep        []string
	}{{"person", "person", opts.People}, {"asset", "asset", opts.Assets}, {"request", "", opts.Requests}} {
		if k.keep == nil {
			continue
		}
		keep, err := resolveIDs(ctx, tx, k.table, k.keep)
		if err != nil {
			return err
		}
		if err := deleteExcept(ctx, tx, k.table, keep); err != nil {
			return err
		}
	}
	for _, q := range []string{
		"DELETE FROM request_link WHERE kind = 'person' AND target_id NOT IN (SELECT id FROM person)",
		"DELETE FROM request_link WHERE kind = 'asset' AND target_id NOT IN (SELECT id FROM asset)",
		"DELETE FROM request_link WHERE kind = 'evidence' AND target_id NOT IN (SELECT id FROM evidence)",
		`DELETE FROM note WHERE target_id <> '' AND target_id NOT IN (SELECT id FROM person UNION SELECT id FROM asset
			UNION SELECT id FROM request UNION SELECT id FROM evidence)`,
		`DELETE FROM deadline WHERE target_id <> '' AND target_id NOT IN (SELECT id FROM person UNION SELECT id FROM asset
			UNION SELECT id FROM request UNION SELECT id FROM evidence)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if opts.NoNotes {
		if _, err := tx.ExecContext(ctx, "DELETE FROM note"); err != nil {
			return err
		}
	}
	// What the leak check looks for, read before any masking.
	if f.terms, err = protectedTerms(ctx, tx, f.protected); err != nil {
		return err
	}
	if !opts.IncludeProtected {
		for _, q := range []string{
			`UPDATE person SET full_name = (SELECT pseudonym FROM protection WHERE person_id = person.id),
				birth_date = '', contact = '', notes = '' WHERE id IN (SELECT person_id FROM protection)`,
			"DELETE FROM person_alias WHERE person_id IN (SELECT person_id FROM protection)",
			"DELETE FROM person_document WHERE person_id IN (SELECT person_id FROM protection)",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// keepEvidence deletes every item not selected (by id or exhibit) and not
// found inside a selected item.
func keepEvidence(ctx context.Context, tx *sql.Tx, sel []string) error {
	type item struct{ id, exhibit, parent string }
	var items []item
	if err := scanList(ctx, tx, "SELECT id, exhibit, coalesce(parent_id, '') FROM evidence", func(r *sql.Rows) error {
		var it item
		err := r.Scan(&it.id, &it.exhibit, &it.parent)
		items = append(items, it)
		return err
	}); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, s := range sel {
		found := false
		for _, it := range items {
			if it.id == s || it.exhibit == s {
				keep[it.id], found = true, true
			}
		}
		if !found {
			return invalid("evidence", "%q is not an item of this case", s)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, it := range items {
			if !keep[it.id] && it.parent != "" && keep[it.parent] {
				keep[it.id], changed = true, true
			}
		}
	}
	for _, it := range items {
		if keep[it.id] && it.parent != "" && !keep[it.parent] {
			// Sent without the item it was found in.
			if _, err := tx.ExecContext(ctx, "UPDATE evidence SET parent_id = NULL WHERE id = ?", it.id); err != nil {
				return err
			}
		}
	}
	var ids []string
	for id := range keep {
		ids = append(ids, id)
	}
	return deleteExcept(ctx, tx, "evidence", ids)
}

// resolveIDs checks that every id names a row of table.
func resolveIDs(ctx context.Context, tx *sql.Tx, table string, ids []string) ([]string, error) {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, invalid(table, "%q is not in this case", id)
		}
	}
	return ids, nil
}

// deleteExcept removes every row of table whose id is not in keep.
func deleteExcept(ctx context.Context, tx *sql.Tx, table string, keep []string) error {
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE IF NOT EXISTS bundle_keep (id TEXT PRIMARY KEY)"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM bundle_keep"); err != nil {
		return err
	}
	for _, id := range keep {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO bundle_keep (id) VALUES (?)", id); err != nil {
			return err
		}
	}
	if table == "evidence" {
		// Custody events are append-only while their item exists; the
		// items go first, then their events (the trigger allows that).
		if _, err := tx.ExecContext(ctx, "DELETE FROM evidence WHERE id NOT IN (SELECT id FROM bundle_keep)"); err != nil {
			return fmt.Errorf("filtering evidence: %w", err)
		}
		return nil
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id NOT IN (SELECT id FROM bundle_keep)")
	return err
}

// protectedTerms reads each protected person's real name, aliases and
// document numbers (what must not leak) and fills pseudonyms.
func protectedTerms(ctx context.Context, q querier, pseudonyms map[string]string) ([]leakTerm, error) {
	var terms []leakTerm
	err := scanList(ctx, q, "SELECT p.id, pr.pseudonym, p.full_name FROM person p JOIN protection pr ON pr.person_id = p.id ORDER BY p.id", func(r *sql.Rows) error {
		var id, ps, name string
		err := r.Scan(&id, &ps, &name)
		pseudonyms[id] = ps
		terms = append(terms, newLeakTerm(id, ps, "real name", name))
		return err
	})
	if err != nil {
		return nil, err
	}
	err = scanList(ctx, q, "SELECT a.person_id, a.alias FROM person_alias a JOIN protection pr ON pr.person_id = a.person_id ORDER BY a.person_id, a.pos", func(r *sql.Rows) error {
		var id, v string
		err := r.Scan(&id, &v)
		terms = append(terms, newLeakTerm(id, pseudonyms[id], "alias", v))
		return err
	})
	if err != nil {
		return nil, err
	}
	err = scanList(ctx, q, "SELECT d.person_id, d.type, d.number FROM person_document d JOIN protection pr ON pr.person_id = d.person_id ORDER BY d.person_id, d.pos", func(r *sql.Rows) error {
		var id, typ, v string
		err := r.Scan(&id, &typ, &v)
		terms = append(terms, newLeakTerm(id, pseudonyms[id], strings.TrimSpace(typ+" number"), v))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := terms[:0]
	for _, t := range terms {
		if t.usable() {
			out = append(out, t)
		}
	}
	return out, nil
}
