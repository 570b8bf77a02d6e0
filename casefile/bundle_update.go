package casefile

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// BundleUpdate reports how a later bundle of a case already received
// updated the local case (bundle_merge.go has the rules): what was added,
// what the sender changed and was applied, where both sides changed and
// both versions were kept, and what the sender's bundle no longer carries
// (kept here: a bundle never deletes anything).
type BundleUpdate struct {
	CaseID       string         `json:"case_id"`       // the local case that was updated
	LocalChanges int            `json:"local_changes"` // audit entries made locally since the last bundle
	NewFiles     int            `json:"new_files"`     // files added to evidence items
	Changes      []BundleChange `json:"changes"`       // only kinds with something to report
}

// BundleChange lists, for one kind of record, what the update did.
type BundleChange struct {
	Kind      string           `json:"kind"`      // case, person, asset, request, deadline, note, evidence
	Added     []string         `json:"added"`     // new at the sender: added here
	Updated   []string         `json:"updated"`   // changed at the sender only: the sender's version applied
	Conflicts []BundleConflict `json:"conflicts"` // changed on both sides: both kept
	Kept      []string         `json:"kept"`      // no longer in the sender's bundle: kept here
}

// BundleConflict is a record both sides changed. The local record (ID)
// was kept; the sender's version is Copy (a new record beside it) or,
// for evidence items and the case record, a note on the record.
type BundleConflict struct {
	ID   string `json:"id"`
	Copy string `json:"copy,omitempty"`
	How  string `json:"how"`
}

// String sums a change up in one line.
func (ch BundleChange) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{len(ch.Added), "added"}, {len(ch.Updated), "updated from the sender"}, {len(ch.Conflicts), "in conflict (both versions kept)"},
		{len(ch.Kept), "no longer in the sender's bundle (kept here)"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return ch.Kind + ": " + strings.Join(parts, ", ")
}

func (u *BundleUpdate) count(f func(BundleChange) int) int {
	n := 0
	for _, ch := range u.Changes {
		n += f(ch)
	}
	return n
}

