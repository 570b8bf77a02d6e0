package casefile

import (
	"slices"
	"strings"
)

// Measures of witness protection.
var Measures = []string{"identity-withheld", "relocation", "closed-hearing", "video-link", "distortion", "police-protection", "shelter"}

// RiskLevels of a protected person.
var RiskLevels = []string{"low", "medium", "high", "extreme"}

// Protection is a witness-protection record. While it exists, the person
// is shown by pseudonym everywhere unless deliberately revealed.
type Protection struct {
	Pseudonym string   `json:"pseudonym"` // unique in the case, e.g. "W-3"
	Measures  []string `json:"measures"`
	RiskLevel string   `json:"risk_level,omitempty"`
	OrderRef  string   `json:"order_ref,omitempty"`
	Start     Date     `json:"start"`
	Review    Date     `json:"review"`
}

func (pr *Protection) normalize() error {
	var err error
	if pr.Pseudonym, err = cleanLine("pseudonym", pr.Pseudonym, 40, true); err != nil {
		return invalid("pseudonym", "a protected person needs a pseudonym (e.g. W-3)")
	}
	if pr.Measures, err = cleanEnumList("protection measure", pr.Measures, Measures); err != nil {
		return err
	}
	if pr.RiskLevel = strings.ToLower(strings.TrimSpace(pr.RiskLevel)); pr.RiskLevel != "" && !slices.Contains(RiskLevels, pr.RiskLevel) {
		return invalid("risk level", "unknown value %q (one of %s)", pr.RiskLevel, strings.Join(RiskLevels, ", "))
	}
	if pr.OrderRef, err = cleanLine("protection order", pr.OrderRef, 200, false); err != nil {
		return err
	}
	if !pr.Start.IsZero() && !pr.Review.IsZero() && pr.Review.Before(pr.Start) {
		return invalid("review date", "review on %s is before protection started on %s", pr.Review, pr.Start)
	}
	return nil
}
