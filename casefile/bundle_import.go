package casefile

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"casevault/crypto"
)

// BundleImportOptions tunes an import.
type BundleImportOptions struct {
	// Passphrase opens a bundle made for a one-time passphrase.
	Passphrase []byte
	// Trust accepts a signer that is not among the contacts (after its
	// fingerprint was checked with the sender).
	Trust bool
	// Progress, if set, gets the bytes of the bundle's members read so far
	// and their total (known once the manifest is read).
	Progress func(done, total int64)
}

// BundleImportResult says what an import made.
type BundleImportResult struct {
	CaseID            string        `json:"case_id"`
	Ref               string        `json:"ref"`
	Manifest          Manifest      `json:"manifest"`
	SenderFingerprint string        `json:"sender_fingerprint"`
	SenderKnown       bool          `json:"sender_known"`
	SenderVerified    bool          `json:"sender_verified"`
	Evidence          int           `json:"evidence"`
	Update            *BundleUpdate `json:"update,omitempty"`
}

// BundleInspection is what InspectBundle found.
type BundleInspection struct {
	Manifest          *Manifest `json:"manifest"`
	SenderFingerprint string    `json:"sender_fingerprint"`
	SenderKnown       bool      `json:"sender_known"`
	SenderVerified    bool      `json:"sender_verified"`
	ForThisWorkspace  bool      `json:"for_this_workspace"`
	Verified          bool      `json:"verified"` // signature and every member checked
	Problem           string    `json:"problem,omitempty"`
}

// bundleEnv is what reading a bundle needs from the workspace.
type bundleEnv struct {
	ids       []age.Identity
	recipient string
	contacts  []Contact
	received  []ReceivedBundle
	actor     string
}

func (w *Workspace) bundleEnv(passphrase []byte) (*bundleEnv, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keys == nil {
		return nil, ErrLocked
	}
	e := &bundleEnv{recipient: w.keys.Recipient().String(), actor: w.actor}
	if len(passphrase) > 0 {
		id, err := age.NewScryptIdentity(string(passphrase))
		if err != nil {
			return nil, err
		}
		e.ids = []age.Identity{id}
	} else {
		e.ids = []age.Identity{w.keys.Identity(), bundlePQIdentity(w.keys)}
	}
	if b := w.cat.Contacts; b != nil {
		for _, c := range b.Contacts {
			e.contacts = append(e.contacts, *c)
		}
		for _, r := range b.Received {
			// A record whose case was deleted (by a CaseVault that did
			// not yet forget it with the case) blocks nothing.
			if w.cat.find(r.CaseID) != nil {
				e.received = append(e.received, *r)
			}
		}
	}
	return e, nil
}

func (e *bundleEnv) contactFor(signingKey string) *Contact {
	for i := range e.contacts {
		if e.contacts[i].SigningKey == signingKey {
			return &e.contacts[i]
		}
	}
	return nil
}

func (e *bundleEnv) addressedToUs(m *Manifest) bool {
	if m.Passphrase {
		return true
	}
	for _, p := range m.Recipients {
		if p.Recipient == e.recipient {
			return true
		}
	}
	return false
}

// InspectBundle decrypts and verifies a bundle without importing it: the
// signature, every member against the manifest, whether the signer is a
// contact and whether this workspace is an intended recipient. It writes
// nothing. A bundle that cannot be decrypted or whose signature fails
// returns an error; a later problem is reported in Problem with the
// manifest.
func (w *Workspace) InspectBundle(ctx context.Context, src io.Reader, passphrase []byte) (*BundleInspection, error) {
	e, err := w.bundleEnv(passphrase)
	if err != nil {
		return nil, err
	}
	plain, err := openBundle(src, e.ids, len(passphrase) > 0)
	if err != nil {
		return nil, err
	}
	insp := &BundleInspection{}
	_, err = readBundleTar(ctx, plain, bundleVisitor{check: func(m *Manifest, _ ed25519.PublicKey) error {
		insp.Manifest = m
		insp.SenderFingerprint = m.Sender.Fingerprint()
		if ct := e.contactFor(m.Sender.SigningKey); ct != nil {
			insp.SenderKnown, insp.SenderVerified = true, ct.Verified
		}
		insp.ForThisWorkspace = e.addressedToUs(m)
		return nil
	}})
	if err != nil {
		if insp.Manifest == nil {
			return nil, err
		}
		insp.Problem = err.Error()
		return insp, nil
	}
	insp.Verified = true
	return insp, nil
}

