package casefile

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A later bundle of a case already received from the same sender updates
// the local case (a three-way merge). The local case keeps, in its meta
// table (key "bundle_base"), a digest of every record as the sender sent
// it last time: the base. For each record of the new bundle:
//
//   - not here and not in the base: new at the sender, added;
//   - the sender's version equals the base: nothing changed there, the
//     local record stays as it is (local changes included);
//   - the sender changed it and the local record still equals the base:
//     the sender's version replaces it;
//   - both changed it (differently): a conflict, both are kept: the local
//     record stays, the sender's version is added beside it as a copy with
//     a new id (people, assets, requests, deadlines, notes), or, for an
//     evidence item and the case record, written into a note on it; each
//     side is marked by a note that names the other;
//   - deleted here, changed at the sender: the sender's version comes
//     back, marked as a conflict; deleted here and unchanged there: it
//     stays deleted.
//
// A record in the base that the new bundle does not carry (the sender
// deleted it or left it out of this bundle) is kept and reported: a
// bundle never deletes anything here. Files are content-addressed and
// immutable: the sender's new files are added to their items; none is
// removed. Custody events the sender recorded since the last bundle are
// appended to the item's chain, marked as theirs, then a "received"
// event.

const metaBundleBase = "bundle_base"

// bundleBase is the digest of every record of the sender's last bundle,
// and how many custody events each evidence item had in it.
type bundleBase struct {
	Version int                          `json:"version"`
	Digests map[string]map[string]string `json:"digests"`
	Custody map[string]int               `json:"custody"`
}

// mergeChild is a table of records that belong to a record of a kind.
type mergeChild struct {
	table, fk string
	skip      []string // columns not compared
}

// mergeKind is a kind of record an update compares and merges.
type mergeKind struct {
	name     string
	table    string
	skip     []string // columns not compared: timestamps, local names
	children []mergeChild
	copies   bool // a conflict adds the sender's version as a copy
}

// mergeKinds in the order they are merged: what others refer to first.
var mergeKinds = []mergeKind{
	{name: "case", table: "case_info", skip: []string{"id", "ref", "created", "updated"}},
	{name: "person", table: "person", skip: []string{"created", "updated"}, copies: true, children: []mergeChild{
		{table: "person_role", fk: "person_id"}, {table: "person_alias", fk: "person_id"},
		{table: "person_language", fk: "person_id"}, {table: "person_document", fk: "person_id"},
		{table: "person_exploitation", fk: "person_id"}, {table: "person_service", fk: "person_id"},
		{table: "person_charge", fk: "person_id"}, {table: "protection", fk: "person_id", skip: []string{"created", "updated"}},
		{table: "protection_measure", fk: "person_id"},
	}},
	{name: "asset", table: "asset", skip: []string{"created", "updated"}, copies: true, children: []mergeChild{{table: "asset_event", fk: "asset_id"}}},
	{name: "request", table: "request", skip: []string{"created", "updated"}, copies: true, children: []mergeChild{
		{table: "request_event", fk: "request_id"}, {table: "request_link", fk: "request_id"},
	}},
	{name: "deadline", table: "deadline", skip: []string{"created"}, copies: true},
	{name: "note", table: "note", skip: []string{"created", "updated"}, copies: true},
	{name: "evidence", table: "evidence", skip: []string{"created", "updated"}, children: []mergeChild{
		{table: "evidence_tag", fk: "evidence_id"}, {table: "evidence_person", fk: "evidence_id"},
		{table: "attachment", fk: "evidence_id", skip: []string{"id", "blob", "text_blob", "created"}},
	}},
}

// caseTables are the case record's lists (one case per database).
var caseTables = []string{"case_exploitation", "case_jurisdiction", "case_tag"}

// tableRows is a table read whole: its columns and rows.
type tableRows struct {
	cols []string
	rows [][]any
}

func (t *tableRows) col(name string) int {
	for i, c := range t.cols {
		if c == name {
			return i
		}
	}
	return -1
}

