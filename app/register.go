package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"casevault/casefile"
)

// caseData is what the register tabs (People, Protection, Assets,
// Cooperation, Timeline) show of the open case. It is read whole on the
// background worker after every change, so that every tab agrees (an
// owner added on People is at once in the Assets owner list). People are
// as casefile returns them: protected identities masked.
type caseData struct {
	people    []casefile.Person
	assets    []casefile.Asset
	totals    []casefile.Total
	requests  []casefile.Request
	deadlines []casefile.Deadline
	notes     []casefile.Note      // on the case itself
	origin    *casefile.CaseOrigin // where a received case came from, or nil
}

// readCaseData reads what the tabs show. It runs in a job.
func readCaseData(c *casefile.Case) (caseData, error) {
	var d caseData
	var err error
	if d.people, err = c.People(bg); err != nil {
		return d, fmt.Errorf("cannot read the people of the case: %w", err)
	}
	if d.assets, err = c.Assets(bg); err != nil {
		return d, fmt.Errorf("cannot read the assets of the case: %w", err)
	}
	if d.totals, err = c.AssetTotals(bg); err != nil {
		return d, fmt.Errorf("cannot add up the assets of the case: %w", err)
	}
	if d.requests, err = c.Requests(bg); err != nil {
		return d, fmt.Errorf("cannot read the requests of the case: %w", err)
	}
	if d.deadlines, err = c.Deadlines(bg); err != nil {
		return d, fmt.Errorf("cannot read the deadlines of the case: %w", err)
	}
	if d.notes, err = c.Notes(bg, ""); err != nil {
		return d, fmt.Errorf("cannot read the notes of the case: %w", err)
	}
	if d.origin, err = c.Origin(bg); err != nil {
		return d, fmt.Errorf("cannot read where the case came from: %w", err)
	}
	return d, nil
}

// person returns the person with id, if the case has one.
func (d *caseData) person(id string) (casefile.Person, bool) {
	for _, p := range d.people {
		if p.ID == id {
			return p, true
		}
	}
	return casefile.Person{}, false
}

// targetName names a person, asset or request of the case for a list:
// people by their display name (the pseudonym of a protected person).
func (d *caseData) targetName(id string) string {
	if id == "" {
		return ""
	}
	for _, p := range d.people {
		if p.ID == id {
			return p.DisplayName()
		}
	}
	for _, a := range d.assets {
		if a.ID == id {
			return "Asset: " + a.Description
		}
	}
	for _, r := range d.requests {
		if r.ID == id {
			return "Request: " + requestLabel(r)
		}
	}
	return id
}

// reloadData reads the case's register again and shows it in every tab.
func (cv *caseView) reloadData() {
	u, c := cv.mv.u, cv.c
	u.run(func() {
		d, err := readCaseData(c)
		u.do(func() {
			if !cv.closed {
				cv.showData(d, err)
			}
		})
	})
}

// reloadInfo reads the case record again (after a bundle updated it) and
// shows it in the Overview, unless the form holds edits of its own.
func (cv *caseView) reloadInfo() {
	u, c := cv.mv.u, cv.c
	u.run(func() {
		info, err := c.Info(bg)
		u.do(func() {
			if cv.closed || err != nil || cv.edited {
				return
			}
			cv.info = info
			cv.form.set(info)
			cv.updateHeading()
		})
	})
}

// showData hands the register to the tabs.
func (cv *caseView) showData(d caseData, err error) {
	if err != nil {
		cv.setStatus(statusFailed, userMessage(err))
		return
	}
	cv.data = d
	cv.form.showOrigin(d.origin)
	cv.people.show(&cv.data)
	cv.protection.show(&cv.data)
	cv.assets.show(&cv.data)
	cv.coop.show(&cv.data)
	cv.timeline.show(&cv.data)
}

// change runs one casefile call on the worker, then reads the register
// again; done gets the call's error on the UI goroutine (a form keeps
// itself open on an error and shows it). The case's autosave writes the
// file afterwards, and the header says so.
func (cv *caseView) change(call func(c *casefile.Case) error, done func(error)) {
	u, c := cv.mv.u, cv.c
	u.idle.poke()
	u.run(func() {
		err := call(c)
		d, readErr := readCaseData(c)
		u.do(func() {
			if cv.closed {
				return
			}
			if done != nil {
				done(err)
			}
			if err == nil {
				cv.setStatus(statusPending, "Saving…")
			}
			cv.showData(d, readErr)
		})
	})
}