// bundleImportMu makes imports one at a time per process, so that an
// import may clear the staging folders an interrupted one left.
var bundleImportMu sync.Mutex

// staging keeps a bundle's members while it is verified: each in its own
// age file, encrypted to a key that lives only in memory, in a folder
// inside the workspace that is removed afterwards whatever happens. Blob
// members are staged in their final form, encrypted to the new case's
// key (held only in memory until the case is made) and named as its blob
// store names them, so that making the case only moves them: each byte is
// encrypted once.
type staging struct {
	dir    string
	id     *age.X25519Identity
	files  map[string]string
	blobs  *blobStore // the new case's, writing into dir
	caseID *crypto.CaseIdentity
	ctx    context.Context
}

const stagingPrefix = tempPrefix + "bundle-"

func newStaging(ctx context.Context, wsDir string) (*staging, error) {
	if entries, err := os.ReadDir(wsDir); err == nil {
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), stagingPrefix) {
				os.RemoveAll(filepath.Join(wsDir, e.Name()))
			}
		}
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(wsDir, stagingPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("cannot create a staging folder in the workspace: %w", err)
	}
	return &staging{dir: dir, id: id, files: map[string]string{}, ctx: ctx}, nil
}

// setTarget sets the case the blobs are staged for (once the manifest
// says whether the bundle makes a new case or updates one).
func (s *staging) setTarget(caseID *crypto.CaseIdentity) error {
	key, err := caseID.DeriveKey(labelBlobNames, 32)
	if err != nil {
		return err
	}
	s.blobs = &blobStore{dir: s.dir, rcpt: caseID.Recipient(), id: caseID.Identity(), nameKey: key}
	s.caseID = caseID
	return nil
}

