package casefile

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status is where a case stands.
type Status string

// The statuses of a case, in their usual order.
const (
	StatusIntake        Status = "intake"
	StatusInvestigation Status = "investigation"
	StatusCharged       Status = "charged"
	StatusTrial         Status = "trial"
	StatusAppeal        Status = "appeal"
	StatusClosed        Status = "closed"
)

// Statuses lists every status in order.
var Statuses = []Status{StatusIntake, StatusInvestigation, StatusCharged, StatusTrial, StatusAppeal, StatusClosed}

// Exploitation is a form of exploitation a case concerns.
type Exploitation string

// The forms of exploitation.
const (
	ExploitationSexual Exploitation = "sexual"
	ExploitationLabour Exploitation = "labour"
	ExploitationOrgan  Exploitation = "organ-removal"
	ExploitationOther  Exploitation = "other"
)

// Exploitations lists every form of exploitation.
var Exploitations = []Exploitation{ExploitationSexual, ExploitationLabour, ExploitationOrgan, ExploitationOther}

// JurisdictionRole is a country's place on the trafficking route.
type JurisdictionRole string

// The roles of a jurisdiction.
const (
	RoleOrigin      JurisdictionRole = "origin"
	RoleTransit     JurisdictionRole = "transit"
	RoleDestination JurisdictionRole = "destination"
)

// JurisdictionRoles lists every jurisdiction role.
var JurisdictionRoles = []JurisdictionRole{RoleOrigin, RoleTransit, RoleDestination}

// Jurisdiction is a country (ISO 3166-1 alpha-2) and its role in the case.
type Jurisdiction struct {
	Country string           `json:"country"`
	Role    JurisdictionRole `json:"role"`
}

// String returns "TH:origin".
func (j Jurisdiction) String() string { return j.Country + ":" + string(j.Role) }

// ParseJurisdiction parses "TH:origin" (the code in any case).
func ParseJurisdiction(s string) (Jurisdiction, error) {
	c, r, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Jurisdiction{}, invalid("jurisdiction", "%q is not COUNTRY:ROLE (e.g. TH:origin)", s)
	}
	return Jurisdiction{Country: strings.ToUpper(strings.TrimSpace(c)), Role: JurisdictionRole(strings.ToLower(strings.TrimSpace(r)))}, nil
}

// CaseInfo is the case's own record: what the Overview tab shows and edits.
type CaseInfo struct {
	ID             string         `json:"id"`
	Ref            string         `json:"ref"`
	Title          string         `json:"title"`
	Status         Status         `json:"status"`
	Exploitation   []Exploitation `json:"exploitation"`
	FastTrack      bool           `json:"fast_track"`
	Jurisdictions  []Jurisdiction `json:"jurisdictions"`
	LeadProsecutor string         `json:"lead_prosecutor"`
	Opened         Date           `json:"opened"`
	Closed         Date           `json:"closed"`
	Summary        string         `json:"summary"`
	Tags           []string       `json:"tags"`
	Created        time.Time      `json:"created"`
	Updated        time.Time      `json:"updated"`
}

// CaseSummary is what the case list shows; the catalog keeps it so that the
// list needs no case file opened.
type CaseSummary struct {
	ID             string    `json:"id"`
	Ref            string    `json:"ref"`
	Title          string    `json:"title"`
	Status         Status    `json:"status"`
	FastTrack      bool      `json:"fast_track"`
	LeadProsecutor string    `json:"lead_prosecutor"`
	Opened         Date      `json:"opened"`
	Tags           []string  `json:"tags"`
	Updated        time.Time `json:"updated"`
}

func (ci *CaseInfo) summary() CaseSummary {
	return CaseSummary{
		ID: ci.ID, Ref: ci.Ref, Title: ci.Title, Status: ci.Status, FastTrack: ci.FastTrack,
		LeadProsecutor: ci.LeadProsecutor, Opened: ci.Opened, Tags: slices.Clone(ci.Tags), Updated: ci.Updated,
	}
}

// Field limits, in characters.
const (
	maxRefLen     = 64
	maxTitleLen   = 300
	maxNameLen    = 200
	maxTagLen     = 64
	maxTags       = 50
	maxSummaryLen = 100_000
)