// updateFromBundle applies a verified bundle (its database open in in,
// its blobs staged in st, encrypted to the local case's key) to the local
// case it updates, in one transaction, then saves it.
func (w *Workspace) updateFromBundle(ctx context.Context, m *Manifest, in *Case, st *staging, actor string, previous *ReceivedBundle, res *BundleImportResult) error {
	lc, err := w.OpenCase(ctx, previous.CaseID)
	if err != nil {
		return fmt.Errorf("this bundle updates case %s, which cannot be opened: %w", previous.CaseID, err)
	}
	if lc.identity.String() != st.caseID.String() {
		return errors.New("the case changed while the bundle was read: import it again")
	}
	// A bundle made before the one already applied (delivered late, or
	// replayed) would roll the case back to the sender's older state.
	if o, err := lc.Origin(ctx); err != nil {
		return err
	} else if o != nil && (m.Created.Before(o.Created) || m.Checkpoint.Size < o.SenderAuditSize) {
		return refused("this bundle of case %s was made %s, but the one already imported was made %s (sender's audit chain %d entries, now %d): it is older, and importing it would roll the case back. Nothing was changed; ask the sender for their latest bundle",
			m.Case.Ref, m.Created.UTC().Format("2006-01-02 15:04:05 UTC"), o.Created.UTC().Format("2006-01-02 15:04:05 UTC"), o.SenderAuditSize, m.Checkpoint.Size)
	}
	inSnap, err := snapshotCase(ctx, in.conn)
	if err != nil {
		return err
	}
	store, err := lc.blobs()
	if err != nil {
		return err
	}
	// The staged blobs are already encrypted to the case and named as its
	// store names them: move the new ones in (equal content is stored once).
	// If the merge fails they are removed again (nothing refers to them).
	// Local imports wait meanwhile: one could otherwise find a moved blob,
	// reuse it for equal content, and lose it when a failed merge removes it.
	lc.importMu.Lock()
	defer lc.importMu.Unlock()
	var moved []string
	merged := false
	defer func() {
		if !merged {
			for _, p := range moved {
				os.Remove(p)
			}
		}
	}()
	for _, mb := range m.Members {
		if mb.Name == databaseName {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		staged := st.files[mb.Name]
		final := filepath.Join(store.dir, filepath.Base(staged))
		if _, err := os.Stat(final); err == nil {
			os.Remove(staged)
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := os.Rename(staged, final); err != nil {
			return err
		}
		moved = append(moved, final)
	}
	now := time.Now().UTC().Truncate(time.Second)
	u := &BundleUpdate{CaseID: lc.id, Changes: []BundleChange{}}
	err = lc.tx(ctx, func(tx *sql.Tx) error {
		entries, err := readAudit(ctx, tx)
		if err != nil {
			return err
		}
		for i := len(entries) - 1; i >= 0 && entries[i].Action != "bundle.import" && entries[i].Action != "bundle.update"; i-- {
			u.LocalChanges++
		}
		local, err := snapshotCase(ctx, tx)
		if err != nil {
			return err
		}
		base, err := readBundleBase(ctx, tx)
		if err != nil {
			return err
		}
		mg := &merger{ctx: ctx, tx: tx, in: inSnap, local: local, base: base, m: m, actor: actor, now: now.Format(time.RFC3339), update: u,
			blobName: func(sum string) string { return store.nameOfHex(sum) },
			from:     fmt.Sprintf("received from %s (%s, fingerprint %s) in bundle %s", m.Sender.Unit, m.Sender.Country, m.Sender.Fingerprint(), m.BundleID),
			persons:  map[string]bool{}, evidence: map[string]bool{}}
		for id := range local.byID["person"] {
			mg.persons[id] = true
		}
		for id := range local.byID["evidence"] {
			mg.evidence[id] = true
		}
		if err := mg.run(); err != nil {
			return err
		}
		// The new base: the sender's records as this bundle carries them;
		// records it left out keep their earlier base.
		nb := &bundleBase{Version: 1, Digests: map[string]map[string]string{}, Custody: map[string]int{}}
		if base != nil {
			for k, d := range base.Digests {
				nb.Digests[k] = d
			}
			for id, n := range base.Custody {
				nb.Custody[id] = n
			}
		}
		for k, d := range inSnap.digests {
			if nb.Digests[k] == nil {
				nb.Digests[k] = map[string]string{}
			}
			for id, dg := range d {
				nb.Digests[k][id] = dg
			}
		}
		for id, n := range inSnap.custody {
			nb.Custody[id] = n
		}
		if err := writeBundleBase(ctx, tx, nb); err != nil {
			return err
		}
		var origin CaseOrigin
		var raw string
		if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'bundle_origin'").Scan(&raw); err == nil {
			json.Unmarshal([]byte(raw), &origin)
		}
		origin.PreviousBundle = origin.BundleID
		origin.BundleID, origin.Created, origin.Imported = m.BundleID, m.Created, now
		origin.SenderUnit, origin.SenderCountry, origin.SenderFingerprint, origin.SenderKey = m.Sender.Unit, m.Sender.Country, m.Sender.Fingerprint(), m.Sender.SigningKey
		origin.SenderCase, origin.SenderRef = m.Case.ID, m.Case.Ref
		origin.Purpose, origin.AnswersRequest, origin.NoRedisclosure = m.Purpose, m.AnswersRequest, m.NoRedisclosure
		origin.SenderAuditSize, origin.SenderAuditHead = m.Checkpoint.Size, m.Checkpoint.Head
		originJSON, _ := json.Marshal(origin)
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES ('bundle_origin', ?)", string(originJSON)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, "bundle.update", lc.id, map[string]any{
			"bundle": m.BundleID, "sender": m.Sender.Unit, "sender_country": m.Sender.Country, "sender_fingerprint": m.Sender.Fingerprint(),
			"sender_case": m.Case.ID, "sender_checkpoint": map[string]any{"size": m.Checkpoint.Size, "head": m.Checkpoint.Head},
			"added":     u.count(func(c BundleChange) int { return len(c.Added) }),
			"updated":   u.count(func(c BundleChange) int { return len(c.Updated) }),
			"conflicts": u.count(func(c BundleChange) int { return len(c.Conflicts) }),
			"kept":      u.count(func(c BundleChange) int { return len(c.Kept) }),
			"new_files": u.NewFiles, "local_changes": u.LocalChanges,
		})
	})
	if err != nil {
		return err
	}
	merged = true
	for _, p := range moved {
		lc.blobWritten(p) // made durable by the save, before the case file
	}
	if err := lc.Save(); err != nil {
		// The merge is in the open case, and its next save writes it.
		return fmt.Errorf("case %s was updated from this bundle, but could not be saved (%w); the changes are kept in the open case: "+
			"free some disk space or fix the folder, then save the case. If it is closed without being saved, import this bundle again", lc.id, err)
	}
	rec := &ReceivedBundle{CaseID: lc.id, BundleID: m.BundleID, SenderKey: m.Sender.SigningKey, SenderUnit: m.Sender.Unit,
		SenderCase: m.Case.ID, Created: m.Created, Imported: now}
	if err := w.changeContacts(func(b *contactBook) error {
		b.Received = append(b.Received, rec)
		return nil
	}); err != nil {
		return fmt.Errorf("case %s was updated, but the record of this bundle could not be saved: %w", lc.id, err)
	}
	info, err := lc.Info(ctx)
	if err != nil {
		return err
	}
	var items int
	lc.mu.Lock()
	lc.conn.QueryRowContext(ctx, "SELECT count(*) FROM evidence").Scan(&items)
	lc.mu.Unlock()
	res.CaseID, res.Ref, res.Evidence, res.Update = lc.id, info.Ref, items, u
	return nil
}

