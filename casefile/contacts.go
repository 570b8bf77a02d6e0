package casefile

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

// A contact card is a small text file that a unit hands to its partners
// (by e-mail, on paper, over a chat) so that they can send it bundles and
// check the bundles it sends:
//
//	CaseVault contact card v1
//	unit: Specialised Anti-Trafficking Unit (fictional)
//	country: TH
//	focal-point: Prosecutor A. Example
//	age-recipient: age1...
//	age-pq-recipient: age1pq1...
//	signing-key: ssh-ed25519 AAAA...
//	fingerprint: ABCD-EFGH-JKMN-PQRS-TVWX-YZ01
//
// The fingerprint is what two people read to each other over the phone
// before trusting a card: it covers every other line.
const (
	cardHeader       = "CaseVault contact card v1"
	cardLabel        = "casevault/v1/contact-card\x00"
	maxCardSize      = 8 << 10
	maxCardFieldLen  = 200
	maxContacts      = 10_000
	fingerprintBytes = 15 // 120 bits: six groups of four symbols
)

// cardKeys are the fields of a card, in their canonical order.
var cardKeys = []string{"unit", "country", "focal-point", "age-recipient", "age-pq-recipient", "signing-key"}

var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// ContactCard is what a unit publishes about itself: who it is and its
// public keys. It holds no secret.
type ContactCard struct {
	Unit        string `json:"unit"`
	Country     string `json:"country"`
	FocalPoint  string `json:"focal_point,omitempty"`
	Recipient   string `json:"age_recipient"`              // age1... (X25519)
	PQRecipient string `json:"age_pq_recipient,omitempty"` // age1pq1... (ML-KEM-768 + X25519), optional
	SigningKey  string `json:"signing_key"`                // "ssh-ed25519 AAAA..."
}

func (c *ContactCard) field(k string) *string {
	switch k {
	case "unit":
		return &c.Unit
	case "country":
		return &c.Country
	case "focal-point":
		return &c.FocalPoint
	case "age-recipient":
		return &c.Recipient
	case "age-pq-recipient":
		return &c.PQRecipient
	case "signing-key":
		return &c.SigningKey
	}
	return nil
}

// canonical returns the card's text without the fingerprint line: the
// bytes the fingerprint is computed over.
func (c ContactCard) canonical() []byte {
	var b bytes.Buffer
	b.WriteString(cardHeader + "\n")
	for _, k := range cardKeys {
		if v := *c.field(k); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.Bytes()
}

// Fingerprint returns the card's fingerprint: the first 120 bits of
// SHA-256 over a label and the canonical card, in Crockford base32, as six
// groups of four symbols to read out loud.
func (c ContactCard) Fingerprint() string {
	h := sha256.New()
	h.Write([]byte(cardLabel))
	h.Write(c.canonical())
	s := crockford.EncodeToString(h.Sum(nil)[:fingerprintBytes])
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, "-")
}

// Text returns the card as the text file people exchange.
func (c ContactCard) Text() []byte {
	return append(c.canonical(), []byte("fingerprint: "+c.Fingerprint()+"\n")...)
}

