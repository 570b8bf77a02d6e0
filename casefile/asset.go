package casefile

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// AssetType is the kind of an asset.
type AssetType string

// AssetTypes lists every asset type.
var AssetTypes = []AssetType{"bank-account", "real-estate", "vehicle", "cash", "cryptocurrency", "business", "valuables", "other"}

// AssetStatus is where an asset stands, from its discovery to its
// confiscation and the compensation of victims.
type AssetStatus string

// The asset statuses.
const (
	AssetIdentified  AssetStatus = "identified"
	AssetFrozen      AssetStatus = "frozen"
	AssetSeized      AssetStatus = "seized"
	AssetConfiscated AssetStatus = "confiscated"
	AssetRealised    AssetStatus = "realised"
	AssetReturned    AssetStatus = "returned" // returned or paid to victims as compensation
	AssetReleased    AssetStatus = "released"
)

// AssetStatuses lists every status in their usual order.
var AssetStatuses = []AssetStatus{AssetIdentified, AssetFrozen, AssetSeized, AssetConfiscated, AssetRealised, AssetReturned, AssetReleased}

// assetTransitions lists the statuses each status may move to. A court
// may release an asset at any stage before it is realised or returned.
var assetTransitions = map[AssetStatus][]AssetStatus{
	AssetIdentified:  {AssetFrozen, AssetSeized, AssetConfiscated, AssetReleased},
	AssetFrozen:      {AssetSeized, AssetConfiscated, AssetReleased},
	AssetSeized:      {AssetConfiscated, AssetReleased},
	AssetConfiscated: {AssetRealised, AssetReturned, AssetReleased},
	AssetRealised:    {AssetReturned},
	AssetReturned:    {},
	AssetReleased:    {AssetFrozen, AssetSeized},
}

// AssetEvent is one dated step of an asset's history.
type AssetEvent struct {
	Status    AssetStatus `json:"status"`
	Date      Date        `json:"date"`
	OrderRef  string      `json:"order_ref,omitempty"`
	Authority string      `json:"authority,omitempty"`
	Note      string      `json:"note,omitempty"`
}

// Asset is something of value to trace, freeze, seize, confiscate and
// return to victims.
type Asset struct {
	ID           string       `json:"id"`
	Type         AssetType    `json:"type"`
	Description  string       `json:"description"`
	Identifier   string       `json:"identifier,omitempty"` // account number, plate, address, wallet
	OwnerID      string       `json:"owner_id,omitempty"`
	OwnerName    string       `json:"owner,omitempty"` // display name (pseudonym if protected); read only
	Location     string       `json:"location,omitempty"`
	Jurisdiction string       `json:"jurisdiction,omitempty"`
	Value        Money        `json:"value"`
	Status       AssetStatus  `json:"status"`
	Notes        string       `json:"notes,omitempty"`
	History      []AssetEvent `json:"history"`
	Created      time.Time    `json:"created"`
	Updated      time.Time    `json:"updated"`
}

func (a *Asset) normalize() error {
	var err error
	a.Type = AssetType(strings.ToLower(strings.TrimSpace(string(a.Type))))
	if !slices.Contains(AssetTypes, a.Type) {
		return invalid("type", "unknown asset type %q (one of %s)", a.Type, joinValues(AssetTypes))
	}
	if a.Description, err = cleanLine("description", a.Description, 1000, true); err != nil {
		return err
	}
	if a.Identifier, err = cleanLine("identifier", a.Identifier, 300, false); err != nil {
		return err
	}
	if a.Location, err = cleanLine("location", a.Location, 500, false); err != nil {
		return err
	}
	if a.Jurisdiction, err = cleanCountry("jurisdiction", a.Jurisdiction); err != nil {
		return err
	}
	if !a.Value.IsZero() && (!ValidCurrency(a.Value.Currency) || a.Value.Minor < 0) {
		return invalid("value", "%q is not a valid amount", a.Value.String())
	}
	if a.Notes, err = cleanText("notes", a.Notes, maxNotesLen); err != nil {
		return err
	}
	return nil
}

func (e *AssetEvent) normalize() error {
	var err error
	e.Status = AssetStatus(strings.ToLower(strings.TrimSpace(string(e.Status))))
	if !slices.Contains(AssetStatuses, e.Status) {
		return invalid("status", "unknown asset status %q (one of %s)", e.Status, joinValues(AssetStatuses))
	}
	if e.Date.IsZero() {
		e.Date = Today()
	}
	if e.Date.Time().After(time.Now()) {
		return invalid("date", "%s is in the future", e.Date)
	}
	if e.OrderRef, err = cleanLine("order", e.OrderRef, 200, false); err != nil {
		return err
	}
	if e.Authority, err = cleanLine("authority", e.Authority, 200, false); err != nil {
		return err
	}
	e.Note, err = cleanText("note", e.Note, 10_000)
	return err
}

