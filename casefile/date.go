package casefile

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day or zone ("2026-03-14"), as
// written on orders and in court diaries. The zero Date means "not set".
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// ParseDate parses YYYY-MM-DD; the empty string gives the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("malformed date %q: write it as YYYY-MM-DD", s)
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return Date{}, fmt.Errorf("date %q is outside the years 1900 to 2200", s)
	}
	return Date{t}, nil
}

// MustDate is ParseDate for constants in tests and demo data.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Today returns the current local date.
func Today() Date {
	y, m, d := time.Now().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return d.t }

// MarshalJSON writes the date as "YYYY-MM-DD", or "" when unset.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