// normalizeFingerprint folds a typed fingerprint (or a prefix of one) to
// upper-case symbols without separators, with the usual misreadings
// mapped (O to 0, I and L to 1).
func normalizeFingerprint(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == 'O':
			b.WriteRune('0')
		case r == 'I' || r == 'L':
			b.WriteRune('1')
		case r >= '0' && r <= '9' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validate checks every field of a card and puts them in canonical form.
func (c *ContactCard) validate() error {
	var err error
	if c.Unit, err = cleanLine("unit", c.Unit, maxCardFieldLen, true); err != nil {
		return err
	}
	if c.Country, err = cleanCountry("country", c.Country); err != nil {
		return err
	}
	if c.Country == "" {
		return invalid("country", "is empty")
	}
	if c.FocalPoint, err = cleanLine("focal point", c.FocalPoint, maxCardFieldLen, false); err != nil {
		return err
	}
	if _, err := age.ParseX25519Recipient(c.Recipient); err != nil {
		return invalid("age recipient", "malformed recipient %q", c.Recipient)
	}
	if c.PQRecipient != "" {
		if _, err := age.ParseHybridRecipient(c.PQRecipient); err != nil {
			return invalid("age post-quantum recipient", "malformed recipient %q", shortQuote(c.PQRecipient))
		}
	}
	pub, err := parseSigningKey(c.SigningKey)
	if err != nil {
		return err
	}
	c.SigningKey = formatSigningKey(pub)
	return nil
}

func shortQuote(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// parseSigningKey reads an "ssh-ed25519 AAAA..." public key (no options;
// a comment is ignored).
func parseSigningKey(s string) (ed25519.PublicKey, error) {
	if s == "" {
		return nil, invalid("signing key", "is empty")
	}
	pk, _, opts, rest, err := ssh.ParseAuthorizedKey([]byte(s))
	if err != nil || len(opts) > 0 || len(bytes.TrimSpace(rest)) > 0 {
		return nil, invalid("signing key", "malformed SSH public key %q", shortQuote(s))
	}
	if pk.Type() != ssh.KeyAlgoED25519 {
		return nil, invalid("signing key", "key type %s; an Ed25519 key is needed", pk.Type())
	}
	cpk, ok := pk.(ssh.CryptoPublicKey)
	if !ok {
		return nil, invalid("signing key", "unusable key")
	}
	pub, ok := cpk.CryptoPublicKey().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, invalid("signing key", "unusable key")
	}
	return pub, nil
}

// formatSigningKey writes an Ed25519 key in the authorized_keys form
// that ssh-keygen's allowed signers files use.
func formatSigningKey(pub ed25519.PublicKey) string {
	pk, err := ssh.NewPublicKey(pub)
	if err != nil {
		panic(err) // an Ed25519 key of the right size always converts
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pk)))
}

// ParseContactCard reads a card strictly: the header line first, each
// known field at most once, nothing unknown, every key well formed. Blank
// lines and lines starting with '#' are ignored. A fingerprint line, when
// present, must match the card (it catches a card altered or mistyped on
// the way).
func ParseContactCard(data []byte) (ContactCard, error) {
	var c ContactCard
	if len(data) > maxCardSize {
		return c, fmt.Errorf("contact card is %d bytes, more than a card can be (%d)", len(data), maxCardSize)
	}
	if !utf8.Valid(data) {
		return c, errors.New("contact card is not UTF-8 text")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	seen := map[string]bool{}
	header := false
	fp := ""
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			if line != cardHeader {
				return c, fmt.Errorf("not a CaseVault contact card: line %d is %q, want %q", i+1, shortQuote(line), cardHeader)
			}
			header = true
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return c, fmt.Errorf("contact card line %d is not 'field: value'", i+1)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if seen[k] {
			return c, fmt.Errorf("contact card has field %q twice", k)
		}
		seen[k] = true
		if k == "fingerprint" {
			fp = v
			continue
		}
		f := c.field(k)
		if f == nil {
			return c, fmt.Errorf("contact card has unknown field %q", shortQuote(k))
		}
		*f = v
	}
	if !header {
		return c, errors.New("not a CaseVault contact card: it is empty")
	}
	if err := c.validate(); err != nil {
		return ContactCard{}, fmt.Errorf("contact card: %w", err)
	}
	if fp != "" && normalizeFingerprint(fp) != normalizeFingerprint(c.Fingerprint()) {
		return ContactCard{}, fmt.Errorf("contact card fingerprint %q does not match its content (%s): the card was altered or mistyped; ask for it again", shortQuote(fp), c.Fingerprint())
	}
	return c, nil
}

// Contact is a partner unit this workspace knows: its card, whether
// someone checked its fingerprint with the unit (by phone, in person), and
// when it was added.
type Contact struct {
	ContactCard
	Fingerprint string     `json:"fingerprint"`
	Verified    bool       `json:"verified"`
	VerifiedAt  *time.Time `json:"verified_at,omitempty"`
	Added       time.Time  `json:"added"`
}

// contactBook is the contacts part of the catalog.
type contactBook struct {
	Unit       string            `json:"unit,omitempty"`
	Country    string            `json:"country,omitempty"`
	FocalPoint string            `json:"focal_point,omitempty"`
	Contacts   []*Contact        `json:"contacts,omitempty"`
	Received   []*ReceivedBundle `json:"received,omitempty"`
}