// run merges every kind of record.
func (mg *merger) run() error {
	for _, k := range mergeKinds {
		if err := mg.mergeKind(k); err != nil {
			return fmt.Errorf("merging the sender's %s records: %w", k.name, err)
		}
	}
	seen := map[string]bool{}
	for _, id := range mg.received {
		if seen[id] {
			continue
		}
		seen[id] = true
		ev := CustodyEvent{Event: "received", Who: mg.actor, At: time.Now().UTC().Truncate(time.Second), Purpose: mg.m.Purpose, HashCheck: "match",
			Note: mg.from + " (an update of the case); every file matched the SHA-256 in the signed manifest"}
		if err := insertCustody(mg.ctx, mg.tx, id, ev); err != nil {
			return err
		}
	}
	out := mg.update.Changes[:0]
	for _, ch := range mg.update.Changes {
		if len(ch.Added)+len(ch.Updated)+len(ch.Conflicts)+len(ch.Kept) > 0 {
			out = append(out, ch)
		}
	}
	mg.update.Changes = out
	return nil
}

// orderedIDs returns the sender's ids of a kind, sorted; evidence items
// come after the item they were found in.
func (mg *merger) orderedIDs(k mergeKind) []string {
	ids := make([]string, 0, len(mg.in.digests[k.name]))
	for id := range mg.in.digests[k.name] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if k.name != "evidence" {
		return ids
	}
	mt := mg.in.main["evidence"]
	pc := mt.col("parent_id")
	depth := func(id string) int {
		d := 0
		for seen := 0; seen < 64; seen++ {
			p, _ := mg.in.byID["evidence"][id][pc].(string)
			if p == "" || mg.in.byID["evidence"][p] == nil {
				break
			}
			id = p
			d++
		}
		return d
	}
	sort.SliceStable(ids, func(i, j int) bool { return depth(ids[i]) < depth(ids[j]) })
	return ids
}

