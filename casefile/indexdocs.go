package casefile

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// IndexDoc is one searchable piece of a case, for the full-text index.
// casefile knows nothing of the index: the faces map IndexDoc onto the
// search package. A protected person's real name, aliases, documents and
// contact never appear in an IndexDoc: only the pseudonym.
type IndexDoc struct {
	CaseID string
	Kind   string // case, evidence, person, asset, request, note
	ItemID string
	Chunk  int
	Date   time.Time
	Lang   string
	Title  string
	Text   string
	Fields map[string]string // "type": evidence type; "person": linked display names, ";"-separated
}

// IndexDocuments yields every searchable piece of the case: its record,
// people (pseudonyms only for the protected), assets, requests, notes, and
// the text of every evidence item, chunk by chunk. It reads the evidence
// text without an audit entry: indexing is not a person reading.
func (c *Case) IndexDocuments(ctx context.Context, yield func(IndexDoc) error) error {
	info, err := c.Info(ctx)
	if err != nil {
		return err
	}
	id := c.id
	ref := info.Ref
	if err := yield(IndexDoc{CaseID: id, Kind: "case", ItemID: id, Date: info.Opened.Time(), Title: info.Ref + " " + info.Title,
		Text: strings.Join(append([]string{info.Title, info.Summary, info.LeadProsecutor}, info.Tags...), "\n")}); err != nil {
		return err
	}
	people, err := c.People(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range people {
		names[p.ID] = p.DisplayName()
		var text []string
		text = append(text, p.DisplayName())
		if !p.Masked {
			text = append(text, p.Aliases...)
			for _, d := range p.Documents {
				text = append(text, d.Type+" "+d.Number)
			}
			text = append(text, p.Contact, p.Notes)
		}
		for _, ch := range p.Charges {
			text = append(text, ch.Offence, ch.Law)
		}
		text = append(text, p.RegNumber, p.Agency, p.Position)
		roles := make([]string, len(p.Roles))
		for i, r := range p.Roles {
			roles[i] = string(r)
		}
		if err := yield(IndexDoc{CaseID: id, Kind: "person", ItemID: p.ID, Title: p.DisplayName() + " (" + strings.Join(roles, ", ") + ")",
			Text: joinNonEmpty(text), Fields: map[string]string{"person": p.DisplayName(), "type": strings.Join(roles, " ")}}); err != nil {
			return err
		}
	}
	assets, err := c.Assets(ctx)
	if err != nil {
		return err
	}
	for _, a := range assets {
		if err := yield(IndexDoc{CaseID: id, Kind: "asset", ItemID: a.ID, Title: string(a.Type) + ": " + a.Description,
			Text:   joinNonEmpty([]string{a.Description, a.Identifier, a.Location, a.Notes, a.Value.String()}),
			Fields: map[string]string{"type": string(a.Type), "person": a.OwnerName}}); err != nil {
			return err
		}
	}
	requests, err := c.Requests(ctx)
	if err != nil {
		return err
	}
	for _, r := range requests {
		var linked []string
		for _, l := range r.Links {
			if n := names[l.ID]; n != "" {
				linked = append(linked, n)
			}
		}
		if err := yield(IndexDoc{CaseID: id, Kind: "request", ItemID: r.ID, Date: r.Created,
			Title:  fmt.Sprintf("%s %s %s", r.Kind, CountryName(r.Country), r.OurRef),
			Text:   joinNonEmpty([]string{r.Subject, r.Authority, r.FocalPoint, r.LegalBasis, r.OurRef, r.TheirRef, r.Notes}),
			Fields: map[string]string{"type": string(r.Kind), "person": strings.Join(linked, ";")}}); err != nil {
			return err
		}
	}
	notes, err := c.Notes(ctx, "*")
	if err != nil {
		return err
	}
	for _, n := range notes {
		if err := yield(IndexDoc{CaseID: id, Kind: "note", ItemID: n.ID, Date: n.Created, Title: "Note in " + ref, Text: n.Text,
			Fields: map[string]string{"person": names[n.TargetID]}}); err != nil {
			return err
		}
	}
	items, err := c.EvidenceList(ctx)
	if err != nil {
		return err
	}
	store, err := c.blobs()
	if err != nil {
		return err
	}
	for _, e := range items {
		var linked []string
		for _, p := range e.People {
			if n := names[p]; n != "" {
				linked = append(linked, n)
			}
		}
		fields := map[string]string{"type": e.Type, "person": strings.Join(linked, ";")}
		title := "Exhibit " + e.Exhibit + ": " + e.Title
		if err := yield(IndexDoc{CaseID: id, Kind: "evidence", ItemID: e.ID, Date: e.ObtainedOn.Time(), Title: title,
			Text: joinNonEmpty(append([]string{e.Title, e.Description, e.AuthorityRef, e.Admissibility}, e.Tags...)), Fields: fields}); err != nil {
			return err
		}
		chunk := 1
		for _, a := range e.Attachments {
			if a.textBlob == "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := store.open(a.textBlob)
			if err != nil {
				return err
			}
			var st storedText
			err = json.NewDecoder(r).Decode(&st)
			r.Close()
			if err != nil {
				return fmt.Errorf("%w: the text of exhibit %s: %v", ErrDamaged, e.Exhibit, err)
			}
			for _, ch := range st.Chunks {
				date := ch.Time
				if date.IsZero() {
					date = e.ObtainedOn.Time()
				}
				t := ch.Text
				if ch.Sender != "" {
					t = ch.Sender + ": " + t
				}
				if err := yield(IndexDoc{CaseID: id, Kind: "evidence", ItemID: e.ID, Chunk: chunk, Date: date, Lang: ch.Lang, Title: title,
					Text: t, Fields: fields}); err != nil {
					return err
				}
				chunk++
			}
		}
	}
	return nil
}

func joinNonEmpty(parts []string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
