package casefile

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"filippo.io/age"

	"casevault/crypto"
)

// ExportResult says what a bundle holds.
type ExportResult struct {
	Manifest  Manifest  `json:"manifest"`
	Evidence  int       `json:"evidence"`
	People    int       `json:"people"`
	Files     int       `json:"files"` // blobs: originals and extracted texts
	Bytes     int64     `json:"bytes"` // plaintext bytes of the tar members
	LeakHits  []LeakHit `json:"leak_hits"`
	Encrypted string    `json:"encrypted_to"` // "post-quantum", "X25519" or "passphrase"
}

// bundleBlob is one blob a bundle carries.
type bundleBlob struct {
	name   string // the sender's blob file name
	sha256 string
	size   int64
}

// Export writes a bundle of the case to out, as opts say: the case
// database filtered and protected identities masked (unless chosen
// otherwise), the originals and texts it refers to (each original
// re-hashed as it is read: it must match the register), a manifest signed
// with the workspace key, all in one age encryption, streamed. The export
// is recorded in the case's audit chain. On error, what was written to out
// is not a valid bundle and should be removed.
//
// Export does not refuse leaks: call LeakCheck first and show its hits
// (ExportResult.LeakHits repeats them).
func (c *Case) Export(ctx context.Context, out io.Writer, opts ExportOptions) (*ExportResult, error) {
	w := c.ws
	w.mu.Lock()
	keys := w.keys
	var card ContactCard
	if keys != nil {
		card = w.cardLocked()
	}
	w.mu.Unlock()
	if keys == nil {
		return nil, ErrLocked
	}
	if card.Unit == "" || card.Country == "" {
		return nil, errors.New("this workspace's card has no unit name or country yet: set them first (contacts card --unit NAME --country CC), so that recipients know who sent the bundle")
	}
	recipients, parties, kind, err := bundleRecipients(opts)
	if err != nil {
		return nil, err
	}
	f, err := c.filtered(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer f.close()
	hits, err := f.leakCheck(ctx, c, opts.IncludeProtected)
	if err != nil {
		return nil, err
	}
	store, err := c.blobs()
	if err != nil {
		return nil, err
	}
	conn := f.tmp.conn

	// Blobs are named in the bundle by their SHA-256: the originals' come
	// from the register, the texts' are computed here.
	blobs := map[string]bundleBlob{}
	type att struct{ id, blob, textBlob, sha string }
	var atts []att
	var evidenceCount, peopleCount int
	if err := scanList(ctx, conn, "SELECT id, blob, text_blob, sha256, size FROM attachment ORDER BY id", func(r *sql.Rows) error {
		var a att
		var size int64
		if err := r.Scan(&a.id, &a.blob, &a.textBlob, &a.sha, &size); err != nil {
			return err
		}
		atts = append(atts, a)
		blobs[a.sha] = bundleBlob{name: a.blob, sha256: a.sha, size: size}
		return nil
	}); err != nil {
		return nil, err
	}
	textSHA := map[string]string{}
	for _, a := range atts {
		if a.textBlob == "" || textSHA[a.textBlob] != "" {
			continue
		}
		sum, size, err := store.hashBlob(ctx, a.textBlob, nil)
		if err != nil {
			return nil, fmt.Errorf("cannot read an extracted text: %w", err)
		}
		textSHA[a.textBlob] = sum
		if _, ok := blobs[sum]; !ok {
			blobs[sum] = bundleBlob{name: a.textBlob, sha256: sum, size: size}
		}
	}
	for _, a := range atts {
		if _, err := conn.ExecContext(ctx, "UPDATE attachment SET blob = ?, text_blob = ? WHERE id = ?", a.sha, textSHA[a.textBlob], a.id); err != nil {
			return nil, err
		}
	}
	conn.QueryRowContext(ctx, "SELECT count(*) FROM evidence").Scan(&evidenceCount)
	conn.QueryRowContext(ctx, "SELECT count(*) FROM person").Scan(&peopleCount)
	if _, err := conn.ExecContext(ctx, "VACUUM"); err != nil {
		return nil, err
	}
	h := sha256.New()
	dbSize, err := streamPages(ctx, conn, h)
	if err != nil {
		return nil, err
	}

	info, err := readInfo(ctx, conn)
	if err != nil {
		return nil, err
	}
	var size uint64
	var head []byte
	if err := conn.QueryRowContext(ctx, "SELECT count(*), coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), x'') FROM audit").Scan(&size, &head); err != nil {
		return nil, err
	}
	bundleID, err := newCaseID()
	if err != nil {
		return nil, err
	}
	m := Manifest{
		Format: bundleFormat, Version: bundleVersion, BundleID: bundleID, Created: time.Now().UTC().Truncate(time.Second),
		Sender: card, SenderFingerprint: card.Fingerprint(), Recipients: parties, Passphrase: len(opts.Passphrase) > 0,
		Purpose: opts.Purpose, AnswersRequest: opts.AnswersRequest, NoRedisclosure: opts.NoRedisclosure,
		ProtectedIncluded: opts.IncludeProtected,
		Case:              BundleCase{ID: c.id, Ref: info.Ref, Title: info.Title},
		Checkpoint:        signCheckpoint(keys, c.id, size, hex.EncodeToString(head)),
		Members:           []BundleMember{{Name: databaseName, Size: dbSize, SHA256: hex.EncodeToString(h.Sum(nil))}},
	}
	shas := make([]string, 0, len(blobs))
	var total int64
	for s, b := range blobs {
		shas = append(shas, s)
		total += b.size
	}
	sort.Strings(shas)
	for _, s := range shas {
		m.Members = append(m.Members, BundleMember{Name: blobMemberDir + s, Size: blobs[s].size, SHA256: s})
	}
	if len(m.Members) > maxBundleMembers {
		return nil, fmt.Errorf("the case has %d files, more than a bundle can carry (%d): send it in parts", len(m.Members)-1, maxBundleMembers)
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	manifest = append(manifest, '\n')
	signer, err := newWorkspaceSigner(keys)
	if err != nil {
		return nil, err
	}
	sig, err := sshSign(signer, bundleNamespace, manifest)
	if err != nil {
		return nil, err
	}

	out, stopWriteBehind := newWriteBehind(out)
	defer stopWriteBehind()
	aw, err := age.Encrypt(out, recipients...)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(aw)
	mtime := m.Created
	put := func(name string, size int64, body func(io.Writer) error) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
			return err
		}
		return body(tw)
	}
	if err := put(manifestName, int64(len(manifest)), func(w io.Writer) error { _, err := w.Write(manifest); return err }); err != nil {
		return nil, err
	}
	if err := put(signatureName, int64(len(sig)), func(w io.Writer) error { _, err := w.Write(sig); return err }); err != nil {
		return nil, err
	}
	if err := put(databaseName, dbSize, func(w io.Writer) error {
		h := sha256.New()
		n, err := streamPages(ctx, conn, io.MultiWriter(w, h))
		if err == nil && (n != dbSize || hex.EncodeToString(h.Sum(nil)) != m.Members[0].SHA256) {
			err = errors.New("the case database changed while it was written")
		}
		return err
	}); err != nil {
		return nil, err
	}
	var done int64
	for _, s := range shas {
		b := blobs[s]
		err := put(blobMemberDir+s, b.size, func(w io.Writer) error {
			// Random access decrypts each chunk in place into the copy's
			// buffer; age's sequential reader allocates a fresh chunk
			// buffer for every 64 KiB and copies it twice (a fifth of the
			// export's CPU in a profile). The final chunk is authenticated
			// when the blob is opened, so a truncated blob is refused.
			ra, size, f, err := store.openAt(b.name)
			if err != nil {
				return err
			}
			defer f.Close()
			mismatch := fmt.Errorf("%w: an evidence file no longer matches the SHA-256 in the register (%s); run 'evidence verify' and restore it from a backup; no bundle was made", ErrDamaged, b.sha256)
			if size != b.size {
				return mismatch
			}
			h := sha256.New()
			// Decrypting the original, hashing it and encrypting the
			// bundle overlap.
			n, err := copyHashed(ctx, w, damagedBlobReader{io.NewSectionReader(ra, 0, size), b.name}, h, func(k int64) {
				done += k
				if opts.Progress != nil {
					opts.Progress(done, total)
				}
			})
			if err != nil {
				return err
			}
			if n != b.size || hex.EncodeToString(h.Sum(nil)) != b.sha256 {
				return mismatch
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}

	to := []string{}
	for _, p := range parties {
		to = append(to, p.Fingerprint)
	}
	if m.Passphrase {
		to = append(to, "one-time passphrase")
	}
	err = c.tx(ctx, func(tx *sql.Tx) error {
		return appendAudit(ctx, tx, w.Actor(), "bundle.export", c.id, map[string]any{
			"bundle": bundleID, "to": to, "evidence": evidenceCount, "people": peopleCount, "files": len(shas),
			"protected_included": opts.IncludeProtected, "leak_hits": len(hits), "purpose": opts.Purpose,
			"manifest_sha256": fmt.Sprintf("%x", sha256.Sum256(manifest)),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("the bundle was written but its audit entry could not be: %w", err)
	}
	return &ExportResult{Manifest: m, Evidence: evidenceCount, People: peopleCount, Files: len(shas), Bytes: dbSize + total, LeakHits: hits, Encrypted: kind}, nil
}

// bundleRecipients turns the chosen contacts (or passphrase) into age
// recipients: hybrid post-quantum when every contact offers it, X25519
// otherwise (age cannot mix the two in one file).
func bundleRecipients(opts ExportOptions) ([]age.Recipient, []BundleParty, string, error) {
	if len(opts.Passphrase) > 0 {
		if len(opts.Recipients) > 0 {
			return nil, nil, "", invalid("recipients", "a passphrase bundle can have no other recipient")
		}
		if err := crypto.CheckNewPassphrase(opts.Passphrase); err != nil {
			return nil, nil, "", err
		}
		r, err := age.NewScryptRecipient(string(opts.Passphrase))
		if err != nil {
			return nil, nil, "", err
		}
		if opts.PassphraseWorkFactor > 0 {
			r.SetWorkFactor(opts.PassphraseWorkFactor)
		}
		return []age.Recipient{r}, nil, "passphrase", nil
	}
	if len(opts.Recipients) == 0 {
		return nil, nil, "", invalid("recipients", "choose at least one contact, or a one-time passphrase")
	}
	pq := true
	for _, ct := range opts.Recipients {
		if ct.PQRecipient == "" {
			pq = false
		}
	}
	var rs []age.Recipient
	var parties []BundleParty
	seen := map[string]bool{}
	for _, ct := range opts.Recipients {
		if err := ct.ContactCard.validate(); err != nil {
			return nil, nil, "", err
		}
		if seen[ct.Recipient] {
			continue
		}
		seen[ct.Recipient] = true
		var r age.Recipient
		var err error
		if pq {
			r, err = age.ParseHybridRecipient(ct.PQRecipient)
		} else {
			r, err = age.ParseX25519Recipient(ct.Recipient)
		}
		if err != nil {
			return nil, nil, "", err
		}
		rs = append(rs, r)
		parties = append(parties, BundleParty{Unit: ct.Unit, Country: ct.Country, Fingerprint: ct.ContactCard.Fingerprint(), Recipient: ct.Recipient})
	}
	if pq {
		return rs, parties, "post-quantum", nil
	}
	return rs, parties, "X25519", nil
}

// damagedBlobReader reports a blob that fails to decrypt as damaged.
type damagedBlobReader struct {
	r    io.Reader
	name string
}

func (d damagedBlobReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: blob %s: %v", ErrDamaged, d.name, err)
	}
	return n, err
}