// checkOwner refuses an owner who is not a person of this case.
func checkOwner(ctx context.Context, tx *sql.Tx, id string) error {
	if id == "" {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM person WHERE id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return invalid("owner", "%q is not a person of this case", id)
	}
	return nil
}

// AddAsset adds an asset; its history starts with a.History[0] when
// given (to record when it was identified, by which order), else an
// "identified" event (or the status given) dated today. It returns the
// new id.
func (c *Case) AddAsset(ctx context.Context, a Asset) (string, error) {
	if err := a.normalize(); err != nil {
		return "", err
	}
	first := AssetEvent{Status: a.Status}
	if len(a.History) > 0 {
		// The caller dates the first event (an asset identified last year).
		first = a.History[0]
		if a.Status != "" && first.Status != a.Status {
			return "", invalid("status", "the first event (%s) and the status (%s) differ", first.Status, a.Status)
		}
	}
	if first.Status == "" {
		first.Status = AssetIdentified
	}
	if err := first.normalize(); err != nil {
		return "", err
	}
	a.ID, a.Status = newItemID(), first.Status
	now := time.Now().UTC().Truncate(time.Second)
	err := c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO asset (id, type, description, identifier, owner_id, location, jurisdiction, value_minor, currency, status, notes, created, updated)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`, a.ID, a.Type, a.Description, a.Identifier, nullString(a.OwnerID), a.Location, a.Jurisdiction,
			nullMinor(a.Value), a.Value.Currency, a.Status, a.Notes, now.Format(time.RFC3339), now.Format(time.RFC3339))
		if err != nil {
			return err
		}
		if err := insertAssetEvent(ctx, tx, a.ID, 1, first); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "asset.add", a.ID, map[string]any{"type": a.Type, "status": a.Status, "value": a.Value.String()})
	})
	if err != nil {
		return "", err
	}
	return a.ID, nil
}

// UpdateAsset changes an asset's description fields. Its status changes
// only through AddAssetEvent.
func (c *Case) UpdateAsset(ctx context.Context, a Asset) error {
	if err := a.normalize(); err != nil {
		return err
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		if err := checkOwner(ctx, tx, a.OwnerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE asset SET type=?, description=?, identifier=?, owner_id=?, location=?, jurisdiction=?, value_minor=?, currency=?, notes=?, updated=? WHERE id=?`,
			a.Type, a.Description, a.Identifier, nullString(a.OwnerID), a.Location, a.Jurisdiction, nullMinor(a.Value), a.Value.Currency, a.Notes,
			time.Now().UTC().Format(time.RFC3339), a.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("asset %q %w in this case", a.ID, ErrNotFound)
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "asset.update", a.ID, map[string]any{"type": a.Type, "value": a.Value.String()})
	})
}

