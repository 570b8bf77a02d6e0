package ident

// Match is an identifier found in text.
type Match struct {
	Start, End int
	Forms      []string
}

// FindAll finds identifiers.
func FindAll(text string) []Match { return nil }

// Extract returns the canonical forms of the identifiers in text.
func Extract(text string) []string { return nil }
