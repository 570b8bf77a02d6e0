package casefile

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
)

// Origin returns where the case came from if it was received in a bundle,
// or nil for a case made in this workspace.
func (c *Case) Origin(ctx context.Context) (*CaseOrigin, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var raw string
	err := c.conn.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'bundle_origin'").Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var o CaseOrigin
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return nil, damaged(c.relFile(), "its record of the bundle it came from cannot be read", err)
	}
	return &o, nil
}