func (mg *merger) mergeKind(k mergeKind) error {
	ch := mg.change(k.name)
	inD, locD := mg.in.digests[k.name], mg.local.digests[k.name]
	var baseD map[string]string
	if mg.base != nil {
		baseD = mg.base.Digests[k.name]
	}
	for _, id := range mg.orderedIDs(k) {
		s := inD[id]
		l, hasL := locD[id]
		b, hasB := baseD[id]
		// Whether each side's version is a protected person (only ever
		// true for people).
		lp, sp := mg.localProtected(k, id), mg.senderProtected(k, id)
		switch {
		case k.name == "evidence" && hasL && !hasB && mg.base != nil:
			// An item here whose id the sender's last bundle did not
			// carry: a different item that shares the id. Nothing of the
			// sender's is attached to it (custody, files).
			ch.Conflicts = append(ch.Conflicts, BundleConflict{ID: id, How: "the sender's item has the id of a different item here: it was not merged; ask the sender to send it again"})
		case hasL && (l == s || (hasB && s == b)):
			// The same on both sides, or unchanged at the sender (the
			// local version, changed here, stays). An item's chain of
			// custody still continues with the sender's new events.
			if k.name == "evidence" {
				if err := mg.evidenceCustody(id, 0); err != nil {
					return err
				}
			}
		case !hasL && !hasB:
			if err := mg.add(k, id); err != nil {
				return err
			}
			ch.Added = append(ch.Added, id)
		case !hasL && b == s:
			// Deleted here, unchanged there: it stays deleted.
		case !hasL:
			if err := mg.add(k, id); err != nil {
				return err
			}
			how := "deleted here, changed by the sender: the sender's version was added back"
			if err := mg.mark(k, id, "This record was deleted here since the last bundle and changed by the sender since; the sender's version (bundle "+mg.m.BundleID+") was added back."); err != nil {
				return err
			}
			ch.Conflicts = append(ch.Conflicts, BundleConflict{ID: id, Copy: id, How: how})
		case hasB && l == b && !mg.holdsWithheldIdentity(k, id) && !(lp && !sp):
			if err := mg.apply(k, id); err != nil {
				return err
			}
			ch.Updated = append(ch.Updated, id)
		case lp || sp:
			cf, err := mg.protectedConflict(k, id, lp, sp)
			if err != nil {
				return err
			}
			ch.Conflicts = append(ch.Conflicts, cf)
		default:
			cf, err := mg.conflict(k, id)
			if err != nil {
				return err
			}
			ch.Conflicts = append(ch.Conflicts, cf)
		}
	}
	for id := range baseD {
		if _, ok := inD[id]; !ok {
			if _, ok := locD[id]; ok {
				ch.Kept = append(ch.Kept, id)
			}
		}
	}
	sort.Strings(ch.Kept)
	return nil
}

// add inserts the sender's record here under its own id.
func (mg *merger) add(k mergeKind, id string) error {
	mt := mg.in.main[k.name]
	row := mg.in.byID[k.name][id]
	set := mg.fixRefs(k.name, mt.cols, row)
	if k.name == "case" { // never happens: the case record always exists
		return nil
	}
	if k.name == "evidence" {
		ex, _ := row[mt.col("exhibit")].(string)
		free, err := mg.freeExhibit(ex)
		if err != nil {
			return err
		}
		set["exhibit"] = free
	}
	if err := insertRow(mg.ctx, mg.tx, k.table, mt.cols, row, set); err != nil {
		return err
	}
	switch k.name {
	case "person":
		mg.persons[id] = true
	case "evidence":
		mg.evidence[id] = true
	}
	n, err := mg.putChildren(k, id, id, childrenAll)
	if err != nil {
		return err
	}
	if k.name == "evidence" {
		mg.update.NewFiles += n
		if err := mg.appendSenderCustody(id, id, 0, false); err != nil {
			return err
		}
		mg.received = append(mg.received, id)
	}
	return nil
}

