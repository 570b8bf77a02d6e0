package casefile

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the numbered schema changes of a case database. The
// database's user_version is the number of migrations applied. Never edit
// one that has shipped: append a new one.
var migrations = []string{
	// 1: the case, its lists, the audit chain, and save metadata.
	`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) STRICT;
	CREATE TABLE case_info (
		id              TEXT PRIMARY KEY,
		ref             TEXT NOT NULL,
		title           TEXT NOT NULL,
		status          TEXT NOT NULL CHECK (status IN ('intake','investigation','charged','trial','appeal','closed')),
		fast_track      INTEGER NOT NULL DEFAULT 0,
		lead_prosecutor TEXT NOT NULL DEFAULT '',
		opened          TEXT NOT NULL DEFAULT '',
		closed          TEXT NOT NULL DEFAULT '',
		summary         TEXT NOT NULL DEFAULT '',
		created         TEXT NOT NULL,
		updated         TEXT NOT NULL
	) STRICT;
	CREATE TABLE case_exploitation (
		form TEXT PRIMARY KEY
	) STRICT;
	CREATE TABLE case_jurisdiction (
		country TEXT NOT NULL,
		role    TEXT NOT NULL,
		PRIMARY KEY (country, role)
	) STRICT;
	CREATE TABLE case_tag (
		tag TEXT PRIMARY KEY
	) STRICT;
	CREATE TABLE audit (
		seq     INTEGER PRIMARY KEY,
		time    TEXT NOT NULL,
		actor   TEXT NOT NULL,
		action  TEXT NOT NULL,
		target  TEXT NOT NULL,
		details TEXT NOT NULL,
		prev    BLOB NOT NULL,
		hash    BLOB NOT NULL
	) STRICT;`,
}

// SchemaVersion is the schema version this CaseVault writes.
var SchemaVersion = len(migrations)

// migrate brings the database to SchemaVersion, one migration per
// transaction. A database from a newer CaseVault is refused.
func migrate(ctx context.Context, conn *sql.Conn) error {
	var v int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("case file has schema version %d, newer than this CaseVault understands (%d): update CaseVault", v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
