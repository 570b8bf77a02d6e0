package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Note is a free-text note on the case (TargetID "") or on one of its
// people, assets or requests.
type Note struct {
	ID       string    `json:"id"`
	TargetID string    `json:"target_id,omitempty"`
	Text     string    `json:"text"`
	Author   string    `json:"author"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// AddNote adds a note and returns its id. The audit entry records where
// the note went, never its text.
func (c *Case) AddNote(ctx context.Context, targetID, text string) (string, error) {
	text, err := cleanText("note", text, maxNotesLen)
	if err != nil {
		return "", err
	}
	if text == "" {
		return "", invalid("note", "is empty")
	}
	id := newItemID()
	now := time.Now().UTC().Format(time.RFC3339)
	err = c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkTarget(ctx, tx, targetID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO note (id, target_id, text, author, created, updated) VALUES (?,?,?,?,?,?)", id, targetID, text, c.ws.Actor(), now, now); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "note.add", id, map[string]any{"target": targetID})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// UpdateNote replaces a note's text.
func (c *Case) UpdateNote(ctx context.Context, id, text string) error {
	text, err := cleanText("note", text, maxNotesLen)
	if err != nil {
		return err
	}
	if text == "" {
		return invalid("note", "is empty")
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE note SET text = ?, updated = ? WHERE id = ?", text, time.Now().UTC().Format(time.RFC3339), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("note %q %w in this case", id, ErrNotFound)
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "note.update", id, nil)
	})
}

// Notes returns the notes on a target ("" for the case itself; "*" for
// all), oldest first.
func (c *Case) Notes(ctx context.Context, targetID string) ([]Note, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	q := "SELECT id, target_id, text, author, created, updated FROM note"
	args := []any{}
	if targetID != "*" {
		q += " WHERE target_id = ?"
		args = append(args, targetID)
	}
	out := []Note{}
	err := scanListArgs(ctx, c.conn, q+" ORDER BY created, id", args, func(r *sql.Rows) error {
		var n Note
		var created, updated string
		err := r.Scan(&n.ID, &n.TargetID, &n.Text, &n.Author, &created, &updated)
		n.Created, _ = time.Parse(time.RFC3339, created)
		n.Updated, _ = time.Parse(time.RFC3339, updated)
		out = append(out, n)
		return err
	})
	return out, err
}