// put stages a member. The caller checks its size and SHA-256 after.
func (s *staging) put(mb BundleMember, r io.Reader, progress func(int64)) error {
	p := filepath.Join(s.dir, fmt.Sprintf("m%06d.age", len(s.files)))
	rcpt := age.Recipient(s.id.Recipient())
	if mb.Name != databaseName {
		if s.blobs == nil {
			return fmt.Errorf("internal error: no case to stage %s for", mb.Name)
		}
		sum, err := hex.DecodeString(mb.SHA256)
		if err != nil {
			return err
		}
		p = filepath.Join(s.dir, s.blobs.nameOf(sum)+blobSuffix)
		rcpt = s.blobs.rcpt
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	out, stopWriteBehind := newWriteBehind(f)
	aw, err := age.Encrypt(out, rcpt)
	if err != nil {
		stopWriteBehind()
		f.Close()
		return err
	}
	// Decrypting the bundle and hashing overlap encrypting the member.
	if _, err := copyPipelined(s.ctx, aw, r, progress); err != nil {
		stopWriteBehind()
		f.Close()
		return err
	}
	err = aw.Close()
	stopWriteBehind()
	if err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	s.files[mb.Name] = p
	return nil
}

func (s *staging) open(name string) (io.ReadCloser, error) {
	f, err := os.Open(s.files[name])
	if err != nil {
		return nil, err
	}
	r, err := crypto.Decrypt(f, s.id)
	if err != nil {
		f.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{r, f}, nil
}

func (s *staging) remove() { os.RemoveAll(s.dir) }

// ImportBundle verifies a bundle completely (decryption, signature, signer
// among the contacts or trusted, this workspace among the recipients,
// every member against the manifest) with its members staged encrypted in
// the workspace, and only then creates a new case from it: new id, new
// case key, blobs re-encrypted, the sender's audit chain continued, a
// "received" custody event on every evidence item, the origin kept. A
// later bundle of a case already received from the same sender updates
// that case instead (bundle_merge.go: the sender's changes are applied
// where nothing changed here, both versions are kept where both changed,
// nothing is deleted), and Update says what changed. On any error the
// workspace is as it was.
func (w *Workspace) ImportBundle(ctx context.Context, src io.Reader, opts BundleImportOptions) (*BundleImportResult, error) {
	bundleImportMu.Lock()
	defer bundleImportMu.Unlock()
	e, err := w.bundleEnv(opts.Passphrase)
	if err != nil {
		return nil, err
	}
	plain, err := openBundle(src, e.ids, len(opts.Passphrase) > 0)
	if err != nil {
		return nil, err
	}
	st, err := newStaging(ctx, w.dir)
	if err != nil {
		return nil, err
	}
	defer st.remove()
	res := &BundleImportResult{}
	var signer ed25519.PublicKey
	var previous *ReceivedBundle
	var done, total int64
	progress := func(k int64) {
		done += k
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	m, err := readBundleTar(ctx, plain, bundleVisitor{
		check: func(m *Manifest, pub ed25519.PublicKey) error {
			signer = pub
			for _, mb := range m.Members {
				total += mb.Size
			}
			res.SenderFingerprint = m.Sender.Fingerprint()
			ct := e.contactFor(m.Sender.SigningKey)
			if ct == nil && !opts.Trust {
				return &UnknownSignerError{Sender: m.Sender, Fingerprint: m.Sender.Fingerprint()}
			}
			if ct != nil {
				res.SenderKnown, res.SenderVerified = true, ct.Verified
			}
			if !e.addressedToUs(m) {
				return refused("this workspace is not among its intended recipients")
			}
			for i, r := range e.received {
				if r.SenderKey != m.Sender.SigningKey {
					continue
				}
				if r.BundleID == m.BundleID {
					return refused("it was already imported, as case %s", r.CaseID)
				}
				if r.SenderCase == m.Case.ID && (previous == nil || r.Imported.After(previous.Imported)) {
					previous = &e.received[i]
				}
			}
			// The blobs are staged for the case they go to: the one this
			// bundle updates, or a new one.
			var target *crypto.CaseIdentity
			var err error
			if previous != nil {
				target, err = w.caseIdentity(previous.CaseID)
			} else {
				target, err = crypto.GenerateCaseIdentity()
			}
			if err != nil {
				return err
			}
			return st.setTarget(target)
		},
		member: func(mb BundleMember, r io.Reader) error { return st.put(mb, r, progress) },
	})
	if err != nil {
		return nil, err
	}
	res.Manifest = *m
	if previous != nil {
		in, err := openBundleDB(ctx, w, m, signer, st)
		if err != nil {
			return nil, err
		}
		defer in.closeDB()
		if err := w.updateFromBundle(ctx, m, in, st, e.actor, previous, res); err != nil {
			return nil, err
		}
		return res, nil
	}
	c, err := w.caseFromBundle(ctx, m, signer, st, e.actor, res)
	if err != nil {
		return nil, err
	}
	if err := c.Close(); err != nil {
		return nil, err
	}
	return res, nil
}

// caseIdentity returns the key of a case of the workspace.
func (w *Workspace) caseIdentity(id string) (*crypto.CaseIdentity, error) {
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return nil, ErrLocked
	}
	cc := w.cat.find(id)
	w.mu.Unlock()
	if cc == nil {
		return nil, fmt.Errorf("case %q %w", id, ErrNotFound)
	}
	return crypto.ParseCaseIdentity(cc.Identity)
}

// openBundleDB opens the staged case database of a verified bundle in
// memory, under no case id, and checks it: intact, CaseVault's schema,
// the audit chain matching the signed checkpoint, and its files exactly
// the bundle's blob members.
func openBundleDB(ctx context.Context, w *Workspace, m *Manifest, signer ed25519.PublicKey, st *staging) (*Case, error) {
	rc, err := st.open(databaseName)
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(io.LimitReader(rc, maxDatabaseSize+1))
	rc.Close()
	defer crypto.Wipe(plain)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(plain, []byte(sqliteHeader)) {
		return nil, refused("its case database is not an SQLite database")
	}
	c := &Case{ws: w, identity: st.caseID}
	if err := c.openDB(ctx, plain); err != nil {
		return nil, refused("its case database does not open: %v", err)
	}
	if err := checkBundleDB(ctx, c.conn, m, signer); err != nil {
		c.closeDB()
		return nil, err
	}
	// Every blob member is used, every used blob is a member.
	used := map[string]bool{}
	if err := scanList(ctx, c.conn, "SELECT blob, text_blob, sha256 FROM attachment", func(r *sql.Rows) error {
		var b, t, sum string
		if err := r.Scan(&b, &t, &sum); err != nil {
			return err
		}
		if b != sum {
			return refused("an attachment of its case database names another file than its SHA-256")
		}
		used[b] = true
		if t != "" {
			used[t] = true
		}
		return nil
	}); err != nil {
		c.closeDB()
		return nil, err
	}
	blobCount := 0
	for _, mb := range m.Members {
		if mb.Name == databaseName {
			continue
		}
		blobCount++
		if !used[mb.SHA256] {
			c.closeDB()
			return nil, refused("it carries a file its case does not use (%s)", mb.Name)
		}
	}
	if blobCount != len(used) {
		c.closeDB()
		return nil, refused("its case refers to files it does not carry")
	}
	return c, nil
}

// CaseOrigin is where a case received in a bundle came from, kept in its
// meta table (key "bundle_origin") and updated by each later bundle.
type CaseOrigin struct {
	BundleID          string    `json:"bundle_id"`
	SenderUnit        string    `json:"sender_unit"`
	SenderCountry     string    `json:"sender_country"`
	SenderFingerprint string    `json:"sender_fingerprint"`
	SenderKey         string    `json:"sender_key"`
	SenderCase        string    `json:"sender_case"`
	SenderRef         string    `json:"sender_ref"`
	Created           time.Time `json:"created"`
	Imported          time.Time `json:"imported"`
	Purpose           string    `json:"purpose,omitempty"`
	AnswersRequest    string    `json:"answers_request,omitempty"`
	NoRedisclosure    bool      `json:"no_redisclosure"`
	PreviousCase      string    `json:"previous_case,omitempty"`   // a linked earlier version (bundles imported before updates merged)
	PreviousBundle    string    `json:"previous_bundle,omitempty"` // the bundle this case was updated from before this one
	// The sender's audit checkpoint as of the latest bundle: a later
	// bundle's chain must not be shorter (see updateFromBundle).
	SenderAuditSize uint64 `json:"sender_audit_size,omitempty"`
	SenderAuditHead string `json:"sender_audit_head,omitempty"`
}

// caseFromBundle makes the new case from the verified, staged members.
func (w *Workspace) caseFromBundle(ctx context.Context, m *Manifest, signer ed25519.PublicKey, st *staging, actor string, res *BundleImportResult) (*Case, error) {
	id, err := newCaseID()
	if err != nil {
		return nil, err
	}
	c, err := openBundleDB(ctx, w, m, signer, st)
	if err != nil {
		return nil, err
	}
	c.id = id
	fail := func(err error) (*Case, error) {
		c.closeDB()
		os.RemoveAll(c.dir())
		return nil, err
	}
	// The base of later updates: the sender's records as they came.
	snap, err := snapshotCase(ctx, c.conn)
	if err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(c.dir(), 0o700); err != nil {
		return fail(fmt.Errorf("cannot create the case folder: %w", err))
	}
	store, err := c.blobs()
	if err != nil {
		return fail(err)
	}
	// The blobs were staged in their final form (verified as they were
	// read): they only move. Save makes them durable.
	names := map[string]string{}
	for _, mb := range m.Members {
		if mb.Name == databaseName {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		name := filepath.Base(st.files[mb.Name])
		final := filepath.Join(store.dir, name)
		if err := os.Rename(st.files[mb.Name], final); err != nil {
			return fail(err)
		}
		c.blobWritten(final)
		names[mb.SHA256] = strings.TrimSuffix(name, blobSuffix)
	}

	info, err := readInfo(ctx, c.conn)
	if err != nil {
		return fail(refused("its case record does not read: %v", err))
	}
	now := time.Now().UTC().Truncate(time.Second)
	origin := CaseOrigin{
		BundleID: m.BundleID, SenderUnit: m.Sender.Unit, SenderCountry: m.Sender.Country, SenderFingerprint: m.Sender.Fingerprint(),
		SenderKey: m.Sender.SigningKey, SenderCase: m.Case.ID, SenderRef: m.Case.Ref, Created: m.Created, Imported: now,
		Purpose: m.Purpose, AnswersRequest: m.AnswersRequest, NoRedisclosure: m.NoRedisclosure,
		SenderAuditSize: m.Checkpoint.Size, SenderAuditHead: m.Checkpoint.Head,
	}
	originJSON, _ := json.Marshal(origin)
	ref := w.freeRef(info.Ref, m.Sender.Country)
	from := fmt.Sprintf("received from %s (%s, fingerprint %s) in bundle %s", m.Sender.Unit, m.Sender.Country, m.Sender.Fingerprint(), m.BundleID)
	var evidence []string
	err = c.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			q    string
			args []any
		}{
			{"UPDATE meta SET value = ? WHERE key = 'case_id'", []any{id}},
			{"UPDATE meta SET value = '0' WHERE key = 'generation'", nil},
			{"INSERT OR REPLACE INTO meta (key, value) VALUES ('bundle_origin', ?)", []any{string(originJSON)}},
			{"UPDATE case_info SET id = ?, ref = ?", []any{id, ref}},
		} {
			if _, err := tx.ExecContext(ctx, q.q, q.args...); err != nil {
				return err
			}
		}
		type att struct{ id, blob, text string }
		var atts []att
		if err := scanList(ctx, tx, "SELECT id, blob, text_blob FROM attachment", func(r *sql.Rows) error {
			var a att
			err := r.Scan(&a.id, &a.blob, &a.text)
			atts = append(atts, a)
			return err
		}); err != nil {
			return err
		}
		for _, a := range atts {
			if _, err := tx.ExecContext(ctx, "UPDATE attachment SET blob = ?, text_blob = ? WHERE id = ?", names[a.blob], names[a.text], a.id); err != nil {
				return err
			}
		}
		if err := scanList(ctx, tx, "SELECT id FROM evidence ORDER BY created, exhibit", func(r *sql.Rows) error {
			var eid string
			err := r.Scan(&eid)
			evidence = append(evidence, eid)
			return err
		}); err != nil {
			return err
		}
		for _, eid := range evidence {
			ev := CustodyEvent{Event: "received", Who: actor, At: now, Purpose: m.Purpose, HashCheck: "match",
				Note: from + "; every file matched the SHA-256 in the signed manifest"}
			if err := insertCustody(ctx, tx, eid, ev); err != nil {
				return err
			}
		}
		if err := writeBundleBase(ctx, tx, snap.base()); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "bundle.import", id, map[string]any{
			"bundle": m.BundleID, "sender": m.Sender.Unit, "sender_country": m.Sender.Country, "sender_fingerprint": m.Sender.Fingerprint(),
			"sender_case": m.Case.ID, "previous_case": origin.PreviousCase, "evidence": len(evidence), "files": len(names),
		})
	})
	if err != nil {
		return fail(err)
	}
	rec := &ReceivedBundle{CaseID: id, BundleID: m.BundleID, SenderKey: m.Sender.SigningKey, SenderUnit: m.Sender.Unit,
		SenderCase: m.Case.ID, Created: m.Created, Imported: now, PreviousCase: origin.PreviousCase}
	w.mu.Lock()
	if w.cat == nil {
		w.mu.Unlock()
		return fail(ErrLocked)
	}
	book := w.contactsLocked()
	book.Received = append(book.Received, rec)
	w.open[id] = c
	w.mu.Unlock()
	if err := c.Save(); err != nil {
		w.mu.Lock()
		delete(w.open, id)
		out := book.Received[:0]
		for _, r := range book.Received {
			if r != rec {
				out = append(out, r)
			}
		}
		book.Received = out
		w.mu.Unlock()
		return fail(err)
	}
	res.CaseID, res.Ref, res.Evidence = id, ref, len(evidence)
	return c, nil
}