func (b *contactBook) validate() error {
	if len(b.Contacts) > maxContacts {
		return fmt.Errorf("%d contacts", len(b.Contacts))
	}
	seen := map[string]bool{}
	for i, ct := range b.Contacts {
		if ct == nil {
			return fmt.Errorf("contact %d is empty", i)
		}
		if err := ct.ContactCard.validate(); err != nil {
			return fmt.Errorf("contact %d: %v", i, err)
		}
		if ct.Fingerprint != ct.ContactCard.Fingerprint() {
			return fmt.Errorf("contact %d: fingerprint does not match", i)
		}
		if seen[ct.SigningKey] {
			return fmt.Errorf("contact %d is listed twice", i)
		}
		seen[ct.SigningKey] = true
	}
	for i, r := range b.Received {
		if r == nil || !validCaseID(r.CaseID) || !validCaseID(r.BundleID) {
			return fmt.Errorf("received bundle %d is malformed", i)
		}
	}
	return nil
}

// contactsLocked returns the catalog's contact book, made if absent.
// w.mu must be held.
func (w *Workspace) contactsLocked() *contactBook {
	if w.cat.Contacts == nil {
		w.cat.Contacts = &contactBook{}
	}
	return w.cat.Contacts
}

// changeContacts runs fn on the contact book and writes the catalog; if
// either fails, the book is left as it was.
func (w *Workspace) changeContacts(fn func(b *contactBook) error) error {
	// A background catalog flush must not write an older copy over ours.
	w.kickFlush()
	w.flushDone.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return ErrLocked
	}
	old := w.cat.Contacts
	b := &contactBook{}
	if old != nil {
		*b = *old
		b.Contacts = make([]*Contact, len(old.Contacts))
		for i, c := range old.Contacts {
			cc := *c
			b.Contacts[i] = &cc
		}
		b.Received = append([]*ReceivedBundle(nil), old.Received...)
	}
	if err := fn(b); err != nil {
		return err
	}
	w.cat.Contacts = b
	if err := w.saveCatalogLocked(); err != nil {
		w.cat.Contacts = old
		return err
	}
	return nil
}

// Card returns this workspace's contact card. Unit and country are empty
// until SetCardDetails has been called; CardText refuses such a card.
func (w *Workspace) Card() (ContactCard, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keys == nil {
		return ContactCard{}, ErrLocked
	}
	return w.cardLocked(), nil
}

func (w *Workspace) cardLocked() ContactCard {
	c := ContactCard{
		Recipient:   w.keys.Recipient().String(),
		PQRecipient: bundlePQIdentity(w.keys).Recipient().String(),
		SigningKey:  formatSigningKey(w.keys.SigningPublicKey()),
	}
	if b := w.cat.Contacts; b != nil {
		c.Unit, c.Country, c.FocalPoint = b.Unit, b.Country, b.FocalPoint
	}
	return c
}

