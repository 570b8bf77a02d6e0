package casefile

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DamagedError reports a file that failed authentication, is truncated or
// does not parse. It matches ErrDamaged with errors.Is.
type DamagedError struct {
	File   string // path relative to the workspace
	Advice string // what the user can do
	Err    error
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("%s is damaged or tampered with; nothing was loaded and nothing was changed", e.File)
	if e.Advice != "" {
		msg += ": " + e.Advice
	}
	return msg
}

func (e *DamagedError) Unwrap() error { return e.Err }

func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func damaged(file, advice string, err error) error {
	var d *DamagedError
	if errors.As(err, &d) {
		return err
	}
	return &DamagedError{File: file, Advice: advice, Err: err}
}

const (
	adviceBackup   = "restore it from a backup"
	adviceRecovery = "restore it from a backup, or run 'recover' with the recovery code to write a new one"
)

// ErrLocked is returned by operations that need the workspace keys while the
// workspace is locked.
var ErrLocked = errors.New("workspace is locked: unlock it with the passphrase first")

// ErrCaseFull is returned by a change that would make the case's database
// (its registers, custody and audit records; not the evidence files)
// larger than memdbLimit. The change is not made; nothing else is lost.
var ErrCaseFull = errors.New("the case has reached the largest size CaseVault can hold (4 GiB of records, evidence files not counted): this change was not made, and nothing else was lost; close the case and ask your administrator how to split it")

// caseFull turns SQLite's "database or disk is full" (in memdb, the size
// limit) into ErrCaseFull.
func caseFull(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL {
		return fmt.Errorf("%w (%v)", ErrCaseFull, err)
	}
	return err
}

// ErrNotFound is returned for a case, or an item of a case, that does not exist.
var ErrNotFound = errors.New("not found")

// ValidationError says which field of an input is wrong and why. Nothing was
// changed.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s; nothing was changed", e.Field, e.Msg)
}

func invalid(field, format string, a ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, a...)}
}