func readTable(ctx context.Context, q querier, table string) (*tableRows, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &tableRows{}
	if t.cols, err = rows.Columns(); err != nil {
		return nil, err
	}
	for rows.Next() {
		vals := make([]any, len(t.cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		t.rows = append(t.rows, vals)
	}
	return t, rows.Err()
}

// encodeValue writes a column value unambiguously for a digest.
func encodeValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("N")
	case int64:
		b.WriteString("I" + strconv.FormatInt(x, 10))
	case float64:
		b.WriteString("F" + strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		b.WriteString("S" + strconv.Itoa(len(x)) + ":" + x)
	case []byte:
		b.WriteString("B" + hex.EncodeToString(x))
	default:
		fmt.Fprintf(b, "?%v", x)
	}
	b.WriteByte(0)
}

func rowText(cols []string, row []any, skip []string) string {
	var b strings.Builder
	for i, c := range cols {
		if !contains(skip, c) {
			b.WriteString(c)
			b.WriteByte('=')
			encodeValue(&b, row[i])
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// caseSnapshot is every mergeable record of a case database, read once.
type caseSnapshot struct {
	main     map[string]*tableRows // by kind
	children map[string]*tableRows // by table
	lists    map[string]*tableRows // the case's lists
	byID     map[string]map[string][]any
	childBy  map[string]map[string][][]any // table: parent id: rows
	custody  map[string]int                // evidence id: custody events
	digests  map[string]map[string]string
}

func snapshotCase(ctx context.Context, q querier) (*caseSnapshot, error) {
	s := &caseSnapshot{main: map[string]*tableRows{}, children: map[string]*tableRows{}, lists: map[string]*tableRows{},
		byID: map[string]map[string][]any{}, childBy: map[string]map[string][][]any{}, custody: map[string]int{},
		digests: map[string]map[string]string{}}
	for _, t := range caseTables {
		rows, err := readTable(ctx, q, t)
		if err != nil {
			return nil, err
		}
		s.lists[t] = rows
	}
	for _, k := range mergeKinds {
		mt, err := readTable(ctx, q, k.table)
		if err != nil {
			return nil, err
		}
		s.main[k.name] = mt
		idCol := mt.col("id")
		ids := map[string][]any{}
		for _, r := range mt.rows {
			id, _ := r[idCol].(string)
			if k.name == "case" {
				id = "case"
			}
			ids[id] = r
		}
		s.byID[k.name] = ids
		texts := map[string][]string{}
		for _, ch := range k.children {
			ct, err := readTable(ctx, q, ch.table)
			if err != nil {
				return nil, err
			}
			s.children[ch.table] = ct
			fk := ct.col(ch.fk)
			by := map[string][][]any{}
			for _, r := range ct.rows {
				p, _ := r[fk].(string)
				by[p] = append(by[p], r)
				texts[p] = append(texts[p], ch.table+"\x01"+rowText(ct.cols, r, append([]string{ch.fk}, ch.skip...)))
			}
			s.childBy[ch.table] = by
		}
		d := map[string]string{}
		for id, r := range ids {
			var b strings.Builder
			b.WriteString(rowText(mt.cols, r, k.skip))
			if k.name == "case" {
				for _, t := range caseTables {
					var lines []string
					for _, lr := range s.lists[t].rows {
						lines = append(lines, t+"\x01"+rowText(s.lists[t].cols, lr, nil))
					}
					sort.Strings(lines)
					b.WriteString(strings.Join(lines, "\x02"))
				}
			}
			ch := texts[id]
			sort.Strings(ch)
			b.WriteString("\x03" + strings.Join(ch, "\x02"))
			sum := sha256.Sum256([]byte(b.String()))
			d[id] = hex.EncodeToString(sum[:16])
		}
		s.digests[k.name] = d
	}
	ct, err := readTable(ctx, q, "custody")
	if err != nil {
		return nil, err
	}
	s.children["custody"] = ct
	by := map[string][][]any{}
	for _, r := range ct.rows {
		id, _ := r[ct.col("evidence_id")].(string)
		by[id] = append(by[id], r)
		s.custody[id]++
	}
	s.childBy["custody"] = by
	return s, nil
}

// base returns the digests of a snapshot as a new base.
func (s *caseSnapshot) base() *bundleBase {
	return &bundleBase{Version: 1, Digests: s.digests, Custody: s.custody}
}

func readBundleBase(ctx context.Context, q querier) (*bundleBase, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", metaBundleBase).Scan(&raw)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var b bundleBase
	if err := json.Unmarshal([]byte(raw), &b); err != nil || b.Version != 1 {
		return nil, nil // unreadable: as if none (every difference is then a conflict)
	}
	return &b, nil
}

func writeBundleBase(ctx context.Context, tx *sql.Tx, b *bundleBase) error {
	raw, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", metaBundleBase, string(raw))
	return err
}

// insertRow inserts a row into table, with the columns in set replaced.
func insertRow(ctx context.Context, tx *sql.Tx, table string, cols []string, row []any, set map[string]any) error {
	vals := make([]any, len(row))
	copy(vals, row)
	for i, c := range cols {
		if v, ok := set[c]; ok {
			vals[i] = v
		}
	}
	q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	_, err := tx.ExecContext(ctx, q, vals...)
	return err
}

// updateRow sets every column of a row but id and created to row's.
func updateRow(ctx context.Context, tx *sql.Tx, table string, cols []string, row []any, keep []string, set map[string]any) error {
	var sets []string
	var args []any
	var id any
	for i, c := range cols {
		if c == "id" {
			id = row[i]
		}
		if c == "id" || c == "created" || contains(keep, c) {
			continue
		}
		v := row[i]
		if nv, ok := set[c]; ok {
			v = nv
		}
		sets = append(sets, c+" = ?")
		args = append(args, v)
	}
	if table == "case_info" {
		_, err := tx.ExecContext(ctx, "UPDATE case_info SET "+strings.Join(sets, ", "), args...)
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+strings.Join(sets, ", ")+" WHERE id = ?", append(args, id)...)
	return err
}

// merger applies a verified bundle (in) to the local case, in one
// transaction.
type merger struct {
	ctx       context.Context
	tx        *sql.Tx
	in, local *caseSnapshot
	base      *bundleBase
	blobName  func(sha string) string // the local blob name of a member
	m         *Manifest
	actor     string
	from      string // "received from ... in bundle ..."
	now       string
	update    *BundleUpdate
	persons   map[string]bool // people in the local case after the merge
	evidence  map[string]bool
	received  []string // evidence items to record a "received" event on
}

func (mg *merger) change(kind string) *BundleChange {
	for i := range mg.update.Changes {
		if mg.update.Changes[i].Kind == kind {
			return &mg.update.Changes[i]
		}
	}
	mg.update.Changes = append(mg.update.Changes, BundleChange{Kind: kind, Added: []string{}, Updated: []string{}, Conflicts: []BundleConflict{}, Kept: []string{}})
	return &mg.update.Changes[len(mg.update.Changes)-1]
}

// fixRefs returns the column overrides that keep a row's references to
// other records valid here: a person or parent item missing locally is
// dropped from the reference.
func (mg *merger) fixRefs(kind string, cols []string, row []any) map[string]any {
	set := map[string]any{}
	get := func(c string) (string, bool) {
		i := indexOf(cols, c)
		if i < 0 {
			return "", false
		}
		s, ok := row[i].(string)
		return s, ok
	}
	switch kind {
	case "asset":
		if p, ok := get("owner_id"); ok && !mg.persons[p] {
			set["owner_id"] = nil
		}
	case "evidence":
		if p, ok := get("parent_id"); ok && !mg.evidence[p] {
			set["parent_id"] = nil
		}
	}
	return set
}

func indexOf(cols []string, c string) int {
	for i, x := range cols {
		if x == c {
			return i
		}
	}
	return -1
}

// How putChildren writes a record's child rows.
const (
	childrenAll        = iota // a record new here: every child row
	childrenReplace           // the sender's version applied: replace them (files are only added)
	childrenFiles             // a conflicting evidence item: only the sender's new files
	childrenProtection        // a person the sender protects: only the protection rows
)

// putChildren writes the sender's child rows of a record (senderID) under
// parent (its id here). Files (attachments) are never removed or
// replaced: only those not already on the item are added, named as the
// local blob store names them. Links to people missing here are dropped.
// It returns the count of files added.
func (mg *merger) putChildren(k mergeKind, senderID, parent string, mode int) (newFiles int, err error) {
	if mode == childrenReplace {
		for i := len(k.children) - 1; i >= 0; i-- {
			ch := k.children[i]
			if ch.table == "attachment" {
				continue
			}
			if _, err := mg.tx.ExecContext(mg.ctx, "DELETE FROM "+ch.table+" WHERE "+ch.fk+" = ?", parent); err != nil {
				return 0, err
			}
		}
	}
	for _, ch := range k.children {
		if mode == childrenFiles && ch.table != "attachment" {
			continue
		}
		if mode == childrenProtection && ch.table != "protection" && ch.table != "protection_measure" {
			continue
		}
		ct := mg.in.children[ch.table]
		for _, r := range mg.in.childBy[ch.table][senderID] {
			set := map[string]any{ch.fk: parent}
			switch ch.table {
			case "evidence_person":
				if p, _ := r[ct.col("person_id")].(string); !mg.persons[p] {
					continue
				}
			case "protection":
				// Pseudonyms are unique in a case: a copy, or a person
				// whose pseudonym someone here already has, gets its own.
				ps, _ := r[ct.col("pseudonym")].(string)
				var taken int
				if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM protection WHERE pseudonym = ? AND person_id != ?", ps, parent).Scan(&taken); err != nil {
					return newFiles, err
				}
				if parent != senderID || taken > 0 {
					free, err := mg.freePseudonym(ps + " (sender)")
					if err != nil {
						return newFiles, err
					}
					set["pseudonym"] = free
				}
			case "attachment":
				id, _ := r[ct.col("id")].(string)
				sum, _ := r[ct.col("sha256")].(string)
				name, _ := r[ct.col("name")].(string)
				var n int
				if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM attachment WHERE id = ? OR (evidence_id = ? AND sha256 = ? AND name = ?)", id, parent, sum, name).Scan(&n); err != nil {
					return newFiles, err
				}
				if n > 0 {
					continue
				}
				set["blob"] = mg.blobName(sum)
				if t, _ := r[ct.col("text_blob")].(string); t != "" {
					set["text_blob"] = mg.blobName(t)
				}
				newFiles++
			}
			if err := insertRow(mg.ctx, mg.tx, ch.table, ct.cols, r, set); err != nil {
				return newFiles, fmt.Errorf("%s: %w", ch.table, err)
			}
		}
	}
	return newFiles, nil
}

// nameOfHex is the blob name of content with this hex SHA-256.
func (b *blobStore) nameOfHex(sum string) string {
	raw, _ := hex.DecodeString(sum)
	return b.nameOf(raw)
}

// note adds a note on target (a record id, or "" for the case).
func (mg *merger) note(target, text string) error {
	_, err := mg.tx.ExecContext(mg.ctx, "INSERT INTO note (id, target_id, text, author, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
		newItemID(), target, text, mg.actor, mg.now, mg.now)
	return err
}

// differences lists, for a note, the fields where the sender's version
// of a record differs from the local one (for evidence and the case,
// which hold no protected identity).
func (mg *merger) differences(k mergeKind, id string) string {
	mt := mg.in.main[k.name]
	lt := mg.local.main[k.name]
	in, loc := mg.in.byID[k.name][id], mg.local.byID[k.name][id]
	var out []string
	for i, c := range mt.cols {
		if contains(k.skip, c) {
			continue
		}
		j := lt.col(c)
		if loc != nil && j >= 0 && fmt.Sprint(loc[j]) == fmt.Sprint(in[i]) {
			continue
		}
		v := fmt.Sprint(in[i])
		if in[i] == nil {
			v = ""
		}
		if len(v) > 500 {
			v = v[:500] + "…"
		}
		out = append(out, fmt.Sprintf("%s: %q", c, v))
	}
	for _, ch := range k.children {
		if ch.table == "attachment" {
			continue
		}
		ct := mg.in.children[ch.table]
		var vals []string
		for _, r := range mg.in.childBy[ch.table][id] {
			var parts []string
			for i, c := range ct.cols {
				if c != ch.fk {
					parts = append(parts, fmt.Sprint(r[i]))
				}
			}
			vals = append(vals, strings.Join(parts, " "))
		}
		sort.Strings(vals)
		out = append(out, fmt.Sprintf("%s: %s", strings.TrimPrefix(ch.table, k.table+"_"), strings.Join(vals, ", ")))
	}
	if k.name == "case" {
		for _, t := range caseTables {
			var vals []string
			for _, r := range mg.in.lists[t].rows {
				var parts []string
				for _, v := range r {
					parts = append(parts, fmt.Sprint(v))
				}
				vals = append(vals, strings.Join(parts, ":"))
			}
			sort.Strings(vals)
			out = append(out, fmt.Sprintf("%s: %s", strings.TrimPrefix(t, "case_"), strings.Join(vals, ", ")))
		}
	}
	return strings.Join(out, "; ")
}

// replaceCaseLists puts the sender's case lists in place of the local ones.
func (mg *merger) replaceCaseLists() error {
	for _, t := range caseTables {
		if _, err := mg.tx.ExecContext(mg.ctx, "DELETE FROM "+t); err != nil {
			return err
		}
		lt := mg.in.lists[t]
		for _, r := range lt.rows {
			if err := insertRow(mg.ctx, mg.tx, t, lt.cols, r, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// freeExhibit returns exhibit, or a variant of it no local item uses.
func (mg *merger) freeExhibit(exhibit string) (string, error) {
	try := exhibit
	for i := 1; ; i++ {
		var n int
		if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM evidence WHERE exhibit = ?", try).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return try, nil
		}
		try = fmt.Sprintf("%s (from %s)", exhibit, mg.m.Sender.Country)
		if i > 1 {
			try = fmt.Sprintf("%s (from %s, %d)", exhibit, mg.m.Sender.Country, i)
		}
	}
}

// freePseudonym returns ps, or ps numbered, if no local person uses it.
func (mg *merger) freePseudonym(ps string) (string, error) {
	try := ps
	for i := 2; ; i++ {
		var n int
		if err := mg.tx.QueryRowContext(mg.ctx, "SELECT count(*) FROM protection WHERE pseudonym = ?", try).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return try, nil
		}
		try = fmt.Sprintf("%s %d", ps, i)
	}
}

// appendSenderCustody appends the custody events the sender recorded on
// an item since the last bundle (all of them for a new item), each with
// the next sequence number here; events copied into an item that already
// has a history here say that they are the sender's.
func (mg *merger) appendSenderCustody(senderID, localID string, since int, mark bool) error {
	ct := mg.in.children["custody"]
	rows := append([][]any(nil), mg.in.childBy["custody"][senderID]...)
	seqCol, noteCol := ct.col("seq"), ct.col("note")
	sort.Slice(rows, func(i, j int) bool { return rows[i][seqCol].(int64) < rows[j][seqCol].(int64) })
	for _, r := range rows {
		seq := r[seqCol].(int64)
		if seq <= int64(since) {
			continue
		}
		var last int64
		if err := mg.tx.QueryRowContext(mg.ctx, "SELECT coalesce(max(seq), 0) FROM custody WHERE evidence_id = ?", localID).Scan(&last); err != nil {
			return err
		}
		set := map[string]any{"evidence_id": localID, "seq": last + 1}
		if mark {
			note, _ := r[noteCol].(string)
			set["note"] = strings.TrimSpace(fmt.Sprintf("Recorded by the sender (%s) as their event %d. %s", mg.m.Sender.Unit, seq, note))
		}
		if err := insertRow(mg.ctx, mg.tx, "custody", ct.cols, r, set); err != nil {
			return err
		}
	}
	return nil
}