// CardText returns this workspace's card as the text file to hand to
// partners.
func (w *Workspace) CardText() ([]byte, error) {
	c, err := w.Card()
	if err != nil {
		return nil, err
	}
	if c.Unit == "" || c.Country == "" {
		return nil, errors.New("this workspace's card has no unit name or country yet: set them first (contacts card --unit NAME --country CC)")
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c.Text(), nil
}

// SetCardDetails sets the unit name, country and focal point on this
// workspace's card.
func (w *Workspace) SetCardDetails(unit, country, focalPoint string) error {
	c := ContactCard{Unit: unit, Country: country, FocalPoint: focalPoint}
	var err error
	if c.Unit, err = cleanLine("unit", c.Unit, maxCardFieldLen, true); err != nil {
		return err
	}
	if c.Country, err = cleanCountry("country", c.Country); err != nil {
		return err
	}
	if c.Country == "" {
		return invalid("country", "is empty")
	}
	if c.FocalPoint, err = cleanLine("focal point", c.FocalPoint, maxCardFieldLen, false); err != nil {
		return err
	}
	return w.changeContacts(func(b *contactBook) error {
		b.Unit, b.Country, b.FocalPoint = c.Unit, c.Country, c.FocalPoint
		return nil
	})
}

// AddContact adds a partner from its card (see ParseContactCard) and
// returns it, not yet verified. A card with the same signing key as a
// known contact replaces that contact's details (its verified mark is
// kept only if the card is unchanged).
func (w *Workspace) AddContact(card ContactCard) (Contact, error) {
	if err := card.validate(); err != nil {
		return Contact{}, err
	}
	var out Contact
	err := w.changeContacts(func(b *contactBook) error {
		if card.SigningKey == formatSigningKey(w.keys.SigningPublicKey()) {
			return errors.New("this is this workspace's own card")
		}
		ct := &Contact{ContactCard: card, Fingerprint: card.Fingerprint(), Added: time.Now().UTC().Truncate(time.Second)}
		for i, old := range b.Contacts {
			if old.SigningKey == card.SigningKey || old.Recipient == card.Recipient {
				if old.Fingerprint == ct.Fingerprint {
					ct.Verified, ct.VerifiedAt, ct.Added = old.Verified, old.VerifiedAt, old.Added
				}
				b.Contacts[i] = ct
				out = *ct
				return nil
			}
		}
		if len(b.Contacts) >= maxContacts {
			return fmt.Errorf("this workspace already has %d contacts", maxContacts)
		}
		b.Contacts = append(b.Contacts, ct)
		out = *ct
		return nil
	})
	return out, err
}

// Contacts returns every contact, in the order they were added.
func (w *Workspace) Contacts() ([]Contact, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cat == nil {
		return nil, ErrLocked
	}
	out := []Contact{}
	if b := w.cat.Contacts; b != nil {
		for _, c := range b.Contacts {
			out = append(out, *c)
		}
	}
	return out, nil
}

// FindContact finds a contact by a fingerprint or a prefix of one (at
// least four symbols, separators and case ignored) or by its exact unit
// name (case ignored).
func (w *Workspace) FindContact(key string) (Contact, error) {
	cs, err := w.Contacts()
	if err != nil {
		return Contact{}, err
	}
	c, err := findContact(cs, key)
	if err != nil {
		return Contact{}, err
	}
	return *c, nil
}

func findContact(cs []Contact, key string) (*Contact, error) {
	key = strings.TrimSpace(key)
	var match []*Contact
	for i := range cs {
		if strings.EqualFold(cs[i].Unit, key) {
			match = append(match, &cs[i])
		}
	}
	if len(match) == 0 {
		if nk := normalizeFingerprint(key); len(nk) >= 4 {
			for i := range cs {
				if strings.HasPrefix(normalizeFingerprint(cs[i].Fingerprint), nk) {
					match = append(match, &cs[i])
				}
			}
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return nil, fmt.Errorf("contact %q %w: 'contacts list' shows the contacts", key, ErrNotFound)
	default:
		return nil, fmt.Errorf("%q matches %d contacts: give more of the fingerprint", key, len(match))
	}
}

// VerifyContact marks a contact as verified: someone compared its
// fingerprint with the unit itself, out of band.
func (w *Workspace) VerifyContact(key string) (Contact, error) {
	return w.editContact(key, func(b *contactBook, i int) {
		now := time.Now().UTC().Truncate(time.Second)
		b.Contacts[i].Verified, b.Contacts[i].VerifiedAt = true, &now
	})
}

// RemoveContact forgets a contact. Bundles it sent and that were imported
// stay; new bundles from it are treated as from an unknown signer.
func (w *Workspace) RemoveContact(key string) (Contact, error) {
	return w.editContact(key, func(b *contactBook, i int) {
		b.Contacts = append(b.Contacts[:i], b.Contacts[i+1:]...)
	})
}

func (w *Workspace) editContact(key string, fn func(b *contactBook, i int)) (Contact, error) {
	ct, err := w.FindContact(key)
	if err != nil {
		return Contact{}, err
	}
	var out Contact
	err = w.changeContacts(func(b *contactBook) error {
		for i, c := range b.Contacts {
			if c.SigningKey == ct.SigningKey {
				fn(b, i)
				if i < len(b.Contacts) && b.Contacts[i].SigningKey == ct.SigningKey {
					out = *b.Contacts[i]
				} else {
					out = ct
				}
				return nil
			}
		}
		return fmt.Errorf("contact %q %w", key, ErrNotFound)
	})
	return out, err
}

// forgetReceivedLocked drops the records of bundles received into a case
// that is being deleted, so that the same bundle can be imported again;
// the returned function puts them back (if the deletion fails). w.mu
// must be held.
func (w *Workspace) forgetReceivedLocked(caseID string) (undo func()) {
	b := w.cat.Contacts
	if b == nil {
		return func() {}
	}
	old := b.Received
	var keep []*ReceivedBundle
	for _, r := range old {
		if r.CaseID != caseID {
			keep = append(keep, r)
		}
	}
	b.Received = keep
	return func() { b.Received = old }
}