// normalize trims and validates ci in place, filling defaults. It returns a
// ValidationError naming the first bad field.
func (ci *CaseInfo) normalize() error {
	var err error
	if ci.Ref, err = cleanLine("ref", ci.Ref, maxRefLen, true); err != nil {
		return err
	}
	if ci.Title, err = cleanLine("title", ci.Title, maxTitleLen, true); err != nil {
		return err
	}
	if ci.LeadProsecutor, err = cleanLine("lead prosecutor", ci.LeadProsecutor, maxNameLen, false); err != nil {
		return err
	}
	if ci.Summary, err = cleanText("summary", ci.Summary, maxSummaryLen); err != nil {
		return err
	}
	if ci.Status == "" {
		ci.Status = StatusIntake
	}
	if !slices.Contains(Statuses, ci.Status) {
		return invalid("status", "unknown status %q (one of %s)", ci.Status, joinValues(Statuses))
	}
	ex := []Exploitation{}
	for _, e := range ci.Exploitation {
		if !slices.Contains(Exploitations, e) {
			return invalid("exploitation", "unknown form of exploitation %q (one of %s)", e, joinValues(Exploitations))
		}
		if !slices.Contains(ex, e) {
			ex = append(ex, e)
		}
	}
	ci.Exploitation = ex
	js := []Jurisdiction{}
	for _, j := range ci.Jurisdictions {
		if !ValidCountry(j.Country) {
			return invalid("jurisdiction", "unknown country code %q (use ISO 3166 codes such as TH, KH, MY)", j.Country)
		}
		if !slices.Contains(JurisdictionRoles, j.Role) {
			return invalid("jurisdiction", "unknown role %q for %s (one of %s)", j.Role, j.Country, joinValues(JurisdictionRoles))
		}
		if slices.Contains(js, j) {
			continue
		}
		js = append(js, j)
	}
	ci.Jurisdictions = js
	tags := []string{}
	for _, t := range ci.Tags {
		t, err := cleanLine("tag", t, maxTagLen, false)
		if err != nil {
			return err
		}
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	if len(tags) > maxTags {
		return invalid("tags", "%d tags; at most %d", len(tags), maxTags)
	}
	sort.Strings(tags)
	ci.Tags = tags
	if ci.Status == StatusClosed && ci.Closed.IsZero() {
		ci.Closed = Today()
	}
	if !ci.Closed.IsZero() && ci.Status != StatusClosed {
		return invalid("closed", "a closed date is set but the status is %q: set the status to closed, or clear the date", ci.Status)
	}
	if !ci.Opened.IsZero() && !ci.Closed.IsZero() && ci.Closed.Before(ci.Opened) {
		return invalid("closed", "closed on %s, before it was opened on %s", ci.Closed, ci.Opened)
	}
	if ci.Opened.Time().After(time.Now().AddDate(0, 0, 1)) {
		return invalid("opened", "%s is in the future", ci.Opened)
	}
	return nil
}

// cleanLine trims a one-line field and checks its length and characters.
func cleanLine(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", invalid(field, "is empty")
	}
	if strings.ContainsAny(s, "\r\n") {
		return "", invalid(field, "must be one line")
	}
	return s, checkText(field, s, max)
}

// cleanText trims a multi-line field and checks it.
func cleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	return s, checkText(field, s, max)
}

func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid(field, "is %d characters long; at most %d", n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return invalid(field, "contains a control character (U+%04X)", r)
		}
	}
	return nil
}

func joinValues[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// diff lists the fields that differ between two records, for the audit log.
func (ci *CaseInfo) diff(old *CaseInfo) map[string]any {
	d := map[string]any{}
	add := func(name string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			d[name] = a
		}
	}
	add("ref", ci.Ref, old.Ref)
	add("title", ci.Title, old.Title)
	add("status", ci.Status, old.Status)
	add("exploitation", ci.Exploitation, old.Exploitation)
	add("fast_track", ci.FastTrack, old.FastTrack)
	add("jurisdictions", ci.Jurisdictions, old.Jurisdictions)
	add("lead_prosecutor", ci.LeadProsecutor, old.LeadProsecutor)
	add("opened", ci.Opened.String(), old.Opened.String())
	add("closed", ci.Closed.String(), old.Closed.String())
	add("summary", ci.Summary, old.Summary)
	add("tags", ci.Tags, old.Tags)
	return d
}
