package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what a document stands for in its case.
type Kind string

// The kinds of indexed items.
const (
	KindCase     Kind = "case"
	KindEvidence Kind = "evidence"
	KindPerson   Kind = "person"
	KindAsset    Kind = "asset"
	KindRequest  Kind = "request"
	KindNote     Kind = "note"
)

// Kinds lists every Kind, in display order.
var Kinds = []Kind{KindCase, KindEvidence, KindPerson, KindAsset, KindRequest, KindNote}

func (k Kind) valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Well-known keys of Document.Fields. Other keys are indexed as searchable
// text too, but cannot be filtered or faceted on.
const (
	// FieldType is the evidence type ("chat", "email", "photo", ...): the
	// type: filter and the type facet.
	FieldType = "type"
	// FieldPerson holds the names linked to the item, separated by ";"
	// (pseudonyms only, for protected people): the person: filter.
	FieldPerson = "person"
)

// Document is one searchable chunk: a page, a message, an e-mail, a person
// record. It knows nothing of the case file model; casefile maps its items
// onto it. A protected person's real name must never be put in a Document.
type Document struct {
	ID     string    // unique in the index; DocID(CaseID, Kind, ItemID, Chunk) if empty
	CaseID string    // case identifier
	Kind   Kind      // what the item is
	ItemID string    // the item in its case
	Chunk  int       // page, message or part number within the item, from 0
	Date   time.Time // when it happened (message sent, page dated); zero if unknown
	Lang   string    // BCP 47 base language ("th", "vi", "my"), "" if unknown
	Title  string
	Text   string
	Fields map[string]string
}

// DocID is the identifier Put gives a Document without one.
func DocID(caseID string, kind Kind, itemID string, chunk int) string {
	return caseID + "/" + string(kind) + "/" + itemID + "/" + strconv.Itoa(chunk)
}

func (d *Document) validate() error {
	if d.CaseID == "" {
		return fmt.Errorf("document %q has no case id", d.ID)
	}
	if !d.Kind.valid() {
		return fmt.Errorf("document %q has unknown kind %q", d.ID, d.Kind)
	}
	if d.ItemID == "" && d.Kind != KindCase {
		return fmt.Errorf("document %q has no item id", d.ID)
	}
	if d.Chunk < 0 {
		return fmt.Errorf("document %q has negative chunk %d", d.ID, d.Chunk)
	}
	if strings.ContainsRune(d.CaseID, '/') {
		return fmt.Errorf("malformed case id %q", d.CaseID)
	}
	return nil
}
