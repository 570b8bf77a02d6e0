package casefile

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// A bundle carries one case, whole or filtered, to another unit. It is an
// age file (to the chosen contacts, or to a one-time passphrase) whose
// plaintext is a tar archive:
//
//	manifest.json    what the bundle holds, who sent it, to whom, why
//	manifest.sig     SSH signature of manifest.json (namespace "casevault-bundle")
//	case.db          the filtered case database (SQLite)
//	blobs/<sha256>   each original and extracted text it refers to, by SHA-256
//
// Sign, then encrypt: the signature is inside the encryption, so only the
// recipients learn who sent it. docs/FORMAT.md has the details.
const (
	bundleFormat  = "casevault-bundle"
	bundleVersion = 1

	manifestName  = "manifest.json"
	signatureName = "manifest.sig"
	databaseName  = "case.db"
	blobMemberDir = "blobs/"

	maxManifestSize  = 32 << 20
	maxBundleMembers = 200_000
	maxMemberSize    = 1 << 40 // 1 TiB: more than any evidence file
	maxDatabaseSize  = 4 << 30
	maxBundleText    = 10_000
)

var blobMemberRE = regexp.MustCompile(`^blobs/[0-9a-f]{64}$`)

// ErrBundleRefused is matched (errors.Is) by every reason a bundle is
// refused: not for this workspace, not signed, altered, malformed.
var ErrBundleRefused = errors.New("bundle refused")

type bundleError struct{ msg string }

func (e *bundleError) Error() string {
	return "bundle refused: " + e.msg + "; nothing was imported"
}
func (e *bundleError) Is(target error) bool { return target == ErrBundleRefused }

func refused(format string, a ...any) error { return &bundleError{fmt.Sprintf(format, a...)} }

// UnknownSignerError reports a bundle correctly signed by a key that is
// not among the contacts. Check Fingerprint with the sender out of band,
// then add its card, or import with Trust.
type UnknownSignerError struct {
	Sender      ContactCard
	Fingerprint string
}

func (e *UnknownSignerError) Error() string {
	return fmt.Sprintf("bundle refused: it is signed by %q (%s), fingerprint %s, which is not among the contacts; check the fingerprint with the sender, then add their card or import with --trust; nothing was imported",
		e.Sender.Unit, e.Sender.Country, e.Fingerprint)
}
func (e *UnknownSignerError) Is(target error) bool { return target == ErrBundleRefused }

// Manifest is the plaintext of manifest.json.
type Manifest struct {
	Format            string         `json:"format"`
	Version           int            `json:"version"`
	BundleID          string         `json:"bundle_id"`
	Created           time.Time      `json:"created"`
	Sender            ContactCard    `json:"sender"`
	SenderFingerprint string         `json:"sender_fingerprint"`
	Recipients        []BundleParty  `json:"recipients"`
	Passphrase        bool           `json:"passphrase"` // encrypted to a one-time passphrase instead
	Purpose           string         `json:"purpose,omitempty"`
	AnswersRequest    string         `json:"answers_request,omitempty"` // the request this bundle answers (their reference)
	NoRedisclosure    bool           `json:"no_redisclosure"`           // do not re-disclose without the sender's consent
	ProtectedIncluded bool           `json:"protected_identities_included"`
	Case              BundleCase     `json:"case"`
	Checkpoint        Checkpoint     `json:"checkpoint"`
	Members           []BundleMember `json:"members"`
}

// BundleParty names an intended recipient.
type BundleParty struct {
	Unit        string `json:"unit"`
	Country     string `json:"country"`
	Fingerprint string `json:"fingerprint"`
	Recipient   string `json:"age_recipient"`
}

// BundleCase says which case of the sender the bundle carries.
type BundleCase struct {
	ID    string `json:"id"` // the sender's case id
	Ref   string `json:"ref"`
	Title string `json:"title"`
}

// BundleMember is one file of the bundle's tar, with its size and SHA-256.
type BundleMember struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// parseManifest reads manifest.json strictly and checks that it is
// self-consistent. It trusts nothing: sizes, names and counts are checked
// against fixed limits.
func parseManifest(data []byte) (*Manifest, error) {
	if len(data) > maxManifestSize {
		return nil, refused("manifest is too large")
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, refused("manifest does not parse: %v", err)
	}
	if dec.More() {
		return nil, refused("manifest has trailing data")
	}
	if m.Format != bundleFormat {
		return nil, refused("not a CaseVault bundle")
	}
	if m.Version != bundleVersion {
		return nil, refused("bundle format %d is not understood by this CaseVault (it reads %d)", m.Version, bundleVersion)
	}
	if !validCaseID(m.BundleID) || !validCaseID(m.Case.ID) {
		return nil, refused("manifest has a malformed id")
	}
	if err := m.Sender.validate(); err != nil {
		return nil, refused("sender card in the manifest: %v", err)
	}
	if m.SenderFingerprint != m.Sender.Fingerprint() {
		return nil, refused("manifest's sender fingerprint does not match the sender's card")
	}
	if m.Passphrase == (len(m.Recipients) > 0) {
		return nil, refused("manifest must name recipients or a passphrase, not both")
	}
	for _, s := range []string{m.Purpose, m.AnswersRequest, m.Case.Ref, m.Case.Title} {
		if checkText("manifest", s, maxBundleText) != nil {
			return nil, refused("manifest holds malformed text")
		}
	}
	if len(m.Members) == 0 || len(m.Members) > maxBundleMembers {
		return nil, refused("manifest lists %d members (at most %d)", len(m.Members), maxBundleMembers)
	}
	seen := make(map[string]bool, len(m.Members))
	for _, mb := range m.Members {
		switch {
		case mb.Name == databaseName:
			if mb.Size > maxDatabaseSize {
				return nil, refused("case database of %d bytes is too large", mb.Size)
			}
		case blobMemberRE.MatchString(mb.Name):
			if mb.Name[len(blobMemberDir):] != mb.SHA256 {
				return nil, refused("member %q is not named by its SHA-256", mb.Name)
			}
		default:
			return nil, refused("manifest lists an unexpected member %q", shortQuote(mb.Name))
		}
		if seen[mb.Name] {
			return nil, refused("manifest lists %q twice", mb.Name)
		}
		seen[mb.Name] = true
		if mb.Size < 0 || mb.Size > maxMemberSize {
			return nil, refused("member %q has an impossible size", mb.Name)
		}
		if b, err := hex.DecodeString(mb.SHA256); err != nil || len(b) != 32 || hex.EncodeToString(b) != mb.SHA256 {
			return nil, refused("member %q has a malformed SHA-256", mb.Name)
		}
	}
	if !seen[databaseName] {
		return nil, refused("manifest lists no case database")
	}
	return &m, nil
}

// member returns the manifest entry for name.
func (m *Manifest) member(name string) (BundleMember, bool) {
	for _, mb := range m.Members {
		if mb.Name == name {
			return mb, true
		}
	}
	return BundleMember{}, false
}

// ReceivedBundle records a bundle imported into this workspace: which
// case it became, who sent it, and which case of theirs it carries, so
// that a later bundle of the same case is recognised as an update.
type ReceivedBundle struct {
	CaseID       string    `json:"case_id"` // the local case
	BundleID     string    `json:"bundle_id"`
	SenderKey    string    `json:"sender_key"` // the sender's signing key
	SenderUnit   string    `json:"sender_unit"`
	SenderCase   string    `json:"sender_case"` // the sender's case id
	Created      time.Time `json:"created"`     // when the sender made the bundle
	Imported     time.Time `json:"imported"`
	PreviousCase string    `json:"previous_case,omitempty"` // the local case of the earlier version
}