// holdsWithheldIdentity says whether the local record of a protected
// person holds an identity (a name other than the one the sender sent)
// that this bundle withheld: its masked version must not replace it, so
// the two are kept side by side as a conflict.
func (mg *merger) holdsWithheldIdentity(k mergeKind, id string) bool {
	if k.name != "person" || mg.m.ProtectedIncluded || len(mg.in.childBy["protection"][id]) == 0 {
		return false
	}
	in, loc := mg.in.byID["person"][id], mg.local.byID["person"][id]
	return loc != nil && fmt.Sprint(loc[mg.local.main["person"].col("full_name")]) != fmt.Sprint(in[mg.in.main["person"].col("full_name")])
}

// localProtected says whether the local record is a protected person.
func (mg *merger) localProtected(k mergeKind, id string) bool {
	if k.name != "person" {
		return false
	}
	var n int
	if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM protection WHERE person_id = ?", id).Scan(&n); err != nil {
		return true // when in doubt, the careful path
	}
	return n > 0
}

// senderProtected says whether the sender's version is a protected person.
func (mg *merger) senderProtected(k mergeKind, id string) bool {
	return k.name == "person" && len(mg.in.childBy["protection"][id]) > 0
}

// protectedConflict settles a person where protection is at stake and the
// two sides differ: no copy is made (a copy would split the person, and an
// unprotected copy of someone protected here would show their real name),
// the local record stays, protection the sender added is applied to it,
// and protection is never removed or lowered by a bundle. The note names
// no one.
func (mg *merger) protectedConflict(k mergeKind, id string, local, sender bool) (BundleConflict, error) {
	cf := BundleConflict{ID: id, How: "a protected person: the local record was kept and no copy made"}
	what := "bundle " + mg.m.BundleID + " from " + mg.m.Sender.Unit
	note := "Conflict: this person was changed by the sender too (" + what + "); because a protected identity is involved, the sender's version was not added beside it. Compare with the sender before changing this record."
	switch {
	case !local && sender:
		if _, err := mg.putChildren(k, id, id, childrenProtection); err != nil {
			return cf, err
		}
		cf.How = "the sender protects this person: the protection was applied to the local record, which was kept"
		note = "The sender now protects this person (" + what + "): the protection was applied here; the local record was kept otherwise. Compare with the sender."
	case local && !sender:
		cf.How = "the sender's version does not protect this person: the protection here was kept"
		note = "The sender's version of this person (" + what + ") carries no protection: the protection here was kept and the sender's changes were not applied. Compare with the sender."
	default:
		// Both protect: measures the sender added are added here (a
		// bundle raises protection, never lowers it).
		ct := mg.in.children["protection_measure"]
		added := 0
		for _, r := range mg.in.childBy["protection_measure"][id] {
			res, err := mg.tx.ExecContext(mg.ctx, "INSERT OR IGNORE INTO protection_measure (person_id, measure) VALUES (?, ?)", id, r[ct.col("measure")])
			if err != nil {
				return cf, err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		if added > 0 {
			cf.How = fmt.Sprintf("a protected person: the local record was kept, no copy made; %d protection measure(s) the sender added were added here", added)
		}
	}
	return cf, mg.note(id, note)
}

// apply replaces the local record with the sender's version.
func (mg *merger) apply(k mergeKind, id string) error {
	mt := mg.in.main[k.name]
	row := mg.in.byID[k.name][id]
	set := mg.fixRefs(k.name, mt.cols, row)
	switch k.name {
	case "case":
		if err := updateRow(mg.ctx, mg.tx, "case_info", mt.cols, row, []string{"ref"}, set); err != nil {
			return err
		}
		return mg.replaceCaseLists()
	case "evidence":
		ex, _ := row[mt.col("exhibit")].(string)
		var n int
		if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM evidence WHERE exhibit = ? AND id != ?", ex, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 { // the sender's number is taken here: keep the local one
			set["exhibit"] = mg.local.byID["evidence"][id][mg.local.main["evidence"].col("exhibit")]
		}
	}
	if err := updateRow(mg.ctx, mg.tx, k.table, mt.cols, row, nil, set); err != nil {
		return err
	}
	n, err := mg.putChildren(k, id, id, childrenReplace)
	if err != nil {
		return err
	}
	if k.name == "evidence" {
		return mg.evidenceCustody(id, n)
	}
	return nil
}

// evidenceCustody continues an existing item's chain of custody: the
// sender's events since the last bundle, then "received" if files came.
func (mg *merger) evidenceCustody(id string, newFiles int) error {
	mg.update.NewFiles += newFiles
	// Without a base (a case received before updates were merged) it is
	// not known which of the sender's events are here already: none is
	// copied.
	newEvents := false
	if mg.base != nil {
		since := mg.base.Custody[id]
		newEvents = mg.in.custody[id] > since
		if err := mg.appendSenderCustody(id, id, since, true); err != nil {
			return err
		}
	}
	if newFiles > 0 || newEvents {
		mg.received = append(mg.received, id)
	}
	return nil
}

// conflict keeps both versions of a record changed on both sides.
func (mg *merger) conflict(k mergeKind, id string) (BundleConflict, error) {
	cf := BundleConflict{ID: id}
	what := "bundle " + mg.m.BundleID + " from " + mg.m.Sender.Unit
	if !k.copies {
		// The case record and evidence items: the local version stays,
		// the sender's differing fields go into a note on it; an item
		// still gets the sender's new files and custody events.
		target := id
		if k.name == "case" {
			target = ""
		}
		diff := mg.differences(k, id)
		if err := mg.note(target, "Conflict: this "+kindWord(k.name)+" was changed here and by the sender since the last bundle; the local version was kept. The sender's version ("+what+"): "+diff); err != nil {
			return cf, err
		}
		cf.How = "local version kept; the sender's version is in a note on it"
		if k.name == "evidence" {
			n, err := mg.putChildren(k, id, id, childrenFiles)
			if err != nil {
				return cf, err
			}
			if err := mg.evidenceCustody(id, n); err != nil {
				return cf, err
			}
		}
		return cf, nil
	}
	mt := mg.in.main[k.name]
	row := mg.in.byID[k.name][id]
	cp := newItemID()
	set := mg.fixRefs(k.name, mt.cols, row)
	set["id"] = cp
	marker := "Sender's version (" + what + ") of " + kindWord(k.name) + " " + id + ", which was also changed here; both are kept: compare them and remove the one you do not keep."
	switch k.name {
	case "note":
		text, _ := row[mt.col("text")].(string)
		set["text"] = "[" + marker + "]\n" + text
	case "deadline":
		title, _ := row[mt.col("title")].(string)
		notes, _ := row[mt.col("notes")].(string)
		set["title"] = "Sender's version: " + title
		set["notes"] = strings.TrimSpace(marker + "\n" + notes)
	}
	if err := insertRow(mg.ctx, mg.tx, k.table, mt.cols, row, set); err != nil {
		return cf, err
	}
	if k.name == "person" {
		mg.persons[cp] = true
	}
	if _, err := mg.putChildren(k, id, cp, childrenAll); err != nil {
		return cf, err
	}
	if k.name == "person" || k.name == "asset" || k.name == "request" {
		if err := mg.note(cp, marker); err != nil {
			return cf, err
		}
		if err := mg.note(id, "Conflict: the sender changed this "+kindWord(k.name)+" too ("+what+"); their version was added beside it as "+cp+"."); err != nil {
			return cf, err
		}
	}
	cf.Copy, cf.How = cp, "local version kept; the sender's version added beside it"
	return cf, nil
}

// mark notes on a record that it came back from the sender.
func (mg *merger) mark(k mergeKind, id, text string) error {
	switch k.name {
	case "note":
		_, err := mg.tx.ExecContext(mg.ctx, "UPDATE note SET text = ? || char(10) || text WHERE id = ?", "["+text+"]", id)
		return err
	case "deadline":
		_, err := mg.tx.ExecContext(mg.ctx, "UPDATE deadline SET notes = ? || char(10) || notes WHERE id = ?", text, id)
		return err
	}
	return mg.note(id, text)
}

func kindWord(kind string) string {
	switch kind {
	case "case":
		return "case record"
	case "evidence":
		return "evidence item"
	}
	return kind
}