// freeRef returns ref, or ref with a suffix when a case of this
// workspace already uses it (references are unique in a workspace).
func (w *Workspace) freeRef(ref, country string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	used := map[string]bool{}
	for _, cc := range w.cat.Cases {
		used[cc.Summary.Ref] = true
	}
	if !used[ref] {
		return ref
	}
	for i := 1; ; i++ {
		r := fmt.Sprintf("%s (from %s)", ref, country)
		if i > 1 {
			r = fmt.Sprintf("%s (from %s, %d)", ref, country, i)
		}
		if !used[r] {
			return r
		}
	}
}

// checkBundleDB checks a received case database before anything is made
// from it: intact, exactly CaseVault's schema (no trigger or view of the
// sender's own), consistent, and its audit chain intact and equal to the
// signed checkpoint in the manifest.
func checkBundleDB(ctx context.Context, conn *sql.Conn, m *Manifest, signer ed25519.PublicKey) error {
	var ok string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&ok); err != nil || ok != "ok" {
		return refused("its case database is damaged")
	}
	fresh := &Case{}
	if err := fresh.openDB(ctx, nil); err != nil {
		return err
	}
	defer fresh.closeDB()
	schema := func(q querier) (string, error) {
		var b strings.Builder
		err := scanList(ctx, q, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name", func(r *sql.Rows) error {
			var a, b2, c2, d string
			err := r.Scan(&a, &b2, &c2, &d)
			fmt.Fprintf(&b, "%s\x00%s\x00%s\x00%s\x00", a, b2, c2, d)
			return err
		})
		return b.String(), err
	}
	want, err := schema(fresh.conn)
	if err != nil {
		return err
	}
	got, err := schema(conn)
	if err != nil || got != want {
		return refused("its case database does not have CaseVault's schema")
	}
	rows, err := conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	bad := rows.Next()
	rows.Close()
	if bad {
		return refused("its case database is inconsistent (broken references)")
	}
	var caseID string
	if err := conn.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'case_id'").Scan(&caseID); err != nil || caseID != m.Case.ID {
		return refused("its case database is not the case the manifest names")
	}
	entries, err := readAudit(ctx, conn)
	if err != nil {
		return err
	}
	if rep := verifyChain(entries); !rep.OK {
		return refused("its audit chain is broken: %s", rep.Problem)
	}
	if uint64(len(entries)) != m.Checkpoint.Size {
		return refused("its audit chain has %d entries but the signed checkpoint says %d", len(entries), m.Checkpoint.Size)
	}
	if err := verifyCheckpoint(signer, m.Case.ID, m.Checkpoint, entries); err != nil {
		return refused("its audit checkpoint does not verify: %v", err)
	}
	return nil
}
