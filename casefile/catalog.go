package casefile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"filippo.io/age"

	"casevault/crypto"
)

const (
	catalogFormat  = "casevault-catalog"
	catalogVersion = 1
	catalogName    = "catalog.age"
	maxCatalogSize = 256 << 20
)

// catalog is the plaintext of catalog.age: each case's identity, its save
// generation, its audit checkpoint, and the summary that lists and filters
// need without opening every case file.
type catalog struct {
	Format  string         `json:"format"`
	Version int            `json:"version"`
	Cases   []*catalogCase `json:"cases"`
	// Contacts holds this workspace's own card details, its partner
	// units and the bundles it received (contacts.go). Optional: a
	// catalog written before contacts existed has none.
	Contacts *contactBook `json:"contacts,omitempty"`
}

type catalogCase struct {
	ID         string      `json:"id"`
	Identity   string      `json:"identity"`
	Generation uint64      `json:"generation"`
	Checkpoint Checkpoint  `json:"checkpoint"`
	Summary    CaseSummary `json:"summary"`
	// Due and Totals serve the workspace-wide due list and asset totals
	// without opening every case file.
	Due    []Deadline `json:"due,omitempty"`
	Totals []Total    `json:"totals,omitempty"`

	// key is Identity parsed, kept while the workspace is unlocked (it
	// goes with the catalog at lock), so that opening a case does not
	// derive the public key again (about 0.2 ms, most of an X25519
	// scalar multiplication). Nil in an entry made without it.
	key *crypto.CaseIdentity
}

// caseKey returns the case's identity, parsing it if the entry has none.
func (cc *catalogCase) caseKey() (*crypto.CaseIdentity, error) {
	if cc.key != nil {
		return cc.key, nil
	}
	return crypto.ParseCaseIdentity(cc.Identity)
}

func newCatalog() *catalog {
	return &catalog{Format: catalogFormat, Version: catalogVersion, Cases: []*catalogCase{}}
}

func parseCatalog(data []byte) (*catalog, error) {
	var c catalog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: catalog does not parse: %v", ErrDamaged, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: catalog has trailing data", ErrDamaged)
	}
	if c.Format != catalogFormat {
		return nil, fmt.Errorf("%w: not a CaseVault catalog", ErrDamaged)
	}
	if c.Version > catalogVersion {
		return nil, fmt.Errorf("catalog format %d is newer than this CaseVault understands (%d): update CaseVault", c.Version, catalogVersion)
	}
	if c.Version < 1 {
		return nil, fmt.Errorf("%w: catalog version %d", ErrDamaged, c.Version)
	}
	seenID := map[string]bool{}
	seenRef := map[string]bool{}
	for i, cc := range c.Cases {
		if cc == nil || !validCaseID(cc.ID) {
			return nil, fmt.Errorf("%w: catalog entry %d has a malformed case id", ErrDamaged, i)
		}
		if seenID[cc.ID] || seenRef[cc.Summary.Ref] {
			return nil, fmt.Errorf("%w: catalog lists case %s twice", ErrDamaged, cc.ID)
		}
		seenID[cc.ID], seenRef[cc.Summary.Ref] = true, true
		key, err := crypto.ParseCaseIdentity(cc.Identity)
		if err != nil {
			return nil, fmt.Errorf("%w: catalog entry for case %s has a malformed key", ErrDamaged, cc.ID)
		}
		cc.key = key
		if cc.Summary.ID != cc.ID {
			return nil, fmt.Errorf("%w: catalog entry for case %s is inconsistent", ErrDamaged, cc.ID)
		}
	}
	if c.Contacts != nil {
		if err := c.Contacts.validate(); err != nil {
			return nil, fmt.Errorf("%w: catalog contacts: %v", ErrDamaged, err)
		}
	}
	if c.Cases == nil {
		c.Cases = []*catalogCase{}
	}
	return &c, nil
}

func (c *catalog) find(id string) *catalogCase {
	for _, cc := range c.Cases {
		if cc.ID == id {
			return cc
		}
	}
	return nil
}

func (c *catalog) remove(id string) {
	out := c.Cases[:0]
	for _, cc := range c.Cases {
		if cc.ID != id {
			out = append(out, cc)
		}
	}
	c.Cases = out
}

// encryptTo writes the catalog as an age file to the workspace recipient.
func (c *catalog) encryptTo(w io.Writer, r age.Recipient) error {
	plain, err := json.Marshal(c)
	if err != nil {
		return err
	}
	defer crypto.Wipe(plain)
	return crypto.Encrypt(w, plain, r)
}

func decryptCatalog(data []byte, id age.Identity) (*catalog, error) {
	r, err := crypto.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	plain, err := io.ReadAll(r)
	defer crypto.Wipe(plain)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return parseCatalog(plain)
}