// clearData empties the register tabs (on lock, or when the case closes).
func (cv *caseView) clearData() {
	cv.data = caseData{}
	cv.form.showOrigin(nil)
	cv.people.show(&cv.data)
	cv.protection.show(&cv.data)
	cv.assets.show(&cv.data)
	cv.coop.show(&cv.data)
	cv.timeline.show(&cv.data)
}

// shieldIcon marks a protected person (Fyne's theme has no shield).
var shieldIcon = theme.NewThemedResource(fyne.NewStaticResource("shield.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">`+
		`<path d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm0 10.99h7c-.53 4.12-3.28 7.79-7 8.94V12H5V6.3l7-3.11v8.8z"/>`+
		`</svg>`)))

// hiddenText stands in for an identity field of a protected person.
const hiddenText = "hidden — protected"

// Display names of casefile's enumerations, where the stored word does not
// read well with only its first letter capitalised.
var valueNames = map[string]string{
	"legal-person":       "Legal person (company)",
	"official":           "Public official",
	"legal-aid":          "Legal aid",
	"at-large":           "At large",
	"in-custody":         "In custody",
	"bail":               "On bail",
	"identity-withheld":  "Identity withheld",
	"distortion":         "Voice or face distortion",
	"police-protection":  "Police protection",
	"closed-hearing":     "Closed hearing",
	"video-link":         "Video link",
	"bank-account":       "Bank account",
	"real-estate":        "Real estate",
	"business":           "Business interest",
	"returned":           "Returned to victims",
	"mla-outgoing":       "MLA request (outgoing)",
	"mla-incoming":       "MLA request (incoming)",
	"jit":                "Joint investigation team",
	"interpol":           "INTERPOL notice or diffusion",
	"police":             "Police-to-police",
	"partially-executed": "Partially executed",
	"custody-limit":      "Custody time limit",
	"protection-review":  "Protection review",
	"request-deadline":   "Request deadline",
	"limitation":         "Limitation date",
	"not-considered":     "Not considered",
	"not-applied":        "Considered, not applied",
	"considered":         "Considered, pending",
	"not-needed":         "Not needed",
	"in-progress":        "In progress",
	"money-laundering":   "Money laundering",
	"migrant-smuggling":  "Migrant smuggling",
	"organised-crime":    "Organised crime",
}

// valueName returns a stored enumeration value as the user reads it.
func valueName[T ~string](v T) string {
	s := string(v)
	if n, ok := valueNames[s]; ok {
		return n
	}
	return capitalize(strings.ReplaceAll(s, "-", " "))
}

// valueNameList returns the display names of vs in order.
func valueNameList[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = valueName(v)
	}
	return out
}

// valueFromName is the inverse of valueName over the values in vs; it
// returns "" for a name that is none of them.
func valueFromName[T ~string](vs []T, name string) T {
	for _, v := range vs {
		if valueName(v) == name {
			return v
		}
	}
	return ""
}

// valuesFromNames maps display names back to values, in the order of vs.
func valuesFromNames[T ~string](vs []T, names []string) []T {
	out := []T{}
	for _, v := range vs {
		for _, n := range names {
			if valueName(v) == n {
				out = append(out, v)
			}
		}
	}
	return out
}

// joinNames lists values for a table cell.
func joinNames[T ~string](vs []T) string {
	return strings.Join(valueNameList(vs), ", ")
}

// countryLabel returns "Thailand (TH)", or "" for no country.
func countryLabel(code string) string {
	if code == "" {
		return ""
	}
	return countryOption(code)
}

// requestLabel names a request in lists: kind, country and our reference.
func requestLabel(r casefile.Request) string {
	s := valueName(r.Kind) + " to " + casefile.CountryName(r.Country)
	if r.Kind == "mla-incoming" {
		s = valueName(r.Kind) + " from " + casefile.CountryName(r.Country)
	}
	if r.OurRef != "" {
		s += " (" + r.OurRef + ")"
	}
	return s
}

// requestOpen reports whether a request still waits for an answer.
func requestOpen(s casefile.RequestStatus) bool {
	switch s {
	case "executed", "refused", "withdrawn":
		return false
	}
	return true
}

// moneyText shows an amount with its currency and digit groups
// ("1,234,500.00 THB"): exact, and easy to read.
func moneyText(m casefile.Money) string {
	if m.IsZero() {
		return ""
	}
	return groupDigits(m.Amount()) + " " + m.Currency
}

// groupDigits puts thousands separators into a plain decimal amount.
func groupDigits(amount string) string {
	whole, frac, hasDot := strings.Cut(amount, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasDot {
		b.WriteString("." + frac)
	}
	return b.String()
}