// AddAssetEvent moves an asset to a new status. Moves the process does
// not allow (confiscating a returned asset, say) are refused.
func (c *Case) AddAssetEvent(ctx context.Context, assetID string, e AssetEvent) error {
	if err := e.normalize(); err != nil {
		return err
	}
	return c.tx(ctx, func(tx *sql.Tx) error {
		var cur AssetStatus
		var seq int
		err := tx.QueryRowContext(ctx, "SELECT status, (SELECT coalesce(max(seq),0) FROM asset_event WHERE asset_id = ?) FROM asset WHERE id = ?", assetID, assetID).Scan(&cur, &seq)
		if err == sql.ErrNoRows {
			return fmt.Errorf("asset %q %w in this case", assetID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !slices.Contains(assetTransitions[cur], e.Status) {
			allowed := joinValues(assetTransitions[cur])
			if allowed == "" {
				allowed = "none: it is final"
			}
			return invalid("status", "an asset cannot go from %s to %s (from %s it can go to: %s)", cur, e.Status, cur, allowed)
		}
		var last string
		tx.QueryRowContext(ctx, "SELECT date FROM asset_event WHERE asset_id = ? ORDER BY seq DESC LIMIT 1", assetID).Scan(&last)
		if ld, _ := ParseDate(last); !ld.IsZero() && e.Date.Before(ld) {
			return invalid("date", "%s is before the previous event (%s)", e.Date, ld)
		}
		if err := insertAssetEvent(ctx, tx, assetID, seq+1, e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE asset SET status = ?, updated = ? WHERE id = ?", e.Status, time.Now().UTC().Format(time.RFC3339), assetID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, c.ws.Actor(), "asset.event", assetID, map[string]any{"from": cur, "to": e.Status, "date": e.Date.String(), "order": e.OrderRef})
	})
}

func insertAssetEvent(ctx context.Context, tx *sql.Tx, id string, seq int, e AssetEvent) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO asset_event (asset_id, seq, status, date, order_ref, authority, note) VALUES (?,?,?,?,?,?,?)",
		id, seq, e.Status, e.Date.String(), e.OrderRef, e.Authority, e.Note)
	return err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullMinor(m Money) any {
	if m.IsZero() {
		return nil
	}
	return m.Minor
}

// Assets returns every asset of the case with its history.
func (c *Case) Assets(ctx context.Context) ([]Asset, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return readAssets(ctx, c.conn, "")
}

// Asset returns one asset.
func (c *Case) Asset(ctx context.Context, id string) (Asset, error) {
	if err := c.lockOpen(); err != nil {
		return Asset{}, err
	}
	defer c.mu.Unlock()
	as, err := readAssets(ctx, c.conn, id)
	if err != nil {
		return Asset{}, err
	}
	if len(as) == 0 {
		return Asset{}, fmt.Errorf("asset %q %w in this case", id, ErrNotFound)
	}
	return as[0], nil
}

func readAssets(ctx context.Context, q querier, only string) ([]Asset, error) {
	out := []Asset{}
	query := `SELECT a.id, a.type, a.description, a.identifier, coalesce(a.owner_id,''), a.location, a.jurisdiction, a.value_minor, a.currency, a.status, a.notes, a.created, a.updated,
		coalesce(pr.pseudonym, p.full_name, '') FROM asset a LEFT JOIN person p ON p.id = a.owner_id LEFT JOIN protection pr ON pr.person_id = a.owner_id`
	args := []any{}
	if only != "" {
		query += " WHERE a.id = ?"
		args = append(args, only)
	}
	err := scanListArgs(ctx, q, query+" ORDER BY a.created, a.id", args, func(r *sql.Rows) error {
		var a Asset
		var minor sql.NullInt64
		var created, updated string
		if err := r.Scan(&a.ID, &a.Type, &a.Description, &a.Identifier, &a.OwnerID, &a.Location, &a.Jurisdiction, &minor, &a.Value.Currency, &a.Status, &a.Notes, &created, &updated, &a.OwnerName); err != nil {
			return err
		}
		if minor.Valid {
			a.Value.Minor = minor.Int64
		} else {
			a.Value = Money{}
		}
		a.Created, _ = time.Parse(time.RFC3339, created)
		a.Updated, _ = time.Parse(time.RFC3339, updated)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].History = []AssetEvent{}
		err := scanListArgs(ctx, q, "SELECT status, date, order_ref, authority, note FROM asset_event WHERE asset_id = ? ORDER BY seq", []any{out[i].ID}, func(r *sql.Rows) error {
			var e AssetEvent
			var d string
			err := r.Scan(&e.Status, &d, &e.OrderRef, &e.Authority, &e.Note)
			e.Date, _ = ParseDate(d)
			out[i].History = append(out[i].History, e)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Total is the sum of asset values in one status and one currency.
type Total struct {
	Status   AssetStatus `json:"status"`
	Currency string      `json:"currency"`
	Amount   string      `json:"amount"`
	Minor    int64       `json:"-"`
	Count    int         `json:"count"`
}

// AssetTotals sums asset values per status per currency, exactly.
func (c *Case) AssetTotals(ctx context.Context) ([]Total, error) {
	if err := c.lockOpen(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return readTotals(ctx, c.conn)
}

func readTotals(ctx context.Context, q querier) ([]Total, error) {
	acc := map[[2]string]*Total{}
	err := scanList(ctx, q, "SELECT status, currency, value_minor FROM asset WHERE value_minor IS NOT NULL", func(r *sql.Rows) error {
		var st AssetStatus
		var cur string
		var minor int64
		if err := r.Scan(&st, &cur, &minor); err != nil {
			return err
		}
		return addTotal(acc, Total{Status: st, Currency: cur, Minor: minor, Count: 1})
	})
	if err != nil {
		return nil, err
	}
	return sortTotals(acc), nil
}

func addTotal(acc map[[2]string]*Total, t Total) error {
	k := [2]string{string(t.Status), t.Currency}
	cur := acc[k]
	if cur == nil {
		cur = &Total{Status: t.Status, Currency: t.Currency}
		acc[k] = cur
	}
	sum, err := addMinor(cur.Minor, t.Minor)
	if err != nil {
		return fmt.Errorf("the %s total in %s is too large to hold exactly", t.Status, t.Currency)
	}
	cur.Minor, cur.Count = sum, cur.Count+t.Count
	return nil
}

func sortTotals(acc map[[2]string]*Total) []Total {
	out := []Total{}
	for _, t := range acc {
		t.Amount = Money{Minor: t.Minor, Currency: t.Currency}.Amount()
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := slices.Index(AssetStatuses, out[i].Status), slices.Index(AssetStatuses, out[j].Status)
		if a != b {
			return a < b
		}
		return out[i].Currency < out[j].Currency
	})
	return out
}

// AssetNextStatuses lists the statuses an asset in status s may move to
// (none for a final status), for forms that offer only valid moves.
func AssetNextStatuses(s AssetStatus) []AssetStatus { return slices.Clone(assetTransitions[s]) }
