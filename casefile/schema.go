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

	// 2: the case register: people and their protection, assets,
	// cooperation requests, deadlines, notes.
	`CREATE TABLE person (
		id                   TEXT PRIMARY KEY,
		full_name            TEXT NOT NULL,
		sex                  TEXT NOT NULL DEFAULT '',
		birth_date           TEXT NOT NULL DEFAULT '',
		age_min              INTEGER NOT NULL DEFAULT 0,
		age_max              INTEGER NOT NULL DEFAULT 0,
		nationality          TEXT NOT NULL DEFAULT '',
		interpreter_needed   INTEGER NOT NULL DEFAULT 0,
		contact              TEXT NOT NULL DEFAULT '',
		notes                TEXT NOT NULL DEFAULT '',
		non_punishment       TEXT NOT NULL DEFAULT '',
		non_punishment_outcome TEXT NOT NULL DEFAULT '',
		repatriation         TEXT NOT NULL DEFAULT '',
		compensation_claimed TEXT NOT NULL DEFAULT '',
		compensation_awarded TEXT NOT NULL DEFAULT '',
		custody_status       TEXT NOT NULL DEFAULT '',
		custody_limit        TEXT NOT NULL DEFAULT '',
		registration_number  TEXT NOT NULL DEFAULT '',
		registration_country TEXT NOT NULL DEFAULT '',
		agency               TEXT NOT NULL DEFAULT '',
		position             TEXT NOT NULL DEFAULT '',
		created              TEXT NOT NULL,
		updated              TEXT NOT NULL
	) STRICT;
	CREATE TABLE person_role (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		role      TEXT NOT NULL,
		PRIMARY KEY (person_id, role)
	) STRICT;
	CREATE TABLE person_alias (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		pos       INTEGER NOT NULL,
		alias     TEXT NOT NULL,
		PRIMARY KEY (person_id, pos)
	) STRICT;
	CREATE TABLE person_language (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		language  TEXT NOT NULL,
		PRIMARY KEY (person_id, language)
	) STRICT;
	CREATE TABLE person_document (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		pos       INTEGER NOT NULL,
		type      TEXT NOT NULL,
		number    TEXT NOT NULL,
		country   TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (person_id, pos)
	) STRICT;
	CREATE TABLE person_exploitation (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		form      TEXT NOT NULL,
		PRIMARY KEY (person_id, form)
	) STRICT;
	CREATE TABLE person_service (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		service   TEXT NOT NULL,
		PRIMARY KEY (person_id, service)
	) STRICT;
	CREATE TABLE person_charge (
		person_id TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		pos       INTEGER NOT NULL,
		offence   TEXT NOT NULL,
		law       TEXT NOT NULL DEFAULT '',
		related   TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (person_id, pos)
	) STRICT;
	CREATE TABLE protection (
		person_id  TEXT PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
		pseudonym  TEXT NOT NULL UNIQUE,
		risk_level TEXT NOT NULL DEFAULT '',
		order_ref  TEXT NOT NULL DEFAULT '',
		start_date TEXT NOT NULL DEFAULT '',
		review_date TEXT NOT NULL DEFAULT ''
	) STRICT;
	CREATE TABLE protection_measure (
		person_id TEXT NOT NULL REFERENCES protection(person_id) ON DELETE CASCADE,
		measure   TEXT NOT NULL,
		PRIMARY KEY (person_id, measure)
	) STRICT;
	CREATE TABLE asset (
		id           TEXT PRIMARY KEY,
		type         TEXT NOT NULL,
		description  TEXT NOT NULL,
		identifier   TEXT NOT NULL DEFAULT '',
		owner_id     TEXT REFERENCES person(id) ON DELETE SET NULL,
		location     TEXT NOT NULL DEFAULT '',
		jurisdiction TEXT NOT NULL DEFAULT '',
		value_minor  INTEGER,
		currency     TEXT NOT NULL DEFAULT '',
		status       TEXT NOT NULL,
		notes        TEXT NOT NULL DEFAULT '',
		created      TEXT NOT NULL,
		updated      TEXT NOT NULL
	) STRICT;
	CREATE TABLE asset_event (
		asset_id  TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
		seq       INTEGER NOT NULL,
		status    TEXT NOT NULL,
		date      TEXT NOT NULL,
		order_ref TEXT NOT NULL DEFAULT '',
		authority TEXT NOT NULL DEFAULT '',
		note      TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (asset_id, seq)
	) STRICT;
	CREATE TABLE request (
		id          TEXT PRIMARY KEY,
		kind        TEXT NOT NULL,
		country     TEXT NOT NULL,
		authority   TEXT NOT NULL DEFAULT '',
		focal_point TEXT NOT NULL DEFAULT '',
		legal_basis TEXT NOT NULL DEFAULT '',
		our_ref     TEXT NOT NULL DEFAULT '',
		their_ref   TEXT NOT NULL DEFAULT '',
		subject     TEXT NOT NULL DEFAULT '',
		status      TEXT NOT NULL,
		deadline    TEXT NOT NULL DEFAULT '',
		notes       TEXT NOT NULL DEFAULT '',
		created     TEXT NOT NULL,
		updated     TEXT NOT NULL
	) STRICT;
	CREATE TABLE request_event (
		request_id TEXT NOT NULL REFERENCES request(id) ON DELETE CASCADE,
		seq        INTEGER NOT NULL,
		status     TEXT NOT NULL,
		date       TEXT NOT NULL,
		note       TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (request_id, seq)
	) STRICT;
	CREATE TABLE request_link (
		request_id TEXT NOT NULL REFERENCES request(id) ON DELETE CASCADE,
		kind       TEXT NOT NULL,
		target_id  TEXT NOT NULL,
		PRIMARY KEY (request_id, kind, target_id)
	) STRICT;
	CREATE TABLE deadline (
		id        TEXT PRIMARY KEY,
		kind      TEXT NOT NULL,
		title     TEXT NOT NULL,
		due       TEXT NOT NULL,
		done      INTEGER NOT NULL DEFAULT 0,
		target_id TEXT NOT NULL DEFAULT '',
		notes     TEXT NOT NULL DEFAULT '',
		created   TEXT NOT NULL
	) STRICT;
	CREATE TABLE note (
		id        TEXT PRIMARY KEY,
		target_id TEXT NOT NULL DEFAULT '',
		text      TEXT NOT NULL,
		author    TEXT NOT NULL,
		created   TEXT NOT NULL,
		updated   TEXT NOT NULL
	) STRICT;`,

	// 3: the evidence register: items, their files, chain of custody.
	`CREATE TABLE evidence (
		id               TEXT PRIMARY KEY,
		exhibit          TEXT NOT NULL UNIQUE,
		parent_id        TEXT REFERENCES evidence(id) ON DELETE CASCADE,
		title            TEXT NOT NULL,
		description      TEXT NOT NULL DEFAULT '',
		type             TEXT NOT NULL,
		obtained_how     TEXT NOT NULL DEFAULT '',
		authority_ref    TEXT NOT NULL DEFAULT '',
		obtained_on      TEXT NOT NULL DEFAULT '',
		obtained_by      TEXT NOT NULL DEFAULT '',
		disclosure       TEXT NOT NULL DEFAULT 'not-disclosed',
		disclosure_date  TEXT NOT NULL DEFAULT '',
		withheld_reason  TEXT NOT NULL DEFAULT '',
		admissibility    TEXT NOT NULL DEFAULT '',
		created          TEXT NOT NULL,
		updated          TEXT NOT NULL
	) STRICT;
	CREATE TABLE evidence_person (
		evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
		person_id   TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
		PRIMARY KEY (evidence_id, person_id)
	) STRICT;
	CREATE TABLE evidence_tag (
		evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
		tag         TEXT NOT NULL,
		PRIMARY KEY (evidence_id, tag)
	) STRICT;
	CREATE TABLE attachment (
		id              TEXT PRIMARY KEY,
		evidence_id     TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
		name            TEXT NOT NULL,
		size            INTEGER NOT NULL,
		media_type      TEXT NOT NULL DEFAULT '',
		sha256          TEXT NOT NULL,
		blob            TEXT NOT NULL,
		text_blob       TEXT NOT NULL DEFAULT '',
		extract_status  TEXT NOT NULL,
		extract_format  TEXT NOT NULL DEFAULT '',
		extract_tool    TEXT NOT NULL DEFAULT '',
		extract_detail  TEXT NOT NULL DEFAULT '',
		metadata        TEXT NOT NULL DEFAULT '{}',
		created         TEXT NOT NULL
	) STRICT;
	CREATE INDEX attachment_sha256 ON attachment(sha256);
	CREATE TABLE custody (
		evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
		seq         INTEGER NOT NULL,
		event       TEXT NOT NULL,
		who         TEXT NOT NULL,
		at_utc      TEXT NOT NULL,
		at_local    TEXT NOT NULL,
		place       TEXT NOT NULL DEFAULT '',
		purpose     TEXT NOT NULL DEFAULT '',
		hash_check  TEXT NOT NULL DEFAULT 'not-checked',
		note        TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (evidence_id, seq)
	) STRICT;
	CREATE TRIGGER custody_append_only_update BEFORE UPDATE ON custody
		BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;
	CREATE TRIGGER custody_append_only_delete BEFORE DELETE ON custody
		WHEN (SELECT count(*) FROM evidence WHERE id = OLD.evidence_id) > 0
		BEGIN SELECT RAISE(ABORT, 'custody events are append-only'); END;`,
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
